// One dialog for every form in action-forms.ts: the fields in order, choices picked by their key,
// Ctrl+Enter to apply (to every ticket it was opened on), Esc to cancel. A refusal by the rules
// or a field the schema rejects appears in place, next to the field it names; nothing typed is
// lost until the action succeeds.
//
// One rule for choices (as the hint says): a digit chooses — on the choice the focus is on, or
// the form's first when the form itself has it — and moves on to the next field; it never saves.
// Only Ctrl+Enter saves. Every field, choices included, is reached by Tab, which stays inside.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useTypeAhead } from '../input/type-ahead'
import { useDialog } from '../input/use-dialog'
import { maskPhone, type TicketDetail } from '../../shared/api'
import { WorkCalendar } from '../../shared/calendar'
import { colon, stop, useLang, useT } from '../i18n'
import { errorText, useApi } from '../state/api'
import type { Names } from '../state/reference'
import { FORMS, type FormField, type FormId } from './action-forms'
import { CategoryField, TicketField } from './PickerFields'
import { cityInputToIso, isoToCityInput } from './city-time'

export interface ActionDone {
  form: FormId
  values: Record<string, unknown>
  targets: TicketDetail[]
}

type Values = Record<string, string | boolean | null>

function initialValues(id: FormId, d: TicketDetail, names: Names): Values {
  const tk = d.ticket
  const cal = new WorkCalendar(names.data.calendar)
  switch (id) {
    case 'update':
      return {
        category: tk.category,
        urgency: tk.urgency,
        address: tk.location.address,
        description: tk.description,
        publishable: tk.publishable === true,
      }
    case 'reply':
      return { resolved: true, text: '' }
    case 'requestExtension': {
      const from = Math.max(Date.parse(tk.dueAt ?? '') || Date.now(), Date.now())
      return { until: isoToCityInput(cal.addWorkingDays(from, 3), cal), reason: '' }
    }
    default:
      return {}
  }
}

/** The action's args for one ticket from what was typed. */
function argsFor(id: FormId, d: TicketDetail, v: Values, cal: WorkCalendar) {
  const form = FORMS[id]
  const args: Record<string, unknown> = { ticketId: d.ticket.id, ...form.fixed }
  if (id === 'update') {
    const tk = d.ticket
    const patch: Record<string, unknown> = {}
    if (v.category && v.category !== tk.category) patch.category = v.category
    if (v.urgency && v.urgency !== tk.urgency) patch.urgency = v.urgency
    if (typeof v.description === 'string' && v.description !== tk.description)
      patch.description = v.description
    if (typeof v.address === 'string' && v.address !== tk.location.address)
      patch.location = { ...tk.location, address: v.address }
    if (typeof v.publishable === 'boolean' && v.publishable !== (tk.publishable === true))
      patch.publishable = v.publishable
    return { ...args, patch }
  }
  for (const f of form.fields) {
    const value = v[f.name]
    if (f.kind === 'datetime')
      args[f.name] = typeof value === 'string' ? cityInputToIso(value, cal) : value
    else if (value !== undefined && value !== '') args[f.name] = value
  }
  return args
}

