// 派单: suggested units first, each with why (triage: the routing rules, organisations named,
// the place, the centre's history and returns), type-ahead by Chinese, pinyin or pinyin
// initials, the deadlines the dispatch would set, Enter to dispatch. Issue 16: the same dialog
// dispatches down a level (a sub-centre to its streets and bureaus, a street to its communities)
// and re-routes (改派, with a reason); Shift+Enter adds the highlighted unit as assisting (协办).
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { TicketDetail } from '../../shared/api'
import type { TriageReason } from '../../shared/triage'
import { computeDeadlines, nestedDeadlines } from '../../shared/deadlines'
import { assignmentOf, chainOf, liveChild, topAssignment } from '../../shared/assignments'
import { dispatchTargets, subCentreOf } from '../../shared/dispatch-targets'
import { colon, formatTime, stop, useLang, useT } from '../i18n'
import { errorText, useApi } from '../state/api'
import { useTypeAhead } from '../input/type-ahead'
import { useDialog } from '../input/use-dialog'
import { placeText, type Names } from '../state/reference'
import { ProvisionalBadge } from './ProvisionalBadge'
import { UnitReasons, useTriageUnits } from './UnitReasons'

interface Choice {
  code: string
  name: string
  reasons: TriageReason[]
}

/** The city's dispatch, a level's dispatch down, or a re-route (issue 16). */
export type DispatchMode = 'dispatch' | 'down' | 'reroute'

const SUB_CENTRE_REASON: TriageReason = {
  kind: 'place',
  zh: '属地分中心签收后下派',
  en: 'the district sub-centre signs and dispatches down',
}

