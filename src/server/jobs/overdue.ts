// How far past its deadline a ticket is, in working days of the city's calendar, and the words
// the automatic urge and supervision put on its timeline.
import { nextDate, type LocalDate, type WorkCalendar } from '../../shared/calendar'
import type { Status, Ticket } from '../../shared/ticket'

/** The states urging and supervision apply to (the rules' `from` for both actions). */
export const URGEABLE: readonly Status[] = ['dispatched', 'in_progress']

/** Never count further back than this: a ticket ten years overdue is "very", whatever the number. */
const MAX_DAYS_BACK = 3660

export interface Overdue {
  /** The deadline missed first: the sign-by while unsigned, else the due time. */
  deadline: 'signBy' | 'due'
  sinceMs: number
  /** Working days begun since the deadline's local day: 1 on the first working day after it. */
  workingDays: number
}

const sameDate = (a: LocalDate, b: LocalDate) => a.y === b.y && a.m === b.m && a.d === b.d

/**
 * Working days of `cal` after the local day of `fromMs`, up to and including the local day of
 * `toMs`. Counted by dates, as people count "overdue by N working days": a ticket due on Monday
 * is one working day overdue on Tuesday morning, whatever the hour.
 */
export function workingDaysAfter(cal: WorkCalendar, fromMs: number, toMs: number): number {
  const end = cal.local(toMs)
  let date: LocalDate = cal.local(fromMs)
  let n = 0
  for (let i = 0; i < MAX_DAYS_BACK && !sameDate(date, end); i++) {
    date = nextDate(date)
    if (cal.isWorkingDay(date)) n++
  }
  return n
}

/**
 * Whether the ticket is overdue at `nowMs` in a state it can be urged in (DESIGN.md §3: open past
 * its due, or still unsigned past its sign-by), and by how much; null when it is not.
 */
export function overdueAt(t: Ticket, nowMs: number, cal: WorkCalendar): Overdue | null {
  if (!URGEABLE.includes(t.status) || t.dispatchedAt == null) return null
  const missed: Array<{ deadline: Overdue['deadline']; ms: number }> = []
  if (t.signedAt == null && t.signBy != null)
    missed.push({ deadline: 'signBy', ms: Date.parse(t.signBy) })
  if (t.dueAt != null) missed.push({ deadline: 'due', ms: Date.parse(t.dueAt) })
  const first = missed.filter((m) => nowMs > m.ms).sort((a, b) => a.ms - b.ms)[0]
  if (!first) return null
  return {
    deadline: first.deadline,
    sinceMs: first.ms,
    workingDays: workingDaysAfter(cal, first.ms, nowMs),
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