export function ActionDialog(props: {
  form: FormId
  targets: TicketDetail[]
  names: Names
  onClose(): void
  onDone(done: ActionDone, message: string): void
}) {
  const { names, targets } = props
  const form = FORMS[props.form]
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const first = targets[0]!
  const [values, setValues] = useState<Values>(() => initialValues(props.form, first, names))
  const [error, setError] = useState<{ text: string; field: string | null } | null>(null)
  const box = useRef<HTMLDivElement>(null)
  const cal = useMemo(() => new WorkCalendar(names.data.calendar), [names])
  const set = (name: string, value: string | boolean | null) =>
    setValues((v) => ({ ...v, [name]: value }))
  const typeAhead = useTypeAhead()
  const [focused, setFocused] = useState(false)
  const trap = useDialog(box, focused)

  // Focus: the first field, a choice included (its digits then choose straight away).
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('[data-field]')?.focus()
    setFocused(true)
  }, [form])
  const fieldEls = () =>
    Array.from(box.current?.querySelectorAll<HTMLElement>('[data-field]') ?? [])

  // Read at once: a second Ctrl+Enter before the re-render must not apply twice.
  const busyRef = useRef(false)
  const submit = async () => {
    if (busyRef.current) return
    const v = values
    for (const f of form.fields) {
      const missing =
        (f.kind === 'text' && f.required && !String(v[f.name] ?? '').trim()) ||
        ((f.kind === 'choice' || f.kind === 'ticket' || f.kind === 'datetime') &&
          (v[f.name] === undefined || v[f.name] === null || v[f.name] === ''))
      if (missing) {
        setError({ text: `${t(f.label)}${colon(lang)}${t('required')}`, field: f.name })
        box.current?.querySelector<HTMLElement>(`[data-field="${f.name}"]`)?.focus()
        return
      }
    }
    busyRef.current = true
    setError(null)
    // Keys typed after Ctrl+Enter are for what comes after the save: they wait for it.
    const saved = typeAhead.begin('saving')
    try {
      await apply(v)
    } finally {
      busyRef.current = false
      saved()
    }
  }

  const apply = async (v: Values) => {
    const done: string[] = []
    for (const d of targets) {
      const r = await api.call('ticket.act', {
        name: form.action,
        args: argsFor(props.form, d, v, cal),
      })
      if (!r.ok) {
        const field = r.error.field?.split('.').pop() ?? null
        const prefix = targets.length > 1 ? `${d.displayNumber}${colon(lang)}` : ''
        // Tickets before this one are done: say which, and keep the dialog for the rest.
        const partial = done.length ? `${t('doneFor')} ${done.join('、')}${stop(lang)}` : ''
        return setError({ text: `${partial}${prefix}${errorText(r.error, lang)}`, field })
      }
      done.push(d.displayNumber)
    }
    const what = targets.length > 1 ? `${targets.length} ${t('tickets')}` : first.displayNumber
    props.onDone(
      { form: props.form, values: v, targets },
      `${what} · ${t(form.title)} · ${t('done')}`,
    )
  }

  const onKey = (e: KeyboardEvent) => {
    const inText = e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLInputElement
    const plain = !e.ctrlKey && !e.altKey && !e.metaKey
    if (e.key === 'Escape') props.onClose()
    else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit()
    else if (!inText && plain && pickChoice(e.key, e.target as HTMLElement)) {
      // handled
    } else return
    e.preventDefault()
    e.stopPropagation()
  }

  /**
   * A key on a choice (or on the form itself: its first choice): a digit picks its option and
   * moves on to the next field; arrows step through the options. Never saves.
   */
  const pickChoice = (key: string, at: HTMLElement): boolean => {
    const name = at.closest<HTMLElement>('fieldset[data-field]')?.dataset.field
    const f = form.fields.find((x) => x.kind === 'choice' && (name ? x.name === name : true))
    if (!f || f.kind !== 'choice') return false
    const current = f.options.findIndex((o) => o.value === values[f.name])
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[key]
    if (step !== undefined) {
      const n = f.options.length
      set(f.name, f.options[(Math.max(current, 0) + step + n) % n]!.value)
      return true
    }
    const o = f.options.find((x) => x.key === key)
    if (!o) return false
    set(f.name, o.value)
    // On to the next field to type the rest (the remark, the reason).
    const list = fieldEls()
    const i = list.findIndex((el) => el.dataset.field === f.name)
    list[i + 1]?.focus()
    return true
  }

  return (
    <div
      className={`dialog action-dialog${form.destructive ? ' destructive' : ''}`}
      role="dialog"
      aria-label={t(form.title)}
      data-form={props.form}
      tabIndex={-1}
      ref={box}
      onKeyDown={onKey}
      onKeyDownCapture={trap.onKeyDownCapture}
    >
      <h2>
        {t(form.title)} ·{' '}
        {targets.length > 1
          ? `${targets.length} ${t('tickets')}`
          : `${first.displayNumber} · ${names.category(first.ticket.category, lang)}`}
      </h2>
      {targets.length > 1 && (
        <p className="muted targets">{targets.map((d) => d.displayNumber).join('、')}</p>
      )}
      {props.form === 'callback' && <NumberToCall detail={first} />}
      {form.fields.map((f) => (
        <Field
          key={f.name}
          field={f}
          value={values[f.name] ?? null}
          onChange={(v) => set(f.name, v)}
          invalid={error?.field === f.name}
          names={names}
          exclude={targets.map((d) => d.ticket.id)}
          cal={cal}
        />
      ))}
      {error && (
        <p className="error" role="alert">
          {error.text}
        </p>
      )}
      <p className="hint">
        {form.fields.some((f) => f.kind === 'choice') && `${t('choiceKeys')} · `}
        {t('ctrlEnterToSave')}
        {form.destructive && ` · ${t('cannotUndo')}`}
      </p>
    </div>
  )
}

