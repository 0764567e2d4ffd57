// Shift+X's range (issue 13): both ends found where they are now and the rows between read in one
// snapshot — not assembled from pages fetched at different moments while new calls shift them.
import { describe, expect, it } from 'vitest'
import { queueRangeSchema } from '../../src/shared/api'
import type { Ticket } from '../../src/shared/ticket'
import { created, ctx, T0 } from '../helpers/workflow'
import { dispatcherViewer, openStore, page } from './helpers'

const at = (minutes: number): Ticket => ({
  ...created().ticket,
  createdAt: new Date(T0 + minutes * 60_000).toISOString(),
})

/** Ten tickets, newest first in the view (the default sort): t[9] is on top. */
function view() {
  const store = openStore()
  const t = Array.from({ length: 10 }, (_, i) => at(i))
  store.applyPull(page({ tickets: t }), ctx)
  const range = (from: string | null, fromIndex: number, to: string | null, toIndex: number) =>
    store
      .queueRange(
        queueRangeSchema.parse({
          filter: { view: 'all' },
          from: { id: from, index: fromIndex },
          to: { id: to, index: toIndex },
        }),
        dispatcherViewer,
        T0,
      )
      .rows.map((r) => r.id)
  return { store, t, range }
}

describe('queue.range', () => {
  it('runs from one ticket to the other, either way round, both included', () => {
    const { t, range } = view()
    const want = [t[7]!.id, t[6]!.id, t[5]!.id, t[4]!.id]
    expect(range(t[7]!.id, 0, t[4]!.id, 0)).toEqual(want)
    expect(range(t[4]!.id, 0, t[7]!.id, 0)).toEqual(want)
  })

  it('finds the ends where they are now, whatever positions the screen last saw', () => {
    const { store, t, range } = view()
    // Two new calls arrive on top: the positions the screen had are two rows off now.
    store.applyPull(page({ tickets: [at(20), at(21)] }), ctx)
    expect(range(t[9]!.id, 0, t[8]!.id, 1)).toEqual([t[9]!.id, t[8]!.id])
  })

  it('an end that has left the view counts where it was', () => {
    const { t, range } = view()
    expect(range('0190f5c2-0000-7000-8000-999999999999', 0, t[7]!.id, 4)).toEqual([
      t[9]!.id,
      t[8]!.id,
      t[7]!.id,
    ])
  })

  it('the cursor alone (no anchor) is a range of one', () => {
    const { t, range } = view()
    expect(range(t[3]!.id, 0, t[3]!.id, 0)).toEqual([t[3]!.id])
  })
})
