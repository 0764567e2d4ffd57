// The supervisors' dashboard (issue 6): its arguments, its answer, and the pure definitions it
// adds to the KPIs of ./kpi.ts — the hotspot key of a place, the city calendar's day, week and
// month. Every figure carries the queue filter that lists exactly the tickets behind it.
import { z } from 'zod'
import { districtCode, isoTime, unitCode } from './actions'
import type { QueueFilter } from './api'
import { nextDate, type LocalDate, type WorkCalendar } from './calendar'
import type { AgeBucket, Backlog, KpiChange, PeriodKpis } from './kpi'
import type { KPI_EVENT_TYPES } from './kpi-period'
import { SATISFACTIONS, type Location, type Status } from './ticket'

export const dashboardArgsSchema = z.object({
  /** Half-open [from, to). */
  period: z.object({ from: isoTime, to: isoTime }),
  /**
   * What the period is compared with: the screens send the same stretch of the period before
   * (this month so far: the same days of last month); the equally long span just before when
   * absent.
   */
  previous: z.object({ from: isoTime, to: isoTime }).optional(),
  /** Only tickets whose (main) unit is one of these; all figures follow. */
  unit: z.array(unitCode).max(200).optional(),
  /** Only tickets located in one of these districts. */
  district: z.array(districtCode).max(200).optional(),
})
export type DashboardArgs = z.input<typeof dashboardArgsSchema>

/**
 * What a queue filter's `event` field can ask for: tickets with such a KPI event in a range —
 * the events each period figure counts (KPI_EVENT_TYPES). `returned` and `reopened` are paired as
 * the return and reopen rates pair them: a return (redo) in the range of a dispatch (completion)
 * also in the range, at or before it.
 */
export const KPI_EVENTS = [
  'completed',
  'called_back',
  'dispatched',
  'returned',
  'reopened',
] as const satisfies ReadonlyArray<keyof typeof KPI_EVENT_TYPES>
export type KpiEvent = (typeof KPI_EVENTS)[number]

export const kpiEventFilterSchema = z.object({
  type: z.enum(KPI_EVENTS),
  /** Half-open [from, to), by the event's time. */
  from: isoTime,
  to: isoTime,
  /** Completions only: at or before the due time they are judged against (as the KPI judges). */
  onTime: z.boolean().optional(),
  /** Callbacks only: rated one of these. */
  satisfaction: z.array(z.enum(SATISFACTIONS)).max(3).optional(),
})

export const BACKLOG_TOP_UNITS = 20
export const TOP_CATEGORIES = 10
export const TOP_HOTSPOTS = 10
/** A place is a hotspot from this many tickets received in the period. */
export const HOTSPOT_MIN_TICKETS = 3
/** Periods longer than this are refused (the per-day chart would be unreadable anyway). */
export const MAX_PERIOD_DAYS = 3700

/** An address as people type it, made comparable: full-width folded, spaces gone, lower case. */
export const normalizeAddress = (address: string): string =>
  address.normalize('NFKC').replace(/\s+/g, '').toLowerCase()

/**
 * Where a ticket counts for hotspots: its community (`c:` + code) when it has one, else its
 * normalized address (`a:` + address); null with neither.
 */
export function placeKey(loc: Pick<Location, 'address' | 'community'>): string | null {
  if (loc.community) return `c:${loc.community}`
  const a = normalizeAddress(loc.address ?? '')
  return a ? `a:${a}` : null
}

// --- The city's calendar ----------------------------------------------------------------------

const startOf = (cal: WorkCalendar, date: LocalDate): number => cal.instant(date, 0)

function addDays(date: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d + days))
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() }
}

export interface Span {
  from: number
  to: number
}

/** The city day, week (from Monday) and month that `ms` falls in, as half-open spans. */
export function citySpans(cal: WorkCalendar, ms: number): { day: Span; week: Span; month: Span } {
  const l = cal.local(ms)
  const date = { y: l.y, m: l.m, d: l.d }
  const monday = addDays(date, -((l.weekday + 6) % 7))
  const first = { y: l.y, m: l.m, d: 1 }
  const nextMonth = l.m === 12 ? { y: l.y + 1, m: 1, d: 1 } : { y: l.y, m: l.m + 1, d: 1 }
  return {
    day: { from: startOf(cal, date), to: startOf(cal, nextDate(date)) },
    week: { from: startOf(cal, monday), to: startOf(cal, addDays(monday, 7)) },
    month: { from: startOf(cal, first), to: startOf(cal, nextMonth) },
  }
}

