// The workflow engine (DESIGN.md §3): given a ticket, an action, the actor and the time, either the
// new ticket and the timeline event it appends, or a refusal a person can read. Pure and
// deterministic: the console applies it optimistically, the server with authority. The rules
// themselves, one per action, are in workflow-rules.ts.
import type { Action, ActionName } from './actions'
import type { Actor, Ticket, TimelineEvent } from './ticket'
import { syncTop } from './assignments'
import { RULES } from './workflow-rules'
import type { Refusal, RulesContext } from './workflow-support'

export type { Refusal, RulesContext, UnitInfo } from './workflow-support'
export { makeRulesContext } from './workflow-support'

export type ActionResult =
  { ok: true; ticket: Ticket; event: TimelineEvent } | { ok: false; refusal: Refusal }

function eventFor(
  before: Ticket | null,
  after: Ticket,
  type: TimelineEvent['type'],
  actor: Actor,
  data: Record<string, unknown>,
): TimelineEvent {
  return {
    id: `${after.id}/${after.version}`,
    ticketId: after.id,
    type,
    version: after.version,
    at: after.updatedAt,
    actor: {
      userId: actor.userId,
      role: actor.role,
      unit: actor.unit,
      name: actor.name ?? null,
      consoleId: actor.consoleId ?? null,
    },
    from: before ? before.status : null,
    to: after.status,
    data,
  }
}

/**
 * Apply one action. `ticket` is null only for `ticket.create`. On success the version goes up by
 * exactly one and exactly one event is returned; on refusal nothing changes.
 */
export function applyAction(
  ticket: Ticket | null,
  action: Action,
  actor: Actor,
  nowMs: number,
  ctx: RulesContext,
): ActionResult {
  const rule = RULES[action.name]
  const pre = rule.check(ticket, actor, nowMs, ctx)
  if (pre) return { ok: false, refusal: pre }
  const out = rule.apply(ticket, action.args as never, actor, nowMs, ctx)
  if ('code' in out) return { ok: false, refusal: out }
  const now = new Date(nowMs).toISOString()
  // The level-1 entry of the chain follows the city's view of the ticket (assignments.ts).
  const next: Ticket = syncTop({
    ...out.ticket,
    version: (ticket?.version ?? 0) + 1,
    updatedAt: now,
  })
  return { ok: true, ticket: next, event: eventFor(ticket, next, out.event, actor, out.data) }
}

/** Is this action open to this actor on this ticket now (before any arguments are given)? */
export function checkAction(
  ticket: Ticket | null,
  name: ActionName,
  actor: Actor,
  nowMs: number,
  ctx: RulesContext,
): Refusal | null {
  return RULES[name].check(ticket, actor, nowMs, ctx)
}

/** The actions the screens should offer for this ticket, actor and moment. */
export function allowedActions(
  ticket: Ticket,
  actor: Actor,
  nowMs: number,
  ctx: RulesContext,
): ActionName[] {
  return (Object.keys(RULES) as ActionName[]).filter(
    (name) => name !== 'ticket.create' && RULES[name].check(ticket, actor, nowMs, ctx) === null,
  )
}
