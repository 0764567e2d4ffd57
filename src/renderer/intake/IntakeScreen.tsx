// 受理: logging a call without the mouse. The form in call order on the left; the caller's
// history and possible duplicates on the right; Ctrl+Enter saves, Alt+Enter saves and answers on
// the call, Alt+1…9 links the call to a duplicate, Esc closes and keeps the draft.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { normalizePhone } from '../../shared/actions'
import { maskPhone, type IncomingCall } from '../../shared/api'
import { formatTime, useLang } from '../i18n'
import { useApi } from '../state/api'
import type { Names } from '../state/reference'
import { CallerHistory } from './CallerHistory'
import { DuplicatePanel } from './DuplicatePanel'
import {
  checkForm,
  digitsOf,
  emptyForm,
  needsNumberConfirm,
  type FieldId,
  type IntakeForm,
} from './form'
import { IntakeFields } from './IntakeFields'
import { IntakeKeys } from './IntakeKeys'
import { useCategoryProposals, withCategory } from './CategoryProposals'
import { createTicket, linkToTicket } from './submit'
import { useIntakeDraft } from './use-draft'
import { useCallerHistory, useDuplicates } from './use-lookups'
import { useWords } from './words'
import { useKbEntry } from '../knowledge/KbEntry'
import { KbSuggestPanel } from '../knowledge/KbSuggestPanel'
import { spokenText } from '../knowledge/markdown'
import { useKbSuggest } from '../knowledge/use-kb'
import '../knowledge/knowledge.css'
import { useDialog } from '../input/use-dialog'
import { useTypeAhead } from '../input/type-ahead'
import './intake.css'

export interface IntakeProps {
  /** The ringing call that opened intake (screen pop), or null when opened by N / Ctrl+N. */
  call: IncomingCall | null
  names: Names
  /** Escape: the screen closes, its draft is kept for next time. */
  onClose(): void
  /** Saved: a line for the toast, and the new (or linked) ticket's id to put the cursor on. */
  onDone(message: string, ticketId: string): void
}

type Errors = Partial<Record<FieldId, string>>

/** `09:10:33` on the city's clock, like every other time the console shows. */
const clockTime = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso))

/** Errors of fields whose value changed since are dropped: the agent is fixing them. */
function prune(errors: Errors, before: IntakeForm, after: IntakeForm): Errors {
  const keys = Object.keys(errors) as FieldId[]
  const stale = keys.filter((k) => before[k] !== after[k])
  if (stale.length === 0) return errors
  const out = { ...errors }
  for (const k of stale) delete out[k]
  return out
}

