// DESIGN.md §3's table of states and actions, written out as test data: the oracle the rules are
// checked against (the rules themselves live in src/shared/workflow-rules.ts).
import type { ActionName } from '../../src/shared/actions'
import { STATUSES, type EventType, type Status } from '../../src/shared/ticket'
import type { ActorKey } from './workflow'

type Outcome = { event: EventType; to: Status | 'same' }
export interface Row extends Outcome {
  who: ActorKey[]
  from: Status[]
  /**
   * Issue 16: states from which a level below the city (or an assisting unit) may also take the
   * action, leaving the ticket's status as it is; and other statuses it may lead to.
   */
  chainFrom?: Status[]
  alsoTo?: Array<Status | 'same'>
  /** What the one-level fixture answers where the table allows: nothing at that level. */
  fixtureRefusal?: Partial<Record<ActorKey, string>>
}

export const DISPATCHER_PLUS: ActorKey[] = ['dispatcher', 'supervisor']
const SCORED: Status[] = ['dispatched', 'in_progress', 'return_requested', 'replied', 'closed']
export const OPEN: Status[] = ['new', 'dispatched', 'in_progress', 'return_requested', 'replied']

/** DESIGN.md §3, row by row. The creator-agent's edit is special-cased below. */
export const TABLE: Record<Exclude<ActionName, 'ticket.create'>, Row> = {
  'ticket.update': {
    who: DISPATCHER_PLUS,
    from: ['new', 'dispatched', 'in_progress'],
    event: 'updated',
    to: 'same',
  },
  'ticket.answer': {
    who: ['agent', 'agent2', ...DISPATCHER_PLUS],
    from: ['new'],
    event: 'answered',
    to: 'closed',
  },
  'ticket.dispatch': { who: DISPATCHER_PLUS, from: ['new'], event: 'dispatched', to: 'dispatched' },
  'ticket.sign': {
    who: ['unit'],
    from: ['dispatched'],
    event: 'signed',
    to: 'in_progress',
    chainFrom: ['in_progress'],
    alsoTo: ['same'],
  },
  'ticket.requestReturn': {
    who: ['unit'],
    from: ['dispatched', 'in_progress'],
    event: 'return_requested',
    to: 'return_requested',
    alsoTo: ['same'],
  },
  'ticket.decideReturn': {
    who: DISPATCHER_PLUS,
    from: ['return_requested'],
    event: 'return_approved',
    to: 'new',
  },
  'ticket.requestExtension': {
    who: ['unit'],
    from: ['in_progress'],
    event: 'extension_requested',
    to: 'same',
  },
  'ticket.decideExtension': {
    who: DISPATCHER_PLUS,
    from: ['in_progress'],
    event: 'extension_granted',
    to: 'same',
  },
  'ticket.note': {
    who: ['agent', 'agent2', ...DISPATCHER_PLUS, 'unit', 'coUnit'],
    from: OPEN,
    event: 'noted',
    to: 'same',
  },
  'ticket.urge': {
    who: [...DISPATCHER_PLUS, 'system'],
    from: ['dispatched', 'in_progress'],
    event: 'urged',
    to: 'same',
  },
  'ticket.supervise': {
    who: ['supervisor', 'system'],
    from: ['dispatched', 'in_progress'],
    event: 'supervised',
    to: 'same',
  },
  'ticket.reply': {
    who: ['unit'],
    from: ['in_progress'],
    event: 'replied',
    to: 'replied',
    alsoTo: ['same'],
  },
  'ticket.rejectReply': {
    who: DISPATCHER_PLUS,
    from: ['replied'],
    event: 'reply_rejected',
    to: 'in_progress',
  },
  'ticket.callback': {
    who: ['agent', 'agent2', ...DISPATCHER_PLUS],
    from: ['replied'],
    event: 'called_back',
    to: 'closed',
  },
  'ticket.redo': { who: DISPATCHER_PLUS, from: ['closed'], event: 'redone', to: 'dispatched' },
  'ticket.closeWithoutCallback': {
    who: DISPATCHER_PLUS,
    from: ['replied'],
    event: 'closed_without_callback',
    to: 'closed',
  },
  'ticket.merge': {
    who: DISPATCHER_PLUS,
    from: ['new', 'dispatched'],
    event: 'merged',
    to: 'merged',
  },
  'ticket.cancel': { who: ['supervisor'], from: ['new'], event: 'cancelled', to: 'cancelled' },
  // Not in DESIGN.md's table: issue 7's recorded view of the caller's full number (the main unit
  // only, and never for an anonymous caller: see tests/unit/phone-access.test.ts).
  'ticket.viewPhone': {
    who: ['agent', 'agent2', ...DISPATCHER_PLUS, 'unit'],
    from: [...STATUSES],
    event: 'phone_viewed',
    to: 'same',
  },
  // Not in DESIGN.md's table: issue 19's recount of the deadlines after the working calendar
  // changed, by the server alone.
  'ticket.reschedule': {
    who: ['system'],
    from: ['dispatched', 'in_progress', 'return_requested'],
    event: 'rescheduled',
    to: 'same',
  },
  // Issue 16: the levels below the city centre. In the one-level fixture the unit (JK-ZDL) is
  // the city's level-1 lead; it may pass the ticket to its community, and has nothing below it
  // to review, recall or re-route, and no assisting part to give.
  'ticket.dispatchDown': {
    who: ['unit'],
    from: ['in_progress'],
    event: 'dispatched_down',
    to: 'same',
  },
  'ticket.reviewReturn': {
    who: ['unit'],
    from: ['in_progress'],
    event: 'level_return_approved',
    to: 'same',
    fixtureRefusal: { unit: 'no_return_pending' },
  },
  'ticket.reviewReply': {
    who: ['unit'],
    from: ['in_progress'],
    event: 'level_reply_approved',
    to: 'same',
    alsoTo: ['replied'],
    fixtureRefusal: { unit: 'no_reply_pending' },
  },
  'ticket.recall': {
    who: [...DISPATCHER_PLUS, 'unit'],
    from: ['dispatched', 'in_progress'],
    event: 'recalled',
    to: 'new',
    alsoTo: ['same'],
    fixtureRefusal: { unit: 'nothing_to_recall' },
  },
  'ticket.reroute': {
    who: [...DISPATCHER_PLUS, 'unit'],
    from: ['dispatched', 'in_progress'],
    event: 'rerouted',
    to: 'dispatched',
    alsoTo: ['same'],
    fixtureRefusal: { unit: 'nothing_to_recall' },
  },
  'ticket.submitPart': {
    who: ['unit'],
    from: ['dispatched', 'in_progress'],
    event: 'part_submitted',
    to: 'same',
    fixtureRefusal: { unit: 'not_assisting' },
  },
  // Issue 17 (src/shared/workflow-kpi-rules.ts): the unit records contacting the citizen; a
  // supervisor exempts a ticket from the unit's scores, or withdraws the exemption.
  'ticket.contact': {
    who: ['unit'],
    from: ['dispatched', 'in_progress'],
    event: 'contacted',
    to: 'same',
  },
  'ticket.exempt': {
    who: ['supervisor'],
    from: SCORED,
    event: 'exempted',
    to: 'same',
  },
  'ticket.withdrawExemption': {
    who: ['supervisor'],
    from: SCORED,
    event: 'exemption_withdrawn',
    to: 'same',
  },
}
