// Tickets that look like the same problem, each with the key that links this call to it
// (Alt+1 … Alt+9) instead of logging a new ticket.
import type { DuplicateCandidate } from '../../shared/api'
import { STATUS_LABELS } from '../../shared/labels'
import { formatTime, useLang, useT } from '../i18n'
import type { Names } from '../state/reference'
import type { Lookup } from './use-lookups'
import { useWords, type WordKey } from './words'

const REASONS: Record<string, WordKey> = {
  address: 'reasonAddress',
  category: 'reasonCategory',
  text: 'reasonText',
  phone: 'reasonPhone',
}

export function DuplicatePanel(props: {
  lookup: Lookup<DuplicateCandidate[]>
  names: Names
  /** The candidate being linked, while the note is on its way. */
  linking: string | null
  error: string | null
}) {
  const w = useWords()
  const t = useT()
  const lang = useLang()
  const list = props.lookup.value
  return (
    <section
      className="intake-side duplicates"
      aria-label={w('duplicates')}
      data-testid="duplicates"
    >
      <h3>
        {w('duplicates')}
        {list && list.length > 0 && <span className="count">{list.length}</span>}
        {props.lookup.loading && <span className="spinner" aria-hidden />}
      </h3>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {props.lookup.error && <p className="error">{props.lookup.error}</p>}
      {!list && !props.lookup.error && !props.lookup.loading && (
        <p className="muted side-empty">{w('dupWait')}</p>
      )}
      {list && list.length === 0 && <p className="muted side-empty">{w('noDuplicates')}</p>}
      {list && list.length > 0 && (
        <>
          <ol className="side-list">
            {list.map((c, i) => (
              <li
                key={c.row.id}
                data-ticket-id={c.row.id}
                className={props.linking === c.row.id ? 'linking' : ''}
              >
                <div className="line">
                  <kbd>Alt+{i + 1}</kbd>
                  <span className={`num ${c.row.provisional ? 'provisional' : ''}`}>
                    {c.row.number}
                  </span>
                  <span className={`status s-${c.row.status}`}>
                    {t(STATUS_LABELS[c.row.status])}
                  </span>
                  <span className="muted">{formatTime(c.row.createdAt)}</span>
                  <span className="reasons">
                    {c.reasons.map((r) => (
                      <span key={r} className="reason">
                        {REASONS[r] ? w(REASONS[r]) : r}
                      </span>
                    ))}
                  </span>
                </div>
                <div className="addr">
                  {c.row.district ? `${props.names.district(c.row.district, lang)} · ` : ''}
                  {c.row.address}
                  <span className="cat"> · {props.names.category(c.row.category, lang)}</span>
                </div>
                <div className="summary">{c.row.summary}</div>
              </li>
            ))}
          </ol>
          <p className="hint">{w('linkHint')}</p>
        </>
      )}
    </section>
  )
}
