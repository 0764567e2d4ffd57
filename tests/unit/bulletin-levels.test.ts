// The monthly bulletin per level (issues 16 and 17): the ranking names each unit's level, a unit
// scored at two levels stands on two rows, and the figures carry the tickets behind them so the
// console can open them (the multi-level fixture of tests/helpers/levels-fixture.ts).
import { describe, expect, it } from 'vitest'
import { buildBulletin, type PeriodInput } from '../../src/shared/bulletin'
import { bulletinTables } from '../../src/shared/bulletin-text'
import type { ReferenceData } from '../../src/shared/reference'
import { events, opts, tickets, types } from '../helpers/levels-fixture'

const ref = {
  units: Object.entries(types).map(([code, type]) => ({ code, name: `单位${code}`, type })),
  scoring: null,
} as unknown as Pick<ReferenceData, 'units' | 'scoring'>
const current: PeriodInput = { period: opts.period, tickets, events }
const empty = (shift: number): PeriodInput => ({
  period: { from: opts.period.from - shift, to: opts.period.to - shift },
  tickets: [],
  events: [],
})
const names = { unit: (c: string | null) => `单位${c}`, category: (c: string) => c }

describe('the bulletin per level', () => {
  const b = buildBulletin(current, empty(31 * 86_400_000), empty(365 * 86_400_000), ref, opts.now)
  const ranking = bulletinTables(b, names, 'zh').find((t) => t.id === 'ranking')!

  it('ranks each unit at its level, with a level column', () => {
    expect(ranking.headers.slice(0, 6)).toEqual(['类别', '名次', '单位', '层级', '得分', '扣分'])
    const rows = ranking.rows.map((r) => `${r[2]}:${r[3]}`).sort()
    expect(rows).toEqual([
      '单位BU:区级（分中心）',
      '单位CB:市级',
      '单位CM:社区（村）',
      '单位SC:区级（分中心）',
      '单位ST:街道（镇）',
    ])
    expect(ranking.headers[6]).toBe('及时签收率')
    const st = ranking.rows.findIndex((r) => r[2] === '单位ST')
    // ST signed m1 and m4 late: 0 of 2.
    expect(ranking.rows[st]![6]).toBe('0.00%')
  })

  it('every figure with tickets behind it lists them for the drill-down', () => {
    const st = ranking.rows.findIndex((r) => r[2] === '单位ST')
    expect(ranking.drills![st]![6]).toEqual(['m1', 'm4'])
    // Completion: m1 alone (m4 was returned).
    expect(ranking.drills![st]![7]).toEqual(['m1'])
    const headline = bulletinTables(b, names, 'zh').find((t) => t.id === 'headline')!
    const completion = headline.rows.findIndex((r) => r[0] === '按时办结率')
    // The centre's line: each ticket once, by the city's dispatch — m1, m3 on time, m2 late.
    expect(headline.rows[completion]![1]).toBe('66.67%')
    expect([...headline.drills![completion]![1]!].sort()).toEqual(['m1', 'm2', 'm3'])
    expect(b.current.tickets!.overdue).toEqual(['m2'])
    // Each drill-down sits on its cell: as many as the row has (the urged and exempt tables list
    // the ticket of the row's first cell).
    for (const t of bulletinTables(b, names, 'zh'))
      t.drills?.forEach((d, i) => {
        if (t.id === 'urged' || t.id === 'exemptions') expect(d).toHaveLength(1)
        else expect(d).toHaveLength(t.rows[i]!.length)
      })
  })
})
