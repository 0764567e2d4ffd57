// Unit figures per level of the chain (issues 16 and 17) on a hand-built December 2026 (UTC),
// judged on 12-20: one assignment per link, with that link's level, unit, sign-by, due, sign,
// contact and reply times; callbacks and marks on the link they concern; a recalled link counted
// apart, a returned one judged for signing only. Every expected figure was counted by hand.
import { describe, expect, it } from 'vitest'
import type { Assignment as Link } from '../../src/shared/assignments'
import { levelFigures } from '../../src/shared/kpi-levels'
import { assignmentsOf, centreFigures, unitFigures } from '../../src/shared/kpi-units'
import type { Ticket, TimelineEvent } from '../../src/shared/ticket'
import type { UnitType } from '../../src/shared/unit-types'

const at = (s: string) => `2026-${s.replace(' ', 'T')}:00.000Z`
const period = { from: Date.parse(at('12-01 00:00')), to: Date.parse('2027-01-01T00:00:00Z') }
const opts = { period, now: Date.parse(at('12-20 00:00')), contactWithinHours: 48 }
const types: Record<string, UnitType> = {
  SC: 'centre',
  ST: 'street',
  CM: 'community',
  BU: 'bureau',
  CB: 'bureau',
}
const typeOf = (u: string) => types[u] ?? null

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
const tickets = [m1, m2, m3, m4]
const events = [
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

const rate = (r: { numerator: number; denominator: number }) => [r.numerator, r.denominator]

describe('unit figures per level of the chain', () => {
  const input = assignmentsOf(tickets, events, typeOf)
  const figs = unitFigures(input, opts)
  const at2 = (level: string, unit: string) =>
    figs.find((f) => f.level === level && f.unit === unit)!

  it('one assignment per link, each at its level', () => {
    expect(input.assignments.map((a) => `${a.ticketId}:${a.level}:${a.unit}`)).toEqual([
      'm1:subcentre:SC',
      'm1:street:ST',
      'm1:community:CM',
      'm2:subcentre:SC',
      'm2:street:ST',
      'm2:subcentre:BU', // a bureau is at the level of the sub-centre that dispatched it
      'm3:city:CB',
      'm4:subcentre:SC',
      'm4:street:ST',
    ])
    expect(figs.map((f) => `${f.level}:${f.unit}`).sort()).toEqual([
      'city:CB',
      'community:CM',
      'street:ST',
      'subcentre:BU',
      'subcentre:SC',
    ])
  })

  it('the sub-centre: its own sign-by and due, the callback of the reply it sent up', () => {
    const SC = at2('subcentre', 'SC')
    expect(rate(SC.signing)).toEqual([3, 3])
    // m1 on time, m2 open past due; m4 not due yet.
    expect(rate(SC.completion)).toEqual([1, 2])
    expect(SC.overdueTickets).toEqual(['m2'])
    // m1: CM's contact reached the citizen 10 h after dispatch; m2 and m4: nobody called.
    expect(rate(SC.response)).toEqual([1, 3])
    expect(rate(SC.satisfaction)).toEqual([1, 1])
    expect(rate(SC.resolution)).toEqual([1, 1])
    expect([SC.urged, SC.supervised, SC.returnsRejected, SC.recalled]).toEqual([0, 0, 0, 0])
  })

  it('the street: late signing judged, the recalled link apart, the returned one not due', () => {
    const ST = at2('street', 'ST')
    // m1 signed late, m4 signed late; m2's link was recalled before its sign-by: not judged.
    expect(rate(ST.signing)).toEqual([0, 2])
    expect(ST.tickets.lateSigning).toEqual(['m1', 'm4'])
    // m1 replied up before its due; m4 was returned: not judged for completion.
    expect(rate(ST.completion)).toEqual([1, 1])
    expect(rate(ST.response)).toEqual([0, 2])
    expect(rate(ST.satisfaction)).toEqual([1, 1])
    expect(ST.returnsRejected).toBe(1)
    expect(ST.recalled).toBe(1)
    expect(ST.tickets.recalled).toEqual(['m2'])
    // Held: m1 12-02 03:00 → 12-06 00:00 (93 h), m4 01:00 → 05:00 (4 h); the recalled link not.
    expect(ST.meanHoursHeld).toBe(48.5)
  })

  it('the community and the bureau under the sub-centre; the urge and supervision where held', () => {
    const CM = at2('community', 'CM')
    expect([rate(CM.signing), rate(CM.completion), rate(CM.response)]).toEqual([
      [1, 1],
      [0, 1],
      [1, 1],
    ])
    expect(CM.overdueTickets).toEqual(['m1'])
    expect(CM.urged).toBe(1)
    const BU = at2('subcentre', 'BU')
    expect([rate(BU.signing), rate(BU.completion), rate(BU.response)]).toEqual([
      [1, 1],
      [0, 1],
      [0, 1],
    ])
    expect(BU.supervised).toBe(1)
    const CB = at2('city', 'CB')
    expect([rate(CB.signing), rate(CB.completion), rate(CB.response)]).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ])
  })

  it("the centre line counts each ticket once, by the city's own dispatch", () => {
    const c = centreFigures(input, opts)
    expect(rate(c.signing)).toEqual([4, 4])
    // m1 ✓, m2 ✗ (open past due), m3 ✓; m4 not due.
    expect(rate(c.completion)).toEqual([2, 3])
    expect(rate(c.response)).toEqual([2, 4])
    expect(rate(c.satisfaction)).toEqual([1, 1])
    expect([c.urged, c.supervised, c.returnsRejected]).toEqual([1, 1, 1])
  })

  it('the period report reads the same figures, and recalls per dispatcher', () => {
    const r = levelFigures(tickets, events, { ...opts, typeOf })
    const ST = r.levels.find((l) => l.level === 'street' && l.unit === 'ST')!
    expect(rate(ST.signing)).toEqual([0, 2])
    expect(r.levels.map((l) => l.level)).toEqual([
      'city',
      'subcentre',
      'subcentre',
      'street',
      'community',
    ])
    expect(r.dispatchers).toEqual([
      expect.objectContaining({
        userId: 'u-SC',
        unit: 'SC',
        reroutes: 1,
        recalls: 0,
        tickets: ['m2'],
      }),
    ])
  })
})
