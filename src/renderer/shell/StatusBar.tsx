// Always at the bottom: who is logged in, the connection, changes waiting and refused, and the
// first sync's progress — the truth about this console's state, in one line.
import type { ReactNode } from 'react'
import type { Session, SyncStatus } from '../../shared/api'
import { ROLE_LABELS } from '../../shared/labels'
import { useT } from '../i18n'

export function StatusBar(props: {
  session: Session | null
  status: SyncStatus | null
  onRejected(): void
  /** More at the right end, before the hint (the alerts' bell). */
  extra?: ReactNode
}) {
  const t = useT()
  const { session, status } = props
  const snap = status?.snapshot
  return (
    <footer className="status-bar" role="status" aria-live="polite">
      {session && (
        <span className="user" data-testid="status-user">
          {session.user.displayName} · {t(ROLE_LABELS[session.user.role])}
        </span>
      )}
      {!session && (
        // Not logged in, the console does not sync: that is the truth to tell, not 离线 (the
        // server may well be up; logging in says if it cannot be reached).
        <span className="conn conn-none" data-testid="status-connection" data-state="logged_out">
          ○ {t('loggedOut')}
        </span>
      )}
      {status && (
        <>
          {session && (
            <span
              className={`conn conn-${status.state}`}
              data-testid="status-connection"
              data-state={status.state}
            >
              ● {t(status.state)}
            </span>
          )}
          <span data-testid="status-pending">
            {t('pending')} {status.pending}
          </span>
          <button
            type="button"
            className={status.rejected > 0 ? 'rejected has' : 'rejected'}
            data-testid="status-rejected"
            onClick={props.onRejected}
          >
            {t('rejected')} {status.rejected}
          </button>
          {snap && (
            <span data-testid="status-snapshot" data-usable={snap.usable ? 'yes' : 'no'}>
              {t('firstSync')} {snap.loaded}
              {snap.total != null ? ` / ${snap.total}` : ''}
              {snap.usable && ` · ${t('firstSyncUsable')}`}
            </span>
          )}
          {session && status.lastError && status.state === 'offline' && (
            <span className="muted" title={status.lastError}>
              {status.lastError.slice(0, 60)}
            </span>
          )}
        </>
      )}
      <span className="spacer" />
      {props.extra}
      <span className="muted">{t('commandHint')}</span>
    </footer>
  )
}
