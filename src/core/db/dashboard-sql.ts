// The dashboard's aggregates over the cache (tables of migration 3): sums for a span of time read
// from the per-day sums where the span covers whole (UTC+8) days and from the rows for the rest,
// so every answer is exact whatever the span; the rows alone when a unit filter or a unit's scope
// applies (a unit's rows are few). Counts of tickets are in dashboard-counts.ts.
import { TicketCounts, firstDay, lastDay, type DashFilter, type Span } from './dashboard-counts'
import { DAY_SUMS, FACT_KIND, ON_TIME, shares } from './migrations/0003-dashboard'
import { DUE_SQL, ON_TIME_DONE } from './due-sql'

export type { DashFilter, Span } from './dashboard-counts'

export type Sums = Record<(typeof DAY_SUMS)[number], number>
/** Per fact kind (FACT_KIND): all the facts' sums, and those of company requests alone. */
export type KindSums = Array<{ all: Sums; company: Sums }>
/** Distinct tickets among the facts with multi = 1, per kind, by what the figures ask. */
const MULTI_COUNTS = ['all', 'ok', 'late', 'company', 's0', 's1', 's2', 'rated', 'good']
export type MultiCounts = Array<Record<string, number>>

const COMPLETED = FACT_KIND.completed
const zero = (): Sums => Object.fromEntries(DAY_SUMS.map((c) => [c, 0])) as Sums

export class DashboardSql extends TicketCounts {
  /**
   * 按时办结率 (应办结, due-sql.ts): tickets judged for on-time completion in `s` as of `now`,
   * and those replied by their due — by the due index.
   */
  due(s: Span, f: DashFilter, now: number): { n: number; ok: number } {
    const w = this.where(f, 't')
    const d = DUE_SQL()
    return this.stmt(
      `SELECT count(*) AS n, coalesce(sum(CASE WHEN ${ON_TIME_DONE} THEN 1 ELSE 0 END), 0) AS ok
       FROM tickets t WHERE ${d.sql}${this.and(w)}`,
    ).get(...d.params(s.from, s.to, now), ...w.params) as { n: number; ok: number }
  }

  /** Received tickets in `s` and those answered on the call by their state. */
  received(s: Span, f: DashFilter): { n: number; answered: number } {
    const out = { n: 0, answered: 0 }
    const { days, edges } = this.split(s, f)
    if (days) {
      const w = this.districtsOf(f)
      const r = this.stmt(
        `SELECT coalesce(sum(n), 0) AS n, coalesce(sum(answered), 0) AS answered
         FROM kpi_received WHERE day >= ? AND day < ?${this.and(w)}`,
      ).get(...days, ...w.params) as { n: number; answered: number }
      out.n += r.n
      out.answered += r.answered
    }
    for (const e of edges) {
      const w = this.where(f, 't')
      const r = this.stmt(
        `SELECT count(*) AS n, coalesce(sum(t.answered), 0) AS answered FROM tickets t
         WHERE t.rid >= ? AND t.rid < ?${this.and(w)}`,
      ).get(e.from * 1024, e.to * 1024, ...w.params) as { n: number; answered: number }
      out.n += r.n
      out.answered += r.answered
    }
    return out
  }

  /** Received in `s`, not answered by state, with an `answered` event (at any time). */
  answeredByEvent(s: Span, f: DashFilter): number {
    const w = this.where(f, 'f')
    return (
      this.stmt(
        `SELECT count(DISTINCT f.ticket_id) AS n FROM kpi_facts f
         WHERE f.kind = ${FACT_KIND.completed} AND f.answered_evt = 1
           AND f.created >= ? AND f.created < ?
           AND f.answered = 0 AND f.rid IS NOT NULL${this.and(w)}`,
      ).get(s.from, s.to, ...w.params) as { n: number }
    ).n
  }

