// A hand-built multi-level December 2026 (UTC), judged on 12-20 (issues 16 and 17): city →
// sub-centre SC → street ST → community CM, a recall and re-route to the bureau BU, a legacy
// ticket at the city bureau CB, a return. The expected figures are in kpi-units-levels.test.ts.
import type { Assignment as Link } from '../../src/shared/assignments'
import type { Ticket, TimelineEvent } from '../../src/shared/ticket'
import type { UnitType } from '../../src/shared/unit-types'

export const at = (s: string) => `2026-${s.replace(' ', 'T')}:00.000Z`
export const period = {
  from: Date.parse(at('12-01 00:00')),
  to: Date.parse('2027-01-01T00:00:00Z'),
}
export const opts = { period, now: Date.parse(at('12-20 00:00')), contactWithinHours: 48 }
export const types: Record<string, UnitType> = {
  SC: 'centre',
  ST: 'street',
  CM: 'community',
  BU: 'bureau',
  CB: 'bureau',
}
export const typeOf = (u: string) => types[u] ?? null

type L = Partial<Link> & Pick<Link, 'id' | 'level' | 'unit' | 'at' | 'signBy' | 'dueAt' | 'state'>
const link = (o: L & { parent?: string | null }): Link => ({
  parent: null,
  role: 'lead',
  lead: null,
  by: { userId: 'u-disp', name: null, unit: null },
  instructions: null,
  signedAt: null,
  endedAt: null,
  reason: null,
  returnRequest: null,
  reply: null,
  review: null,
  ...o,
  at: at(o.at),
  signBy: at(o.signBy),
  dueAt: at(o.dueAt),
  ...(o.signedAt ? { signedAt: at(o.signedAt) } : {}),
  ...(o.endedAt ? { endedAt: at(o.endedAt) } : {}),
})
const reply = (when: string) => ({ text: '已办', resolved: true, at: at(when), by: 'u' })

const ticket = (id: string, o: Partial<Ticket>): Ticket =>
  ({
    id,
    number: `2026120${id}`,
    channel: 'phone',
    kind: 'complaint',
    category: '0101',
    urgency: 'normal',
    caller: { name: null, phone: null, anonymous: true, company: null, callbackConsent: true },
    description: '噪音',
    location: {
      address: '人民路 1 号',
      district: null,
      street: null,
      community: null,
      lat: null,
      lng: null,
    },
    status: 'in_progress',
    unit: null,
    coUnits: [],
    instructions: null,
    dispatchedAt: null,
    signedAt: null,
    signBy: null,
    dueAt: null,
    extension: { state: 'none', requestedUntil: null, reason: null, originalDueAt: null },
    returnRequest: null,
    counts: { returns: 0, urges: 0, reopens: 0, extensions: 0 },
    completedAt: null,
    closedAt: null,
    resolution: null,
    satisfaction: null,
    supervised: false,
    duplicateOf: null,
    needsReview: false,
    createdBy: 'u',
    createdAt: at('12-01 12:00'),
    updatedAt: at('12-01 12:00'),
    version: 1,
    ...o,
  }) as Ticket

