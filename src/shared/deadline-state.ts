// Where a ticket stands against its deadlines at a given moment (DESIGN.md §3).
import type { WorkCalendar } from './calendar'
import type { Status, Ticket } from './ticket'

export type DeadlineState = 'none' | 'ok' | 'at_risk' | 'overdue'

/** States in which the unit's clocks run: from dispatch until the reply. */
const CLOCK_RUNNING: readonly Status[] = ['dispatched', 'in_progress', 'return_requested']

export type DeadlineFields = Pick<
  Ticket,
  'status' | 'dispatchedAt' | 'signedAt' | 'signBy' | 'dueAt'
>

/**
 * `overdue` when still unsigned past the sign-by time or open past the due time; `at_risk` when
 * less than `atRiskFraction` of either span is left; `none` when no clock runs.
 */
export function deadlineState(
  t: DeadlineFields,
  nowMs: number,
  atRiskFraction: number,
): DeadlineState {
  if (!CLOCK_RUNNING.includes(t.status) || t.dispatchedAt == null) return 'none'
  const start = Date.parse(t.dispatchedAt)
  let state: DeadlineState = 'ok'
  for (const { ms: endMs } of runningDeadlines(t)) {
    if (nowMs > endMs) return 'overdue'
    const total = endMs - start
    if (total > 0 && (endMs - nowMs) / total < atRiskFraction) state = 'at_risk'
  }
  return state
}

/** The deadlines that run: the sign-by while unsigned, and the due time. */
function runningDeadlines(t: DeadlineFields): Array<{ deadline: 'signBy' | 'due'; ms: number }> {
  const out: Array<{ deadline: 'signBy' | 'due'; ms: number }> = []
  if (t.signedAt == null && t.signBy != null)
    out.push({ deadline: 'signBy', ms: Date.parse(t.signBy) })
  if (t.dueAt != null) out.push({ deadline: 'due', ms: Date.parse(t.dueAt) })
  return out
}

/**
 * The deadline an overdue ticket missed first (the sign-by while unsigned, else the due time)
 * and when; null when it is not overdue at `nowMs` — by the same rule as `deadlineState`.
 */
export function firstMissed(
  t: DeadlineFields,
  nowMs: number,
): { deadline: 'signBy' | 'due'; ms: number } | null {
  if (deadlineState(t, nowMs, 0) !== 'overdue') return null
  const missed = runningDeadlines(t).filter((d) => nowMs > d.ms)
  return missed.sort((a, b) => a.ms - b.ms)[0] ?? null
}

/** Overdue now, by the same rule; the common question, without the at-risk arithmetic. */
export const isOverdue = (t: DeadlineFields, nowMs: number): boolean =>
  deadlineState(t, nowMs, 0) === 'overdue'

/**
 * Whether the ticket's deadlines are still provisional: counted on a year without an official
 * holiday notice (the mark set when they were counted), and that year is still not entered.
 */
export function provisionalNow(
  t: Pick<Ticket, 'deadlinesProvisional' | 'dispatchedAt' | 'signBy' | 'dueAt'>,
  cal: WorkCalendar,
): boolean {
  if (t.deadlinesProvisional !== true || t.dispatchedAt == null) return false
  const from = Date.parse(t.dispatchedAt)
  const last = Math.max(...[t.signBy, t.dueAt].map((d) => (d ? Date.parse(d) : from)))
  return cal.touchesProvisional(from, last)
}
