// Counts of tickets for the dashboard (migration 3): received ones by category and by place
// (hotspots), open ones by status, unit, category and age. Short spans walk the creation index;
// spans of many tickets walk the category's or the place's index whole, which beats sorting them.
// Also the filter conditions every dashboard query shares.
import type Database from 'better-sqlite3'
import { AGE_BUCKET_DAYS } from '../../shared/kpi'
import { DEADLINE_SQL } from './columns'
import {
  OPEN_CODES,
  ROLLUP_DAY_MS as DAY,
  ROLLUP_OFFSET_MS as OFFSET,
} from './migrations/0003-dashboard'
import { scope, type Where } from './queue-sql'
import type { Viewer } from './types'

export interface DashFilter {
  units: readonly string[] | null
  districts: readonly string[] | null
  viewer: Viewer
}

export interface Span {
  from: number
  to: number
}

export interface OpenTickets {
  byStatusUnit: Array<{ status: number; unit: string | null; n: number }>
  byCategory: Array<{ category: string; n: number }>
  /** Open tickets by age bucket, in AGE_BUCKETS order. */
  byAge: number[]
  overdue: number
  atRisk: number
  extensions: number
}

/** Spans with more received tickets than this group categories and places off their index. */
const LONG = 150_000
/** The first whole day of the per-day sums from `ms` on, and the day `ms` falls in. */
export const firstDay = (ms: number): number => Math.ceil((ms + OFFSET) / DAY)
export const lastDay = (ms: number): number => Math.floor((ms + OFFSET) / DAY)
const dayStart = (d: number) => d * DAY - OFFSET

export class DashboardBase {
  constructor(protected readonly stmt: (sql: string) => Database.Statement) {}

  /** The per-day sums keep districts, not units or co-units: those filters read rows. */
  protected summed = (f: DashFilter): boolean => f.units == null && f.viewer.role !== 'unit'

  /** The conditions of `f` on table alias `a` (tickets `t`, or kpi_facts). */
  protected where(f: DashFilter, a: string): Where {
    const w: Where = { sql: [], params: [] }
    // An empty list matches nothing: `IN (NULL)`, as a constant 0 would leave INDEXED BY
    // without a plan.
    const anyOf = (col: string, v: readonly string[]) => {
      w.sql.push(`${a}.${col} IN (${v.map(() => '?').join(', ') || 'NULL'})`)
      w.params.push(...v)
    }
    if (f.units) anyOf('unit', f.units)
    if (f.districts) anyOf('district', f.districts)
    if (f.viewer.role === 'unit') {
      const s: Where = { sql: [], params: [] }
      scope(s, f.viewer)
      if (a === 't') w.sql.push(...s.sql)
      else w.sql.push(`${a}.rid IN (SELECT t.rid FROM tickets t WHERE ${s.sql.join(' AND ')})`)
      w.params.push(...s.params)
    }
    return w
  }

  protected and = (w: Where): string => w.sql.map((s) => ` AND ${s}`).join('')

  /** Whole days of the per-day sums inside `s`, and the parts left at either end. */
  protected split(s: Span, f: DashFilter): { days: [number, number] | null; edges: Span[] } {
    const a = firstDay(s.from)
    const b = lastDay(s.to)
    if (!this.summed(f) || a >= b) return { days: null, edges: s.to > s.from ? [s] : [] }
    const edges = [
      { from: s.from, to: dayStart(a) },
      { from: dayStart(b), to: s.to },
    ].filter((e) => e.to > e.from)
    return { days: [a, b], edges }
  }

  /** The district filter, on a table of per-day sums. */
  protected districtsOf(f: DashFilter): Where {
    const w: Where = { sql: [], params: [] }
    if (f.districts) {
      w.sql.push(`district IN (${f.districts.map(() => '?').join(', ') || 'NULL'})`)
      w.params.push(...f.districts)
    }
    return w
  }
}

export class TicketCounts extends DashboardBase {
  /** Received tickets from which a span is a long one (tests lower it to try both ways). */
  longFrom = LONG

  isLong = (received: number): boolean => received > this.longFrom

  private receivedBy(s: Span, f: DashFilter, long: boolean, index: string, extra = '') {
    const w = this.where(f, 't')
    // Unit filters and scopes: the planner picks the unit's index (unit, rid). Otherwise the
    // creation index for a short span, the grouped column's own for a long one (the row id in
    // its entries gives the creation time: rid = created_at * 1024 + slot).
    if (this.summed(f) && !long)
      return {
        sql: `FROM tickets t INDEXED BY tickets_created
          WHERE t.created_at >= ? AND t.created_at < ?${extra}${this.and(w)}`,
        params: [s.from, s.to, ...w.params],
      }
    return {
      sql: `FROM tickets t ${this.summed(f) ? `INDEXED BY ${index}` : ''}
        WHERE t.rid >= ? AND t.rid < ?${extra}${this.and(w)}`,
      params: [s.from * 1024, s.to * 1024, ...w.params],
    }
  }