// m1: city → SC → ST → CM, replied up the ladder and called back. ST signed late; CM replied
// late; CM contacted the citizen; the city urged while CM held it.
const m1 = ticket('m1', {
  status: 'closed',
  unit: 'SC',
  dispatchedAt: at('12-02 00:00'),
  signBy: at('12-02 02:00'),
  signedAt: at('12-02 01:00'),
  dueAt: at('12-09 00:00'),
  completedAt: at('12-08 00:00'),
  contactedAt: at('12-02 10:00'),
  resolution: { kind: 'replied', ...reply('12-08 00:00') },
  satisfaction: 'satisfied',
  assignments: [
    link({
      id: 'a1',
      level: 1,
      unit: 'SC',
      at: '12-02 00:00',
      signBy: '12-02 02:00',
      signedAt: '12-02 01:00',
      dueAt: '12-09 00:00',
      state: 'replied',
      endedAt: '12-08 00:00',
      reply: reply('12-08 00:00'),
    }),
    link({
      id: 'a2',
      level: 2,
      parent: 'a1',
      unit: 'ST',
      at: '12-02 03:00',
      signBy: '12-02 05:00',
      signedAt: '12-02 06:00',
      dueAt: '12-07 00:00',
      state: 'replied',
      endedAt: '12-06 00:00',
      reply: reply('12-06 00:00'),
      review: 'approved',
    }),
    link({
      id: 'a3',
      level: 3,
      parent: 'a2',
      unit: 'CM',
      at: '12-02 07:00',
      signBy: '12-02 09:00',
      signedAt: '12-02 08:00',
      dueAt: '12-06 00:00',
      state: 'replied',
      endedAt: '12-06 12:00',
      reply: reply('12-06 12:00'),
      review: 'approved',
    }),
  ],
})
// m2: city → SC; SC → ST, recalled before ST signed and re-routed to the bureau BU, which signed
// in time and is still open past its due; supervised while BU held it. Nobody contacted.
const m2 = ticket('m2', {
  unit: 'SC',
  dispatchedAt: at('12-10 00:00'),
  signBy: at('12-10 02:00'),
  signedAt: at('12-10 01:00'),
  dueAt: at('12-17 00:00'),
  assignments: [
    link({
      id: 'a1',
      level: 1,
      unit: 'SC',
      at: '12-10 00:00',
      signBy: '12-10 02:00',
      signedAt: '12-10 01:00',
      dueAt: '12-17 00:00',
      state: 'signed',
    }),
    link({
      id: 'a2',
      level: 2,
      parent: 'a1',
      unit: 'ST',
      at: '12-10 03:00',
      signBy: '12-10 05:00',
      dueAt: '12-16 00:00',
      state: 'recalled',
      endedAt: '12-10 04:00',
    }),
    link({
      id: 'a3',
      level: 2,
      parent: 'a1',
      unit: 'BU',
      at: '12-10 04:00',
      signBy: '12-10 06:00',
      signedAt: '12-10 05:00',
      dueAt: '12-15 00:00',
      state: 'signed',
    }),
  ],
})
// m3: a ticket from before the chain, dispatched straight to the city bureau CB: on time.
const m3 = ticket('m3', {
  status: 'replied',
  unit: 'CB',
  dispatchedAt: at('12-03 00:00'),
  signBy: at('12-03 02:00'),
  signedAt: at('12-03 01:00'),
  dueAt: at('12-08 00:00'),
  completedAt: at('12-07 00:00'),
  contactedAt: at('12-03 05:00'),
  resolution: { kind: 'replied', ...reply('12-07 00:00') },
})
// m4: city → SC → ST; ST signed late, asked to return, was refused once, then returned.
const m4 = ticket('m4', {
  unit: 'SC',
  dispatchedAt: at('12-12 00:00'),
  signBy: at('12-12 01:00'),
  signedAt: at('12-12 00:30'),
  dueAt: at('12-30 00:00'),
  assignments: [
    link({
      id: 'a1',
      level: 1,
      unit: 'SC',
      at: '12-12 00:00',
      signBy: '12-12 01:00',
      signedAt: '12-12 00:30',
      dueAt: '12-30 00:00',
      state: 'signed',
    }),
    link({
      id: 'a2',
      level: 2,
      parent: 'a1',
      unit: 'ST',
      at: '12-12 01:00',
      signBy: '12-12 02:00',
      signedAt: '12-12 03:00',
      dueAt: '12-18 00:00',
      state: 'returned',
      endedAt: '12-12 05:00',
    }),
  ],
})

let n = 0
const ev = (
  t: Ticket,
  type: TimelineEvent['type'],
  when: string,
  unit: string | null,
  data: Record<string, unknown> = {},
): TimelineEvent => ({
  id: `${t.id}/${++n}`,
  ticketId: t.id,
  type,
  version: n,
  at: at(when),
  actor: {
    userId: `u-${unit ?? 'city'}`,
    role: unit ? 'unit' : 'dispatcher',
    unit,
    name: null,
    consoleId: null,
  },
  from: null,
  to: t.status,
  data,
})
export const tickets = [m1, m2, m3, m4]
export const events = [
  ev(m1, 'contacted', '12-02 10:00', 'CM', { unit: 'SC', text: null }),
  ev(m1, 'urged', '12-05 00:00', null, { text: '请尽快', holder: 'CM', holderLevel: 3 }),
  ev(m1, 'called_back', '12-10 00:00', null, {
    satisfaction: 'satisfied',
    resolved: true,
    unit: 'SC',
  }),
  ev(m2, 'rerouted', '12-10 04:00', 'SC', { unit: 'BU', reason: '属部门职责' }),
  ev(m2, 'supervised', '12-16 00:00', null, { text: '督办', holder: 'BU', holderLevel: 2 }),
  ev(m4, 'level_return_rejected', '12-12 04:00', 'SC', {
    reason: '属你街道',
    unit: 'ST',
    level: 2,
  }),
]
