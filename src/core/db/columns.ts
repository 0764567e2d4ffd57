// A ticket as a `tickets` row and back as a queue row. Enumerations are stored as their index in
// the shared lists (so sorting follows workflow order: new before dispatched, normal before
// urgent) and times as epoch ms. Deadline state is precomputed as two thresholds so the at-risk
// and overdue views are plain comparisons against "now" (see `stateAt`).
import { maskPhone, provisionalNumber, type TicketRow } from '../../shared/api'
import { chainUnits, toPassUnits, waitingUnits } from '../../shared/assignments'
import { placeKey } from '../../shared/dashboard'
import { unitsKey } from './migrations/0005-levels'
import type { DeadlineState } from '../../shared/deadline-state'
import { answeredByStatus, isCompanyRequest } from '../../shared/kpi-period'
import { CHANNELS, KINDS, STATUSES, URGENCIES, type Status, type Ticket } from '../../shared/ticket'

export const statusCode = (s: Status): number => STATUSES.indexOf(s)
export const rank = <T extends string>(list: readonly T[], v: T): number => list.indexOf(v)

/** Beyond any real time: a running clock with no end. */
export const FAR = 8_640_000_000_000_000
const RUNNING: readonly Status[] = ['dispatched', 'in_progress', 'return_requested']

const ms = (iso: string | null): number | null => (iso == null ? null : Date.parse(iso))

/** Smallest integer time at which `(end - now) / total < fraction` (the span is at risk). */
function riskFrom(end: number, total: number, fraction: number): number {
  const atRisk = (now: number) => (end - now) / total < fraction
  let t = Math.ceil(end - fraction * total)
  while (atRisk(t - 1)) t--
  while (!atRisk(t)) t++
  return t
}

/**
 * `over`: the ticket is overdue when now > over; `risk`: at risk when now >= risk (and not
 * overdue); both null when no clock runs. Mirrors `deadlineState` in src/shared exactly.
 */
export function deadlineThresholds(
  t: Pick<Ticket, 'status' | 'dispatchedAt' | 'signedAt' | 'signBy' | 'dueAt'>,
  fraction: number,
): { over: number | null; risk: number | null } {
  if (!RUNNING.includes(t.status) || t.dispatchedAt == null) return { over: null, risk: null }
  const start = Date.parse(t.dispatchedAt)
  let over = FAR
  let risk = FAR
  for (const end of [t.signedAt == null ? t.signBy : null, t.dueAt]) {
    if (end == null) continue
    const e = Date.parse(end)
    over = Math.min(over, e)
    if (e - start > 0) risk = Math.min(risk, riskFrom(e, e - start, fraction))
  }
  return { over, risk }
}

export function stateAt(over: number | null, risk: number | null, nowMs: number): DeadlineState {
  if (over == null) return 'none'
  if (nowMs > over) return 'overdue'
  return risk != null && nowMs >= risk ? 'at_risk' : 'ok'
}

/** The SQL condition for one deadline state at `?` = now (the parameter given once per `?`). */
export const DEADLINE_SQL: Record<DeadlineState, { sql: string; nows: number }> = {
  none: { sql: 'dl_over IS NULL', nows: 0 },
  overdue: { sql: 'dl_over < ?', nows: 1 },
  at_risk: { sql: '(dl_over >= ? AND dl_risk <= ?)', nows: 2 },
  ok: { sql: '(dl_over >= ? AND dl_risk > ?)', nows: 2 },
}

export const TICKET_COLUMNS = [
  'rid',
  'id',
  'number',
  'status',
  'channel',
  'kind',
  'urgency',
  'category',
  'unit',
  'co_units',
  'district',
  'created_by',
  'created_at',
  'updated_at',
  'dispatched_at',
  'signed_at',
  'sign_by',
  'due_at',
  'completed_at',
  'extension',
  'dl_over',
  'dl_risk',
  'phone',
  'caller_name',
  'address',
  'description',
  'version',
  'local',
  'place',
  'company',
  'answered',
  'levels',
  'waiting',
  'exempt',
  'to_pass',
] as const

export type TicketColumns = Record<(typeof TICKET_COLUMNS)[number], string | number | null>

