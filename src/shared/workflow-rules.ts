// One rule per action: who may take it, from which states, and its effect (DESIGN.md §3 table).
// Each rule's `check` needs no arguments, so the screens can ask which actions to offer; `apply`
// checks the arguments and returns the changed ticket and the event's type and data.
import type { ActionName } from './actions'
import { extensionLimit, withinReturnWindow } from './deadlines'
import type { ActorRole, Ticket } from './ticket'
import {
  ACTIVE,
  OPEN,
  UNIT_ONLY,
  checkUnits,
  deadlinesFrom,
  diff,
  iso,
  rule,
  undispatched,
  type Rule,
} from './workflow-rule-kit'
import { DISPATCHER_PLUS, forbidden, refuse, shortTime, unitName } from './workflow-support'
import { phoneRefusal } from './phone-access'
import { reschedule } from './workflow-reschedule'
import { chainOf, dependents, holder, liveChild, topAssignment } from './assignments'
import {
  endAll,
  isTopLead,
  levelBelowOpen,
  markMissed,
  mine,
  newAssignments,
  partsGate,
  replyBelow,
  returnBelow,
  signBelow,
} from './workflow-chain'
import { CHAIN_RULES } from './workflow-chain-rules'
import { AFTER_REPLY_RULES } from './workflow-rules-after'
import { wrongState } from './workflow-support'
import { KPI_RULES } from './workflow-kpi-rules'

const create: Rule<'ticket.create'> = {
  check(t, actor) {
    if (t) return refuse('already_exists', '该工单已存在', 'This ticket already exists')
    const roles: readonly ActorRole[] = ['agent', 'dispatcher', 'supervisor', 'open311']
    return roles.includes(actor.role) ? null : forbidden('ticket.create', actor.role)
  },
  apply(_t, { ticket: d }, actor, nowMs, ctx) {
    const now = iso(nowMs)
    const needsReview = !ctx.categories.has(d.category)
    const ticket: Ticket = {
      ...d,
      number: null,
      status: 'new',
      ...undispatched(),
      counts: { returns: 0, urges: 0, reopens: 0, extensions: 0 },
      completedAt: null,
      closedAt: null,
      resolution: null,
      satisfaction: null,
      supervised: false,
      duplicateOf: null,
      needsReview,
      createdBy: actor.userId,
      createdAt: now,
      updatedAt: now,
      version: 0,
    }
    const data = { channel: d.channel, kind: d.kind, category: d.category, urgency: d.urgency }
    return { ticket, event: 'created', data: needsReview ? { ...data, needsReview } : data }
  },
}

/**
 * Seeing the caller's full number: allowed to whoever phone-access.ts says may see it, in every
 * state. Only the timeline records it: no status, deadline or count moves, so it can never
 * conflict with what another console does to the ticket.
 */
const viewPhone: Rule<'ticket.viewPhone'> = {
  check: (t, actor) =>
    t ? phoneRefusal(actor, t) : refuse('not_found', '找不到该工单', 'No such ticket'),
  apply: (t, { via }) => ({ ticket: { ...t! }, event: 'phone_viewed', data: { via } }),
}

