// Ctrl+, : the person's settings — for now the alerts part (issue 6): which alerts they get as
// desktop notifications, how long a return or extension may wait, whether the desktop may show
// them at all, and the recent alerts. Keyboard first: ↑/↓ move, Space switches, ←/→ change the
// minutes, Enter opens an alert's ticket, Esc closes.
import { Fragment, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { ALERT_KINDS, alertKindsFor, type Alert, type AlertKind } from '../../shared/alerts'
import type { Role } from '../../shared/ticket'
import {
  WAITING_MINUTES,
  type NotificationSettings,
  type SettingsPatch,
} from '../../shared/settings'
import type { AlertsState } from '../alerts/use-alerts'
import { formatTime, useLang } from '../i18n'
import { errorText, useApi } from '../state/api'
import { KIND_LABELS, useWords, type WordKey } from './words'
import '../alerts/alerts.css'

type Row =
  | { type: 'allow' }
  | { type: 'kind'; kind: AlertKind; applies: boolean }
  | { type: 'minutes' }
  | { type: 'alert'; alert: Alert }

const STATE_WORDS: Record<AlertsState['desktop'], WordKey> = {
  system: 'stateSystem',
  granted: 'stateGranted',
  default: 'stateDefault',
  denied: 'stateDenied',
  unsupported: 'stateUnsupported',
}

const clampMinutes = (m: number) =>
  Math.min(WAITING_MINUTES.max, Math.max(WAITING_MINUTES.min, Math.round(m)))

export function SettingsOverlay(props: {
  role: Role
  alerts: AlertsState
  onClose(): void
  onOpenAlert(alert: Alert): void
}) {
  const api = useApi()
  const w = useWords()
  const lang = useLang()
  const { alerts } = props
  const [n, setN] = useState<NotificationSettings | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [at, setAt] = useState(0)
  const [minutesText, setMinutesText] = useState('')
  const box = useRef<HTMLDivElement>(null)
  const minutesInput = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void api.call('settings.get', {}).then((r) => {
      if (!r.ok) return setError(errorText(r.error, lang))
      setN(r.value.notifications)
      setMinutesText(String(r.value.notifications.waitingMinutes))
    })
    // Opening the overlay is looking at the alerts.
    alerts.markRead()
    alerts.refresh()
    box.current?.focus()
    // Once, on opening (markRead is stable).
  }, [api, alerts.markRead, alerts.refresh, lang])

  const applies = alertKindsFor(props.role)
  const rows: Row[] = [
    ...(alerts.desktop === 'default' ? [{ type: 'allow' } as const] : []),
    ...ALERT_KINDS.map((kind) => ({
      type: 'kind' as const,
      kind,
      applies: applies.includes(kind),
    })),
    ...(applies.includes('return_waiting') ? [{ type: 'minutes' } as const] : []),
    ...alerts.recent.map((alert) => ({ type: 'alert' as const, alert })),
  ]
  const usable = (r: Row | undefined) => r != null && (r.type !== 'kind' || r.applies)
  const active = rows[Math.min(at, rows.length - 1)]

  useEffect(() => {
    if (active?.type === 'minutes') minutesInput.current?.focus()
    else if (document.activeElement === minutesInput.current) box.current?.focus()
  }, [active?.type])

  const save = async (patch: SettingsPatch['notifications']) => {
    const r = await api.call('settings.set', { notifications: patch })
    if (!r.ok) return setError(`${w('saveFailed')}: ${errorText(r.error, lang)}`)
    setError(null)
    setN(r.value.notifications)
    setMinutesText(String(r.value.notifications.waitingMinutes))
  }

  const toggle = (row: Row | undefined) => {
    if (!row || !n) return
    if (row.type === 'allow') return void alerts.askDesktop()
    if (row.type !== 'kind' || !row.applies) return
    const on = !n[row.kind]
    void save({ [row.kind]: on })
    // Switching an alert on is the moment to ask for the desktop (a key press: a gesture).
    if (on && alerts.desktop === 'default') void alerts.askDesktop()
  }

  const move = (d: number) => {
    let i = Math.min(at, rows.length - 1)
    for (let step = 0; step < rows.length; step++) {
      i = (i + d + rows.length) % rows.length
      if (usable(rows[i])) return setAt(i)
    }
  }

  const onKey = (e: KeyboardEvent) => {
    const minutes = active?.type === 'minutes' && n
    if (e.key === 'ArrowDown') move(1)
    else if (e.key === 'ArrowUp') move(-1)
    else if (e.key === ' ' && active?.type !== 'minutes') toggle(active)
    else if (minutes && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
      const step = (e.shiftKey ? 60 : 5) * (e.key === 'ArrowRight' ? 1 : -1)
      void save({ waitingMinutes: clampMinutes(n.waitingMinutes + step) })
    } else if (e.key === 'Enter' && active?.type === 'alert') props.onOpenAlert(active.alert)
    else if (e.key === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      className="overlay settings"
      role="dialog"
      aria-label={w('title')}
      tabIndex={-1}
      ref={box}
      onKeyDown={onKey}
      data-testid="settings-overlay"
    >
      <h2>{w('title')}</h2>
      <p className="muted" data-testid="desktop-state" data-state={alerts.desktop}>
        {w('notifications')}：{w(STATE_WORDS[alerts.desktop])}
      </p>
      {error && <p className="error">{error}</p>}
      <ul className="settings-list">
        {rows.map((row, i) => {
          const cls = [i === at ? 'active' : '', usable(row) ? '' : 'disabled'].join(' ')
          const pick = () => usable(row) && setAt(i)
          if (row.type === 'allow')
            return (
              <li key="allow" className={cls} onClick={() => (pick(), toggle(row))}>
                {w('allow')}
              </li>
            )
          if (row.type === 'kind')
            return (
              <li
                key={row.kind}
                className={cls}
                role="switch"
                aria-checked={row.applies && n ? n[row.kind] : false}
                aria-disabled={!row.applies}
                data-kind={row.kind}
                onClick={() => (pick(), toggle(row))}
              >
                {w(KIND_LABELS[row.kind])}
                <span className="value">
                  {!row.applies ? w('notForRole') : n ? w(n[row.kind] ? 'on' : 'off') : '…'}
                </span>
              </li>
            )
          if (row.type === 'minutes')
            return (
              <li key="minutes" className={cls} onClick={pick}>
                <label htmlFor="waiting-minutes">{w('waitingMinutes')}</label>
                <input
                  id="waiting-minutes"
                  className="value"
                  ref={minutesInput}
                  type="number"
                  min={WAITING_MINUTES.min}
                  max={WAITING_MINUTES.max}
                  step={5}
                  value={minutesText}
                  onChange={(e) => {
                    setMinutesText(e.target.value)
                    const m = Number(e.target.value)
                    if (Number.isInteger(m) && m === clampMinutes(m))
                      void save({ waitingMinutes: m })
                  }}
                />
              </li>
            )
          return (
            <Fragment key={row.alert.id}>
              {rows[i - 1]?.type !== 'alert' && (
                <li className="heading" aria-hidden>
                  <h3>{w('recent')}</h3>
                </li>
              )}
              <li
                className={cls}
                data-alert-id={row.alert.id}
                onClick={() => props.onOpenAlert(row.alert)}
              >
                <time>{formatTime(row.alert.at)}</time>
                <strong>{w(row.alert.title)}</strong>
                <span className="muted">{w(row.alert.body)}</span>
              </li>
            </Fragment>
          )
        })}
      </ul>
      {alerts.recent.length === 0 && (
        <>
          <h3>{w('recent')}</h3>
          <p className="muted">{w('noRecent')}</p>
        </>
      )}
      <p className="hint">{w('keys')}</p>
    </div>
  )
}
