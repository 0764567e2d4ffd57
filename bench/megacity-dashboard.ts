// The dashboard's aggregates as SQL on the server, for the megacity benchmarks: bench/megacity.ts
// times them at every step, bench/megacity-queries.ts explains them (before and after indexes).
import { OPEN_STATUSES } from '../src/shared/ticket'

const DAY = 24 * 3600_000
const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')

/** [name, SQL, parameters] of each aggregate, over the 30 days before `nowMs`. */
export function dashboardQueries(nowMs: number): Array<[string, string, unknown[]]> {
  const monthStart = new Date(nowMs - 30 * DAY).toISOString()
  const nowIso = new Date(nowMs).toISOString()
  return [
    [
      'received by category, 30 days',
      `select category, count(*) from tickets where created_at >= $1 group by category
       order by 2 desc limit 10`,
      [monthStart],
    ],
    [
      'received per day, 30 days',
      `select substr(created_at, 1, 10) as day, count(*) from tickets where created_at >= $1
       group by 1`,
      [monthStart],
    ],
    [
      'backlog by status and unit, overdue',
      `select status, unit, count(*) as n, count(*) filter (where due_at < $1) as overdue
       from tickets where status in (${OPEN}) group by status, unit`,
      [nowIso],
    ],
    [
      'on-time completion, 30 days',
      `select count(*) as due, count(*) filter (where completed_at is not null
         and completed_at <= due_at) as on_time
       from tickets where due_at >= $1 and due_at < $2`,
      [monthStart, nowIso],
    ],
    [
      'satisfaction from callbacks, 30 days',
      `select (data::json -> 'data' ->> 'satisfaction') as s, count(*) from timeline_events
       where type = 'called_back' and at >= $1 group by 1`,
      [monthStart],
    ],
  ]
}
