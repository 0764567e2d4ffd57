// One ticket: its fields, deadlines, timeline (the audit trail) and the actions the rules allow
// this user now, each with its key from the registry. The caller's number shows masked until
// revealed with V (recorded on the timeline; see phone-reveal.ts).
import { useEffect } from 'react'
import type { ActionName } from '../../shared/actions'
import type { TicketDetail } from '../../shared/api'
import { maskPhone } from '../../shared/api'
import {
  ACTION_LABELS,
  CHANNEL_LABELS,
  KIND_LABELS,
  ROLE_LABELS,
  SATISFACTION_LABELS,
  EXEMPTION_LABELS,
  STATUS_LABELS,
  URGENCY_LABELS,
} from '../../shared/labels'
import type { TimelineEvent } from '../../shared/ticket'
import { actionForWorkflow } from '../actions/registry'
import { keyLabel } from '../actions/keys'
import { EVENT_LABELS, formatTime, useLang, useT } from '../i18n'
import { placeText, type Names } from '../state/reference'
import { countdown } from '../queue/QueueTable'
import { provisionalNow } from '../../shared/deadline-state'
import { hidePhone, usePhoneRevealed } from './phone-reveal'
import { ProvisionalBadge } from './ProvisionalBadge'
import { ChainLadder } from './ChainLadder'

const DECISIONS: readonly ActionName[] = [
  'ticket.decideReturn',
  'ticket.decideExtension',
  'ticket.reviewReturn',
  'ticket.reviewReply',
]

const OUR_LEVEL = { zh: '（本级）', en: ' (our level)' }

export function TicketPane(props: {
  detail: TicketDetail | null
  names: Names | null
  now: number
}) {
  const { detail, names, now } = props
  const t = useT()
  const lang = useLang()
  const id = detail?.ticket.id ?? null
  const revealed = usePhoneRevealed(id)
  // Leaving the ticket (another one, or the pane closed) masks its number again.
  useEffect(() => () => hidePhone(id), [id])
  if (!detail) return <aside className="ticket-pane">{t('loading')}</aside>
  const tk = detail.ticket
  const phone = revealed ? tk.caller.phone : maskPhone(tk.caller.phone)
  const who = tk.caller.anonymous ? t('anonymous') : tk.caller.name
  const loc = tk.location
  const place = placeText(names, loc, lang)
  const provisional = names != null && provisionalNow(tk, names.calendar)
  // Issue 16: unit staff lower in the chain see their own link's deadlines, marked 本级.
  const dl = detail.own
    ? { ...detail.own, state: detail.own.deadlineState }
    : {
        level: null,
        signBy: tk.signBy,
        dueAt: tk.dueAt,
        signedAt: tk.signedAt,
        state: detail.deadlineState,
      }
  return (
    <aside className="ticket-pane" aria-label={detail.displayNumber}>
      <header>
        <h2>
          {detail.displayNumber}{' '}
          <span className={`status status-${tk.status}`}>{t(STATUS_LABELS[tk.status])}</span>
          {detail.pending && <span className="pending-badge">{t('pendingChange')}</span>}
        </h2>
      </header>
      <section>
        <h3>{t('fields')}</h3>
        <dl className="fields">
          <dt>{t('colCategory')}</dt>
          <dd>{names ? names.category(tk.category, lang) : tk.category}</dd>
          <dt>{t('kind')}</dt>
          <dd>
            {t(KIND_LABELS[tk.kind])} · {t(CHANNEL_LABELS[tk.channel])} ·{' '}
            <span className={`urgency-${tk.urgency}`}>{t(URGENCY_LABELS[tk.urgency])}</span>
            {tk.publishable && ` · ${t({ zh: '可公开', en: 'publishable' })}`}
            {tk.exemption && (
              <span className="exempt" data-testid="exempt">
                {` · ${t({ zh: '不纳入考核', en: 'exempt from scoring' })}（${t(exemptionLabel(tk.exemption.reason) ?? { zh: '其他', en: 'other' })}）`}
              </span>
            )}
          </dd>
          <dt>{t('caller')}</dt>
          <dd className="caller">
            {!who && !phone && !tk.caller.company && '—'}
            {who}
            {who && phone && ' · '}
            {phone && (
              <span className="caller-phone" data-revealed={revealed ? 'yes' : 'no'}>
                {phone}
              </span>
            )}
            {tk.caller.company && `${who || phone ? ' · ' : ''}${tk.caller.company}`}
          </dd>
          <dt>{t('address')}</dt>
          <dd className="place">{place}</dd>
          <dt>{t('colUnit')}</dt>
          <dd>{names ? names.unit(tk.unit, lang) : (tk.unit ?? '—')}</dd>
          <dt>{t('description')}</dt>
          <dd className="description">{tk.description}</dd>
        </dl>
      </section>
      <section>
        <h3>{t('deadlines')}</h3>
        <dl className="fields" data-level={dl.level ?? undefined}>
          <dt>
            {t('signBy')}
            {dl.level && t(OUR_LEVEL)}
          </dt>
          <dd>
            {formatTime(dl.signBy)}{' '}
            {dl.signBy && !dl.signedAt && `(${countdown(dl.signBy, now, lang)})`}
          </dd>
          <dt>
            {t('dueAt')}
            {dl.level && t(OUR_LEVEL)}
          </dt>
          <dd>
            <span className={`deadline deadline-${dl.state}`}>
              {formatTime(dl.dueAt)} {dl.dueAt && `(${countdown(dl.dueAt, now, lang)})`}
            </span>
            {provisional && <ProvisionalBadge />}
          </dd>
        </dl>
        {provisional && <p className="muted provisional-hint">{t('provisionalHint')}</p>}
      </section>
      <ChainLadder ticket={tk} names={names} now={now} />
      <section>
        <h3>{t('actions')}</h3>
        {detail.allowed.length === 0 ? (
          <p className="muted">{t('noActions')}</p>
        ) : (
          <ul className="allowed-actions">
            {detail.allowed
              .filter((a) => a !== 'ticket.create')
              .map((name) => {
                // A decision has two keys: approve and refuse.
                const keys = DECISIONS.includes(name)
                  ? ['Y', 'Shift+Y']
                  : (actionForWorkflow(name)?.keys.slice(0, 1) ?? [])
                return (
                  <li key={name} data-action={name}>
                    {keys.map((k) => (
                      <kbd key={k}>{keyLabel(k)}</kbd>
                    ))}{' '}
                    {t(ACTION_LABELS[name])}
                  </li>
                )
              })}
          </ul>
        )}
      </section>
      <section>
        <h3>{t('timeline')}</h3>
        <ol className="timeline">
          {[...detail.events].reverse().map((e) => (
            <li key={e.id}>
              <time>{formatTime(e.at)}</time> <strong>{t(EVENT_LABELS[e.type])}</strong>{' '}
              <span className="muted">
                {e.actor.name ?? `${e.actor.userId} · ${t(ROLE_LABELS[e.actor.role])}`}
                {e.actor.consoleId && <SeatName label={e.actor.consoleId} names={names} />}
              </span>
              <EventData event={e} names={names} />
            </li>
          ))}
        </ol>
      </section>
    </aside>
  )
}

