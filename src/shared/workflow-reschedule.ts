// Deadlines counted again after the working calendar changed (issue 19): the server applies this
// to open tickets when an admin enters a year's official holidays, so a due time counted on the
// provisional year moves to where the notice puts it, with one line on the ticket's timeline.
//
// Only what still lies ahead moves: a sign-by or due time already past stays (the ticket was
// late by the calendar it had), a due time granted by an extension stays (a person chose that
// date), and so does an extension asked for. The deadlines are counted as at dispatch, from
// `dispatchedAt` with the current rules — as an edit of the ticket's nature does.
import { computeDeadlines } from './deadlines'
import type { Status, Ticket } from './ticket'
import { rule, type Rule } from './workflow-rule-kit'
import { refuse } from './workflow-support'

/** States in which the unit's clocks run. */
const CLOCKED: readonly Status[] = ['dispatched', 'in_progress', 'return_requested']

const unchanged = refuse(
  'deadlines_unchanged',
  '按现行日历重算后期限不变',
  'The deadlines are the same by the current calendar',
)

export const reschedule: Rule<'ticket.reschedule'> = rule('ticket.reschedule', {
  roles: ['system'],
  from: CLOCKED,
  apply(t, { reason }, _actor, nowMs, ctx) {
    if (t.dispatchedAt == null) return unchanged
    const d = computeDeadlines(t, Date.parse(t.dispatchedAt), ctx.deadlines, ctx.calendar)
    const ahead = (at: string | null) => at != null && Date.parse(at) > nowMs
    const next: Ticket = { ...t }
    const data: Record<string, unknown> = {}
    if (t.signedAt == null && ahead(t.signBy) && d.signBy !== t.signBy) {
      next.signBy = d.signBy
      data.signBy = { from: t.signBy, to: d.signBy }
    }
    const granted = t.extension.state === 'granted'
    if (!granted && ahead(t.dueAt) && d.dueAt !== t.dueAt) {
      next.dueAt = d.dueAt
      next.extension = { ...t.extension, originalDueAt: d.dueAt }
      data.dueAt = { from: t.dueAt, to: d.dueAt }
    }
    // A ticket whose deadlines have all passed is left as it is (the mark on it is read against
    // the current calendar: provisionalNow in deadline-state.ts).
    const running = ahead(t.dueAt) || (t.signedAt == null && ahead(t.signBy))
    if (!running) return unchanged
    next.deadlinesProvisional = !granted && d.provisional
    const wasProvisional = t.deadlinesProvisional === true
    if (Object.keys(data).length === 0 && wasProvisional === next.deadlinesProvisional)
      return unchanged
    return {
      ticket: next,
      event: 'rescheduled',
      data: { ...data, reason, provisional: next.deadlinesProvisional },
    }
  },
})
