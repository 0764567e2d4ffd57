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
    apply(t, { text }, actor, nowMs) {
      const now = iso(nowMs)
      const resolution = {
        kind: 'answered' as const,
        text,
        resolved: true,
        at: now,
        by: actor.userId,
      }
      const ticket: Ticket = { ...t, status: 'closed', completedAt: now, closedAt: now, resolution }
      return { ticket, event: 'answered', data: { text, dueAt: null } }
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
    apply(t, { unit, coUnits, instructions }, _actor, nowMs, ctx) {
      const bad = checkUnits(unit, coUnits, ctx)
      if (bad) return bad
      const d = deadlinesFrom(t, nowMs, ctx)
      const ticket: Ticket = {
        ...t,
        ...d.fields,
        status: 'dispatched',
        unit,
        coUnits: [...new Set(coUnits)],
        instructions,
        dispatchedAt: iso(nowMs),
        signedAt: null,
        contactedAt: null,
      }
      return {
        ticket,
        event: 'dispatched',
        data: { unit, coUnits: ticket.coUnits, instructions, ...d.data },
      }
    },
  }),

  'ticket.sign': rule('ticket.sign', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ['dispatched'],
    apply: (t, _args, _actor, nowMs) => ({
      ticket: { ...t, status: 'in_progress', signedAt: iso(nowMs) },
      event: 'signed',
      data: { late: t.signBy != null && nowMs > Date.parse(t.signBy) },
    }),
  }),

  'ticket.requestReturn': rule('ticket.requestReturn', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ACTIVE,
    when: (t, _a, nowMs, ctx) =>
      t.dispatchedAt && !withinReturnWindow(t.dispatchedAt, nowMs, ctx.deadlines, ctx.calendar)
        ? refuse(
            'return_window_passed',
            `派单已超过 ${ctx.deadlines.returnWindowWorkingDays} 个工作日，不能退单`,
            `Returns are possible within ${ctx.deadlines.returnWindowWorkingDays} working days of dispatch only`,
          )
        : null,
    apply(t, { reason }, _actor, nowMs) {
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
    apply(t, { approve, reason }) {
      if (!approve) {
        const status = t.returnRequest?.previousStatus ?? 'dispatched'
        return {
          ticket: { ...t, status, returnRequest: null },
          event: 'return_rejected',
          data: { reason },
        }
      }
      const ticket: Ticket = {
        ...t,
        status: 'new',
        ...undispatched(),
        counts: { ...t.counts, returns: t.counts.returns + 1 },
      }
      return { ticket, event: 'return_approved', data: { reason, unit: t.unit } }
    },
  }),

  'ticket.requestExtension': rule('ticket.requestExtension', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ['in_progress'],
    when: (t) =>
      t.extension.state === 'requested'
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
      data: { text, count: t.counts.urges + 1 },
    }),
  }),

  'ticket.supervise': rule('ticket.supervise', {
    roles: ['supervisor', 'system'],
    from: ACTIVE,
    apply: (t, { text }) => ({
      ticket: { ...t, supervised: true },
      event: 'supervised',
      data: { text },
    }),
  }),

  'ticket.reply': rule('ticket.reply', {
    roles: UNIT_ONLY,
    unitScope: 'main',
    from: ['in_progress'],
    apply(t, { text, resolved }, actor, nowMs) {
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
      return { ticket, event: 'replied', data: { text, resolved, dueAt: t.dueAt, onTime } }
    },
  }),

  'ticket.rejectReply': rule('ticket.rejectReply', {
    roles: DISPATCHER_PLUS,
    from: ['replied'],
    apply: (t, { reason }) => ({
      ticket: { ...t, status: 'in_progress', completedAt: null, resolution: null },
      event: 'reply_rejected',
      data: { reason },
    }),
  }),

  'ticket.callback': rule('ticket.callback', {
    roles: ['agent', ...DISPATCHER_PLUS],
    from: ['replied'],
    apply: (t, { satisfaction, resolved, text }, _actor, nowMs) => ({
      ticket: { ...t, status: 'closed', satisfaction, closedAt: iso(nowMs) },
      event: 'called_back',
      // The unit rated travels with the rating: a later redo or re-dispatch cannot move it.
      data:
        resolved === undefined
          ? { satisfaction, text, unit: t.unit }
          : { satisfaction, resolved, text, unit: t.unit },
    }),
  }),

  'ticket.redo': rule('ticket.redo', {
    roles: DISPATCHER_PLUS,
    from: ['closed'],
    when(t, _a, nowMs, ctx) {
      if (t.satisfaction !== 'unsatisfied' || !t.unit)
        return refuse(
          'redo_not_unsatisfied',
          '只有回访不满意的工单才能重办',
          'Only a ticket whose callback was unsatisfied can be redone',
        )
      const days = ctx.deadlines.redoWindowDays
      if (t.closedAt && nowMs - Date.parse(t.closedAt) > days * 86_400_000)
        return refuse(
          'redo_window_passed',
          `回访已超过 ${days} 天，不能重办`,
          `Redo is possible within ${days} days of the callback only`,
        )
      return null
    },
    apply(t, { reason }, _actor, nowMs, ctx) {
      const d = deadlinesFrom(t, nowMs, ctx)
      const ticket: Ticket = {
        ...t,
        ...d.fields,
        status: 'dispatched',
        dispatchedAt: iso(nowMs),
        signedAt: null,
        contactedAt: null,
        completedAt: null,
        closedAt: null,
        resolution: null,
        satisfaction: null,
        counts: { ...t.counts, reopens: t.counts.reopens + 1 },
      }
      return { ticket, event: 'redone', data: { reason, unit: t.unit, ...d.data } }
    },
  }),

  'ticket.closeWithoutCallback': rule('ticket.closeWithoutCallback', {
    roles: DISPATCHER_PLUS,
    from: ['replied'],
    apply: (t, { reason }, _actor, nowMs) => ({
      ticket: { ...t, status: 'closed', closedAt: iso(nowMs) },
      event: 'closed_without_callback',
      data: { reason },
    }),
  }),

  'ticket.merge': rule('ticket.merge', {
    roles: DISPATCHER_PLUS,
    from: ['new', 'dispatched'],
    apply(t, { targetId }, _actor, _now, ctx) {
      if (targetId === t.id)
        return refuse('merge_self', '不能与自身合并', 'A ticket cannot be merged into itself')
      const target = ctx.target
      if (!target || target.id !== targetId)
        return refuse(
          'merge_target_missing',
          '找不到要合并到的工单',
          'The ticket to merge into was not found',
        )
      if (target.status === 'merged' || target.status === 'cancelled')
        return refuse(
          'merge_target_closed',
          '目标工单已合并或作废，请合并到仍有效的工单',
          'The target ticket is itself merged or cancelled',
        )
      return {
        ticket: { ...t, status: 'merged', duplicateOf: targetId },
        event: 'merged',
        data: { targetId, targetNumber: target.number },
      }
    },
  }),

  'ticket.cancel': rule('ticket.cancel', {
    roles: ['supervisor'],
    from: ['new'],
    apply: (t, { reason }, _actor, nowMs) => ({
      ticket: { ...t, status: 'cancelled', closedAt: iso(nowMs) },
      event: 'cancelled',
      data: { reason },
    }),
  }),

  'ticket.viewPhone': viewPhone,
  'ticket.reschedule': reschedule,
  ...KPI_RULES,
}