/**
 * The console an action came from: the seat name an admin gave it (routes-seats.ts), or its
 * label, shortened, with a word that it has no name yet.
 */
function SeatName({ label, names }: { label: string; names: Names | null }) {
  const t = useT()
  const seat = names?.seat(label) ?? null
  return (
    <span className="seat" title={`${t('console')} ${label}`} data-console={label}>
      {' '}
      · {seat ?? `${t('console')} ${label.slice(-6)}`}
    </span>
  )
}

const exemptionLabel = (code: unknown) =>
  typeof code === 'string' && code in EXEMPTION_LABELS
    ? EXEMPTION_LABELS[code as keyof typeof EXEMPTION_LABELS]
    : null

function EventData({ event, names }: { event: TimelineEvent; names: Names | null }) {
  const t = useT()
  const lang = useLang()
  const d = event.data
  const parts: string[] = []
  if (typeof d.unit === 'string') parts.push(`→ ${names ? names.unit(d.unit, lang) : d.unit}`)
  // An exemption's reason is a code from a fixed list (issue 17): said in words.
  const reason = event.type === 'exempted' ? exemptionLabel(d.reason) : null
  if (reason) parts.push(t(reason))
  for (const k of ['text', 'reason', 'instructions'] as const)
    if (typeof d[k] === 'string' && d[k] && !(k === 'reason' && reason)) parts.push(String(d[k]))
  if (typeof d.satisfaction === 'string' && d.satisfaction in SATISFACTION_LABELS)
    parts.push(t(SATISFACTION_LABELS[d.satisfaction as keyof typeof SATISFACTION_LABELS]))
  if (typeof d.resolved === 'boolean' && event.type === 'called_back')
    parts.push(
      t(d.resolved ? { zh: '已解决', en: 'resolved' } : { zh: '未解决', en: 'not resolved' }),
    )
  // A recount (issue 19): which deadline moved, from when to when.
  for (const k of ['signBy', 'dueAt'] as const) {
    const moved = d[k] as { from?: unknown; to?: unknown } | null | undefined
    if (moved && typeof moved === 'object' && typeof moved.to === 'string')
      parts.push(`${t(k)} ${formatTime(String(moved.from))} → ${formatTime(moved.to)}`)
  }
  if (d.provisional === true) parts.push(`${t('dueAt')}${t('provisional')}`)
  if (parts.length === 0) return null
  return <div className="event-data">{parts.join(' · ')}</div>
}
