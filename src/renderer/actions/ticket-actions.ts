// The registry's ticket actions: every workflow action a person can take on the cursor's ticket
// (or the selection), each with its key. The rules decide when each is offered (`allowed`).
import { ACTION_LABELS } from '../../shared/labels'
import { formAction, onAny, onQueue, onTicket, onTickets, type UiAction } from './action-kit'

export const TICKET_ACTIONS: readonly UiAction[] = [
  {
    id: 'ticket.dispatch',
    label: ACTION_LABELS['ticket.dispatch'],
    group: 'ticket',
    keys: ['D'],
    workflow: 'ticket.dispatch',
    alsoRuns: ['ticket.dispatchDown'],
    when: (s) => onTickets('ticket.dispatch')(s) || onTicket('ticket.dispatchDown')(s),
    run: (c) => c.openDispatch(),
  },
  {
    id: 'ticket.reroute',
    label: ACTION_LABELS['ticket.reroute'],
    group: 'ticket',
    keys: ['Shift+D'],
    workflow: 'ticket.reroute',
    when: onTicket('ticket.reroute'),
    run: (c) => c.openDispatch('reroute'),
  },
  formAction('recall', ['W']),
  formAction('submitPart', ['P']),
  {
    id: 'ticket.sign',
    label: ACTION_LABELS['ticket.sign'],
    group: 'ticket',
    keys: ['S'],
    workflow: 'ticket.sign',
    when: onTicket('ticket.sign'),
    run: (c) => c.act('ticket.sign'),
  },
  {
    id: 'ticket.urge',
    label: ACTION_LABELS['ticket.urge'],
    group: 'ticket',
    keys: ['U'],
    workflow: 'ticket.urge',
    when: onTickets('ticket.urge'),
    run: (c) => c.act('ticket.urge'),
  },
  {
    id: 'ticket.note',
    label: ACTION_LABELS['ticket.note'],
    group: 'ticket',
    keys: ['M'],
    workflow: 'ticket.note',
    when: onTicket('ticket.note'),
    run: (c) => c.openNote(),
  },
  {
    id: 'ticket.viewPhone',
    label: ACTION_LABELS['ticket.viewPhone'],
    group: 'ticket',
    keys: ['V'],
    workflow: 'ticket.viewPhone',
    // Offered on every ticket: to someone who may not see the number it says why (issue 7).
    when: (s) => onQueue(s) && s.ticketId !== null,
    run: (c, s) => {
      if (!s.ticketOpen) c.openTicket()
      c.act('ticket.viewPhone')
    },
  },
  formAction('answer', ['A']),
  formAction('update', ['E']),
  formAction('supervise', ['Shift+U'], { bulk: true }),
  {
    id: 'ticket.approve',
    label: {
      zh: '同意（退单 / 延期 / 下级回复）',
      en: 'Approve (return / extension / reply from below)',
    },
    group: 'ticket',
    keys: ['Y'],
    workflow: 'ticket.decideReturn',
    alsoRuns: ['ticket.reviewReturn', 'ticket.reviewReply'],
    when: onAny(
      'ticket.decideReturn',
      'ticket.decideExtension',
      'ticket.reviewReturn',
      'ticket.reviewReply',
    ),
    run: (c) => c.approve(),
  },
  {
    id: 'ticket.refuse',
    label: {
      zh: '驳回（退单 / 延期 / 下级回复）',
      en: 'Refuse (return / extension / reply from below)',
    },
    group: 'ticket',
    keys: ['Shift+Y'],
    workflow: 'ticket.decideExtension',
    when: onAny(
      'ticket.decideReturn',
      'ticket.decideExtension',
      'ticket.reviewReturn',
      'ticket.reviewReply',
    ),
    run: (c) => c.refuse(),
  },
  formAction('requestReturn', ['R']),
  formAction('requestExtension', ['T']),
  formAction('reply', ['F']),
  formAction('rejectReply', ['Shift+F']),
  formAction('callback', ['C']),
  formAction('redo', ['O']),
  formAction('closeWithoutCallback', ['Shift+C'], { bulk: true }),
  formAction('merge', ['Shift+M'], { bulk: true }),
  formAction('cancel', ['Shift+Delete'], { bulk: true }),
  // Issue 17: L 联系来电人 (lianxi); B 不纳入考核 (bu), Shift+B withdraws it.
  formAction('contact', ['L']),
  formAction('exempt', ['B']),
  formAction('withdrawExemption', ['Shift+B']),
]
