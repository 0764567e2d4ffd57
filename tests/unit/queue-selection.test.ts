// The queue's selection (issue 5) without a browser: X toggles and sets the anchor, Shift+X adds
// the range's rows (which the core reads in one snapshot), the selection follows tickets, not
// positions, and the known rows come back fresh.
import { describe, expect, it } from 'vitest'
import type { TicketRow } from '../../src/shared/api'
import { EMPTY_SELECTION, addRows, selectedRows, toggle } from '../../src/renderer/queue/selection'

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

describe('Shift+X: the rows of the range added (the range itself: tests/core/queue-range)', () => {
  it('adds to what is selected, keeps the anchor, and keeps the same value when nothing changes', () => {
    let s = toggle(EMPTY_SELECTION, row(20), 20)
    s = toggle(s, row(2), 2)
    s = addRows(s, [row(2), row(3), row(4)])
    expect([...s.ids].sort()).toEqual(['t-2', 't-20', 't-3', 't-4'])
    expect(s.anchor).toEqual({ id: 't-2', index: 2 })
    expect(addRows(s, [row(3), row(4)])).not.toBe(s) // fresher rows are kept
    const same = addRows(s, [])
    expect(same).toBe(s)
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
