// Deadlines counted again after the working calendar changed (issue 19). When an admin enters a
// year's official holidays (or corrects a year), every open ticket whose deadlines were counted on
// a provisional year, or whose deadlines reach into a year that changed, gets the shared rules'
// `ticket.reschedule`: a due time still ahead moves to where the new calendar puts it, with one
// line on its timeline, in one transaction with its change-log row — consoles pull it like any
// change. Applying the rule is idempotent, so a recount cut short is finished by the next one.
import { actionArgSchemas } from '../../shared/actions'
import { provisionalNow } from '../../shared/deadline-state'
import type { Calendar } from '../../shared/reference'
import type { Actor, Status, Ticket } from '../../shared/ticket'
import { applyAction } from '../../shared/workflow'
import type { Reference, ServerContext } from '../context'
import { isTemporary } from '../store'

export const RECOUNT_ACTOR: Actor = {
  userId: 'system',
  role: 'system',
  unit: null,
  name: '系统按工作日历重算期限',
  consoleId: null,
}

/** The states in which the unit's clocks run (the rule's `from`). */
const CLOCKED: readonly Status[] = ['dispatched', 'in_progress', 'return_requested']
const PAGE = 200

/** Years whose working days differ between two calendars; 'all' when hours, zone or weekend do. */
export function changedYears(before: Calendar, after: Calendar): ReadonlySet<number> | 'all' {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
  if (
    before.timeZone !== after.timeZone ||
    !same(before.workingHours, after.workingHours) ||
    !same(before.weekend, after.weekend)
  )
    return 'all'
  const years = new Set<number>()
  for (const y of new Set([...Object.keys(before.years), ...Object.keys(after.years)]))
    if (!same(before.years[y], after.years[y])) years.add(Number(y))
  return years
}

export interface RecountResult {
  /** Open tickets with a deadline ahead that the change concerned. */
  examined: number
  /** Of those, the ones whose deadlines (or their provisional mark) changed. */
  rescheduled: number
  failed: number
}

export interface RecountScope {
  /** Years that changed: tickets whose deadlines reach into one are recounted. */
  years: ReadonlySet<number> | 'all'
  /**
   * Tickets marked provisional: `all` of them (a calendar change), or only those whose year has
   * been entered since (`entered`: the watch's catch-up after a recount was cut short).
   */
  provisional: 'all' | 'entered'
  /** On the timeline: why. */
  reason: string
}

/** Recounts the deadlines of the open tickets `scope` concerns, at `nowMs`. */
export async function recountDeadlines(
  ctx: ServerContext,
  scope: RecountScope,
  nowMs: number = ctx.now(),
): Promise<RecountResult> {
  const ref = await ctx.reference(true)
  const result: RecountResult = { examined: 0, rescheduled: 0, failed: 0 }
  const nowIso = new Date(nowMs).toISOString()
  let after = ''
  for (;;) {
    const page = await ctx.store.jobs.byDeadline(CLOCKED, 'after', nowIso, after, PAGE)
    for (const t of page) {
      after = t.id
      if (!concerns(t, scope, ref)) continue
      result.examined++
      // Most tickets need nothing: asked of the rule first, outside any transaction.
      if (!apply(t, scope.reason, nowMs, ref).ok) continue
      try {
        if (await reschedule(ctx, t.id, scope.reason, nowMs, ref)) result.rescheduled++
      } catch (e) {
        if (isTemporary(e)) throw e
        result.failed++
        ctx.log?.error({ err: e, ticketId: t.id }, 'recounting deadlines failed')
      }
    }
    if (page.length < PAGE) break
  }
  ctx.log?.info({ job: 'calendar-recount', ...result }, 'deadlines recounted on the calendar')
  return result
}

function concerns(t: Ticket, scope: RecountScope, ref: Reference): boolean {
  const cal = ref.rules.calendar
  if (t.deadlinesProvisional === true) return scope.provisional === 'all' || !provisionalNow(t, cal)
  if (scope.years === 'all') return true
  if (t.dispatchedAt == null) return false
  const last = Math.max(...[t.signBy, t.dueAt].map((d) => (d ? Date.parse(d) : 0)))
  const to = cal.local(last).y
  for (let y = cal.local(Date.parse(t.dispatchedAt)).y; y <= to; y++)
    if (scope.years.has(y)) return true
  return false
}

function apply(t: Ticket, reason: string, nowMs: number, ref: Reference) {
  const args = actionArgSchemas['ticket.reschedule'].parse({ ticketId: t.id, reason })
  return applyAction(t, { name: 'ticket.reschedule', args }, RECOUNT_ACTOR, nowMs, ref.rules)
}

function reschedule(
  ctx: ServerContext,
  ticketId: string,
  reason: string,
  nowMs: number,
  ref: Reference,
): Promise<boolean> {
  return ctx.store.mutate(async (tx) => {
    const before = await tx.ticket(ticketId, true)
    if (!before) return false
    const res = apply(before, reason, nowMs, ref)
    if (!res.ok) return false
    await tx.saveTicket(before, res.ticket, res.event)
    return true
  })
}
