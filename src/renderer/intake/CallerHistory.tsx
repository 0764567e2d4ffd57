// The caller's earlier tickets beside the form: number, date, status, category, what they said —
// newest first — so the agent knows at once whether this is a first call or a fifth one.
import { maskPhone, type TicketRow } from '../../shared/api'
import { STATUS_LABELS } from '../../shared/labels'
import { formatTime, useLang, useT } from '../i18n'
import type { Names } from '../state/reference'
import type { Lookup } from './use-lookups'
import { useWords } from './words'

const countText = (n: number, lang: 'zh' | 'en') =>
  lang === 'zh' ? `${n} 张工单` : `${n} ticket${n === 1 ? '' : 's'}`

export function CallerHistory(props: { phone: string; lookup: Lookup<TicketRow[]>; names: Names }) {
  const w = useWords()
  const t = useT()
  const lang = useLang()
  const rows = props.lookup.value
  const lastName = rows?.find((r) => r.callerName)?.callerName ?? null
  return (
    <section className="intake-side history" aria-label={w('history')} data-testid="caller-history">
      <h3>
        {w('history')}
        <span className="muted">
          {' '}
          · {maskPhone(props.phone)}
          {rows && rows.length > 0 && ` · ${countText(rows.length, lang)}`}
        </span>
        {props.lookup.loading && <span className="spinner" aria-hidden />}
      </h3>
      {props.lookup.error && <p className="error">{props.lookup.error}</p>}
      {!rows && !props.lookup.error && !props.lookup.loading && (
        <p className="muted side-empty">{w('historyWait')}</p>
      )}
      {rows && rows.length === 0 && (
        <p className="first-call" data-testid="first-call">
          {w('firstCall')}
        </p>
      )}
      {lastName && (
        <p className="muted side-note">
          {w('lastName')}
          {lang === 'zh' ? '：' : ': '}
          {lastName}
        </p>
      )}
      {rows && rows.length > 0 && (
        <ol className="side-list">
          {rows.map((r) => (
            <li key={r.id} data-ticket-id={r.id}>
              <div className="line">
                <span className={`num ${r.provisional ? 'provisional' : ''}`}>{r.number}</span>
                <span className="muted">{formatTime(r.createdAt)}</span>
                <span className={`status s-${r.status}`}>{t(STATUS_LABELS[r.status])}</span>
                <span className="cat">{props.names.category(r.category, lang)}</span>
              </div>
              <div className="summary">{r.summary}</div>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
