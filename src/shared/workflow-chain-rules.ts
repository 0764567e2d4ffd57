// The new actions of issue 16, one rule each (the helpers are in workflow-chain.ts): dispatch
// down, review a return or a reply from below, recall, re-route, submit an assisting part.
import { chainOf, dependents, liveChild, replaceIn } from './assignments'
import type { Ticket } from './ticket'
import {
  endAll,
  isTopLead,
  levelBelowOpen,
  mine,
  newAssignments,
  nothingToRecall,
  partsGate,
  recallOutcome,
  recallTarget,
  submitPart,
} from './workflow-chain'
import {
  ACTIVE,
  UNIT_ONLY,
  deadlinesFrom,
  iso,
  rule,
  undispatchedKeepingChain,
  type Rule,
} from './workflow-rule-kit'
import { DISPATCHER_PLUS, refuse, wrongState } from './workflow-support'

type ChainAction =
  | 'ticket.dispatchDown'
  | 'ticket.reviewReturn'
  | 'ticket.reviewReply'
  | 'ticket.recall'
  | 'ticket.reroute'
  | 'ticket.submitPart'

const signFirst = (t: Ticket) => wrongState('ticket.dispatchDown', t.status)

export const CHAIN_RULES = {
  'ticket.dispatchDown': rule('ticket.dispatchDown', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ['in_progress'],
    when(t, actor, _now, ctx) {
      const a = mine(t, actor)
      if (!a || a.role !== 'lead' || a.state !== 'signed' || a.returnRequest) return signFirst(t)
      const below = liveChild(chainOf(t), a.id)
      return below ? levelBelowOpen(ctx, below) : null
    },
    apply(t, { unit, assisting, instructions }, actor, nowMs, ctx) {
      const from = mine(t, actor)!
      const chain = chainOf(t)
      const made = newAssignments(t, chain, {
        from,
        unit,
        assisting: assisting ?? [],
        instructions,
        actor,
        nowMs,
        ctx,
      })
      if (!Array.isArray(made)) return made
      const lead = made[0]!
      return {
        ticket: { ...t, assignments: [...chain, ...made] },
        event: 'dispatched_down',
        data: {
          from: from.unit,
          unit,
          level: lead.level,
          assisting: made.slice(1).map((m) => m.unit),
          instructions,
          signBy: lead.signBy,
          dueAt: lead.dueAt,
        },
      }
    },
  }),

  'ticket.reviewReturn': rule('ticket.reviewReturn', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ['in_progress'],
    when(t, actor) {
      const a = mine(t, actor)
      const c = a && a.role === 'lead' ? liveChild(chainOf(t), a.id) : undefined
      return c?.returnRequest
        ? null
        : refuse('no_return_pending', '没有待审核的下级退单', 'No return from below is waiting')
    },
    apply(t, { approve, reason }, actor, nowMs) {
      const a = mine(t, actor)!
      const chain = chainOf(t)
      const c = liveChild(chain, a.id)!
      if (!approve)
        return {
          ticket: { ...t, assignments: replaceIn(chain, c.id, { returnRequest: null }) },
          event: 'level_return_rejected',
          data: { reason, unit: c.unit, level: c.level },
        }
      const asked = c.returnRequest!.reason
      const ended = endAll(chain, [c.id, ...dependents(chain, c.id)], 'returned', nowMs, asked)
      return {
        ticket: { ...t, assignments: ended },
        event: 'level_return_approved',
        data: { reason, unit: c.unit, level: c.level, asked },
      }
    },
  }),

  'ticket.reviewReply': rule('ticket.reviewReply', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ['in_progress'],
    when(t, actor) {
      const a = mine(t, actor)
      const c = a && a.role === 'lead' ? liveChild(chainOf(t), a.id) : undefined
      return c?.state === 'replied'
        ? null
        : refuse('no_reply_pending', '没有待审核的下级回复', 'No reply from below is waiting')
    },
    apply(t, { approve, reason }, actor, nowMs, ctx) {
      const a = mine(t, actor)!
      const chain = chainOf(t)
      const c = liveChild(chain, a.id)!
      if (!approve) {
        if (!reason)
          return refuse(
            'reason_required',
            '退回下级重办须说明原因',
            'Sending a reply back needs a reason',
          )
        const back = replaceIn(chain, c.id, { state: 'signed', endedAt: null, reply: null })
        return {
          ticket: { ...t, assignments: back },
          event: 'level_reply_sent_back',
          data: { reason, unit: c.unit, level: c.level },
        }
      }
      const gate = partsGate(chain, a, nowMs, ctx)
      if (gate.refusal) return gate.refusal
      const now = iso(nowMs)
      const reply = { ...c.reply!, at: now, by: actor.userId }
      let next = replaceIn(chain, c.id, { review: 'approved' })
      next = replaceIn(next, a.id, { state: 'replied', endedAt: now, reply, review: null })
      for (const m of gate.missed) next = replaceIn(next, m.id, { missedPart: true })
      const missing = gate.missed.length ? { missingParts: gate.missed.map((m) => m.unit) } : {}
      const onTime = nowMs <= Date.parse(a.dueAt)
      if (!isTopLead(t, a))
        return {
          ticket: { ...t, assignments: next },
          event: 'level_reply_approved',
          data: { unit: c.unit, level: c.level, text: reply.text, onTime, ...missing },
        }
      // Approved at level 1: the reply goes up to the city centre, whose review closes the loop.
      const extension =
        t.extension.state === 'requested' ? { ...t.extension, state: 'none' as const } : t.extension
      const ticket: Ticket = {
        ...t,
        assignments: next,
        status: 'replied',
        completedAt: now,
        resolution: { kind: 'replied', ...reply },
        extension,
      }
      return {
        ticket,
        event: 'replied',
        data: {
          text: reply.text,
          resolved: reply.resolved,
          dueAt: t.dueAt,
          onTime,
          via: c.unit,
          ...missing,
        },
      }
    },
  }),

  'ticket.recall': rule('ticket.recall', {
    roles: [...DISPATCHER_PLUS, 'unit'],
    unitScope: 'main',
    from: ACTIVE,
    when: (t, actor) => (recallTarget(t, actor) ? null : nothingToRecall),
    apply(t, { reason }, actor, nowMs) {
      const target = recallTarget(t, actor)!
      const out = recallOutcome(t, target, reason, nowMs)
      if ('code' in out) return out
      const data = {
        unit: target.unit,
        level: target.level,
        reason,
        signed: target.signedAt != null,
      }
      if (target.level > 1) return { ticket: out, event: 'recalled', data }
      const ticket: Ticket = { ...out, status: 'new', ...undispatchedKeepingChain(out) }
      return { ticket, event: 'recalled', data }
    },
  }),

  'ticket.reroute': rule('ticket.reroute', {
    roles: [...DISPATCHER_PLUS, 'unit'],
    unitScope: 'main',
    from: ACTIVE,
    when: (t, actor) => (recallTarget(t, actor) ? null : nothingToRecall),
    apply(t, { unit, assisting, instructions, reason }, actor, nowMs, ctx) {
      const target = recallTarget(t, actor)!
      if (unit === target.unit)
        return refuse(
          'reroute_same_unit',
          '改派须派给另一单位',
          'A re-route must go to another unit',
        )
      const out = recallOutcome(t, target, reason, nowMs)
      if ('code' in out) return out
      const chain = chainOf(out)
      const from = target.level > 1 ? mine(t, actor)! : null
      let ticket: Ticket = out
      let made
      if (from) {
        made = newAssignments(out, chain, {
          from,
          unit,
          assisting: assisting ?? [],
          instructions,
          actor,
          nowMs,
          ctx,
        })
      } else {
        // At level 1 a re-route is a fresh dispatch: the deadlines start again.
        const d = deadlinesFrom(out, nowMs, ctx)
        made = newAssignments(out, chain, {
          from: null,
          unit,
          assisting: assisting ?? [],
          instructions,
          actor,
          nowMs,
          ctx,
          signBy: d.fields.signBy,
          dueAt: d.fields.dueAt,
        })
        ticket = {
          ...out,
          ...d.fields,
          status: 'dispatched',
          unit,
          instructions,
          dispatchedAt: iso(nowMs),
          signedAt: null,
          returnRequest: null,
        }
      }
      if (!Array.isArray(made)) return made
      return {
        ticket: { ...ticket, assignments: [...chain, ...made] },
        event: 'rerouted',
        data: {
          from: target.unit,
          unit,
          level: target.level,
          reason,
          signed: target.signedAt != null,
          assisting: made.slice(1).map((m) => m.unit),
          instructions,
          signBy: made[0]!.signBy,
          dueAt: made[0]!.dueAt,
        },
      }
    },
  }),

  'ticket.submitPart': rule('ticket.submitPart', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ACTIVE,
    when(t, actor) {
      const a = mine(t, actor)
      if (!a || a.role !== 'assist')
        return refuse('not_assisting', '你的单位不是该工单的协办单位', 'Your unit is not assisting')
      return a.state === 'signed'
        ? null
        : refuse(
            a.state === 'dispatched' ? 'sign_first' : 'part_submitted',
            a.state === 'dispatched' ? '请先签收' : '协办意见已提交',
            a.state === 'dispatched' ? 'Sign for it first' : 'The part is already submitted',
          )
    },
    apply: (t, { text }, actor, nowMs) => submitPart(t, mine(t, actor)!, text, actor, nowMs),
  }),
} satisfies { [N in ChainAction]: Rule<N> }
