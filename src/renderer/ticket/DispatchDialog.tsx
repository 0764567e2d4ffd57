// 派单: suggested units first, each with why (triage: the routing rules, organisations named,
// the place, the centre's history and returns), type-ahead by Chinese, pinyin or pinyin
// initials, the deadlines the dispatch would set, Enter to dispatch.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { TicketDetail } from '../../shared/api'
import type { TriageReason } from '../../shared/triage'
import { computeDeadlines } from '../../shared/deadlines'
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

export function DispatchDialog(props: {
  /** One ticket, or a selection: all go to the unit chosen (suggestions follow the first). */
  targets: TicketDetail[]
  names: Names
  onClose(): void
  onDone(message: string): void
}) {
  const { targets, names } = props
  const detail = targets[0]!
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const [query, setQuery] = useState('')
  const [instructions, setInstructions] = useState('')
  const [at, setAt] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  const root = useRef<HTMLDivElement>(null)
  const typeAhead = useTypeAhead()
  const busyRef = useRef(false)
  const tk = detail.ticket
  const suggested = useTriageUnits(names, tk)

  useEffect(() => input.current?.focus(), [])
  const trap = useDialog(root)

  const choices: Choice[] = useMemo(() => {
    const name = (code: string) => names.unit(code, lang)
    const bySuggestion = new Map(suggested.map((s) => [s.code, s.reasons]))
    if (!query.trim())
      return suggested.map((s) => ({ code: s.code, name: name(s.code), reasons: s.reasons }))
    const hits = names.units.search(query, 40)
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
      return computeDeadlines(tk, Date.now(), names.data.deadlines, names.calendar)
    } catch {
      return null
    }
  }, [tk, names])

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
    for (const d of targets) {
      const r = await api.call('ticket.act', {
        name: 'ticket.dispatch',
        args: {
          ticketId: d.ticket.id,
          unit: choice.code,
          ...(instructions.trim() ? { instructions } : {}),
        },
      })
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
    else if (e.key === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      className="dialog"
      role="dialog"
      aria-label={t('dispatchTo')}
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
      <label>
        {t('dispatchTo')}
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
            <UnitReasons reasons={c.reasons} />
          </li>
        ))}
      </ul>
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
      <p className="hint">{t('enterToConfirm')}</p>
    </div>
  )
}
