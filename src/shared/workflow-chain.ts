// The rules of levels below the city centre (issue 16): dispatching down with nested deadlines,
// signing, returns and replies going to the level that dispatched, recall and re-route (撤回 /
// 改派), assisting units' parts (协办意见) and the lead's reply gate. Pure, like every rule.
import type { ActionArgs } from './actions'
import {
  assignmentOf,
  chainOf,
  dependents,
  liveChild,
  nextAssignmentId,
  partsOf,
  replaceIn,
  topAssignment,
  type Assignment,
} from './assignments'
import { nestedDeadlines } from './deadlines'
import type { Actor, Ticket } from './ticket'
import { checkUnits, iso, type Outcome } from './workflow-rule-kit'
import {
  mayDispatchTo,
  refuse,
  shortTime,
  unitName,
  wrongState,
  type Refusal,
  type RulesContext,
} from './workflow-support'

/** The assignment the acting unit works on, if it holds one. */
export const mine = (t: Ticket, actor: Actor): Assignment | undefined =>
  actor.role === 'unit' ? assignmentOf(chainOf(t), actor.unit) : undefined

/** Whether the unit acts as the city's level-1 lead (the ticket's top-level fields). */
export const isTopLead = (t: Ticket, a: Assignment | undefined): boolean =>
  a != null && a.role === 'lead' && a.level === 1 && t.unit === a.unit

export const levelBelowOpen = (ctx: RulesContext, below: Assignment): Refusal =>
  refuse(
    'level_below_open',
    `已下派给${unitName(ctx, below.unit).zh}，请待其办结并审核，或先撤回`,
    `Dispatched down to ${unitName(ctx, below.unit).en}: wait for its reply and review it, or recall it first`,
  )

const reasonRequired = refuse(
  'reason_required',
  '已签收的派单须说明撤回原因',
  'A signed assignment can be recalled only with a reason',
)

/** The lead's gate (主办): every assisting part in, or its due passed. */
export function partsGate(
  chain: readonly Assignment[],
  lead: Assignment,
  nowMs: number,
  ctx: RulesContext,
): { refusal: Refusal | null; missed: Assignment[] } {
  const waiting = partsOf(chain, lead.id).filter((p) => p.state !== 'replied')
  const early = waiting.find((p) => nowMs <= Date.parse(p.dueAt))
  if (early)
    return {
      refusal: refuse(
        'parts_missing',
        `协办单位${unitName(ctx, early.unit).zh}的意见未提交（期限 ${shortTime(ctx, early.dueAt)}）`,
        `${unitName(ctx, early.unit).en} has not submitted its part yet (due ${shortTime(ctx, early.dueAt)})`,
      ),
      missed: [],
    }
  return { refusal: null, missed: waiting }
}

/** Checks units named for a dispatch down from `from`, and builds the new entries. */
export function newAssignments(
  t: Ticket,
  chain: readonly Assignment[],
  opts: {
    from: Assignment | null
    unit: string
    assisting: string[]
    instructions: string | null
    actor: Actor
    nowMs: number
    ctx: RulesContext
    dueAt?: string
    signBy?: string
  },
): Assignment[] | Refusal {
  const { from, unit, assisting, instructions, actor, nowMs, ctx } = opts
  const bad = checkUnits(unit, assisting, ctx)
  if (bad) return bad
  if (assisting.includes(unit))
    return refuse(
      'co_unit_is_main',
      '协办单位不能与主办单位相同',
      'An assisting unit cannot also be the lead unit',
    )
  if (from) {
    for (const code of [unit, ...assisting]) {
      if (code === from.unit)
        return refuse('dispatch_to_self', '不能派给本单位', 'A unit cannot dispatch to itself')
      if (!mayDispatchTo(ctx, from.unit, code))
        return refuse(
          'not_below',
          `${unitName(ctx, from.unit).zh}不能向${unitName(ctx, code).zh}派单`,
          `${unitName(ctx, from.unit).en} may not dispatch to ${unitName(ctx, code).en}`,
        )
    }
  }
  const level = from ? from.level + 1 : 1
  const lead = from
    ? nestedDeadlines(t, nowMs, from.dueAt, ctx.deadlines, ctx.calendar)
    : { signBy: opts.signBy!, dueAt: opts.dueAt! }
  const by = { userId: actor.userId, name: actor.name ?? null, unit: actor.unit }
  const base = {
    level,
    parent: from?.id ?? null,
    by,
    at: iso(nowMs),
    instructions,
    state: 'dispatched' as const,
    signedAt: null,
    endedAt: null,
    reason: null,
    returnRequest: null,
    reply: null,
    review: null,
  }
  const leadId = nextAssignmentId(chain)
  const out: Assignment[] = [{ ...base, id: leadId, role: 'lead', lead: null, unit, ...pick(lead) }]
  // Parts are due inside the lead's time, so the lead can still write the reply.
  const partTime = nestedDeadlines(t, nowMs, lead.dueAt, ctx.deadlines, ctx.calendar)
  for (const code of [...new Set(assisting)])
    out.push({
      ...base,
      id: `a${chain.length + out.length + 1}`,
      role: 'assist',
      lead: leadId,
      unit: code,
      ...pick(partTime),
    })
  return out
}