export function IntakeScreen(props: IntakeProps) {
  const api = useApi()
  const lang = useLang()
  const w = useWords()
  const popped = props.call?.phone ? normalizePhone(props.call.phone) : null
  const draft = useIntakeDraft(props.call)
  const form = draft.form
  const [errors, setErrors] = useState<Errors>({})
  const [general, setGeneral] = useState<string | null>(null)
  const [reveal, setReveal] = useState(false)
  /** Asked to confirm saving without a number though the caller agreed to a callback. */
  const [confirmEmpty, setConfirmEmpty] = useState(false)
  const [busy, setBusyState] = useState(false)
  // Read by the key handler at once: a second Ctrl+Enter before the re-render must not log twice.
  const busyRef = useRef(false)
  const setBusy = (b: boolean) => {
    busyRef.current = b
    setBusyState(b)
  }
  const [linking, setLinking] = useState<string | null>(null)
  const [linkError, setLinkError] = useState<string | null>(null)
  const root = useRef<HTMLDivElement>(null)
  const history = useCallerHistory(form?.phone ?? '', popped)
  const dups = useDuplicates(form ?? emptyForm())
  const proposals = useCategoryProposals(form, props.names)
  // 知识库: entries matching the description; `kbOpen` the one being read (Alt+K, ↑↓).
  const kb = useKbSuggest(form?.description ?? '', form?.category ?? '')
  const [kbOpen, setKbOpenState] = useState<number | null>(null)
  const kbHit = kbOpen !== null ? (kb.hits?.[kbOpen] ?? null) : null
  const kbEntry = useKbEntry(kbHit?.id ?? null, form?.description.slice(0, 200))
  // The next key is judged by this at once, not by the last render (STYLE.md 12).
  const kbOpenRef = useRef<number | null>(null)
  const setKbOpen = (next: number | null | ((i: number | null) => number | null)) => {
    const v = typeof next === 'function' ? next(kbOpenRef.current) : next
    kbOpenRef.current = v
    setKbOpenState(v)
  }
  const loaded = form !== null

  const fields = () =>
    Array.from(root.current?.querySelectorAll<HTMLElement>('[data-field]') ?? []).filter(
      (el) => !(el as HTMLInputElement).disabled,
    )
  const focusField = (id: FieldId) =>
    root.current?.querySelector<HTMLElement>(`[data-field="${id}"]`)?.focus()
  const next = (from: HTMLElement, dir = 1) => {
    const list = fields()
    const i = list.findIndex((el) => el === from || el.contains(from))
    list[(i + dir + list.length) % list.length]?.focus()
  }

  useEffect(() => {
    if (loaded) focusField('phone')
  }, [loaded])
  // Ready once the draft is in and the phone has the focus: keys typed since N land there.
  // Tab is the form's own (below): it visits the fields in call order and never leaves.
  useDialog(root, loaded)

  const before = useRef(form)
  useEffect(() => {
    const b = before.current
    before.current = form
    if (b && form) setErrors((e) => prune(e, b, form))
    // The number or the consent changed: the question no longer stands.
    if (b && form && (b.phone !== form.phone || b.callbackConsent !== form.callbackConsent))
      setConfirmEmpty(false)
  }, [form])

  const showAnswer = !!form && (form.kind === 'consultation' || reveal || form.answer.trim() !== '')

  const fail = (errs: { field: FieldId; message: string }[]) => {
    setErrors(Object.fromEntries(errs.map((e) => [e.field, e.message])))
    // After the render that may have just revealed the field.
    if (errs[0]) setTimeout(() => focusField(errs[0]!.field), 0)
  }

  const typeAhead = useTypeAhead()
  const save = async (answer: boolean, filled?: IntakeForm) => {
    const form = filled ?? draft.form
    if (!form || busyRef.current) return
    // Keys typed after Ctrl+Enter are for the queue (or the form, if refused): they wait.
    const saved = typeAhead.begin('saving')
    try {
      await saveNow(answer, form)
    } finally {
      saved()
    }
  }
  const saveNow = async (answer: boolean, form: IntakeForm) => {
    setGeneral(null)
    const errs = checkForm(form).map((e) => ({ field: e.field, message: e.message[lang] }))
    if (answer && !form.answer.trim()) {
      setReveal(true)
      errs.push({ field: 'answer', message: w('answerRequired') })
    } else if (!answer && form.answer.trim())
      errs.push({ field: 'answer', message: w('answerPending') })
    if (errs.length) return fail(errs)
    // No number but 同意回访 ticked: nobody could call back. Said once; Ctrl+Enter again confirms.
    if (needsNumberConfirm(form) && !confirmEmpty) {
      setConfirmEmpty(true)
      focusField('phone')
      return
    }
    setBusy(true)
    const r = await createTicket(api, form, lang, answer)
    setBusy(false)
    if (!r.ok) {
      if (r.field) return fail([{ field: r.field, message: r.message }])
      return setGeneral(r.message)
    }
    draft.finish()
    props.onDone(r.message, r.ticketId)
  }

  const link = async (i: number) => {
    const c = dups.value?.[i]
    if (!form || busyRef.current || !c) return
    setBusy(true)
    setLinking(c.row.id)
    setLinkError(null)
    const r = await linkToTicket(api, form, c, lang)
    setBusy(false)
    setLinking(null)
    if (!r.ok) return setLinkError(r.message)
    draft.finish()
    props.onDone(r.message, r.ticketId)
  }

  /** The form with the open entry's answer filled in (and the entry remembered for the answer). */
  const filledFrom = (f: IntakeForm): IntakeForm | null => {
    const v = kbEntry.view
    if (!v || !v.answerable || v.entry.id !== kbHit?.id) return null
    return {
      ...f,
      answer: spokenText(v.entry.answer),
      kbEntryId: v.entry.id,
      kbVersion: v.entry.version,
      kbTitle: v.entry.title,
      kind: f.kindSet ? f.kind : 'consultation',
    }
  }
  /** Keys while an entry is open beside the form: they are the entry's, not the fields'. */
  const onKbKey = (e: KeyboardEvent<HTMLDivElement>): boolean => {
    const n = kb.hits?.length ?? 0
    if (e.key === 'Escape') setKbOpen(null)
    else if (e.key === 'ArrowDown' || (e.altKey && e.code === 'KeyK'))
      setKbOpen((i) => ((i ?? 0) + 1) % Math.max(n, 1))
    else if (e.key === 'ArrowUp') setKbOpen((i) => ((i ?? 0) - 1 + n) % Math.max(n, 1))
    else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && form) {
      const filled = filledFrom(form)
      if (!filled) return true
      draft.update(() => filled)
      setKbOpen(null)
      if (e.altKey) void save(true, filled)
      else setTimeout(() => focusField('answer'), 0)
    } else return false
    return true
  }

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.nativeEvent.isComposing || e.defaultPrevented) return
    if (kbOpenRef.current !== null && onKbKey(e)) {
      e.preventDefault()
      e.stopPropagation()
      return
    }
    const target = e.target as HTMLElement
    const digit = /^Digit([1-9])$/.exec(e.code)
    if (e.altKey && e.code === 'KeyK') {
      if (kb.hits?.length) setKbOpen(0)
    } else if (e.key === 'Escape') {
      draft.flush()
      props.onClose()
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void save(false)
    else if (e.key === 'Enter' && e.altKey) void save(true)
    else if (e.altKey && digit) void link(Number(digit[1]) - 1)
    else if (e.altKey && e.code === 'KeyD' && draft.previous) draft.swapPrevious()
    else if (e.altKey && e.code === 'KeyA' && proposals.categories[0]) {
      const code = proposals.categories[0].code
      draft.update((x) => withCategory(x, props.names, code))
    } else if (e.key === 'Tab' && !e.ctrlKey && !e.altKey) {
      // The dialog keeps the focus: field to field in call order, past the last the first again.
      next(target, e.shiftKey ? -1 : 1)
    } else if (
      e.key === 'Enter' &&
      !e.shiftKey &&
      !e.altKey &&
      target.tagName !== 'TEXTAREA' &&
      target.dataset.field
    )
      next(target)
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  const call = props.call
  return (
    <div className="intake" role="dialog" aria-label={w('title')} ref={root} onKeyDown={onKey}>
      <header className="intake-head">
        <h2>{w('title')}</h2>
        <span className="call">
          {call
            ? `${w('ringing')} ${maskPhone(call.phone) ?? w('withheld')} · ${formatTime(call.at)}`
            : w('newCall')}
        </span>
        {draft.restored && <span className="notice">{w('draftRestored')}</span>}
        {draft.previous && (
          <span className="notice">
            {w('previousKept')} · <kbd>Alt+D</kbd> {w('restorePrevious')}
          </span>
        )}
        <span className="spacer" />
        {busy && <span className="muted">{w('saving')}</span>}
        {draft.savedAt && (
          <span className="saved" data-testid="draft-saved">
            {w('draftSaved')} {clockTime(draft.savedAt, props.names.data.calendar.timeZone)}
          </span>
        )}
      </header>
      <div className="intake-body">
        {form ? (
          <IntakeFields
            form={form}
            update={draft.update}
            names={props.names}
            errors={errors}
            confirmEmpty={confirmEmpty}
            showAnswer={showAnswer}
            next={next}
            proposals={proposals}
          />
        ) : (
          <p className="muted intake-form">{w('loading')}</p>
        )}
        <aside className="intake-aside">
          {form && digitsOf(form.phone) >= 7 && (
            <CallerHistory
              phone={normalizePhone(form.phone.trim())}
              lookup={history}
              names={props.names}
            />
          )}
          <KbSuggestPanel
            lookup={kb}
            names={props.names}
            open={kbOpen}
            view={kbEntry.view}
            usedTitle={form?.kbEntryId && form.answer.trim() ? form.kbTitle : null}
          />
          <DuplicatePanel lookup={dups} names={props.names} linking={linking} error={linkError} />
        </aside>
      </div>
      {general && (
        <p className="error intake-general" role="alert">
          {general}
        </p>
      )}
      <IntakeKeys />
    </div>
  )
}
