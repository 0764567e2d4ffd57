// A rules context over the real calendar and deadline rules with a few units and categories,
// and builders that drive a ticket into any state through the rules themselves.
import type { Action } from '../../src/shared/actions'
import type { Actor, Status, Ticket, TimelineEvent } from '../../src/shared/ticket'
import { applyAction, type RulesContext } from '../../src/shared/workflow'
import { WorkCalendar } from '../../src/shared/calendar'
import { at, calendar, calendarData, deadlineRules } from './calendar'

export const ctx: RulesContext = {
  deadlines: deadlineRules,
  calendar,
  units: new Map([
    [
      'JK-CENTER',
      {
        name: '京口区12345热线分中心',
        nameEn: 'Jingkou 12345 Sub-centre',
        active: true,
        type: 'centre',
        parent: 'JK',
        dispatchTo: ['JK-ZDL', 'JK-JKL', 'JK-UM'],
      },
    ],
    [
      'JK-ZDL',
      {
        name: '正东路街道',
        nameEn: 'Zhengdonglu Subdistrict',
        active: true,
        type: 'street',
        parent: 'JK',
      },
    ],
    [
      'JK-JKL',
      { name: '健康路街道', nameEn: 'Jiankanglu Subdistrict', active: true, parent: 'JK' },
    ],
    ['JK-UM', { name: '京口区城市管理局', nameEn: 'Jingkou Urban Management', active: true }],
    [
      'JK-ZDL-HJN',
      { name: '贺家弄社区', nameEn: 'Hejianong Community', active: true, parent: 'JK-ZDL' },
    ],
    ['CITY-UM', { name: '市城市管理局', nameEn: 'City Urban Management Bureau', active: true }],
    [
      'CITY-EEB',
      { name: '市生态环境局', nameEn: 'City Ecology and Environment Bureau', active: true },
    ],
    ['OLD-UNIT', { name: '已撤并单位', nameEn: 'Merged-away Unit', active: false }],
  ]),
  categories: new Set(['03', '0301', '0302', '13', '1302']),
}

/**
 * The same rules after an admin declared 24–27 November 2026 holidays: deadlines counted from T0
 * move, so the server's recount (`ticket.reschedule`) has something to do.
 */
export const recountCtx: RulesContext = {
  ...ctx,
  calendar: new WorkCalendar({
    ...calendarData,
    years: {
      ...calendarData.years,
      '2026': {
        ...calendarData.years['2026']!,
        holidays: [
          ...calendarData.years['2026']!.holidays,
          {
            name: '测试假日',
            nameEn: 'Test holiday',
            dates: ['2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'],
          },
        ],
      },
    },
  }),
}

export const actors = {
  agent: { userId: 'u-agent1', role: 'agent', unit: null, name: '李话务' },
  agent2: { userId: 'u-agent2', role: 'agent', unit: null, name: '周话务' },
  dispatcher: { userId: 'u-disp1', role: 'dispatcher', unit: null, name: '王派单' },
  supervisor: { userId: 'u-sup1', role: 'supervisor', unit: null, name: '陈班长' },
  unit: { userId: 'u-zdl', role: 'unit', unit: 'JK-ZDL', name: '正东路街道' },
  coUnit: { userId: 'u-eeb', role: 'unit', unit: 'CITY-EEB', name: '市生态环境局' },
  otherUnit: { userId: 'u-um', role: 'unit', unit: 'CITY-UM', name: '市城管局' },
  centre: { userId: 'u-jkc', role: 'unit', unit: 'JK-CENTER', name: '京口区分中心' },
  street2: { userId: 'u-jkl', role: 'unit', unit: 'JK-JKL', name: '健康路街道' },
  community: { userId: 'u-hjn', role: 'unit', unit: 'JK-ZDL-HJN', name: '贺家弄社区' },
  admin: { userId: 'u-admin', role: 'admin', unit: null, name: '管理员' },
  system: { userId: 'system', role: 'system', unit: null, name: '系统' },
  open311: { userId: 'open311:web', role: 'open311', unit: null, name: '市民网站' },
} satisfies Record<string, Actor>
export type ActorKey = keyof typeof actors

/** Monday 2026-11-23 09:00 local: a working morning. */
export const T0 = at('2026-11-23 09:00')
const MIN = 60_000

let seq = 0
export const newId = (): string => `0190f5c2-0000-7000-8000-${String(++seq).padStart(12, '0')}`

export function draft(id = newId()) {
  return {
    id,
    channel: 'phone' as const,
    kind: 'complaint' as const,
    category: '0301',
    urgency: 'normal' as const,
    caller: {
      name: '张先生',
      phone: '13800000001',
      anonymous: false,
      company: null,
      callbackConsent: true,
    },
    description: '小区门口饭店夜间噪音扰民，已持续一周',
    location: {
      address: '京口区正东路88号',
      district: '321102',
      street: 'JK-ZDL',
      community: null,
      lat: null,
      lng: null,
    },
  }
}