  /** The facts' sums over `s`, per kind, all and company requests. */
  facts(s: Span, f: DashFilter): KindSums {
    const out: KindSums = Object.values(FACT_KIND).map(() => ({ all: zero(), company: zero() }))
    const add = (rows: Array<Sums & { kind: number; company: number }>) => {
      for (const r of rows)
        for (const c of DAY_SUMS) {
          out[r.kind]!.all[c] += r[c]
          if (r.company) out[r.kind]!.company[c] += r[c]
        }
    }
    const { days, edges } = this.split(s, f)
    if (days) {
      const w = this.districtsOf(f)
      add(
        this.stmt(
          `SELECT kind, company, ${DAY_SUMS.map((c) => `sum(${c}) AS ${c}`).join(', ')}
           FROM kpi_days WHERE day >= ? AND day < ?${this.and(w)} GROUP BY kind, company`,
        ).all(...days, ...w.params) as Array<Sums & { kind: number; company: number }>,
      )
    }
    const kinds = Object.values(FACT_KIND).join(', ')
    for (const e of edges) {
      const w = this.where(f, 'f')
      add(
        this.stmt(
          `SELECT f.kind, f.company, ${shares('f')
            .map((x, i) => `sum(${x}) AS ${DAY_SUMS[i]}`)
            .join(', ')}
           FROM kpi_facts f WHERE f.kind IN (${kinds}) AND f.at >= ? AND f.at < ?
             AND f.rid IS NOT NULL${this.and(w)} GROUP BY f.kind, f.company`,
        ).all(e.from, e.to, ...w.params) as Array<Sums & { kind: number; company: number }>,
      )
    }
    return out
  }

  /**
   * Distinct tickets among the facts with multi = 1 (tickets with more than one of their kind),
   * in `s`, per kind: each ticket once, flagged with what any of its facts there was.
   */
  multi(s: Span, f: DashFilter): MultiCounts {
    const w = this.where(f, 'f')
    const flags: Record<number, Record<string, string>> = {
      [FACT_KIND.completed]: {
        ok: ON_TIME('f'),
        late: `NOT ${ON_TIME('f')}`,
        company: 'f.company = 1',
      },
      [FACT_KIND.called_back]: {
        s0: 'f.sat = 0',
        s1: 'f.sat = 1',
        s2: 'f.sat = 2',
        rated: 'f.sat IS NOT NULL',
        good: 'f.sat < 2',
      },
      [FACT_KIND.dispatched]: {},
    }
    const out: MultiCounts = Object.values(FACT_KIND).map(() =>
      Object.fromEntries(MULTI_COUNTS.map((k) => [k, 0])),
    )
    for (const [kind, flag] of Object.entries(flags)) {
      const names = Object.keys(flag)
      const row = this.stmt(
        `SELECT count(*) AS "all"${names.map((k) => `, coalesce(sum(${k}), 0) AS ${k}`).join('')}
         FROM (SELECT f.ticket_id${names.map((k) => `, max(coalesce(${flag[k]}, 0)) AS ${k}`).join('')}
           FROM kpi_facts f INDEXED BY kpi_facts_multi WHERE f.multi = 1 AND f.kind = ?
             AND f.at >= ? AND f.at < ? AND f.rid IS NOT NULL${this.and(w)}
           GROUP BY f.ticket_id)`,
      ).get(Number(kind), s.from, s.to, ...w.params) as Record<string, number>
      Object.assign(out[Number(kind)]!, row)
    }
    return out
  }

  /**
   * The return (reopen) rate's numerator (kpi-period.ts): per ticket, its returns (redos) in
   * `s` at or after its first dispatch (completion) in `s` — those whose `anchor_at` is in `s`
   * — but no more than its dispatches (completions) in `s`, which only a ticket with several
   * returns can exceed; and the tickets with at least one.
   */
  paired(kind: 'returned' | 'reopened', s: Span, f: DashFilter) {
    const later = FACT_KIND[kind]
    const anchor = kind === 'returned' ? FACT_KIND.dispatched : FACT_KIND.completed
    const w = this.where(f, 'f')
    const named = { later, anchor, from: s.from, to: s.to }
    const q = `FROM kpi_facts f WHERE f.kind = @later AND f.at >= @from AND f.at < @to
      AND f.anchor_at >= @from AND f.rid IS NOT NULL${this.and(w)}`
    const { n } = this.stmt(`SELECT count(*) AS n ${q}`).get(...w.params, named) as { n: number }
    const several = this.stmt(
      `SELECT count(*) AS r, (SELECT count(*) FROM kpi_facts a WHERE a.ticket_id = f.ticket_id
         AND a.kind = @anchor AND a.at >= @from AND a.at < @to) AS d
       ${q} AND f.multi = 1 GROUP BY f.ticket_id HAVING count(*) > 1`,
    ).all(...w.params, named) as Array<{ r: number; d: number }>
    return {
      paired: several.reduce((p, x) => p - Math.max(0, x.r - x.d), n),
      tickets: several.reduce((t, x) => t - (x.r - 1), n),
    }
  }

