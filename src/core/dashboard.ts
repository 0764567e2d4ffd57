// 'dashboard.compute': the supervisors' dashboard (issue 6) from the local cache. The figures are
// the KPIs of src/shared/kpi*.ts summed in SQL (db/dashboard-sql.ts) and put back into the very
// shapes computeKpis returns; each number is given the queue filter listing its tickets.
import { ApiFailure, type ApiHandlers, type QueueFilter } from '../shared/api'
import { WorkCalendar } from '../shared/calendar'
import {
  BACKLOG_TOP_UNITS,
  HOTSPOT_MIN_TICKETS,
  MAX_PERIOD_DAYS,
  TOP_CATEGORIES,
  TOP_HOTSPOTS,
  cityDays,
  citySpans,
  type Dashboard,
  type Span,
  type UnitBar,
} from '../shared/dashboard'
import {
  AGE_BUCKETS,
  AGE_BUCKET_DAYS,
  changeBetween,
  previousPeriod,
  type Backlog,
} from '../shared/kpi'
import type { ReferenceData } from '../shared/reference'
import { OPEN_STATUSES, STATUSES, type Status } from '../shared/ticket'
import { DAY, compared, fig, iso, periodTiles, readPeriod, toKpis } from './dashboard-period'
import type { DashboardSql, DashFilter } from './db/dashboard-sql'
import type { LocalStoreApi, Viewer } from './db/types'
import { notLoggedIn, notReady } from './failures'
import type { ReferenceCache } from './reference-cache'
import type { StoredSession } from './session'

export interface DashboardInput {
  period: Span
  /** Compared with this; the equally long span just before when absent. */
  previous?: Span
  unit: string[] | null
  district: string[] | null
  viewer: Viewer
  now: number
  reference: Pick<ReferenceData, 'calendar'>
}

/** The backlog as computeKpis' Backlog, and the unit bars (worst first) with drill-downs. */
function backlogOf(sql: DashboardSql, now: number, f: DashFilter, base: QueueFilter) {
  const b = sql.openTickets(now, f)
  const byStatus = Object.fromEntries(OPEN_STATUSES.map((s) => [s, 0])) as Record<Status, number>
  const units = new Map<string, Map<Status, number>>()
  let unassigned = 0
  for (const r of b.byStatusUnit) {
    const s = STATUSES[r.status]!
    byStatus[s] += r.n
    if (r.unit == null) unassigned += r.n
    else {
      const m = units.get(r.unit) ?? new Map<Status, number>()
      m.set(s, (m.get(s) ?? 0) + r.n)
      units.set(r.unit, m)
    }
  }
  const total = Object.values(byStatus).reduce((a, n) => a + n, 0)
  const sum = (m: Map<Status, number>) => [...m.values()].reduce((a, n) => a + n, 0)
  const ranked = [...units].sort((a, c) => sum(c[1]) - sum(a[1]) || (a[0] < c[0] ? -1 : 1))
  const top = ranked.slice(0, BACKLOG_TOP_UNITS)
  const bar = (unit: string | null, counts: Map<Status, number>): UnitBar => {
    const only: QueueFilter =
      unit == null ? { ...base, unitNot: top.map(([u]) => u) } : { ...base, unit: [unit] }
    const n = sum(counts)
    return {
      unit,
      total: fig(n, n, { ...only, status: [...OPEN_STATUSES] }),
      byStatus: OPEN_STATUSES.map((status) => {
        const c = counts.get(status) ?? 0
        return { status, figure: fig(c, c, { ...only, status: [status] }) }
      }),
    }
  }
  const bars = top.map(([u, m]) => bar(u, m))
  const rest = new Map<Status, number>()
  for (const [, m] of ranked.slice(BACKLOG_TOP_UNITS))
    for (const [s, n] of m) rest.set(s, (rest.get(s) ?? 0) + n)
  for (const r of b.byStatusUnit)
    if (r.unit == null) rest.set(STATUSES[r.status]!, (rest.get(STATUSES[r.status]!) ?? 0) + r.n)
  if (sum(rest) > 0) bars.push(bar(null, rest))
  const backlog: Backlog = {
    at: now,
    total,
    byStatus,
    byUnit: Object.fromEntries([...units].map(([u, m]) => [u, sum(m)])),
    unassigned,
    byCategory: Object.fromEntries(b.byCategory.map((c) => [c.category, c.n])),
    byAge: Object.fromEntries(AGE_BUCKETS.map((a, i) => [a, b.byAge[i]!])) as Backlog['byAge'],
    overdue: b.overdue,
    atRisk: b.atRisk,
  }
  return { backlog, bars, extensions: b.extensions }
}

