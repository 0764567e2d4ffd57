// Alerts the desktop could not show (permission not given, or refused), shown in the page
// instead: newest on top, gone after a while, a click opens the ticket. And the status bar's bell.
import type { Alert } from '../../shared/alerts'
import { useWords } from '../settings/words'
import type { AlertsState } from './use-alerts'
import './alerts.css'

export function AlertToasts(props: { alerts: AlertsState; onOpen(alert: Alert): void }) {
  const w = useWords()
  const { toasts, desktop, dismiss } = props.alerts
  if (toasts.length === 0) return null
  return (
    <div className="alert-toasts" role="alert" data-testid="alert-toasts">
      {toasts.map((a) => (
        <button
          type="button"
          key={a.id}
          className={`alert-toast kind-${a.kind}`}
          data-alert-id={a.id}
          onClick={() => {
            dismiss(a.id)
            props.onOpen(a)
          }}
        >
          <strong>{w(a.title)}</strong>
          <span>{w(a.body)}</span>
          {desktop === 'default' && <small className="muted">{w('enableHint')}</small>}
        </button>
      ))}
    </div>
  )
}

/** How many alerts came since the person last looked; opens the settings overlay. */
export function AlertBell(props: { alerts: AlertsState; onOpen(): void }) {
  const w = useWords()
  const { unread } = props.alerts
  return (
    <button
      type="button"
      className={`alert-bell ${unread > 0 ? 'has' : ''}`}
      data-testid="status-alerts"
      title={`${w('bell')} (Ctrl+,)`}
      aria-label={`${w('bell')} ${unread}`}
      onClick={props.onOpen}
    >
      {w('bell')}
      {unread > 0 ? ` ${unread}` : ''}
    </button>
  )
}
