// KPI calculators (DESIGN.md §3), defined once and used by the dashboard, reports and server.
// Pure: time comes in as arguments (ms since the epoch). One pass over the tickets, then one over
// the events, with a Map from ticket id to index and typed arrays per ticket: O(tickets + events),
// no nested scans, so any iterable (a generator, a database cursor) will do, each read once.
//
// Periods are half-open [from, to). An event counts in a period by its `at`; a ticket is received
// in a period by its `createdAt`. Events whose ticket is not among the tickets given are ignored
// (and counted in `ignoredEvents`): pass a filtered set of tickets (a district, a unit) with all
// the events and the KPIs follow the filter. The return and reopen rates pair each return (redo)
// with the dispatch (completion) it undid, counting it only when that was in the period too, so
// their numerators never exceed their denominators; the raw counts are in `counts`.
import { BacklogCounter } from './kpi-backlog'
import type { Backlog } from './kpi-backlog'
import { KPI_EVENT_TYPES, PeriodAccumulator } from './kpi-period'
import type { EventType, Ticket, TimelineEvent } from './ticket'

export { AGE_BUCKETS, AGE_BUCKET_DAYS, ageBucket, computeBacklog } from './kpi-backlog'
export type { AgeBucket, Backlog } from './kpi-backlog'
export { KPI_EVENT_TYPES, answeredByStatus, isCompanyRequest, ratio } from './kpi-period'

/** A half-open span of time [from, to), in ms since the epoch. */
export interface Period {
  from: number
  to: number
}

export interface KpiOptions {
  period: Period
  /** The moment the backlog is taken at (ms); the tickets should be as they stood then. */
  now: number
  /** Share of a deadline's span below which a ticket is "at risk" (0.2 by default in §3). */
  atRiskFraction: number
  /** IANA zone the period was drawn in; echoed for labels, the figures use elapsed time only. */
  timeZone?: string
}

/** A rate as a fraction 0..1 beside its numerator and denominator; null when nothing to rate. */
export interface Ratio {
  numerator: number
  denominator: number
  rate: number | null
}

/** Satisfaction rate: (satisfied + basically satisfied) / rated callbacks, with the three counts. */
export interface SatisfactionRatio extends Ratio {
  satisfied: number
  basicallySatisfied: number
  unsatisfied: number
}

/** A mean in days with its sum and count; null when the count is zero. */
export interface MeanDays {
  totalDays: number
  count: number
  mean: number | null
}

/** Raw event and ticket counts in a period. */
export interface PeriodCounts {
  /** Tickets created in the period. */
  received: number
  /** `replied` and `answered` events. */
  completions: number
  /** `dispatched` events (first dispatch and re-dispatch). */
  dispatches: number
  /** `return_approved` events, whether or not the dispatch returned was in the period. */
  returnsApproved: number
  /** `redone` events, whether or not the completion redone was in the period. */
  redos: number
  /** `called_back` events, rated or not. */
  callbacks: number
}

export interface PeriodKpis {
  period: Period
  counts: PeriodCounts
  /**
   * 按时办结率 (应办结): dispatched tickets due in the period, replied by their due / all judged —
   * an overdue open ticket counts against, a direct answer and an exempt ticket are not in it
   * (kpi-judge.ts' cityCompletion, the centre's line of the unit figures).
   */
  onTimeRate: Ratio
  /** 综合满意率 over the callbacks rated in the period. */
  satisfactionRate: SatisfactionRatio
  /** Completion − ticket creation, over completions in the period. */
  avgHandlingDays: MeanDays
  /** The same, for company requests only (see isCompanyRequest). */
  avgCompanyHandlingDays: MeanDays
  /** Approved returns of dispatches made in the period / dispatches in the period. */
  returnRate: Ratio
  /** Redos of completions made in the period / completions in the period. */
  reopenRate: Ratio
  /** Tickets received in the period and answered on the call / tickets received. */
  firstCallResolutionRate: Ratio
}

export interface KpiReport extends PeriodKpis {
  now: number
  atRiskFraction: number
  timeZone: string | null
  /** Open tickets at `now`. */
  backlog: Backlog
  /** Events of a counted type whose ticket was not among the tickets given. */
  ignoredEvents: number
}

/** Current minus previous: a difference for counts and means, fraction points for rates. */
export interface KpiChange {
  counts: PeriodCounts
  /** Rate changes as fractions (−0.05 = 5 percentage points down); null if either rate is. */
  onTimeRate: number | null
  satisfactionRate: number | null
  returnRate: number | null
  reopenRate: number | null
  firstCallResolutionRate: number | null
  avgHandlingDays: number | null
  avgCompanyHandlingDays: number | null
}

export interface KpiComparison {
  current: KpiReport
  /** The equally long period just before; the backlog is a snapshot and is not compared. */
  previous: PeriodKpis
  change: KpiChange
}