export const RULES: { [N in ActionName]: Rule<N> } = {
  'ticket.create': create,

  'ticket.update': rule('ticket.update', {
    roles: (a, t) =>
      DISPATCHER_PLUS.includes(a.role) ||
      (t.status === 'new' && t.createdBy === a.userId && a.role === 'agent'),
    from: ['new', 'dispatched', 'in_progress'],
    apply(t, { patch }, actor, _now, ctx) {
      const changes = diff(t, patch)
      let next: Ticket = { ...t, ...patch }
      if (ctx.categories.has(next.category) && DISPATCHER_PLUS.includes(actor.role))
        next.needsReview = false
      const timing = ['urgency', 'kind', 'channel', 'category'].some((k) => k in changes)
      if (timing && next.dispatchedAt && next.status !== 'new') {
        // Deadlines follow the ticket's nature. An extension asked for or granted against the
        // old deadline no longer fits the new one: it lapses, and the unit may ask again.
        const d = deadlinesFrom(next, Date.parse(next.dispatchedAt), ctx)
        const lapsed = t.extension.state === 'requested' || t.extension.state === 'granted'
        next = { ...next, ...d.fields }
        const data = { changes, signBy: next.signBy, dueAt: next.dueAt }
        return {
          ticket: next,
          event: 'updated',
          data: lapsed ? { ...data, extensionLapsed: true } : data,
        }
      }
      return { ticket: next, event: 'updated', data: { changes } }
    },
  }),

  'ticket.answer': rule('ticket.answer', {
    roles: ['agent', ...DISPATCHER_PLUS],
    from: ['new'],
    apply(t, { text, kb }, actor, nowMs) {
      const now = iso(nowMs)
      const resolution = {
        kind: 'answered' as const,
        text,
        resolved: true,
        at: now,
        by: actor.userId,
      }
      const ticket: Ticket = { ...t, status: 'closed', completedAt: now, closedAt: now, resolution }
      // The knowledge entry read out, when there was one: on the timeline, for the measures.
      const data = kb ? { text, dueAt: null, kb } : { text, dueAt: null }
      return { ticket, event: 'answered', data }
    },
  }),

  'ticket.dispatch': rule('ticket.dispatch', {
    roles: DISPATCHER_PLUS,
    from: ['new'],
    stateRefusal: (t, ctx) =>
      t.unit && (t.status === 'dispatched' || t.status === 'in_progress')
        ? refuse(
            'already_dispatched',
            `该工单已于 ${shortTime(ctx, t.dispatchedAt!)} 派往${unitName(ctx, t.unit).zh}`,
            `Already dispatched to ${unitName(ctx, t.unit).en} at ${shortTime(ctx, t.dispatchedAt!)}`,
          )
        : null,
    apply(t, { unit, coUnits, instructions, assisting }, actor, nowMs, ctx) {
      const bad = checkUnits(unit, coUnits, ctx)
      if (bad) return bad
      const d = deadlinesFrom(t, nowMs, ctx)
      const chain = chainOf(t)
      const made = newAssignments(t, chain, {
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
      if (!Array.isArray(made)) return made
      const ticket: Ticket = {
        ...t,
        ...d.fields,
        status: 'dispatched',
        unit,
        coUnits: [...new Set(coUnits)],
        instructions,
        dispatchedAt: iso(nowMs),
        signedAt: null,
        assignments: [...chain, ...made],
        contactedAt: null,
      }
      const parts = made.slice(1).map((m) => m.unit)
      return {
        ticket,
        event: 'dispatched',
        data: {
          unit,
          coUnits: ticket.coUnits,
          instructions,
          ...(parts.length ? { assisting: parts } : {}),
          ...d.data,
        },
      }
    },
  }),

  'ticket.sign': rule('ticket.sign', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    // A level below the city, or an assisting unit, signs while the ticket is in progress.
    from: ACTIVE,
    when(t, actor) {
      const a = mine(t, actor)
      if (isTopLead(t, a))
        return t.status === 'dispatched' ? null : wrongState('ticket.sign', t.status)
      return a?.state === 'dispatched' ? null : wrongState('ticket.sign', t.status)
    },
    apply(t, _args, actor, nowMs) {
      const a = mine(t, actor)
      if (a && !isTopLead(t, a)) return signBelow(t, a, nowMs)
      return {
        ticket: { ...t, status: 'in_progress', signedAt: iso(nowMs) },
        event: 'signed',
        data: { late: t.signBy != null && nowMs > Date.parse(t.signBy) },
      }
    },
  }),

  'ticket.requestReturn': rule('ticket.requestReturn', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ACTIVE,
    when(t, actor, nowMs, ctx) {
      const a = mine(t, actor)
      const top = isTopLead(t, a)
      if (a && (a.role !== 'lead' || a.state === 'replied' || a.returnRequest))
        return wrongState('ticket.requestReturn', t.status)
      if (a && !top && t.status !== 'in_progress')
        return wrongState('ticket.requestReturn', t.status)
      const below = a ? liveChild(chainOf(t), a.id) : undefined
      if (below) return levelBelowOpen(ctx, below)
      const since = a && !top ? a.at : t.dispatchedAt
      return since && !withinReturnWindow(since, nowMs, ctx.deadlines, ctx.calendar)
        ? refuse(
            'return_window_passed',
            `派单已超过 ${ctx.deadlines.returnWindowWorkingDays} 个工作日，不能退单`,
            `Returns are possible within ${ctx.deadlines.returnWindowWorkingDays} working days of dispatch only`,
          )
        : null
    },
    apply(t, { reason }, actor, nowMs) {
      const a = mine(t, actor)
      if (a && !isTopLead(t, a)) return returnBelow(t, a, reason, nowMs)
      const previousStatus = t.status as 'dispatched' | 'in_progress'
      const returnRequest = { reason, requestedAt: iso(nowMs), previousStatus }
      return {
        ticket: { ...t, status: 'return_requested', returnRequest },
        event: 'return_requested',
        data: { reason },
      }
    },
  }),

  'ticket.decideReturn': rule('ticket.decideReturn', {
    roles: DISPATCHER_PLUS,
    from: ['return_requested'],
    apply(t, { approve, reason }, _actor, nowMs) {
      if (!approve) {
        const status = t.returnRequest?.previousStatus ?? 'dispatched'
        return {
          ticket: { ...t, status, returnRequest: null },
          event: 'return_rejected',
          data: { reason },
        }
      }
      const chain = chainOf(t)
      const top = topAssignment(chain)
      const ended = top
        ? endAll(
            chain,
            [top.id, ...dependents(chain, top.id)],
            'returned',
            nowMs,
            t.returnRequest?.reason ?? null,
          )
        : chain
      const ticket: Ticket = {
        ...t,
        status: 'new',
        ...undispatched(),
        ...(t.assignments ? { assignments: ended } : {}),
        counts: { ...t.counts, returns: t.counts.returns + 1 },
      }
      return { ticket, event: 'return_approved', data: { reason, unit: t.unit } }
    },
  }),

  'ticket.requestExtension': rule('ticket.requestExtension', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ['in_progress'],
    when: (t, actor) =>
      !isTopLead(t, mine(t, actor))
        ? refuse(
            'extension_top_only',
            '延期由一级承办单位向市中心申请，请向派单的上级说明',
            'Only the unit the city dispatched to asks the city for more time; tell the level above',
          )
        : t.extension.state === 'requested'
          ? refuse(
              'extension_pending',
              '已有延期申请待审批',
              'An extension request is already waiting',
            )
          : null,
    apply(t, { until, reason }, _actor, _now, ctx) {
      const untilMs = Date.parse(until)
      if (t.dueAt && untilMs <= Date.parse(t.dueAt))
        return refuse(
          'extension_not_later',
          `延期时间须晚于当前期限 ${shortTime(ctx, t.dueAt)}`,
          `The new due time must be after the current one (${shortTime(ctx, t.dueAt)})`,
        )
      const original = t.extension.originalDueAt ?? t.dueAt
      if (original && untilMs > extensionLimit(original, ctx.deadlines, ctx.calendar)) {
        const cap = ctx.deadlines.extensionCapWorkingDays
        return refuse(
          'extension_cap',
          `延期累计不能超过 ${cap} 个工作日`,
          `Extensions may add ${cap} working days at most in all`,
        )
      }
      const requestedUntil = new Date(untilMs).toISOString()
      const ticket: Ticket = {
        ...t,
        extension: { ...t.extension, state: 'requested', requestedUntil, reason },
        counts: { ...t.counts, extensions: t.counts.extensions + 1 },
      }
      return { ticket, event: 'extension_requested', data: { until: requestedUntil, reason } }
    },
  }),

  'ticket.decideExtension': rule('ticket.decideExtension', {
    roles: DISPATCHER_PLUS,
    from: ['in_progress'],
    when: (t) =>
      t.extension.state !== 'requested'
        ? refuse(
            'no_extension_pending',
            '没有待审批的延期申请',
            'There is no extension request to rule on',
          )
        : null,
    apply(t, { approve, reason }) {
      if (!approve)
        return {
          ticket: { ...t, extension: { ...t.extension, state: 'refused' } },
          event: 'extension_refused',
          data: { reason },
        }
      const until = t.extension.requestedUntil!
      return {
        // A due time granted as a date is that date, whatever the calendar: no longer provisional.
        ticket: {
          ...t,
          dueAt: until,
          deadlinesProvisional: false,
          extension: { ...t.extension, state: 'granted' },
        },
        event: 'extension_granted',
        data: { reason, until, previousDueAt: t.dueAt },
      }
    },
  }),

  'ticket.note': rule('ticket.note', {
    roles: ['agent', ...DISPATCHER_PLUS, 'unit'],
    unitScope: 'involved',
    from: OPEN,
    apply: (t, { text, internal }) => ({
      ticket: { ...t },
      event: 'noted',
      data: { text, internal },
    }),
  }),

  'ticket.urge': rule('ticket.urge', {
    roles: [...DISPATCHER_PLUS, 'system'],
    from: ACTIVE,
    apply: (t, { text }) => ({
      ticket: { ...t, counts: { ...t.counts, urges: t.counts.urges + 1 } },
      event: 'urged',
      data: { text, count: t.counts.urges + 1, ...holderData(t) },
    }),
  }),

  'ticket.supervise': rule('ticket.supervise', {
    roles: ['supervisor', 'system'],
    from: ACTIVE,
    apply: (t, { text }) => ({
      ticket: { ...t, supervised: true },
      event: 'supervised',
      data: { text, ...holderData(t) },
    }),
  }),

  'ticket.reply': rule('ticket.reply', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ['in_progress'],
    when(t, actor, nowMs, ctx) {
      const a = mine(t, actor)
      if (!a) return null
      if (a.role !== 'lead' || a.state !== 'signed' || a.returnRequest)
        return wrongState('ticket.reply', t.status)
      const below = liveChild(chainOf(t), a.id)
      if (below) return levelBelowOpen(ctx, below)
      return partsGate(chainOf(t), a, nowMs, ctx).refusal
    },
    apply(t, args, actor, nowMs, ctx) {
      const a = mine(t, actor)
      const missed = a ? partsGate(chainOf(t), a, nowMs, ctx).missed : []
      if (a && !isTopLead(t, a)) return replyBelow(t, a, args, actor, nowMs, missed)
      const { text, resolved } = args
      t = markMissed(t, missed)
      const now = iso(nowMs)
      const extension =
        t.extension.state === 'requested' ? { ...t.extension, state: 'none' as const } : t.extension
      const ticket: Ticket = {
        ...t,
        status: 'replied',
        completedAt: now,
        resolution: { kind: 'replied', text, resolved, at: now, by: actor.userId },
        extension,
      }
      const onTime = t.dueAt == null || nowMs <= Date.parse(t.dueAt)
      const data = { text, resolved, dueAt: t.dueAt, onTime }
      return {
        ticket,
        event: 'replied',
        data: missed.length ? { ...data, missingParts: missed.map((m) => m.unit) } : data,
      }
    },
  }),

  ...AFTER_REPLY_RULES,
  'ticket.viewPhone': viewPhone,
  'ticket.reschedule': reschedule,
  ...KPI_RULES,
  ...CHAIN_RULES,
}

/** Urging and supervision reach the level that holds the ticket now (issue 16). */
function holderData(t: Ticket): Record<string, unknown> {
  const h = holder(chainOf(t))
  return h && h.level > 1 ? { holder: h.unit, holderLevel: h.level } : {}
}
