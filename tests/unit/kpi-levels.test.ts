// Issue 16's figures per unit and level: on-time signing and completion of each level's own
// assignments (kpi-units.ts' definitions), recalls counted apart (against neither unit), time
// held, recalls per dispatcher. Levels are named by the units' types (JK-UM, a bureau the
// sub-centre dispatched to, is at the sub-centre's level).
import { describe, expect, it } from 'vitest'
import { levelFigures } from '../../src/shared/kpi-levels'
import type { UnitType } from '../../src/shared/unit-types'
import { actors, inChain, step } from '../helpers/workflow'

const H = 3_600_000
const types: Record<string, UnitType> = {
  'JK-CENTER': 'centre',
  'JK-ZDL': 'street',
  'JK-JKL': 'street',
  'JK-UM': 'bureau',
}
const typeOf = (u: string) => types[u] ?? null
const rate = (r: { numerator: number; denominator: number }) => [r.numerator, r.denominator]

describe('levelFigures', () => {
  it('counts each level on its own, and a re-route against neither unit', () => {
    // City → 京口区 → 正东路街道 (JK-JKL assisting); the street asks to return; the centre
    // re-routes it to 健康路街道's neighbour JK-UM, which signs late and replies.
    let r = inChain('returnAsked')
    const id = r.ticket.id
    r = step(
      r,
      {
        name: 'ticket.reroute',
        args: { ticketId: id, unit: 'JK-UM', reason: '属城管职责', instructions: null },
      },
      actors.centre,
    )
    const period = { from: r.now - 10 * 24 * H, to: r.now + 30 * 24 * H }
    const now = r.now + 30 * 24 * H
    const { levels, dispatchers } = levelFigures([r.ticket], r.events, { period, now, typeOf })
    const at = (level: string, unit: string) =>
      levels.find((l) => l.level === level && l.unit === unit)!
    const judged = (l: (typeof levels)[number]) => [rate(l.signing), rate(l.completion)]
    // The recalled street and its assisting unit: counted as recalled, nothing else.
    expect(at('street', 'JK-ZDL')).toMatchObject({ recalled: 1, tickets: { recalled: [id] } })
    expect(judged(at('street', 'JK-ZDL'))).toEqual([
      [0, 0],
      [0, 0],
    ])
    expect(at('street', 'JK-JKL')).toMatchObject({ recalled: 1 })
    expect(judged(at('street', 'JK-JKL'))).toEqual([
      [0, 0],
      [0, 0],
    ])
    // JK-UM never signed: late on both, and its ticket is behind the figure.
    expect(judged(at('subcentre', 'JK-UM'))).toEqual([
      [0, 1],
      [0, 1],
    ])
    expect(at('subcentre', 'JK-UM').overdueTickets).toEqual([id])
    expect(at('subcentre', 'JK-UM').tickets.lateSigning).toEqual([id])
    // The sub-centre signed in time at level 1; its due (not met by now) counts against it.
    expect(judged(at('subcentre', 'JK-CENTER'))).toEqual([
      [1, 1],
      [0, 1],
    ])
    expect(at('subcentre', 'JK-CENTER').meanHoursHeld).toBeGreaterThan(0)
    expect(dispatchers).toEqual([
      expect.objectContaining({
        userId: actors.centre.userId,
        unit: 'JK-CENTER',
        reroutes: 1,
        recalls: 0,
        tickets: [id],
      }),
    ])
  })

  it('counts a reply by its due as on time, and only what fell due in the period', () => {
    const r = inChain('replied')
    const street = r.ticket.assignments!.find((a) => a.unit === 'JK-ZDL')!
    const period = { from: r.now - 24 * H, to: Date.parse(street.dueAt) + 1 }
    const { levels } = levelFigures([r.ticket], r.events, { period, now: period.to, typeOf })
    const zdl = levels.find((l) => l.unit === 'JK-ZDL')!
    expect(rate(zdl.completion)).toEqual([1, 1])
    expect(zdl.overdueTickets).toEqual([])
    const part = levels.find((l) => l.unit === 'JK-JKL')!
    expect(rate(part.completion)).toEqual([1, 1])
    // A period that ends before anything fell due counts nothing due.
    const early = levelFigures([r.ticket], r.events, {
      period: { from: r.now - 24 * H, to: r.now - H },
      now: r.now,
    })
    expect(early.levels.every((l) => l.completion.denominator === 0)).toBe(true)
  })
})