export function computeDashboard(sql: DashboardSql, input: DashboardInput): Dashboard {
  const { period, now } = input
  const cal = new WorkCalendar(input.reference.calendar)
  const f: DashFilter = { units: input.unit, districts: input.district, viewer: input.viewer }
  const base: QueueFilter = { view: 'all' }
  if (input.unit) base.unit = input.unit
  if (input.district) base.district = input.district
  const prevSpan = input.previous ?? previousPeriod(period)
  const cur = readPeriod(sql, period, f, now)
  const prev = readPeriod(sql, prevSpan, f, now)
  const kpis = { current: toKpis(cur), previous: toKpis(prev) }
  const change = changeBetween(kpis.current, kpis.previous)
  const ct = periodTiles(cur, kpis.current, base)
  const pt = periodTiles(prev, kpis.previous, base)
  const { backlog, bars, extensions } = backlogOf(sql, now, f, base)
  const open = { ...base, status: [...OPEN_STATUSES] }
  const live = (s: Span) => {
    const n = sql.received(s, f).n
    return fig(n, n, { ...base, createdFrom: iso(s.from), createdTo: iso(s.to) })
  }
  const spans = citySpans(cal, now)
  const status = (s: Status) =>
    fig(backlog.byStatus[s] ?? 0, backlog.byStatus[s] ?? 0, {
      ...base,
      status: [s],
    })
  const days = cityDays(cal, period)
  const perDay = sql.perDay(days, f)
  const long = sql.isLong(cur.received.n)
  return {
    period: { from: iso(period.from), to: iso(period.to) },
    previousPeriod: { from: iso(prevSpan.from), to: iso(prevSpan.to) },
    now: iso(now),
    timeZone: cal.timeZone,
    filter: { unit: input.unit, district: input.district },
    kpis: { ...kpis, change, backlog },
    tiles: {
      receivedToday: live(spans.day),
      receivedThisWeek: live(spans.week),
      receivedThisMonth: live(spans.month),
      openBacklog: fig(backlog.total, backlog.total, open),
      overdue: fig(backlog.overdue, backlog.overdue, { ...base, deadline: ['overdue'] }),
      atRisk: fig(backlog.atRisk, backlog.atRisk, { ...base, deadline: ['at_risk'] }),
      awaitingSign: status('dispatched'),
      returnsWaiting: status('return_requested'),
      extensionsWaiting: fig(extensions, extensions, { ...base, view: 'extensions' }),
      callbacksDue: status('replied'),
      received: compared(ct, pt, 'received', change.counts.received),
      completed: compared(ct, pt, 'completed', change.counts.completions),
      onTimeRate: compared(ct, pt, 'onTimeRate', change.onTimeRate),
      satisfactionRate: compared(ct, pt, 'satisfactionRate', change.satisfactionRate),
      avgHandlingDays: compared(ct, pt, 'avgHandlingDays', change.avgHandlingDays),
      avgCompanyHandlingDays: compared(
        ct,
        pt,
        'avgCompanyHandlingDays',
        change.avgCompanyHandlingDays,
      ),
      firstCallResolutionRate: compared(
        ct,
        pt,
        'firstCallResolutionRate',
        change.firstCallResolutionRate,
      ),
      returnRate: compared(ct, pt, 'returnRate', change.returnRate),
      reopenRate: compared(ct, pt, 'reopenRate', change.reopenRate),
    },
    charts: {
      perDay: days.map((d, i) => {
        const r = perDay[i]!
        const range = { from: iso(d.from), to: iso(d.to) }
        return {
          day: d.day,
          ...range,
          received: fig(r.received, r.received, {
            ...base,
            createdFrom: range.from,
            createdTo: range.to,
          }),
          completed: fig(r.completed, r.tickets, {
            ...base,
            event: { type: 'completed', ...range },
          }),
        }
      }),
      backlogByUnit: bars,
      ageBuckets: AGE_BUCKETS.map((bucket, i) => {
        const n = backlog.byAge[bucket]
        // Age in [lo, hi) days: created in (now − hi days, now − lo days].
        const lo = AGE_BUCKET_DAYS[i - 1]
        const hi = AGE_BUCKET_DAYS[i]
        const filter: QueueFilter = { ...open }
        if (lo != null) filter.createdTo = iso(now - lo * DAY + 1)
        if (hi != null) filter.createdFrom = iso(now - hi * DAY + 1)
        return { bucket, figure: fig(n, n, filter) }
      }),
      topCategories: topCategories(sql, cur.span, prevSpan, f, base, long),
      hotspots: sql
        .hotspots(period, f, HOTSPOT_MIN_TICKETS, TOP_HOTSPOTS, long)
        .map(({ place, n }) => ({
          place,
          community: place.startsWith('c:') ? place.slice(2) : null,
          address: place.startsWith('a:') ? place.slice(2) : null,
          figure: fig(n, n, {
            ...base,
            place,
            createdFrom: iso(period.from),
            createdTo: iso(period.to),
          }),
        })),
    },
  }
}