/** The city days of a period, each clipped to it (the first and last may be partial). */
export function cityDays(cal: WorkCalendar, period: Span): Array<Span & { day: string }> {
  const out: Array<Span & { day: string }> = []
  const l = cal.local(period.from)
  let date: LocalDate = { y: l.y, m: l.m, d: l.d }
  let start = startOf(cal, date)
  while (start < period.to) {
    const next = nextDate(date)
    const end = startOf(cal, next)
    const pad = (n: number) => String(n).padStart(2, '0')
    out.push({
      day: `${date.y}-${pad(date.m)}-${pad(date.d)}`,
      from: Math.max(start, period.from),
      to: Math.min(end, period.to),
    })
    date = next
    start = end
  }
  return out
}

// --- The answer -------------------------------------------------------------------------------

/** A number on the dashboard and the queue filter behind it. */
export interface Figure {
  /** The figure as the KPIs count it: tickets, or events for event-based figures. */
  count: number
  /**
   * The distinct tickets behind `count`: exactly what `filter` lists in the queue. Equal to
   * `count` except where one ticket has two counted events (a reply sent back and sent again).
   */
  tickets: number
  filter: QueueFilter
}

/** A figure for the chosen period beside the same for the previous one. */
export interface Compared<T> {
  current: T
  previous: T
  /** Current − previous: counts and days as differences, rates in fraction points. */
  change: number | null
}

export interface RateTile {
  rate: number | null
  numerator: Figure
  denominator: Figure
}

export interface OnTimeTile extends RateTile {
  /** Completions after their due time (denominator − numerator). */
  late: Figure
}

export interface SatisfactionTile extends RateTile {
  satisfied: Figure
  basicallySatisfied: Figure
  unsatisfied: Figure
}

export interface MeanTile {
  /** Mean handling time in days; null with no completion. */
  days: number | null
  /** The completions averaged. */
  count: Figure
}

export interface DashboardTiles {
  receivedToday: Figure
  receivedThisWeek: Figure
  receivedThisMonth: Figure
  openBacklog: Figure
  overdue: Figure
  atRisk: Figure
  /** Dispatched, not yet signed for. */
  awaitingSign: Figure
  returnsWaiting: Figure
  extensionsWaiting: Figure
  callbacksDue: Figure
  received: Compared<Figure>
  completed: Compared<Figure>
  onTimeRate: Compared<OnTimeTile>
  satisfactionRate: Compared<SatisfactionTile>
  avgHandlingDays: Compared<MeanTile>
  avgCompanyHandlingDays: Compared<MeanTile>
  firstCallResolutionRate: Compared<RateTile>
  returnRate: Compared<RateTile>
  reopenRate: Compared<RateTile>
}

export interface DayBar {
  /** The city date, `2026-11-27`; from/to are the day clipped to the period (ISO). */
  day: string
  from: string
  to: string
  received: Figure
  completed: Figure
}

export interface UnitBar {
  /** A unit's code; null for the bar of all other units and tickets not yet dispatched. */
  unit: string | null
  total: Figure
  /** One segment per open status (zero ones included), in workflow order. */
  byStatus: Array<{ status: Status; figure: Figure }>
}

export interface CategoryBar {
  /** The category code; counts include any code filed under it. */
  category: string
  current: Figure
  previous: Figure
  change: number
}

export interface Hotspot {
  /** The place key (placeKey): `c:<community code>` or `a:<normalized address>`. */
  place: string
  community: string | null
  address: string | null
  figure: Figure
}

export interface Dashboard {
  period: { from: string; to: string }
  previousPeriod: { from: string; to: string }
  /** The moment the backlog and the live tiles were taken at. */
  now: string
  timeZone: string
  filter: { unit: string[] | null; district: string[] | null }
  /** The KPIs exactly as computeKpis/compareToPrevious define them, for these tickets. */
  kpis: { current: PeriodKpis; previous: PeriodKpis; change: KpiChange; backlog: Backlog }
  tiles: DashboardTiles
  charts: {
    perDay: DayBar[]
    /** Open tickets by unit, worst first: the top BACKLOG_TOP_UNITS units, then the rest. */
    backlogByUnit: UnitBar[]
    ageBuckets: Array<{ bucket: AgeBucket; figure: Figure }>
    topCategories: CategoryBar[]
    hotspots: Hotspot[]
  }
}
