// Where a ticket stands against its deadlines at a given moment (DESIGN.md §3).
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
  const spans: Array<string | null> = [t.signedAt == null ? t.signBy : null, t.dueAt]
  for (const end of spans) {
    if (end == null) continue
    const endMs = Date.parse(end)
    if (nowMs > endMs) return 'overdue'
    const total = endMs - start
    if (total > 0 && (endMs - nowMs) / total < atRiskFraction) state = 'at_risk'
  }
  return state
}

/** Overdue now, by the same rule; the common question, without the at-risk arithmetic. */
export const isOverdue = (t: DeadlineFields, nowMs: number): boolean =>
  deadlineState(t, nowMs, 0) === 'overdue'