/** The categories with most tickets received (a code counts what is filed under it too). */
function topCategories(
  sql: DashboardSql,
  span: Span,
  prevSpan: Span,
  f: DashFilter,
  base: QueueFilter,
  long: boolean,
) {
  const exact = sql.categories(span, f, long)
  const under = (code: string) =>
    [...exact].reduce((n, [c, k]) => (c.startsWith(code) ? n + k : n), 0)
  const ranked = [...exact.keys()]
    .map((code) => ({ code, n: under(code) }))
    .sort((a, b) => b.n - a.n || (a.code < b.code ? -1 : 1))
    .slice(0, TOP_CATEGORIES)
  const within = (s: Span, code: string): QueueFilter => ({
    ...base,
    category: [code],
    createdFrom: iso(s.from),
    createdTo: iso(s.to),
  })
  return ranked.map(({ code, n }) => {
    const p = sql.categoryCount(code, prevSpan, f)
    return {
      category: code,
      current: fig(n, n, within(span, code)),
      previous: fig(p, p, within(prevSpan, code)),
      change: n - p,
    }
  })
}

export interface DashboardDeps {
  store: LocalStoreApi
  references: ReferenceCache
  session(): StoredSession | null
  now?: () => number
}

export function dashboardHandlers(deps: DashboardDeps): Pick<ApiHandlers, 'dashboard.compute'> {
  return {
    'dashboard.compute': ({ period, previous, unit, district }) => {
      const s = deps.session()
      if (!s) throw notLoggedIn()
      const r = deps.references.get()
      if (!r) throw notReady()
      const from = Date.parse(period.from)
      const to = Date.parse(period.to)
      if (!(to > from) || to - from > MAX_PERIOD_DAYS * DAY)
        throw new ApiFailure(
          'invalid_input',
          {
            zh: `结束时间必须晚于开始时间，且时段不超过 ${MAX_PERIOD_DAYS} 天`,
            en: `The end must be after the start, at most ${MAX_PERIOD_DAYS} days later`,
          },
          'period.to',
        )
      const prev = previous && { from: Date.parse(previous.from), to: Date.parse(previous.to) }
      if (prev && !(prev.to > prev.from && prev.to - prev.from <= to - from))
        throw new ApiFailure(
          'invalid_input',
          {
            zh: '对比时段必须有开始和结束，且不长于所选时段',
            en: 'The compared span needs a start before its end and no more length than the period',
          },
          'previous.to',
        )
      return computeDashboard(deps.store.dashboard(), {
        period: { from, to },
        ...(prev ? { previous: prev } : {}),
        unit: unit ?? null,
        district: district ?? null,
        viewer: { userId: s.user.id, role: s.user.role, unit: s.user.unit },
        now: (deps.now ?? Date.now)(),
        reference: r.data,
      })
    },
  }
}