export function DispatchDialog(props: {
  /** One ticket, or a selection: all go to the unit chosen (suggestions follow the first). */
  targets: TicketDetail[]
  names: Names
  mode?: DispatchMode
  /** The user's unit, for unit staff: whom it may dispatch to. */
  unit?: string | null
  onClose(): void
  onDone(message: string): void
}) {
  const { targets, names } = props
  const mode = props.mode ?? 'dispatch'
  const from = props.unit ?? null
  const detail = targets[0]!
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const [query, setQuery] = useState('')
  const [instructions, setInstructions] = useState('')
  const [reason, setReason] = useState('')
  const [assisting, setAssisting] = useState<string[]>([])
  const [at, setAt] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const root = useRef<HTMLDivElement>(null)
  const typeAhead = useTypeAhead()
  const busyRef = useRef(false)
  const tk = detail.ticket
  const triaged = useTriageUnits(names, tk)
  const chain = chainOf(tk)
  // The unit's own level: whom it may dispatch to, and the time it has to share.
  const own = from ? assignmentOf(chain, from) : undefined
  const allowed = useMemo(
    () => (from ? new Set(dispatchTargets(names.data, from).map((u) => u.code)) : null),
    [names, from],
  )
  // A re-route goes elsewhere than where the ticket is now.
  const current =
    mode !== 'reroute'
      ? undefined
      : own
        ? liveChild(chain, own.id)?.unit
        : topAssignment(chain)?.unit
  const suggested = useMemo(() => {
    if (allowed) {
      const fit = triaged.filter((s) => allowed.has(s.code))
      if (fit.length) return fit
      return [...allowed].slice(0, 12).map((code) => ({ code, reasons: [] as TriageReason[] }))
    }
    // The city is offered the district's sub-centre first, then what triage ranks.
    const centre = subCentreOf(names.data, tk.location.district)
    const rest = triaged.filter((s) => s.code !== centre?.code && s.code !== current)
    return centre && centre.code !== current
      ? [{ code: centre.code, reasons: [SUB_CENTRE_REASON] }, ...rest]
      : rest
  }, [triaged, allowed, names, tk, current])

  useEffect(() => input.current?.focus(), [])
  const trap = useDialog(root)

  const choices: Choice[] = useMemo(() => {
    const name = (code: string) => names.unit(code, lang)
    const bySuggestion = new Map(suggested.map((s) => [s.code, s.reasons]))
    if (!query.trim())
      return suggested.map((s) => ({ code: s.code, name: name(s.code), reasons: s.reasons }))
    const hits = names.units
      .search(query, allowed ? 400 : 40)
      .filter((u) => (!allowed || allowed.has(u.code)) && u.code !== current)
    // Suggested units keep their place at the top when they match what was typed.
    const ranked = [
      ...hits.filter((u) => bySuggestion.has(u.code)),
      ...hits.filter((u) => !bySuggestion.has(u.code)),
    ]
    return ranked
      .slice(0, 12)
      .map((u) => ({ code: u.code, name: name(u.code), reasons: bySuggestion.get(u.code) ?? [] }))
  }, [query, suggested, names, lang])

  useEffect(() => setAt(0), [query])

  const preview = useMemo(() => {
    try {
      // Down a level: a share of the time the level above has left (nested deadlines).
      if (mode !== 'dispatch' && own && from)
        return {
          ...nestedDeadlines(tk, Date.now(), own.dueAt, names.data.deadlines, names.calendar),
          provisional: false,
        }
      return computeDeadlines(tk, Date.now(), names.data.deadlines, names.calendar)
    } catch {
      return null
    }
  }, [tk, names, mode, own, from])

  const submit = async () => {
    const choice = choices[at]
    if (!choice || busyRef.current) return
    busyRef.current = true
    // Keys typed after Enter wait for the dispatch (and the dialog closing).
    const saved = typeAhead.begin('saving')
    try {
      await apply(choice)
    } finally {
      busyRef.current = false
      saved()
    }
  }

  const apply = async (choice: Choice) => {
    const done: string[] = []
    const parts = assisting.filter((c) => c !== choice.code)
    for (const d of targets) {
      const args = {
        ticketId: d.ticket.id,
        unit: choice.code,
        ...(instructions.trim() ? { instructions } : {}),
        ...(parts.length ? { assisting: parts } : {}),
      }
      const r = await api.call(
        'ticket.act',
        mode === 'down'
          ? { name: 'ticket.dispatchDown', args }
          : mode === 'reroute'
            ? { name: 'ticket.reroute', args: { ...args, reason: reason.trim() || null } }
            : { name: 'ticket.dispatch', args },
      )
      if (!r.ok) {
        const before = done.length ? `${t('doneFor')} ${done.join('、')}${stop(lang)}` : ''
        return setError(`${before}${d.displayNumber}${colon(lang)}${errorText(r.error, lang)}`)
      }
      done.push(d.displayNumber)
    }
    const what = targets.length > 1 ? `${targets.length} ${t('tickets')}` : detail.displayNumber
    props.onDone(`${what} → ${choice.name}`)
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setAt((i) => Math.min(i + 1, choices.length - 1))
    else if (e.key === 'ArrowUp') setAt((i) => Math.max(i - 1, 0))
    else if (e.key === 'Enter' && !e.shiftKey) void submit()
    else if (e.key === 'Enter' && e.shiftKey) {
      // 协办: the highlighted unit joins (or leaves) the assisting units.
      const c = choices[at]
      if (c)
        setAssisting((xs) =>
          xs.includes(c.code) ? xs.filter((x) => x !== c.code) : [...xs, c.code],
        )
    } else if (e.key === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      className="dialog"
      role="dialog"
      aria-label={t(
        mode === 'reroute' ? 'rerouteTo' : mode === 'down' ? 'dispatchDownTo' : 'dispatchTo',
      )}
      tabIndex={-1}
      ref={root}
      onKeyDown={onKey}
      onKeyDownCapture={trap.onKeyDownCapture}
    >
      <h2>
        {detail.displayNumber} · {names.category(tk.category, lang)}
        {targets.length > 1 && ` · ${t('bulk')} ${targets.length} ${t('tickets')}`}
      </h2>
      {targets.length > 1 && (
        <p className="muted targets">{targets.map((d) => d.displayNumber).join('、')}</p>
      )}
      <p className="place muted">
        {t('address')}
        {colon(lang)}
        {placeText(names, tk.location, lang)}
      </p>
      {mode === 'reroute' && (
        <label>
          {t('rerouteReason')}
          <input value={reason} onChange={(e) => setReason(e.target.value)} aria-label="reason" />
        </label>
      )}
      <label>
        {t(mode === 'reroute' ? 'rerouteTo' : mode === 'down' ? 'dispatchDownTo' : 'dispatchTo')}
        <input
          ref={input}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          aria-label="unit"
        />
      </label>
      <ul className="choices" role="listbox">
        {choices.map((c, i) => (
          <li
            key={c.code}
            role="option"
            aria-selected={i === at}
            className={i === at ? 'active' : ''}
            onMouseDown={(e) => {
              e.preventDefault()
              setAt(i)
            }}
          >
            {c.name} <span className="muted">{c.code}</span>
            {assisting.includes(c.code) && <span className="assist-tag">{t('assisting')}</span>}
            <UnitReasons reasons={c.reasons} />
          </li>
        ))}
      </ul>
      {assisting.length > 0 && (
        <p className="assisting" aria-label="assisting">
          {t('assisting')}
          {colon(lang)}
          {assisting.map((c) => names.unit(c, lang)).join('、')}
        </p>
      )}
      <label>
        {t('instructions')}
        <input
          value={instructions}
          onChange={(e) => setInstructions(e.target.value)}
          aria-label="instructions"
        />
      </label>
      {preview && (
        <p className="muted">
          {t('deadlinePreview')}
          {colon(lang)}
          {t('signBy')} {formatTime(preview.signBy)} · {t('dueAt')} {formatTime(preview.dueAt)}
          {preview.provisional && <ProvisionalBadge />}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="hint">
        {t('enterToConfirm')} · {t('shiftEnterAssisting')}
      </p>
    </div>
  )
}
