// Issue 16's figures per unit and level: on-time signing and completion of each level's own
// assignments, recalls counted apart (against neither unit), time held, recalls per dispatcher.
import { describe, expect, it } from 'vitest'
import { levelFigures } from '../../src/shared/kpi-levels'
import { actors, inChain, step } from '../helpers/workflow'

const H = 3_600_000

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
    const { levels, dispatchers } = levelFigures([r.ticket], r.events, { period, now })
    const at = (level: number, unit: string) =>
      levels.find((l) => l.level === level && l.unit === unit)
    // The recalled street and its assisting unit: counted as recalled, nothing else.
    expect(at(2, 'JK-ZDL')).toMatchObject({ recalled: 1, signDue: 0, due: 0 })
    expect(at(2, 'JK-JKL')).toMatchObject({ recalled: 1, signDue: 0, due: 0 })
    // JK-UM never signed: late on both, and its ticket is behind the figure.
    expect(at(2, 'JK-UM')).toMatchObject({ signDue: 1, signedOnTime: 0, due: 1, doneOnTime: 0 })
    expect(at(2, 'JK-UM')?.late).toEqual([id])
    // The sub-centre signed in time at level 1; its due (not met by now) counts against it.
    expect(at(1, 'JK-CENTER')).toMatchObject({ signDue: 1, signedOnTime: 1, due: 1, doneOnTime: 0 })
    expect(at(1, 'JK-CENTER')!.meanHoursHeld).toBeGreaterThan(0)
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
    const { levels } = levelFigures([r.ticket], r.events, { period, now: period.to })
    const zdl = levels.find((l) => l.unit === 'JK-ZDL')!
    expect(zdl).toMatchObject({ due: 1, doneOnTime: 1, late: [] })
    const part = levels.find((l) => l.unit === 'JK-JKL')!
    expect(part).toMatchObject({ due: 1, doneOnTime: 1 })
    // A period that ends before anything fell due counts nothing due.
    const early = levelFigures([r.ticket], r.events, {
      period: { from: r.now - 24 * H, to: r.now - H },
      now: r.now,
    })
    expect(early.levels.every((l) => l.due === 0)).toBe(true)
  })
})
