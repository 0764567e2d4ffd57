// Unit figures per level of the chain (issues 16 and 17) on a hand-built December 2026 (UTC),
// judged on 12-20: one assignment per link, with that link's level, unit, sign-by, due, sign,
// contact and reply times; callbacks and marks on the link they concern; a recalled link counted
// apart, a returned one judged for signing only. Every expected figure was counted by hand.
import { describe, expect, it } from 'vitest'
import { levelFigures } from '../../src/shared/kpi-levels'
import { assignmentsOf, centreFigures, unitFigures } from '../../src/shared/kpi-units'
import { events, opts, tickets, typeOf } from '../helpers/levels-fixture'

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
