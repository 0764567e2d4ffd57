// The queue's selection (issue 5) without a browser: X toggles and sets the anchor, Shift+X
// selects from the anchor to the cursor (fetching unloaded pages first), the selection follows
// tickets, not positions, and the known rows come back fresh.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { TicketRow } from '../../src/shared/api'
import {
  EMPTY_SELECTION,
  addRows,
  missingSpans,
  rangeBounds,
  selectedRows,
  toggle,
  type Selection,
} from '../../src/renderer/queue/selection'

const row = (n: number, extra: Partial<TicketRow> = {}): TicketRow => ({
  id: `t-${n}`,
  number: `20261128${String(n).padStart(6, '0')}`,
  provisional: false,
  status: 'new',
  channel: 'phone',
  kind: 'complaint',
  category: '0110',
  urgency: 'normal',
  unit: null,
  district: null,
  address: '',
  callerPhoneMasked: null,
  callerName: null,
  summary: '',
  createdAt: '2026-11-28T00:00:00.000Z',
  updatedAt: '2026-11-28T00:00:00.000Z',
  dispatchedAt: null,
  signBy: null,
  dueAt: null,
  deadlineState: 'none',
  pending: false,
  version: 1,
  ...extra,
})

/** A view of `total` tickets served a page at a time, as useQueue holds them. */
function view(total: number, pageSize: number) {
  const all = Array.from({ length: total }, (_, i) => row(i))
  const pages = new Map<number, TicketRow[]>()
  const requests: Array<[number, number]> = []
  const load = (first: number, last: number, maxLimit = 1000) => {
    for (const [offset, limit] of missingSpans(
      first,
      last,
      pageSize,
      (p) => pages.has(p),
      maxLimit,
    )) {
      requests.push([offset, limit])
      const got = all.slice(offset, offset + limit)
      for (let k = 0; k * pageSize < got.length; k++)
        pages.set(offset / pageSize + k, got.slice(k * pageSize, (k + 1) * pageSize))
    }
  }
  const at = (i: number) => pages.get(Math.floor(i / pageSize))?.[i % pageSize] ?? null
  const indexOf = (id: string) => {
    for (const [p, rows] of pages) {
      const k = rows.findIndex((r) => r.id === id)
      if (k >= 0) return p * pageSize + k
    }
    return null
  }
  /** What useQueue's selectRange does: bounds, load, then add the rows in between. */
  const selectRange = (s: Selection, cursor: number): Selection => {
    const [first, last] = rangeBounds(s, s.anchor ? indexOf(s.anchor.id) : null, cursor, total)
    load(first, last)
    const rows: TicketRow[] = []
    for (let i = first; i <= last; i++) rows.push(at(i)!)
    return addRows(s, rows)
  }
  return { all, pages, requests, load, at, selectRange }
}

describe('X: toggle', () => {
  it('adds, removes and makes the row the anchor', () => {
    const a = toggle(EMPTY_SELECTION, row(3), 3)
    expect([...a.ids]).toEqual(['t-3'])
    expect(a.anchor).toEqual({ id: 't-3', index: 3 })
    const b = toggle(a, row(5), 5)
    expect([...b.ids]).toEqual(['t-3', 't-5'])
    const c = toggle(b, row(3), 3)
    expect([...c.ids]).toEqual(['t-5'])
    expect(c.rows.has('t-3')).toBe(false)
    // Unselecting moves the anchor too: the next Shift+X starts from where X was pressed.
    expect(c.anchor).toEqual({ id: 't-3', index: 3 })
    // The value is immutable: the earlier ones are unchanged.
    expect([...a.ids]).toEqual(['t-3'])
  })
})

