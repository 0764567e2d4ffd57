// Issue 17's actions, kept apart from workflow-rules.ts so the dispatch-levels work merges easily:
// - 联系来电人 (`ticket.contact`): the unit says it has contacted the citizen; the time counts for
//   the response rate (kpi-units.ts). Once per dispatch: a new dispatch or redo clears it.
// - 不纳入考核 (`ticket.exempt`): a supervisor takes the ticket out of the unit's scores, with a
//   reason from a fixed list and words; `ticket.withdrawExemption` puts it back. Both only touch
//   the exemption, so they never conflict with the unit's own work, and both are on the timeline.
import { ACTIVE, iso, rule } from './workflow-rule-kit'
import { refuse } from './workflow-support'
import type { Status } from './ticket'

/** Statuses in which a ticket has a unit whose scores it can leave. */
const SCORED: readonly Status[] = [
  'dispatched',
  'in_progress',
  'return_requested',
  'replied',
  'closed',
]

export const KPI_RULES = {
  'ticket.contact': rule('ticket.contact', {
    roles: ['unit'],
    unitScope: 'main',
    from: ACTIVE,
    when: (t) =>
      t.contactedAt
        ? refuse('already_contacted', '已记录联系来电人', 'The citizen was already contacted')
        : null,
    apply: (t, { text }, _actor, nowMs) => ({
      ticket: { ...t, contactedAt: iso(nowMs) },
      event: 'contacted',
      data: {
        text,
        unit: t.unit,
        late: t.signBy != null && t.signedAt == null && nowMs > Date.parse(t.signBy),
      },
    }),
  }),

  'ticket.exempt': rule('ticket.exempt', {
    roles: ['supervisor'],
    from: SCORED,
    when: (t) =>
      t.exemption
        ? refuse('already_exempt', '该工单已不纳入考核', 'This ticket is already exempt')
        : !t.unit
          ? refuse('no_unit', '该工单没有承办单位', 'This ticket has no unit to exempt it for')
          : null,
    apply: (t, { reason, text }, actor, nowMs) => ({
      ticket: { ...t, exemption: { reason, text, at: iso(nowMs), by: actor.userId } },
      event: 'exempted',
      data: { reason, text, unit: t.unit },
    }),
  }),

  'ticket.withdrawExemption': rule('ticket.withdrawExemption', {
    roles: ['supervisor'],
    from: SCORED,
    when: (t) =>
      t.exemption ? null : refuse('not_exempt', '该工单未被排除考核', 'This ticket is not exempt'),
    apply: (t, { reason }) => ({
      ticket: { ...t, exemption: null },
      event: 'exemption_withdrawn',
      data: { reason, previous: t.exemption?.reason ?? null, unit: t.unit },
    }),
  }),
} as const
