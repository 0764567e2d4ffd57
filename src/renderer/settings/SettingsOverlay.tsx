// Ctrl+, : the settings screen — the server address, language and theme, the alerts (which ones
// come as desktop notifications, how long a return or extension may wait, whether the desktop
// may show them at all), the data folder, signing out and wiping local data, and the recent
// alerts. Keyboard first: ↑/↓ move, Space or Enter switches or runs, ←/→ change the minutes,
// Enter opens an alert's ticket, Esc closes (or cancels the wipe's confirmation).
import { useDialog } from '../input/use-dialog'
import { Fragment, useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { ALERT_KINDS, alertKindsFor, type Alert, type AlertKind } from '../../shared/alerts'
import type { Role } from '../../shared/ticket'
import {
  WAITING_MINUTES,
  type NotificationSettings,
  type SettingsPatch,
} from '../../shared/settings'
import type { AlertsState } from '../alerts/use-alerts'
import { colon, formatTime, useLang } from '../i18n'
import { errorText, useApi } from '../state/api'
import type { CacheProtection } from '../../shared/settings'
import { DataRows, ServerRow, WipeConfirm } from './SettingsRows'
import { TriageModelInfo } from './TriageModelInfo'
import { KIND_LABELS, useWords, type WordKey } from './words'
import '../alerts/alerts.css'

export type Theme = 'light' | 'dark'

type Row =
  | { type: 'server' }
  | { type: 'lang' }
  | { type: 'theme' }
  | { type: 'logout' }
  | { type: 'wipe' }
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

const HEADINGS: Partial<Record<Row['type'], WordKey>> = {
  server: 'sectionServer',
  lang: 'sectionLanguage',
  theme: 'sectionTheme',
}

export function SettingsOverlay(props: {
  role: Role
  seat: { label: string; name: string | null }
  alerts: AlertsState
  theme: Theme
  onClose(): void
  onOpenAlert(alert: Alert): void
  toggleLang(): void
  toggleTheme(): void
  logout(): void
}) {
  const api = useApi()
  const w = useWords()
  const lang = useLang()
  const { alerts } = props
  const [n, setN] = useState<NotificationSettings | null>(null)
  const [serverUrl, setServerUrl] = useState('')
  const [dataDir, setDataDir] = useState('')
  const [cache, setCache] = useState<CacheProtection | null>(null)
  const [serverNote, setServerNote] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [at, setAt] = useState<number | null>(null)
  /** The wipe's confirmation step: how many unsent changes it would lose. */
  const [confirm, setConfirm] = useState<{ unsent: number } | null>(null)
  const serverInput = useRef<HTMLInputElement>(null)
  const [minutesText, setMinutesText] = useState('')
  const box = useRef<HTMLDivElement>(null)
  const minutesInput = useRef<HTMLInputElement>(null)

  useEffect(() => {
    void api.call('settings.get', {}).then((r) => {
      if (!r.ok) return setError(errorText(r.error, lang))
      setN(r.value.notifications)
      setMinutesText(String(r.value.notifications.waitingMinutes))
      setServerUrl(r.value.serverUrl ?? '')
      setDataDir(r.value.dataDir)
      setCache(r.value.cache)
    })
    // Opening the overlay is looking at the alerts.
    alerts.markRead()
    alerts.refresh()
    box.current?.focus()
    // Once, on opening (markRead is stable).
  }, [api, alerts.markRead, alerts.refresh, lang])

  const trap = useDialog(box)

  const applies = alertKindsFor(props.role)
  const rows: Row[] = [
    { type: 'server' },
    { type: 'lang' },
    { type: 'theme' },
    ...(alerts.desktop === 'default' ? [{ type: 'allow' } as const] : []),
    ...ALERT_KINDS.map((kind) => ({
      type: 'kind' as const,
      kind,
      applies: applies.includes(kind),
    })),
    ...(applies.includes('return_waiting') ? [{ type: 'minutes' } as const] : []),
    { type: 'logout' },
    { type: 'wipe' },
    ...alerts.recent.map((alert) => ({ type: 'alert' as const, alert })),
  ]
  const usable = (r: Row | undefined) => r != null && (r.type !== 'kind' || r.applies)
  // Opened for the alerts most often (the bell, a notification's hint): the cursor starts there.
  const firstAlertRow = rows.findIndex(
    (r) => r.type === 'allow' || (r.type === 'kind' && r.applies),
  )
  const alertsStart = rows.findIndex((r) => r.type === 'allow' || r.type === 'kind')
  const cursor = Math.min(at ?? Math.max(0, firstAlertRow), rows.length - 1)
  const active = rows[cursor]

  useEffect(() => {
    if (confirm) return
    const input =
      active?.type === 'minutes' ? minutesInput : active?.type === 'server' ? serverInput : null
    if (input) input.current?.focus()
    else if (
      document.activeElement === minutesInput.current ||
      document.activeElement === serverInput.current
    )
      box.current?.focus()
  }, [active?.type, confirm])

  const save = async (patch: SettingsPatch['notifications']) => {
    const r = await api.call('settings.set', { notifications: patch })
    if (!r.ok) return setError(`${w('saveFailed')}${colon(lang)}${errorText(r.error, lang)}`)
    setError(null)
    setN(r.value.notifications)
    setMinutesText(String(r.value.notifications.waitingMinutes))
  }

  const saveServer = async () => {
    const r = await api.call('settings.set', { serverUrl })
    if (!r.ok) return setServerNote(errorText(r.error, lang))
    // A new address has logged the person out: the login screen replaces this one.
    setServerNote(w('serverSaved'))
    setServerUrl(r.value.serverUrl ?? '')
  }

  const askWipe = async () => {
    const r = await api.call('sync.status', {})
    setConfirm({ unsent: r.ok ? r.value.pending : 0 })
  }

  const wipe = async (unsent: number) => {
    const r = await api.call('console.wipe', { force: unsent > 0 })
    // Done: the session ended and the login screen replaces this one.
    if (!r.ok) {
      setConfirm(null)
      setError(`${w('wipeFailed')}${colon(lang)}${errorText(r.error, lang)}`)
    }
  }

  const toggle = (row: Row | undefined) => {
    if (!row) return
    if (row.type === 'lang') return props.toggleLang()
    if (row.type === 'theme') return props.toggleTheme()
    if (row.type === 'logout') return props.logout()
    if (row.type === 'wipe') return void askWipe()
    if (row.type === 'server') return void saveServer()
    if (!n) return
    if (row.type === 'allow') return void alerts.askDesktop()
    if (row.type !== 'kind' || !row.applies) return
    const on = !n[row.kind]
    void save({ [row.kind]: on })
    // Switching an alert on is the moment to ask for the desktop (a key press: a gesture).
    if (on && alerts.desktop === 'default') void alerts.askDesktop()
  }

  const move = (d: number) => {
    let i = cursor
    for (let step = 0; step < rows.length; step++) {
      i = (i + d + rows.length) % rows.length
      if (usable(rows[i])) return setAt(i)
    }
  }

  const onKey = (e: KeyboardEvent) => {
    const minutes = active?.type === 'minutes' && n
    const typing = active?.type === 'minutes' || active?.type === 'server'
    if (confirm) {
      if (e.key === 'Enter') void wipe(confirm.unsent)
      else if (e.key === 'Escape') setConfirm(null)
      else return
    } else if (e.key === 'ArrowDown') move(1)
    else if (e.key === 'ArrowUp') move(-1)
    else if (e.key === ' ' && !typing) toggle(active)
    else if (e.key === 'Enter' && active && active.type !== 'alert' && active.type !== 'minutes')
      toggle(active)
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
      onKeyDownCapture={trap.onKeyDownCapture}
      data-testid="settings-overlay"
    >
      <h2>{w('title')}</h2>
      <p className="muted" data-testid="desktop-state" data-state={alerts.desktop}>
        {w('notifications')}：{w(STATE_WORDS[alerts.desktop])}
      </p>
      {(props.role === 'admin' || props.role === 'supervisor') && <TriageModelInfo />}
      {error && <p className="error">{error}</p>}
      {confirm && <WipeConfirm unsent={confirm.unsent} />}
      <ul className="settings-list" hidden={!!confirm}>
        {rows.map((row, i) => {
          const cls = [i === cursor ? 'active' : '', usable(row) ? '' : 'disabled'].join(' ')
          const pick = () => usable(row) && setAt(i)
          const heading = HEADINGS[row.type] ?? (i === alertsStart ? 'sectionAlerts' : null)
          const h = heading && (
            <li className="heading" aria-hidden>
              <h3>{w(heading)}</h3>
            </li>
          )
          if (row.type === 'server')
            return (
              <Fragment key="server">
                {h}
                <ServerRow
                  className={cls}
                  inputRef={serverInput}
                  value={serverUrl}
                  note={serverNote}
                  onPick={pick}
                  onChange={(v) => (setServerUrl(v), setServerNote(null))}
                />
              </Fragment>
            )
          if (row.type === 'lang' || row.type === 'theme') {
            const isLang = row.type === 'lang'
            const on = isLang ? lang === 'en' : props.theme === 'dark'
            return (
              <Fragment key={row.type}>
                {h}
                <li
                  className={cls}
                  role="switch"
                  aria-checked={on}
                  data-setting={row.type}
                  onClick={() => (pick(), toggle(row))}
                >
                  {w(isLang ? 'language' : 'theme')}
                  <span className="value">
                    {w(
                      isLang
                        ? lang === 'zh'
                          ? 'langZh'
                          : 'langEn'
                        : props.theme === 'dark'
                          ? 'themeDark'
                          : 'themeLight',
                    )}
                  </span>
                </li>
              </Fragment>
            )
          }
          if (row.type === 'logout' || row.type === 'wipe')
            return (
              <DataRows
                key={row.type}
                kind={row.type}
                className={cls}
                dataDir={dataDir}
                cache={cache}
                seat={props.seat}
                onRun={() => (pick(), toggle(row))}
              />
            )
          if (row.type === 'allow')
            return (
              <Fragment key="allow">
                {h}
                <li className={cls} onClick={() => (pick(), toggle(row))}>
                  {w('allow')}
                </li>
              </Fragment>
            )
          if (row.type === 'kind')
            return (
              <Fragment key={row.kind}>
                {h}
                <li
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
              </Fragment>
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
      {alerts.recent.length === 0 && !confirm && (
        <>
          <h3>{w('recent')}</h3>
          <p className="muted">{w('noRecent')}</p>
        </>
      )}
      <p className="hint">{w('keys')}</p>
    </div>
  )
}
