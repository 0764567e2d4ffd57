// Sign-by and due times from the deadline rules (DESIGN.md §3), counted on the working calendar.
import type { WorkCalendar } from './calendar'
import type { DeadlineRule, DeadlineRules, Duration } from './reference'
import type { Ticket } from './ticket'

export type DeadlineInput = Pick<Ticket, 'urgency' | 'kind' | 'channel' | 'category'>

const asList = <T>(v: T | T[] | undefined): T[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v : [v]

export function ruleApplies(rule: DeadlineRule, t: DeadlineInput): boolean {
  const w = rule.when
  const urgency = asList(w.urgency)
  const kind = asList(w.kind)
  const channel = asList(w.channel)
  const category = asList(w.category)
  return (
    (!urgency || urgency.includes(t.urgency)) &&
    (!kind || kind.includes(t.kind)) &&
    (!channel || channel.includes(t.channel)) &&
    (!category || category.some((prefix) => t.category.startsWith(prefix)))
  )
}

/** The first rule that applies. The rule lists end with a catch-all; without one this throws. */
export function pickRule(rules: readonly DeadlineRule[], t: DeadlineInput): DeadlineRule {
  const rule = rules.find((r) => ruleApplies(r, t))
  if (!rule) throw new Error('deadline rules: no rule applies and there is no catch-all rule')
  return rule
}

/** Whether a span of this kind is counted on the working calendar (else on the clock). */
const onCalendar = (d: Duration): boolean => 'workingDays' in d || 'workingHours' in d

export function addDuration(cal: WorkCalendar, startMs: number, d: Duration): number {
  if ('minutes' in d) return startMs + d.minutes * 60_000
  if ('hours' in d) return startMs + d.hours * 3_600_000
  if ('workingDays' in d) return cal.addWorkingDays(startMs, d.workingDays)
  if ('workingHours' in d) return cal.addWorkingMinutes(startMs, d.workingHours * 60)
  return cal.endOfDay(startMs)
}

export interface Deadlines {
  signBy: string
  dueAt: string
  signRule: string
  dueRule: string
  /**
   * Counted on working days of a year the calendar has no official notice for (derived from the
   * statutory holidays): the time may move when the year's notice is entered.
   */
  provisional: boolean
}

/** Deadlines of a ticket dispatched at `startMs`. */
export function computeDeadlines(
  t: DeadlineInput,
  startMs: number,
  rules: DeadlineRules,
  cal: WorkCalendar,
): Deadlines {
  const signRule = pickRule(rules.signBy, t)
  const dueRule = pickRule(rules.due, t)
  const dueMs = addDuration(cal, startMs, dueRule.duration)
  // Signing can never be due after the work itself.
  const signMs = Math.min(addDuration(cal, startMs, signRule.duration), dueMs)
  const provisional =
    (onCalendar(dueRule.duration) && cal.touchesProvisional(startMs, dueMs)) ||
    (onCalendar(signRule.duration) && cal.touchesProvisional(startMs, signMs))
  return {
    signBy: new Date(signMs).toISOString(),
    dueAt: new Date(dueMs).toISOString(),
    signRule: signRule.name,
    dueRule: dueRule.name,
    provisional,
  }
}

/** The latest due time extensions may reach: the cap in working days past the original due. */
export function extensionLimit(
  originalDueAt: string,
  rules: DeadlineRules,
  cal: WorkCalendar,
): number {
  return cal.addWorkingDays(Date.parse(originalDueAt), rules.extensionCapWorkingDays)
}

/** Whether a unit may still ask to return a ticket dispatched at `dispatchedAt`. */
export function withinReturnWindow(
  dispatchedAt: string,
  nowMs: number,
  rules: DeadlineRules,
  cal: WorkCalendar,
): boolean {
  const used = cal.workingMinutesBetween(Date.parse(dispatchedAt), nowMs)
  return used <= rules.returnWindowWorkingDays * cal.dayMinutes
}

/** The share of its time left a level gives the level below, when the rules do not say. */
export const DEFAULT_LEVEL_SHARE = 0.8

/**
 * Deadlines of an assignment dispatched down at `startMs` by a level due at `parentDueAt`
 * (issue 16): the due is the configured share of the working time the level above has left, so
 * it always falls inside the level above; sign-by follows the ticket's sign-by rule, never later
 * than that due. Past the level above's due, the lower level is due at once with it.
 */
export function nestedDeadlines(
  t: DeadlineInput,
  startMs: number,
  parentDueAt: string,
  rules: DeadlineRules,
  cal: WorkCalendar,
): { signBy: string; dueAt: string; share: number } {
  const share = rules.levelShare ?? DEFAULT_LEVEL_SHARE
  const parentMs = Date.parse(parentDueAt)
  let dueMs: number
  if (parentMs <= startMs) dueMs = parentMs
  else {
    const left = cal.workingMinutesBetween(startMs, parentMs)
    // Short clock-time spans (very urgent: the same day, evenings) are shared on the clock.
    dueMs =
      left >= 60
        ? cal.addWorkingMinutes(startMs, Math.floor(left * share))
        : startMs + Math.floor((parentMs - startMs) * share)
    dueMs = Math.min(dueMs, parentMs)
  }
  const signMs = Math.min(addDuration(cal, startMs, pickRule(rules.signBy, t).duration), dueMs)
  return {
    signBy: new Date(signMs).toISOString(),
    dueAt: new Date(dueMs).toISOString(),
    share,
  }
}
