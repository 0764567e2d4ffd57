// The rules after a reply (DESIGN.md §3 table, continued from workflow-rules.ts): the city
// centre's review and callback, redo, closing without callback, merge and cancel.
import { newAssignments } from './workflow-chain'
import { DISPATCHER_PLUS, refuse } from './workflow-support'
import type { Ticket } from './ticket'
import { deadlinesFrom, iso, rule, type Rule } from './workflow-rule-kit'

type AfterReply =
  | 'ticket.rejectReply'
  | 'ticket.callback'
  | 'ticket.redo'
  | 'ticket.closeWithoutCallback'
  | 'ticket.merge'
  | 'ticket.cancel'

export const AFTER_REPLY_RULES = {
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
    apply(t, { reason }, actor, nowMs, ctx) {
      const d = deadlinesFrom(t, nowMs, ctx)
      // A new round at level 1 for the same unit; the old round's entries stay as history.
      const old = t.assignments?.map((a) => ({ ...a, superseded: true }))
      const made = old
        ? newAssignments(t, old, {
            from: null,
            unit: t.unit!,
            assisting: [],
            instructions: t.instructions,
            actor,
            nowMs,
            ctx,
            signBy: d.fields.signBy,
            dueAt: d.fields.dueAt,
          })
        : null
      if (made && !Array.isArray(made)) return made
      const ticket: Ticket = {
        ...t,
        ...d.fields,
        ...(old && made ? { assignments: [...old, ...made] } : {}),
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
} satisfies { [N in AfterReply]: Rule<N> }