/** The row for a visible ticket (`rid` filled in by the caller). */
export function ticketColumns(t: Ticket, fraction: number, local: string | null): TicketColumns {
  const { over, risk } = deadlineThresholds(t, fraction)
  return {
    rid: 0,
    id: t.id,
    number: t.number,
    status: statusCode(t.status),
    channel: rank(CHANNELS, t.channel),
    kind: rank(KINDS, t.kind),
    urgency: rank(URGENCIES, t.urgency),
    category: t.category,
    unit: t.unit,
    co_units: t.coUnits.length ? `|${t.coUnits.join('|')}|` : null,
    district: t.location.district,
    created_by: t.createdBy,
    created_at: Date.parse(t.createdAt),
    updated_at: Date.parse(t.updatedAt),
    dispatched_at: ms(t.dispatchedAt),
    signed_at: ms(t.signedAt),
    sign_by: ms(t.signBy),
    due_at: ms(t.dueAt),
    completed_at: ms(t.completedAt),
    extension: t.extension.state === 'requested' ? 1 : 0,
    dl_over: over,
    dl_risk: risk,
    phone: t.caller.phone,
    caller_name: t.caller.name,
    address: t.location.address,
    description: t.description,
    version: t.version,
    local,
    ...dashboardColumns(t),
    levels: unitsKey(chainUnits(t)),
    waiting: unitsKey(waitingUnits(t)),
    exempt: t.exemption ? 1 : 0,
    to_pass: unitsKey(toPassUnits(t)),
  }
}

/** What the dashboard groups and filters by (migration 3): the KPI definitions, as columns. */
export const dashboardColumns = (t: Ticket) => ({
  place: placeKey(t.location),
  company: isCompanyRequest(t) ? 1 : 0,
  answered: answeredByStatus(t) ? 1 : 0,
})

/** What a queue query selects (with `t` the tickets alias). */
export const ROW_SELECT = `t.id, t.number, t.status, t.channel, t.kind, t.urgency, t.category,
  t.unit, t.district, t.address, t.phone, t.caller_name, substr(t.description, 1, 80) AS summary,
  t.created_at, t.updated_at, t.dispatched_at, t.sign_by, t.due_at, t.dl_over, t.dl_risk,
  t.version, EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id) AS pending`

/**
 * What a queue query selects when the viewer's own deadlines are joined (`u`, own-deadlines.ts):
 * a unit's own dispatch, sign-by, due and clock where it has a row, the ticket's where not.
 */
export const OWN_ROW_SELECT = ROW_SELECT.replace(
  't.dispatched_at, t.sign_by, t.due_at, t.dl_over, t.dl_risk,',
  `${ownOr('dispatched_at', 'own_at')} AS dispatched_at, ${ownOr('sign_by', 'own_sign_by')} AS sign_by,
  ${ownOr('due_at', 'own_due')} AS due_at, ${ownOr('dl_over', 'own_over')} AS dl_over,
  ${ownOr('dl_risk', 'own_risk')} AS dl_risk, u.level AS own_level, u.own_signed AS own_signed,`,
)

/** The unit's own value where it has an own-deadlines row (even a null one), else the ticket's. */
export function ownOr(column: string, own: string): string {
  return `CASE WHEN u.rid IS NULL THEN t.${column} ELSE u.${own} END`
}

export interface RawRow {
  id: string
  number: string | null
  status: number
  channel: number
  kind: number
  urgency: number
  category: string
  unit: string | null
  district: string | null
  address: string
  phone: string | null
  caller_name: string | null
  summary: string
  created_at: number
  updated_at: number
  dispatched_at: number | null
  sign_by: number | null
  due_at: number | null
  dl_over: number | null
  dl_risk: number | null
  version: number
  pending: number
  /** Only when the viewer's own deadlines are joined (OWN_ROW_SELECT). */
  own_level?: number | null
  own_signed?: number | null
}

const iso = (v: number): string => new Date(v).toISOString()
const isoOrNull = (v: number | null): string | null => (v == null ? null : iso(v))

export function toTicketRow(r: RawRow, nowMs: number): TicketRow {
  return {
    id: r.id,
    number: r.number ?? provisionalNumber(r.id),
    provisional: r.number == null,
    status: STATUSES[r.status]!,
    channel: CHANNELS[r.channel]!,
    kind: KINDS[r.kind]!,
    category: r.category,
    urgency: URGENCIES[r.urgency]!,
    unit: r.unit,
    district: r.district,
    address: r.address,
    callerPhoneMasked: maskPhone(r.phone),
    callerName: r.caller_name,
    summary: r.summary.replace(/\s+/g, ' '),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    dispatchedAt: isoOrNull(r.dispatched_at),
    signBy: isoOrNull(r.sign_by),
    dueAt: isoOrNull(r.due_at),
    deadlineState: stateAt(r.dl_over, r.dl_risk, nowMs),
    ...(r.own_level != null ? { own: { level: r.own_level, signed: r.own_signed != null } } : {}),
    pending: r.pending === 1,
    version: r.version,
  }
}
