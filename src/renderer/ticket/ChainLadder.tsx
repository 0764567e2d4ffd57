// The chain of assignments as a compact ladder (issue 16): 市中心 → 京口区分中心 → 正东路街道 →
// 社区, each level with its state and deadline; the assisting units' parts below it, and the
// assignments recalled or returned on the way (the timeline has the whole story).
import type { Assignment } from '../../shared/assignments'
import { chainOf, ladder, partsOf } from '../../shared/assignments'
import type { Ticket } from '../../shared/ticket'
import type { Localized } from '../../shared/validation'
import { formatTime, useLang, useT } from '../i18n'
import type { Names } from '../state/reference'

const STATE: Record<Assignment['state'], Localized> = {
  dispatched: { zh: '待签收', en: 'to sign' },
  signed: { zh: '办理中', en: 'in progress' },
  returned: { zh: '已退回', en: 'returned' },
  replied: { zh: '已回复', en: 'replied' },
  recalled: { zh: '已撤回', en: 'recalled' },
}

function stateOf(a: Assignment): Localized {
  if (a.returnRequest) return { zh: '申请退回', en: 'asks to return' }
  if (a.state === 'replied' && a.level > 1 && a.role === 'lead')
    return a.review === 'approved'
      ? { zh: '回复已审核', en: 'reply approved' }
      : { zh: '回复待审核', en: 'reply to review' }
  return STATE[a.state]
}

export function ChainLadder(props: { ticket: Ticket; names: Names | null; now: number }) {
  const t = useT()
  const lang = useLang()
  const chain = chainOf(props.ticket)
  if (chain.length === 0) return null
  const unit = (code: string) => (props.names ? props.names.unit(code, lang) : code)
  const path = ladder(chain)
  const ended = chain.filter(
    (a) => (a.state === 'recalled' || a.state === 'returned') && a.role === 'lead' && !a.superseded,
  )
  const late = (at: string) => Date.parse(at) < props.now
  return (
    <section className="chain" aria-label={t('chain')}>
      <h3>{t('chain')}</h3>
      <ol className="ladder">
        <li className="rung city">{t('cityCentre')}</li>
        {path.map((a) => (
          <li
            key={a.id}
            className={`rung state-${a.state}`}
            data-level={a.level}
            data-unit={a.unit}
          >
            <span className="arrow">→</span> <strong>{unit(a.unit)}</strong>{' '}
            <span className="rung-state">{t(stateOf(a))}</span>{' '}
            <span className={`muted ${a.state === 'dispatched' && late(a.signBy) ? 'late' : ''}`}>
              {a.state === 'dispatched'
                ? `${t('signBy')} ${formatTime(a.signBy)}`
                : `${t('dueAt')} ${formatTime(a.dueAt)}`}
            </span>
            {a.instructions && <div className="muted rung-note">{a.instructions}</div>}
          </li>
        ))}
      </ol>
      {path.some((a) => partsOf(chain, a.id).length > 0) && (
        <ul className="parts" aria-label={t('parts')}>
          {path.flatMap((a) =>
            partsOf(chain, a.id).map((p) => (
              <li key={p.id} data-unit={p.unit} className={`part state-${p.state}`}>
                {t('assisting')} · <strong>{unit(p.unit)}</strong> · {t(STATE[p.state])}
                {p.missedPart && ` · ${t({ zh: '逾期未提交', en: 'missed its due' })}`} ·{' '}
                <span className="muted">
                  {t('dueAt')} {formatTime(p.dueAt)}
                </span>
                {p.reply && <div className="part-text">{p.reply.text}</div>}
              </li>
            )),
          )}
        </ul>
      )}
      {ended.length > 0 && (
        <p className="muted ended">
          {ended.map((a) => `${t(STATE[a.state])}：${unit(a.unit)}`).join(' · ')}
        </p>
      )}
    </section>
  )
}
