// How far past its deadline a ticket is, in working days of the city's calendar, and the words
// the automatic urge and supervision put on its timeline.
import type { WorkCalendar } from '../../shared/calendar'
import { firstMissed } from '../../shared/deadline-state'
import type { Status, Ticket } from '../../shared/ticket'

/** The states urging and supervision apply to (the rules' `from` for both actions). */
export const URGEABLE: readonly Status[] = ['dispatched', 'in_progress']

export interface Overdue {
  /** The deadline missed first: the sign-by while unsigned, else the due time. */
  deadline: 'signBy' | 'due'
  sinceMs: number
  /** Working days begun since the deadline's local day: 1 on the first working day after it. */
  workingDays: number
}

/**
 * Whether the ticket is overdue at `nowMs` in a state it can be urged in, and by how much; null
 * when it is not. "Overdue" is src/shared/deadline-state.ts's rule, the one every screen shows.
 */
export function overdueAt(t: Ticket, nowMs: number, cal: WorkCalendar): Overdue | null {
  if (!URGEABLE.includes(t.status)) return null
  const first = firstMissed(t, nowMs)
  if (!first) return null
  return {
    deadline: first.deadline,
    sinceMs: first.ms,
    workingDays: cal.workingDaysAfter(first.ms, nowMs),
  }
}

const late = (o: Overdue) =>
  o.workingDays > 0 ? `已超时 ${o.workingDays} 个工作日` : '已超时，不足 1 个工作日'

/** The urge's text on the timeline, e.g. `系统自动催办：已超时 2 个工作日`. */
export function urgeText(o: Overdue): string {
  return o.deadline === 'signBy'
    ? `系统自动催办：超时未签收，${late(o)}`
    : `系统自动催办：${late(o)}`
}

/** The supervision's text, naming the configured threshold. */
export function superviseText(o: Overdue, afterDays: number): string {
  return `系统自动督办：${late(o)}，已达 ${afterDays} 个工作日督办标准`
}