  /** Received tickets in `s` by exact category code. */
  categories(s: Span, f: DashFilter, long: boolean): Map<string, number> {
    const { days, edges } = this.split(s, f)
    if (long && days && !edges.length) {
      // Whole days: their per-day sums by category, walked in category order.
      const w = this.districtsOf(f)
      const rows = this.stmt(
        `SELECT category, sum(n) AS n FROM kpi_categories WHERE day >= ? AND day < ?${this.and(w)}
         GROUP BY category HAVING sum(n) > 0`,
      ).all(...days, ...w.params) as Array<{ category: string; n: number }>
      return new Map(rows.map((r) => [r.category, r.n]))
    }
    const q = this.receivedBy(s, f, long, 'tickets_category_district')
    const rows = this.stmt(`SELECT t.category, count(*) AS n ${q.sql} GROUP BY t.category`).all(
      ...q.params,
    ) as Array<{ category: string; n: number }>
    return new Map(rows.map((r) => [r.category, r.n]))
  }

  /** Received tickets in `s` filed under category `code` (or a code below it). */
  categoryCount(code: string, s: Span, f: DashFilter): number {
    const w = this.where(f, 't')
    const hint = this.summed(f) ? 'INDEXED BY tickets_category_district' : ''
    return (
      this.stmt(
        `SELECT count(*) AS n FROM tickets t ${hint} WHERE t.category >= ? AND t.category < ?
           AND t.rid >= ? AND t.rid < ?${this.and(w)}`,
      ).get(code, `${code}:`, s.from * 1024, s.to * 1024, ...w.params) as { n: number }
    ).n
  }

  /** Places with at least `min` tickets received in `s`, most first (then by key), `limit`. */
  hotspots(s: Span, f: DashFilter, min: number, limit: number, long: boolean) {
    const q = this.receivedBy(s, f, long, 'tickets_place', ' AND t.place IS NOT NULL')
    return this.stmt(
      `SELECT t.place, count(*) AS n ${q.sql}
       GROUP BY t.place HAVING n >= ? ORDER BY n DESC, t.place LIMIT ?`,
    ).all(...q.params, min, limit) as Array<{ place: string; n: number }>
  }

  /** The open tickets at `now`: by status and unit, category, age; overdue, at risk. */
  openTickets(nowMs: number, f: DashFilter): OpenTickets {
    const w = this.where(f, 't')
    // Age buckets (ageBucket in kpi-backlog.ts): bucket i is an age in [b(i-1), b(i)) days,
    // i.e. created in (now − b(i) days, now − b(i-1) days].
    const bound = Object.fromEntries(AGE_BUCKET_DAYS.map((d, i) => [`b${i}`, nowMs - d * DAY]))
    const ages = [...AGE_BUCKET_DAYS, null].map((_, i) =>
      [i > 0 && `t.created_at <= @b${i - 1}`, i < AGE_BUCKET_DAYS.length && `t.created_at > @b${i}`]
        .filter(Boolean)
        .join(' AND '),
    )
    const open = `FROM tickets t WHERE t.status IN (${OPEN_CODES})${this.and(w)}`
    const dl = (s: 'overdue' | 'at_risk') =>
      DEADLINE_SQL[s].sql.replaceAll('dl_', 't.dl_').replaceAll('?', '@now')
    const rows = this.stmt(
      `SELECT t.status, t.unit, count(*) AS n,
         ${ages.map((a, i) => `sum(${a}) AS a${i}`).join(', ')},
         sum(${dl('overdue')}) AS overdue, sum(${dl('at_risk')}) AS at_risk
       ${open} GROUP BY t.status, t.unit`,
    ).all(...w.params, { ...bound, now: nowMs }) as Array<
      { status: number; unit: string | null } & Record<string, number>
    >
    const total = (k: string) => rows.reduce((n, r) => n + (r[k] ?? 0), 0)
    return {
      byStatusUnit: rows.map((r) => ({ status: r.status, unit: r.unit, n: r.n! })),
      byCategory: this.stmt(`SELECT t.category, count(*) AS n ${open} GROUP BY t.category`).all(
        ...w.params,
      ) as Array<{ category: string; n: number }>,
      byAge: ages.map((_, i) => total(`a${i}`)),
      overdue: total('overdue'),
      atRisk: total('at_risk'),
      extensions: (
        this.stmt(`SELECT count(*) AS n FROM tickets t WHERE t.extension = 1${this.and(w)}`).get(
          ...w.params,
        ) as { n: number }
      ).n,
    }
  }
}