describe('Shift+X: range', () => {
  it('is the cursor alone without an anchor', () => {
    expect(rangeBounds(EMPTY_SELECTION, null, 7, 100)).toEqual([7, 7])
    const v = view(50, 10)
    v.load(0, 9)
    const s = v.selectRange(EMPTY_SELECTION, 4)
    expect([...s.ids]).toEqual(['t-4'])
    expect(s.anchor).toBeNull()
  })

  it('runs from the anchor to the cursor either way round, inclusive', () => {
    const s = toggle(EMPTY_SELECTION, row(10), 10)
    expect(rangeBounds(s, 10, 14, 100)).toEqual([10, 14])
    expect(rangeBounds(s, 10, 6, 100)).toEqual([6, 10])
    // The anchor's ticket moved (a live update): its new place counts.
    expect(rangeBounds(s, 12, 14, 100)).toEqual([12, 14])
    // Not among the loaded rows: where it was, within the view.
    expect(rangeBounds(s, null, 14, 100)).toEqual([10, 14])
    expect(rangeBounds(s, null, 3, 8)).toEqual([3, 7])
  })

  it('selects every ticket of a range over pages not loaded yet', () => {
    const v = view(100_000, 200)
    v.load(0, 199)
    v.requests.length = 0
    let s = toggle(EMPTY_SELECTION, v.at(5)!, 5)
    s = v.selectRange(s, 54_321)
    expect(s.ids.size).toBe(54_321 - 5 + 1)
    for (const i of [5, 6, 199, 200, 1000, 54_320, 54_321]) expect(s.ids.has(`t-${i}`)).toBe(true)
    expect(s.ids.has('t-4')).toBe(false)
    expect(s.ids.has('t-54322')).toBe(false)
    // Fetched in requests of at most 1,000 rows, page aligned, none for the loaded first page.
    expect(v.requests.every(([o, l]) => o % 200 === 0 && l <= 1000 && o >= 200)).toBe(true)
    expect(v.requests.reduce((n, [, l]) => n + l, 0)).toBe(54_400 - 200)
    // The anchor stays: a second Shift+X runs from the same ticket.
    expect(s.anchor).toEqual({ id: 't-5', index: 5 })
  })

  it('adds to what is selected, and keeps the same value when nothing changes', () => {
    const v = view(30, 10)
    v.load(0, 29)
    let s = toggle(EMPTY_SELECTION, v.at(20)!, 20)
    s = toggle(s, v.at(2)!, 2)
    s = v.selectRange(s, 4)
    expect([...s.ids].sort()).toEqual(['t-2', 't-20', 't-3', 't-4'])
    expect(v.selectRange(s, 4)).toBe(s)
  })
})

describe('by ticket, not by position', () => {
  it('survives rows reordering and hands back the freshest rows', () => {
    let s = toggle(EMPTY_SELECTION, row(1), 1)
    s = toggle(s, row(2), 2)
    // A live update: a new ticket at the top, ticket 2 changed and now first.
    const loaded = [row(2, { status: 'dispatched', version: 2 }), row(99), row(1)]
    expect([...s.ids]).toEqual(['t-1', 't-2'])
    const rows = selectedRows(s, loaded)
    expect(rows.map((r) => r.id)).toEqual(['t-1', 't-2'])
    expect(rows[1]!.status).toBe('dispatched')
    // Scrolled out of memory: the row seen when it was selected.
    expect(selectedRows(s, [row(99)]).map((r) => r.version)).toEqual([1, 1])
    expect(selectedRows(EMPTY_SELECTION, loaded)).toEqual([])
  })
})

describe('missingSpans', () => {
  it('covers exactly the missing pages of the range, aligned and bounded', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 0, max: 5000 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.func(fc.boolean()),
        (a, b, pageSize, maxLimit, loaded) => {
          const [first, last] = a <= b ? [a, b] : [b, a]
          const has = (p: number) => loaded(p)
          const spans = missingSpans(first, last, pageSize, has, maxLimit)
          const covered: number[] = []
          let end = -1
          for (const [offset, limit] of spans) {
            expect(offset % pageSize).toBe(0)
            expect(limit % pageSize).toBe(0)
            expect(offset).toBeGreaterThan(end)
            expect(limit <= Math.max(pageSize, maxLimit)).toBe(true)
            for (let p = offset / pageSize; p < (offset + limit) / pageSize; p++) covered.push(p)
            end = offset + limit - 1
          }
          const want: number[] = []
          for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++)
            if (!has(p)) want.push(p)
          expect(covered).toEqual(want)
        },
      ),
    )
  })
})