const pick = (d: { signBy: string; dueAt: string }) => ({ signBy: d.signBy, dueAt: d.dueAt })

/** The chain with `ids` ended as recalled (or returned) at `now` with `reason`. */
export function endAll(
  chain: readonly Assignment[],
  ids: string[],
  state: 'recalled' | 'returned',
  nowMs: number,
  reason: string | null,
): Assignment[] {
  return chain.map((a) =>
    ids.includes(a.id) ? { ...a, state, endedAt: iso(nowMs), reason, returnRequest: null } : a,
  )
}

// --- signing, returning and replying below the city, and assisting parts ---------------------

/** `ticket.sign` for a level below the city or an assisting unit. */
export function signBelow(t: Ticket, a: Assignment, nowMs: number): Outcome {
  const chain = replaceIn(chainOf(t), a.id, { state: 'signed', signedAt: iso(nowMs) })
  return {
    ticket: { ...t, assignments: chain },
    event: 'level_signed',
    data: {
      unit: a.unit,
      level: a.level,
      role: a.role,
      late: nowMs > Date.parse(a.signBy),
    },
  }
}

/** `ticket.requestReturn` below the city: to the level that dispatched. */
export function returnBelow(t: Ticket, a: Assignment, reason: string, nowMs: number): Outcome {
  const chain = replaceIn(chainOf(t), a.id, {
    returnRequest: { reason, requestedAt: iso(nowMs) },
  })
  return {
    ticket: { ...t, assignments: chain },
    event: 'level_return_requested',
    data: { reason, unit: a.unit, level: a.level, to: a.parent },
  }
}

/** `ticket.reply` below the city: up for review by the level that dispatched. */
export function replyBelow(
  t: Ticket,
  a: Assignment,
  args: ActionArgs<'ticket.reply'>,
  actor: Actor,
  nowMs: number,
  missed: Assignment[],
): Outcome {
  const now = iso(nowMs)
  let chain = replaceIn(chainOf(t), a.id, {
    state: 'replied',
    endedAt: now,
    reply: { text: args.text, resolved: args.resolved, at: now, by: actor.userId },
    review: null,
  })
  for (const m of missed) chain = replaceIn(chain, m.id, { missedPart: true })
  return {
    ticket: { ...t, assignments: chain },
    event: 'level_replied',
    data: {
      text: args.text,
      resolved: args.resolved,
      unit: a.unit,
      level: a.level,
      dueAt: a.dueAt,
      onTime: nowMs <= Date.parse(a.dueAt),
      ...(missed.length ? { missingParts: missed.map((m) => m.unit) } : {}),
    },
  }
}

/** Marks assisting parts missing at a level-1 reply (recorded against those units). */
export function markMissed(t: Ticket, missed: Assignment[]): Ticket {
  if (!missed.length) return t
  let chain = chainOf(t)
  for (const m of missed) chain = replaceIn(chain, m.id, { missedPart: true })
  return { ...t, assignments: chain }
}

export function submitPart(t: Ticket, a: Assignment, text: string, actor: Actor, nowMs: number) {
  const now = iso(nowMs)
  const chain = replaceIn(chainOf(t), a.id, {
    state: 'replied',
    endedAt: now,
    reply: { text, resolved: true, at: now, by: actor.userId },
  })
  return {
    ticket: { ...t, assignments: chain },
    event: 'part_submitted' as const,
    data: { text, unit: a.unit, level: a.level, onTime: nowMs <= Date.parse(a.dueAt) },
  }
}

/** What the actor may recall: the city's level-1 lead, or the unit's own live child. */
export function recallTarget(t: Ticket, actor: Actor): Assignment | undefined {
  const chain = chainOf(t)
  if (actor.role === 'unit') {
    const a = mine(t, actor)
    if (!a || a.role !== 'lead' || a.state !== 'signed') return undefined
    const c = liveChild(chain, a.id)
    return c && c.state !== 'replied' ? c : undefined
  }
  const top = topAssignment(chain)
  return top && top.state !== 'replied' ? top : undefined
}

export const nothingToRecall = refuse(
  'nothing_to_recall',
  '没有可撤回的下派',
  'There is no assignment of yours to recall',
)

/** Ends the target and everything it passed on; a level-1 recall puts the ticket back to new. */
export function recallOutcome(
  t: Ticket,
  target: Assignment,
  reason: string | null,
  nowMs: number,
): Ticket | Refusal {
  if (target.signedAt != null && !reason) return reasonRequired
  const chain = endAll(
    chainOf(t),
    [target.id, ...dependents(chainOf(t), target.id)],
    'recalled',
    nowMs,
    reason,
  )
  return {
    ...t,
    assignments: chain,
    counts: { ...t.counts, recalls: (t.counts.recalls ?? 0) + 1 },
  }
}

export { wrongState }
