// The queue's row window without a browser: which rows are drawn at a scroll offset, and the
// offset that shows the cursor's row whole while moving as little as possible.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fitOffset, windowAt, type RowGeometry } from '../../src/renderer/queue/row-window'

const g: RowGeometry = { row: 30, header: 30, overscan: 2 }
// 600 px tall: the header and 19 rows.
const H = 600

describe('windowAt', () => {
  it('draws the rows on screen and the overscan, within the list', () => {
    expect(windowAt(0, H, 100_000, g)).toEqual({ first: 0, last: 21 })
    expect(windowAt(3000, H, 100_000, g)).toEqual({ first: 98, last: 121 })
    expect(windowAt(3015, H, 100_000, g)).toEqual({ first: 98, last: 122 })
    expect(windowAt(0, H, 5, g)).toEqual({ first: 0, last: 4 })
    expect(windowAt(0, H, 0, g).last).toBeLessThan(0)
  })
})

describe('fitOffset', () => {
  it('leaves the view alone while the row is in it', () => {
    expect(fitOffset(0, 0, H, 1000, g)).toBe(0)
    expect(fitOffset(18, 0, H, 1000, g)).toBe(0)
  })

  it('scrolls by one row when J leaves the bottom, and to the row when K leaves the top', () => {
    expect(fitOffset(19, 0, H, 1000, g)).toBe(30)
    expect(fitOffset(20, 30, H, 1000, g)).toBe(60)
    expect(fitOffset(1, 60, H, 1000, g)).toBe(30)
  })

  it('jumps to far rows (End, Home) and stays within the scroll range', () => {
    // End: the last row at the bottom; the most the element scrolls is header + rows − view.
    expect(fitOffset(999, 0, H, 1000, g)).toBe(30 + 1000 * 30 - H)
    expect(fitOffset(0, 29_430, H, 1000, g)).toBe(0)
    expect(fitOffset(3, 0, H, 4, g)).toBe(0)
  })

  it('always shows the row whole and the drawn window holds it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 3_000_000 }),
        fc.integer({ min: 90, max: 2000 }),
        fc.nat(),
        (count, top0, height, c) => {
          const cursor = c % count
          const max = Math.max(0, g.header + count * g.row - height)
          const top = Math.min(top0, max)
          const to = fitOffset(cursor, top, height, count, g)
          expect(to).toBeGreaterThanOrEqual(0)
          expect(to).toBeLessThanOrEqual(max)
          // Whole: below the header, above the bottom edge.
          expect(cursor * g.row).toBeGreaterThanOrEqual(to)
          expect(g.header + (cursor + 1) * g.row).toBeLessThanOrEqual(to + height)
          const w = windowAt(to, height, count, g)
          expect(w.first <= cursor && cursor <= w.last).toBe(true)
        },
      ),
    )
  })
})