export interface Run {
  ticket: Ticket
  events: TimelineEvent[]
  now: number
}

/** Apply an action and fail loudly if the rules refuse it: for building fixtures. */
export function step(
  run: Run,
  action: Action,
  actor: Actor,
  minutesLater = 10,
  extra: Partial<RulesContext> = {},
): Run {
  const now = run.now + minutesLater * MIN
  const r = applyAction(run.ticket, action, actor, now, { ...ctx, ...extra })
  if (!r.ok) throw new Error(`${action.name} refused: ${r.refusal.code} ${r.refusal.message.en}`)
  return { ticket: r.ticket, events: [...run.events, r.event], now }
}

export function created(now = T0): Run {
  const r = applyAction(
    null,
    { name: 'ticket.create', args: { ticket: draft() } },
    actors.agent,
    now,
    ctx,
  )
  if (!r.ok) throw new Error(r.refusal.message.en)
  return { ticket: r.ticket, events: [r.event], now }
}

const id = (run: Run) => run.ticket.id

/**
 * A ticket in the given state, reached through the rules. `variant` picks a flavour some actions
 * need: a pending extension request (in_progress), an unsatisfied callback (closed, the default).
 */
export function inState(status: Status, variant?: 'extensionPending' | 'answered'): Run {
  let r = created()
  if (status === 'new') return r
  if (status === 'cancelled')
    return step(
      r,
      { name: 'ticket.cancel', args: { ticketId: id(r), reason: '无效来电' } },
      actors.supervisor,
    )
  if (status === 'merged') return r // built by the caller, who needs a target
  if (status === 'closed' && variant === 'answered')
    return step(
      r,
      { name: 'ticket.answer', args: { ticketId: id(r), text: '已当场解答' } },
      actors.agent,
    )
  r = step(
    r,
    {
      name: 'ticket.dispatch',
      args: { ticketId: id(r), unit: 'JK-ZDL', coUnits: ['CITY-EEB'], instructions: '请核实处理' },
    },
    actors.dispatcher,
  )
  if (status === 'dispatched') return r
  if (status === 'return_requested')
    return step(
      r,
      { name: 'ticket.requestReturn', args: { ticketId: id(r), reason: '不属于本单位职责' } },
      actors.unit,
    )
  r = step(r, { name: 'ticket.sign', args: { ticketId: id(r) } }, actors.unit)
  if (status === 'in_progress') {
    if (variant !== 'extensionPending') return r
    const until = new Date(Date.parse(r.ticket.dueAt!) + 2 * 86_400_000).toISOString()
    return step(
      r,
      {
        name: 'ticket.requestExtension',
        args: { ticketId: id(r), until, reason: '需协调施工单位' },
      },
      actors.unit,
    )
  }
  r = step(
    r,
    { name: 'ticket.reply', args: { ticketId: id(r), text: '已责令整改', resolved: true } },
    actors.unit,
    120,
  )
  if (status === 'replied') return r
  return step(
    r,
    { name: 'ticket.callback', args: { ticketId: id(r), satisfaction: 'unsatisfied', text: null } },
    actors.agent,
  )
}

/**
 * Issue 16: a ticket the city dispatched to the Jingkou sub-centre, which signed and passed it
 * down to the Zhengdonglu street office with the Jiankanglu street office assisting — up to
 * `stage`: just passed down, signed by the street (and the part signed), the part in, the
 * street's reply waiting for review, or the street asking to return it.
 */
export function inChain(
  stage: 'down' | 'signed' | 'partIn' | 'replied' | 'returnAsked' = 'down',
): Run {
  let r = created()
  r = step(
    r,
    {
      name: 'ticket.dispatch',
      args: { ticketId: id(r), unit: 'JK-CENTER', coUnits: [], instructions: '请分中心处理' },
    },
    actors.dispatcher,
  )
  r = step(r, { name: 'ticket.sign', args: { ticketId: id(r) } }, actors.centre)
  r = step(
    r,
    {
      name: 'ticket.dispatchDown',
      args: { ticketId: id(r), unit: 'JK-ZDL', assisting: ['JK-JKL'], instructions: '请街道核实' },
    },
    actors.centre,
  )
  if (stage === 'down') return r
  if (stage === 'returnAsked')
    return step(
      r,
      { name: 'ticket.requestReturn', args: { ticketId: id(r), reason: '不在本街道辖区' } },
      actors.unit,
    )
  r = step(r, { name: 'ticket.sign', args: { ticketId: id(r) } }, actors.unit)
  r = step(r, { name: 'ticket.sign', args: { ticketId: id(r) } }, actors.street2)
  if (stage === 'signed') return r
  r = step(
    r,
    { name: 'ticket.submitPart', args: { ticketId: id(r), text: '已配合现场核查' } },
    actors.street2,
  )
  if (stage === 'partIn') return r
  return step(
    r,
    { name: 'ticket.reply', args: { ticketId: id(r), text: '已整改到位', resolved: true } },
    actors.unit,
  )
}