  /** Per city day (spans, in order, adjoining): received, completions, distinct tickets completed. */
  perDay(days: readonly Span[], f: DashFilter) {
    const out = days.map(() => ({ received: 0, completed: 0, tickets: 0, seen: new Set<string>() }))
    if (!days.length) return out
    const all = { from: days[0]!.from, to: days.at(-1)!.to }
    const at = (ms: number) => {
      let lo = 0
      let hi = days.length - 1
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if (days[mid]!.from <= ms) lo = mid
        else hi = mid - 1
      }
      return out[lo]!
    }
    const wf = this.where(f, 'f')
    const completions = (multiOnly: boolean) =>
      this.stmt(
        `SELECT f.at, f.multi, f.ticket_id FROM kpi_facts f
         ${multiOnly ? 'INDEXED BY kpi_facts_multi WHERE f.multi = 1 AND' : 'WHERE'} f.kind = ${COMPLETED}
           AND f.at >= ? AND f.at < ? AND f.rid IS NOT NULL${this.and(wf)}`,
      ).all(all.from, all.to, ...wf.params) as Array<{
        at: number
        multi: number
        ticket_id: string
      }>
    if (!this.summed(f)) {
      // A unit's or a scope's rows are few: bucket them here.
      const wt = this.where(f, 't')
      for (const r of this.stmt(
        `SELECT t.created_at AS at FROM tickets t WHERE t.rid >= ? AND t.rid < ?${this.and(wt)}`,
      ).all(all.from * 1024, all.to * 1024, ...wt.params) as Array<{ at: number }>)
        at(r.at).received++
      for (const r of completions(false)) {
        const d = at(r.at)
        d.completed++
        if (r.multi) d.seen.add(r.ticket_id)
        else d.tickets++
      }
    } else {
      for (const r of completions(true)) at(r.at).seen.add(r.ticket_id)
      const w = this.districtsOf(f)
      const range = [firstDay(all.from), lastDay(all.to) + 1]
      const received = new Map(
        (
          this.stmt(
            `SELECT day, sum(n) AS n FROM kpi_received WHERE day >= ? AND day < ?${this.and(w)}
             GROUP BY day`,
          ).all(...range, ...w.params) as Array<{ day: number; n: number }>
        ).map((r) => [r.day, r.n]),
      )
      const done = new Map(
        (
          this.stmt(
            `SELECT day, sum(n) AS n, sum(n1) AS n1 FROM kpi_days
             WHERE kind = ${COMPLETED} AND day >= ? AND day < ?${this.and(w)} GROUP BY day`,
          ).all(...range, ...w.params) as Array<{ day: number; n: number; n1: number }>
        ).map((r) => [r.day, r]),
      )
      days.forEach((d, i) => {
        const o = out[i]!
        const { days: whole, edges } = this.split(d, f)
        for (let k = whole?.[0] ?? 0; whole && k < whole[1]; k++) {
          o.received += received.get(k) ?? 0
          o.completed += done.get(k)?.n ?? 0
          o.tickets += done.get(k)?.n1 ?? 0
        }
        for (const e of edges) {
          o.received += this.received(e, f).n
          const c = this.facts(e, f)[FACT_KIND.completed]!.all
          o.completed += c.n
          o.tickets += c.n1
        }
      })
    }
    for (const o of out) o.tickets += o.seen.size
    return out
  }
}
