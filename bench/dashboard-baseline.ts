// The baseline of bench/dashboard.ts: the dashboard's aggregates written straight against the
// cache's `tickets` and `events` on a bare better-sqlite3 connection — events decoded from their
// JSON as they are read, no KPI facts, no per-day sums — as one would without migration 3.
import type Database from 'better-sqlite3'

export interface BaselineCase {
  from: number
  to: number
  units: string[] | null
}

const DAY = 86_400_000
const CITY = 8 * 3_600_000
const OPEN = '0, 1, 2, 3, 4'

export function baseline(db: Database.Database, c: BaselineCase, nowMs: number) {
  const unit = c.units ? ` AND t.unit IN (${c.units.map(() => '?').join(', ')})` : ''
  const u = c.units ?? []
  const period = (from: number, to: number) => {
    const events = db
      .prepare(
        `WITH e AS (SELECT json_extract(e.data, '$.type') AS type, e.at, e.data, t.created_at,
             t.company, t.due_at, e.ticket_id
           FROM events e JOIN tickets t ON t.id = e.ticket_id
           WHERE e.at >= ? AND e.at < ?${unit})
         SELECT
           sum(type IN ('answered', 'replied')) AS completions,
           sum(type IN ('answered', 'replied') AND CASE json_type(data, '$.data.dueAt')
             WHEN 'text' THEN at <= unixepoch(json_extract(data, '$.data.dueAt'), 'subsec') * 1000
             WHEN 'null' THEN 1 ELSE due_at IS NULL OR at <= due_at END) AS on_time,
           sum(CASE WHEN type IN ('answered', 'replied') THEN at - created_at END) AS handling,
           sum(CASE WHEN type IN ('answered', 'replied') AND company THEN at - created_at END)
             AS company_handling,
           sum(type = 'called_back') AS callbacks,
           sum(type = 'called_back' AND json_extract(data, '$.data.satisfaction')
             IN ('satisfied', 'basically_satisfied')) AS good,
           sum(type = 'dispatched') AS dispatches,
           sum(type = 'return_approved' AND EXISTS (SELECT 1 FROM events d
             WHERE d.ticket_id = e.ticket_id AND d.at >= ? AND d.at <= e.at
               AND json_extract(d.data, '$.type') = 'dispatched')) AS returns_paired,
           sum(type = 'redone') AS redos
         FROM e`,
      )
      .get(from, to, ...u, from)
    const received = db
      .prepare(
        `SELECT count(*) AS n, sum(t.answered) AS answered FROM tickets t
         WHERE t.rid >= ? AND t.rid < ?${unit}`,
      )
      .get(from * 1024, to * 1024, ...u)
    return { events, received }
  }
  const current = period(c.from, c.to)
  const previous = period(2 * c.from - c.to, c.from)
  const range = [c.from * 1024, c.to * 1024, ...u]
  const perDay = db
    .prepare(
      `SELECT (t.created_at + ${CITY}) / ${DAY} AS day, count(*) AS n FROM tickets t
       WHERE t.rid >= ? AND t.rid < ?${unit} GROUP BY day`,
    )
    .all(...range)
  const completedPerDay = db
    .prepare(
      `SELECT (e.at + ${CITY}) / ${DAY} AS day, count(*) AS n FROM events e
       JOIN tickets t ON t.id = e.ticket_id
       WHERE e.at >= ? AND e.at < ? AND json_extract(e.data, '$.type') IN ('answered', 'replied')
         ${unit} GROUP BY day`,
    )
    .all(c.from, c.to, ...u)
  const categories = db
    .prepare(
      `SELECT t.category, count(*) AS n FROM tickets t WHERE t.rid >= ? AND t.rid < ?${unit}
       GROUP BY t.category ORDER BY n DESC LIMIT 10`,
    )
    .all(...range)
  const hotspots = db
    .prepare(
      `SELECT t.place, count(*) AS n FROM tickets t WHERE t.rid >= ? AND t.rid < ?${unit}
         AND t.place IS NOT NULL GROUP BY t.place HAVING n >= 3 ORDER BY n DESC LIMIT 10`,
    )
    .all(...range)
  const backlog = db
    .prepare(
      `SELECT t.status, t.unit, count(*) AS n, sum(t.dl_over < ?) AS overdue,
         sum(t.dl_over >= ? AND t.dl_risk <= ?) AS at_risk,
         sum(t.created_at > ? - ${DAY}) AS lt1 FROM tickets t
       WHERE t.status IN (${OPEN})${unit} GROUP BY t.status, t.unit`,
    )
    .all(nowMs, nowMs, nowMs, nowMs, ...u)
  return { current, previous, perDay, completedPerDay, categories, hotspots, backlog }
}