/**
 * The callback form shows the caller's full number to be dialled, to whoever may see it (the
 * rules offer them `ticket.viewPhone`); opening the form records that view (ticket-actions.ts).
 */
function NumberToCall({ detail }: { detail: TicketDetail }) {
  const t = useT()
  const lang = useLang()
  const c = detail.ticket.caller
  const full = detail.allowed.includes('ticket.viewPhone')
  const phone = full ? c.phone : maskPhone(c.phone)
  return (
    <p className="number-to-call">
      {t('numberToCall')}
      {colon(lang)}
      <strong className="caller-phone">{phone ?? t('noPhone')}</strong>
      {c.anonymous ? ` · ${t('anonymous')}` : c.name ? ` · ${c.name}` : ''}
    </p>
  )
}

function Field(props: {
  field: FormField
  value: string | boolean | null
  onChange(v: string | boolean | null): void
  invalid: boolean
  names: Names
  exclude: string[]
  cal: WorkCalendar
}) {
  const { field: f, value, onChange } = props
  const t = useT()
  const common = { 'data-field': f.name, 'aria-invalid': props.invalid || undefined }
  switch (f.kind) {
    case 'text':
      return (
        <label>
          {t(f.label)}
          {f.multiline ? (
            <textarea
              {...common}
              rows={3}
              value={typeof value === 'string' ? value : ''}
              onChange={(e) => onChange(e.target.value)}
            />
          ) : (
            <input
              {...common}
              value={typeof value === 'string' ? value : ''}
              onChange={(e) => onChange(e.target.value)}
            />
          )}
        </label>
      )
    case 'datetime':
      return (
        <label>
          {t(f.label)} <span className="muted">YYYY-MM-DD HH:MM</span>
          <input
            {...common}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => onChange(e.target.value)}
          />
        </label>
      )
    case 'choice':
      // One stop for Tab; digits and arrows choose while it has the focus (ActionDialog).
      return (
        <fieldset
          className="choice"
          {...common}
          role="radiogroup"
          aria-label={t(f.label)}
          tabIndex={0}
          data-value={value === null ? undefined : String(value)}
        >
          <legend>{t(f.label)}</legend>
          {f.options.map((o) => (
            <button
              type="button"
              key={String(o.value)}
              role="radio"
              aria-checked={value === o.value}
              className={value === o.value ? 'active' : ''}
              onClick={() => onChange(o.value)}
              tabIndex={-1}
            >
              <kbd>{o.key}</kbd> {t(o.label)}
            </button>
          ))}
        </fieldset>
      )
    case 'ticket':
      return (
        <TicketField
          label={t(f.label)}
          value={typeof value === 'string' ? value : null}
          exclude={props.exclude}
          onChange={onChange}
          common={common}
        />
      )
    case 'category':
      return (
        <CategoryField
          label={t(f.label)}
          value={typeof value === 'string' ? value : null}
          names={props.names}
          onChange={onChange}
          common={common}
        />
      )
  }
}
