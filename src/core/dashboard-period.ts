// The period half of the dashboard (dashboard.ts): one period's sums read from the cache, put
// back into computeKpis' PeriodKpis, and the period tiles with the queue filter of each figure.
import type { QueueFilter } from '../shared/api'
import type { Compared, Figure, KpiEvent, RateTile, Span } from '../shared/dashboard'
import { ratio, type PeriodKpis } from '../shared/kpi'
import { meanDays } from '../shared/kpi-period'
import { SATISFACTIONS } from '../shared/ticket'
import type { DashboardSql, DashFilter, KindSums, MultiCounts } from './db/dashboard-sql'
import { FACT_KIND } from './db/migrations/0003-dashboard'

export const DAY = 86_400_000
export const iso = (ms: number): string => new Date(ms).toISOString()
export const fig = (count: number, tickets: number, filter: QueueFilter): Figure => ({
  count,
  tickets,
  filter,
})

/** One period's sums, as read from the cache. */
export interface PeriodSums {
  span: Span
  received: { n: number; answered: number }
  answeredByEvent: number
  kinds: KindSums
  multi: MultiCounts
  returned: { paired: number; tickets: number }
  reopened: { paired: number; tickets: number }
  /** 按时办结率 (应办结): judged as of `now`, and on time. */
  due: { n: number; ok: number; now: number }
}

export function readPeriod(sql: DashboardSql, span: Span, f: DashFilter, now: number): PeriodSums {
  return {
    due: { ...sql.due(span, f, now), now },
    span,
    received: sql.received(span, f),
    answeredByEvent: sql.answeredByEvent(span, f),
    kinds: sql.facts(span, f),
    multi: sql.multi(span, f),
    returned: sql.paired('returned', span, f),
    reopened: sql.paired('reopened', span, f),
  }
}

/** The sums as computeKpis reports them (kpi-period.ts defines each). */
export function toKpis(p: PeriodSums): PeriodKpis {
  const k = (name: KpiEvent) => p.kinds[FACT_KIND[name]]!
  const done = k('completed').all
  const company = k('completed').company
  const cb = k('called_back').all
  return {
    period: { ...p.span },
    counts: {
      received: p.received.n,
      completions: done.n,
      dispatches: k('dispatched').all.n,
      returnsApproved: k('returned').all.n,
      redos: k('reopened').all.n,
      callbacks: cb.n,
    },
    onTimeRate: ratio(p.due.ok, p.due.n),
    satisfactionRate: {
      ...ratio(cb.s0 + cb.s1, cb.s0 + cb.s1 + cb.s2),
      satisfied: cb.s0,
      basicallySatisfied: cb.s1,
      unsatisfied: cb.s2,
    },
    avgHandlingDays: meanDays(done.ms / DAY, done.n),
    avgCompanyHandlingDays: meanDays(company.ms / DAY, company.n),
    returnRate: ratio(p.returned.paired, k('dispatched').all.n),
    reopenRate: ratio(p.reopened.paired, done.n),
    firstCallResolutionRate: ratio(p.received.answered + p.answeredByEvent, p.received.n),
  }
}

/** The period tiles of one period, each figure with its drill-down. */
export function periodTiles(p: PeriodSums, kpis: PeriodKpis, base: QueueFilter) {
  const range = { from: iso(p.span.from), to: iso(p.span.to) }
  const on = (type: KpiEvent, more: Partial<NonNullable<QueueFilter['event']>> = {}) => ({
    ...base,
    event: { type, ...range, ...more },
  })
  const created = { ...base, createdFrom: range.from, createdTo: range.to }
  const k = (name: KpiEvent) => p.kinds[FACT_KIND[name]]!
  const m = (name: KpiEvent) => p.multi[FACT_KIND[name]]!
  const done = k('completed').all
  const cb = k('called_back').all
  const completed = fig(done.n, done.n1 + m('completed').all!, on('completed'))
  // 按时办结率 (应办结): each ticket judged once, so its count is its tickets.
  const due = (onTime?: boolean) => ({
    ...base,
    due: { ...range, now: iso(p.due.now), ...(onTime === undefined ? {} : { onTime }) },
  })
  const judged = fig(p.due.n, p.due.n, due())
  const onTime = fig(p.due.ok, p.due.ok, due(true))
  const late = fig(p.due.n - p.due.ok, p.due.n - p.due.ok, due(false))
  const sat = (i: 0 | 1 | 2) =>
    fig(cb[`s${i}`], cb[`s${i}_1`] + m('called_back')[`s${i}`]!, {
      ...on('called_back', { satisfaction: [SATISFACTIONS[i]] }),
    })
  const rated = fig(
    cb.s0 + cb.s1 + cb.s2,
    cb.s0_1 + cb.s1_1 + cb.s2_1 + m('called_back').rated!,
    on('called_back', { satisfaction: [...SATISFACTIONS] }),
  )
  const good = fig(
    cb.s0 + cb.s1,
    cb.s0_1 + cb.s1_1 + m('called_back').good!,
    on('called_back', { satisfaction: ['satisfied', 'basically_satisfied'] }),
  )
  const company = k('completed').company
  const received = fig(p.received.n, p.received.n, created)
  const answered = p.received.answered + p.answeredByEvent
  const dispatched = k('dispatched').all
  const rate = (numerator: Figure, denominator: Figure, r: number | null): RateTile => ({
    rate: r,
    numerator,
    denominator,
  })
  return {
    received,
    completed,
    onTimeRate: { ...rate(onTime, judged, kpis.onTimeRate.rate), late },
    satisfactionRate: {
      ...rate(good, rated, kpis.satisfactionRate.rate),
      satisfied: sat(0),
      basicallySatisfied: sat(1),
      unsatisfied: sat(2),
    },
    avgHandlingDays: { days: kpis.avgHandlingDays.mean, count: completed },
    avgCompanyHandlingDays: {
      days: kpis.avgCompanyHandlingDays.mean,
      count: fig(company.n, company.n1 + m('completed').company!, {
        ...on('completed'),
        company: true,
      }),
    },
    firstCallResolutionRate: rate(
      fig(answered, answered, { ...created, answered: true }),
      received,
      kpis.firstCallResolutionRate.rate,
    ),
    returnRate: rate(
      fig(p.returned.paired, p.returned.tickets, on('returned')),
      fig(dispatched.n, dispatched.n1 + m('dispatched').all!, on('dispatched')),
      kpis.returnRate.rate,
    ),
    reopenRate: rate(
      fig(p.reopened.paired, p.reopened.tickets, on('reopened')),
      completed,
      kpis.reopenRate.rate,
    ),
  }
}

export type PeriodTiles = ReturnType<typeof periodTiles>

export function compared<K extends keyof PeriodTiles>(
  cur: PeriodTiles,
  prev: PeriodTiles,
  key: K,
  change: number | null,
): Compared<PeriodTiles[K]> {
  return { current: cur[key], previous: prev[key], change }
}
