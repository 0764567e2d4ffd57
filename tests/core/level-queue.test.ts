// Issue 16: a unit's own dispatch queue, 待下派 (view `down`): what it has to pass down or handle
// at its level — dispatched to it and not passed down yet, asked by the level below to take it
// back, or back with it after a return or a recall — from a real cache, for each level.
import { describe, expect, it } from 'vitest'
import { queueQuerySchema } from '../../src/shared/api'
import type { LocalStore, Viewer } from '../../src/core/db'
import { actors, created, ctx, inChain, step, type Run } from '../helpers/workflow'
import { dispatcherViewer, openStore, page, unitViewer } from './helpers'

const centre: Viewer = { userId: 'u-jkc', role: 'unit', unit: 'JK-CENTER' }
const bureau: Viewer = { userId: 'u-jkl', role: 'unit', unit: 'JK-JKL' }
const down = queueQuerySchema.parse({ filter: { view: 'down' } })

describe('待下派: a unit’s own dispatch queue', () => {
  it('holds what waits at each level to be passed down, and nothing else', () => {
    // Each ticket in a cache of its own, so each list shows that one ticket or nothing.
    const stores = new Map<string, { store: LocalStore; cursor: number }>()
    const see = (r: Run) => {
      const c = stores.get(r.ticket.id) ?? { store: openStore(), cursor: 1 }
      stores.set(r.ticket.id, c)
      c.store.applyPull(page({ cursor: ++c.cursor, tickets: [r.ticket] }), ctx)
      return (v: Viewer) => c.store.queue(down, v, r.now).rows.map((x) => x.id)
    }
    const count = (r: Run, v: Viewer) => stores.get(r.ticket.id)!.store.counts(['down'], v, r.now)
    const id = (r: Run) => r.ticket.id
    // Dispatched to the sub-centre: in its 待下派 before it signs, and after.
    const fresh = created()
    let r = step(
      fresh,
      {
        name: 'ticket.dispatch',
        args: { ticketId: id(fresh), unit: 'JK-CENTER', coUnits: [], instructions: null },
      },
      actors.dispatcher,
    )
    expect(see(r)(centre)).toEqual([id(r)])
    expect(see(r)(dispatcherViewer)).toEqual([])
    r = step(r, { name: 'ticket.sign', args: { ticketId: id(r) } }, actors.centre)
    expect(see(r)(centre)).toEqual([id(r)])
    r = inChain('down')
    // Passed down to the street: off the sub-centre's list, on the street's; not the bureau's
    // (it assists: its part is in its inbox, not a dispatch).
    let q = see(r)
    expect(q(centre)).toEqual([])
    expect(q(unitViewer)).toEqual([id(r)])
    expect(q(bureau)).toEqual([])
    expect(q(dispatcherViewer)).toEqual([])
    expect(count(r, centre)).toEqual({ down: 0 })
    // The street asks to return it: back on the sub-centre's list (to rule on and pass again).
    r = step(
      r,
      { name: 'ticket.requestReturn', args: { ticketId: id(r), reason: '不在本街道辖区' } },
      actors.unit,
    )
    q = see(r)
    expect(q(centre)).toEqual([id(r)])
    expect(q(unitViewer)).toEqual([])
    // Approved: with the sub-centre again, the street no longer sees it.
    r = step(
      r,
      { name: 'ticket.reviewReturn', args: { ticketId: id(r), approve: true, reason: null } },
      actors.centre,
    )
    q = see(r)
    expect(q(centre)).toEqual([id(r)])
    expect(count(r, centre)).toEqual({ down: 1 })
    // Passed to another street: off the list again; recalled: back on it.
    r = step(
      r,
      {
        name: 'ticket.dispatchDown',
        args: { ticketId: id(r), unit: 'JK-JKL', instructions: null },
      },
      actors.centre,
    )
    expect(see(r)(centre)).toEqual([])
    r = step(r, { name: 'ticket.recall', args: { ticketId: id(r), reason: null } }, actors.centre)
    expect(see(r)(centre)).toEqual([id(r)])
    // Handled at its own level (replied to the city): off the list.
    r = step(
      r,
      { name: 'ticket.reply', args: { ticketId: id(r), text: '已协调处理', resolved: true } },
      actors.centre,
    )
    expect(see(r)(centre)).toEqual([])
  })
})