/** The equally long period just before `p`. */
export const previousPeriod = (p: Period): Period => ({
  from: p.from - (p.to - p.from),
  to: p.from,
})

/** All KPIs for `options.period`, and the backlog at `options.now`. */
export function computeKpis(
  tickets: Iterable<Ticket>,
  events: Iterable<TimelineEvent>,
  options: KpiOptions,
): KpiReport {
  const { periods, backlog, ignoredEvents } = run(tickets, events, [options.period], options)
  return report(periods[0]!, backlog, ignoredEvents, options)
}

/** The KPIs for `options.period` and for the equally long period before it, in one pass. */
export function compareToPrevious(
  tickets: Iterable<Ticket>,
  events: Iterable<TimelineEvent>,
  options: KpiOptions,
): KpiComparison {
  const prev = previousPeriod(options.period)
  const { periods, backlog, ignoredEvents } = run(tickets, events, [options.period, prev], options)
  const current = report(periods[0]!, backlog, ignoredEvents, options)
  const previous = periods[1]!
  return { current, previous, change: changeBetween(current, previous) }
}

/** Current minus previous, for any two period results. */
export function changeBetween(current: PeriodKpis, previous: PeriodKpis): KpiChange {
  const rate = (a: Ratio, b: Ratio) => (a.rate == null || b.rate == null ? null : a.rate - b.rate)
  const mean = (a: MeanDays, b: MeanDays) =>
    a.mean == null || b.mean == null ? null : a.mean - b.mean
  const c = current.counts
  const p = previous.counts
  return {
    counts: {
      received: c.received - p.received,
      completions: c.completions - p.completions,
      dispatches: c.dispatches - p.dispatches,
      returnsApproved: c.returnsApproved - p.returnsApproved,
      redos: c.redos - p.redos,
      callbacks: c.callbacks - p.callbacks,
    },
    onTimeRate: rate(current.onTimeRate, previous.onTimeRate),
    satisfactionRate: rate(current.satisfactionRate, previous.satisfactionRate),
    returnRate: rate(current.returnRate, previous.returnRate),
    reopenRate: rate(current.reopenRate, previous.reopenRate),
    firstCallResolutionRate: rate(
      current.firstCallResolutionRate,
      previous.firstCallResolutionRate,
    ),
    avgHandlingDays: mean(current.avgHandlingDays, previous.avgHandlingDays),
    avgCompanyHandlingDays: mean(current.avgCompanyHandlingDays, previous.avgCompanyHandlingDays),
  }
}

function report(
  p: PeriodKpis,
  backlog: Backlog,
  ignoredEvents: number,
  options: KpiOptions,
): KpiReport {
  return {
    ...p,
    now: options.now,
    atRiskFraction: options.atRiskFraction,
    timeZone: options.timeZone ?? null,
    backlog,
    ignoredEvents,
  }
}

function checkOptions(o: KpiOptions): void {
  const { from, to } = o.period
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) {
    throw new RangeError(`KPI period must be finite with from <= to (got ${from} .. ${to})`)
  }
  if (!Number.isFinite(o.now)) throw new RangeError(`KPI "now" must be finite (got ${o.now})`)
}

/** The event types any KPI looks at; the rest (notes, urges, signing …) are skipped unread. */
const COUNTED: ReadonlySet<EventType> = new Set<EventType>(Object.values(KPI_EVENT_TYPES).flat())

/** The two passes, for one or more periods at once. */
function run(
  tickets: Iterable<Ticket>,
  events: Iterable<TimelineEvent>,
  periods: Period[],
  options: KpiOptions,
): { periods: PeriodKpis[]; backlog: Backlog; ignoredEvents: number } {
  checkOptions(options)
  const accs = periods.map((p) => new PeriodAccumulator(p, options.now))
  const backlog = new BacklogCounter(options.now, options.atRiskFraction)
  // Tickets by id → index; their creation times parsed once.
  const index = new Map<string, number>()
  const list: Ticket[] = []
  const created: number[] = []

  for (const t of tickets) {
    const c = Date.parse(t.createdAt)
    index.set(t.id, list.length)
    list.push(t)
    created.push(c)
    backlog.add(t)
    for (const acc of accs) {
      if (acc.contains(c)) acc.addReceived(t)
      acc.addTicket(t)
    }
  }
  for (const acc of accs) acc.begin(list.length)

  let ignoredEvents = 0
  for (const ev of events) {
    if (!COUNTED.has(ev.type)) continue
    const i = index.get(ev.ticketId)
    if (i === undefined) {
      ignoredEvents++
      continue
    }
    const at = Date.parse(ev.at)
    for (const acc of accs) acc.addEvent(ev, at, list[i]!, i, created[i]!)
  }

  return { periods: accs.map((a) => a.result()), backlog: backlog.result(), ignoredEvents }
}
