// When an assignment is judged, and when it passed (kpi-units.ts' definitions, README "Unit KPIs
// and scoring"): here alone, without imports, so the dashboard's own calculators (kpi-period.ts)
// and the unit figures read the same functions.
import type { Assignment, UnitFigureOptions } from './kpi-units'
import type { Ticket } from './ticket'

type Judge = Pick<UnitFigureOptions, 'period' | 'now'>
const inP = (p: Judge['period'], t: number | null): t is number =>
  t != null && t >= p.from && t < p.to

/** Judged for signing: sign-by in the period, and signed or past sign-by by `now`. */
export function judgedSigning(a: Assignment, o: Judge): boolean {
  return inP(o.period, a.signBy) && (a.signedAt != null || a.signBy <= o.now)
}
export const signedOnTime = (a: Assignment): boolean =>
  a.signedAt != null && a.signBy != null && a.signedAt <= a.signBy

/** Judged for completion (应办结): due in the period, and completed or past due by `now`. */
export function judgedCompletion(a: Pick<Assignment, 'due' | 'completedAt'>, o: Judge): boolean {
  return inP(o.period, a.due) && (a.completedAt != null || a.due <= o.now)
}
export const completedOnTime = (a: Pick<Assignment, 'due' | 'completedAt'>): boolean =>
  a.completedAt != null && a.due != null && a.completedAt <= a.due

/** The moment the citizen should have been contacted by. */
export const contactBy = (a: Assignment, hours: number): number | null =>
  a.dispatchedAt == null ? null : a.dispatchedAt + hours * 3_600_000

/** Judged for response: sign-by in the period, and both done or both deadlines past. */
export function judgedResponse(a: Assignment, o: UnitFigureOptions): boolean {
  if (!inP(o.period, a.signBy)) return false
  const by = contactBy(a, o.contactWithinHours) ?? a.signBy
  const done = a.signedAt != null && a.contactedAt != null
  return done || Math.max(by, a.signBy) <= o.now
}
export function respondedInTime(a: Assignment, hours: number): boolean {
  const by = contactBy(a, hours)
  return signedOnTime(a) && a.contactedAt != null && by != null && a.contactedAt <= by
}

const ms = (s: string | null | undefined) => (s == null ? null : Date.parse(s))

/**
 * 按时办结率 of one ticket as the centre counts it (its line of the unit figures, the dashboard's
 * tile): the city's own dispatch — the ticket's dispatch fields, which are its level-1 link —
 * judged for completion: 'on_time', 'late', or null when not judged (not dispatched, not due in
 * the period, not due yet and open, or exempt). A direct answer is never dispatched.
 */
export function cityCompletion(t: Ticket, o: Judge): 'on_time' | 'late' | null {
  if (!t.dispatchedAt || t.exemption) return null
  const a = { due: ms(t.dueAt), completedAt: ms(t.completedAt) }
  if (!judgedCompletion(a, o)) return null
  return completedOnTime(a) ? 'on_time' : 'late'
}
