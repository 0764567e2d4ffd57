// enqueue and applyPull: optimistic effects with their outbox rows, acknowledgements, rejections,
// rebase of pending mutations on top of server rows, removed tickets, one transaction each.
import { describe, expect, it } from 'vitest'
import { queueQuerySchema } from '../../src/shared/api'
import { actors, created, ctx, draft, inState, step, T0 } from '../helpers/workflow'
import type { PullResponse } from '../../src/shared/sync'
import { act, dispatcherViewer, openStore, page, tempDir, unitViewer } from './helpers'

const MIN = 60_000
const q = (filter = {}) => queueQuerySchema.parse({ filter })

describe('enqueue', () => {
  it('writes the visible row, its event and the outbox row together', () => {
    const store = openStore()
    const d = draft()
    const m = act(store, { name: 'ticket.create', args: { ticket: d } }, actors.agent, T0)
    expect(m.id).toBe(1)
    expect(store.pendingCount()).toBe(1)
    const got = store.ticket(d.id)!
    expect(got.pending).toBe(true)
    expect(got.ticket.status).toBe('new')
    expect(got.events.map((e) => e.type)).toEqual(['created'])
    const page = store.queue(q({ view: 'new' }), dispatcherViewer, T0)
    expect(page.total).toBe(1)
    expect(page.rows[0]).toMatchObject({
      id: d.id,
      provisional: true,
      pending: true,
      callerPhoneMasked: '138****0001',
    })
    expect(page.rows[0]!.number).toMatch(/^待编号-/)
  })

  it('writes nothing when the effect throws', () => {
    const store = openStore()
    const d = draft()
    expect(() =>
      store.enqueue(
        {
          key: 'k',
          name: 'ticket.create',
          args: { ticket: d },
          clientTime: new Date(T0).toISOString(),
          actor: actors.agent,
          ticketId: d.id,
        },
        () => {
          throw new Error('refused')
        },
      ),
    ).toThrow('refused')
    expect(store.pendingCount()).toBe(0)
    expect(store.ticket(d.id)).toBeNull()
    expect(store.queue(q(), dispatcherViewer, T0).total).toBe(0)
  })

  it('never reuses a mutation id, also after the outbox empties and across restarts', () => {
    const store = openStore()
    const run = created()
    const m1 = act(store, { name: 'ticket.create', args: { ticket: draft() } }, actors.agent, T0)
    store.applyPull(page({ lastMutationId: m1.id }), ctx)
    expect(store.pendingCount()).toBe(0)
    const m2 = act(store, { name: 'ticket.create', args: { ticket: draft() } }, actors.agent, T0)
    expect(m2.id).toBe(2)
    store.applyPull(page({ lastMutationId: 40, tickets: [run.ticket] }), ctx)
    const m3 = act(store, { name: 'ticket.create', args: { ticket: draft() } }, actors.agent, T0)
    expect(m3.id).toBe(41)
  })
})

describe('applyPull', () => {
  it('stores server rows, numbers them and drops acknowledged mutations', () => {
    const store = openStore()
    const d = draft()
    const m = act(store, { name: 'ticket.create', args: { ticket: d } }, actors.agent, T0)
    const server = { ...store.ticket(d.id)!.ticket, number: '20261123000001' }
    const out = store.applyPull(
      page({
        cursor: 7,
        tickets: [server],
        events: store.ticket(d.id)!.events,
        lastMutationId: m.id,
      }),
      ctx,
    )
    expect(out.changedIds).toEqual([d.id])
    expect(store.pendingCount()).toBe(0)
    expect(store.getMeta('cursor')).toBe('7')
    const row = store.queue(q(), dispatcherViewer, T0).rows[0]!
    expect(row).toMatchObject({ number: '20261123000001', provisional: false, pending: false })
    expect(store.ticket(d.id)!.events).toHaveLength(1)
  })

  it('re-applies pending mutations on top of newer server rows (rebase)', () => {
    const store = openStore()
    const run = created()
    const t = run.ticket.id
    store.applyPull(page({ tickets: [run.ticket], events: run.events }), ctx)
    // Locally: a note (pending). Meanwhile on the server: someone dispatched it.
    act(
      store,
      { name: 'ticket.note', args: { ticketId: t, text: '来电人再次来电', internal: true } },
      actors.dispatcher,
      run.now + 5 * MIN,
    )
    const dispatched = step(
      run,
      {
        name: 'ticket.dispatch',
        args: { ticketId: t, unit: 'JK-ZDL', coUnits: [], instructions: null },
      },
      actors.supervisor,
      2,
    )
    const out = store.applyPull(
      page({ cursor: 2, tickets: [dispatched.ticket], events: dispatched.events.slice(1) }),
      ctx,
    )
    expect(out.changedIds).toEqual([t])
    const got = store.ticket(t)!
    expect(got.ticket.status).toBe('dispatched')
    expect(got.ticket.version).toBe(3) // create, dispatch (server), note (pending)
    expect(got.events.map((e) => e.type)).toEqual(['created', 'dispatched', 'noted'])
    expect(got.pending).toBe(true)
    expect(store.queue(q({ view: 'new' }), dispatcherViewer, T0).total).toBe(0)
  })

  it('records a rejection, drops the mutation and rolls back its optimistic effect', () => {
    const store = openStore()
    const run = created()
    const t = run.ticket.id
    const served = { ...run.ticket, number: '20261123000009' }
    store.applyPull(page({ tickets: [served], events: run.events }), ctx)
    const m = act(
      store,
      {
        name: 'ticket.dispatch',
        args: { ticketId: t, unit: 'CITY-UM', coUnits: [], instructions: null },
      },
      actors.dispatcher,
      run.now + MIN,
    )
    expect(store.ticket(t)!.ticket.unit).toBe('CITY-UM')
    const other = step(
      { ...run, ticket: served },
      {
        name: 'ticket.dispatch',
        args: { ticketId: t, unit: 'JK-ZDL', coUnits: [], instructions: null },
      },
      actors.supervisor,
      1,
    )
    const message = { zh: '已被王派单派往正东路街道', en: 'already dispatched by Wang' }
    const out = store.applyPull(
      page({
        cursor: 3,
        tickets: [other.ticket],
        events: other.events.slice(1),
        lastMutationId: m.id,
        results: [
          {
            id: m.id,
            key: m.key,
            name: m.name,
            status: 'rejected',
            code: 'invalid_state',
            message,
          },
        ],
      }),
      ctx,
    )
    expect(out.rejected).toEqual([
      expect.objectContaining({ id: m.id, ticketId: t, code: 'invalid_state', message }),
    ])
    expect(out.rejected[0]!.ticketNumber).toBe('20261123000009')
    expect(store.pendingCount()).toBe(0)
    expect(store.ticket(t)!.ticket.unit).toBe('JK-ZDL')
    expect(store.ticket(t)!.pending).toBe(false)
    expect(store.rejected()).toHaveLength(1)
    store.dismissRejected(m.id)
    expect(store.rejected()).toEqual([])
  })

  it('keeps a pending mutation the rules now refuse queued, showing the server row', () => {
    const store = openStore()
    const run = created()
    const t = run.ticket.id
    store.applyPull(page({ tickets: [run.ticket], events: run.events }), ctx)
    act(
      store,
      { name: 'ticket.answer', args: { ticketId: t, text: '已解答' } },
      actors.agent,
      run.now + MIN,
    )
    const cancelled = step(
      run,
      { name: 'ticket.cancel', args: { ticketId: t, reason: '无效来电' } },
      actors.supervisor,
      1,
    )
    store.applyPull(page({ tickets: [cancelled.ticket], events: cancelled.events.slice(1) }), ctx)
    expect(store.pendingCount()).toBe(1)
    expect(store.ticket(t)!.ticket.status).toBe('cancelled')
    expect(store.ticket(t)!.events.map((e) => e.type)).toEqual(['created', 'cancelled'])
  })

  it('drops removed tickets, and unit viewers only ever see their unit', () => {
    const store = openStore()
    const mine = inState('in_progress').ticket
    const theirs = { ...created().ticket, unit: 'CITY-UM' }
    store.applyPull(page({ tickets: [mine, theirs] }), ctx)
    expect(store.queue(q(), unitViewer, T0).rows.map((r) => r.id)).toEqual([mine.id])
    expect(store.queue(q(), dispatcherViewer, T0).total).toBe(2)
    const out = store.applyPull(page({ cursor: 2, removed: [mine.id] }), ctx)
    expect(out.changedIds).toEqual([mine.id])
    expect(store.ticket(mine.id)).toBeNull()
    expect(store.queue(q(), unitViewer, T0).total).toBe(0)
    expect(store.search('噪音', 10).map((r) => r.id)).toEqual([theirs.id])
  })

  it('applies a page in one transaction: a failure leaves nothing written', () => {
    const store = openStore()
    const run = created()
    const broken = { ...created().ticket, createdAt: 'not a time' }
    expect(() => store.applyPull(page({ cursor: 5, tickets: [run.ticket, broken] }), ctx)).toThrow()
    expect(store.getMeta('cursor')).toBeNull()
    expect(store.ticket(run.ticket.id)).toBeNull()
    expect(store.queue(q(), dispatcherViewer, T0).total).toBe(0)
  })

  it('forgets server state on a stale cursor but keeps the outbox and what it shows', () => {
    const store = openStore()
    const run = created()
    store.applyPull(page({ cursor: 9, tickets: [run.ticket], events: run.events }), ctx)
    const d = draft()
    act(store, { name: 'ticket.create', args: { ticket: d } }, actors.agent, T0)
    store.resetServerState()
    expect(store.getMeta('cursor')).toBeNull()
    expect(store.ticket(run.ticket.id)).toBeNull()
    expect(store.ticket(d.id)!.pending).toBe(true)
    expect(store.pendingCount()).toBe(1)
    store.applyPull(page({ cursor: 10, tickets: [run.ticket] }), ctx)
    expect(store.queue(q(), dispatcherViewer, T0).total).toBe(2)
  })

  it('loads snapshot pages with index upkeep set aside, built once by the last page', () => {
    const dir = tempDir()
    let store = openStore(dir)
    const mine = draft()
    act(store, { name: 'ticket.create', args: { ticket: mine } }, actors.agent, T0)
    const [a, b, c] = [created(), created(), created()]
    const snap = (p: Partial<PullResponse>) => page({ cursor: 0, hasMore: true, ...p })
    store.applyPull(
      snap({ tickets: [b.ticket, a.ticket], events: [...b.events, ...a.events] }),
      ctx,
      {
        snapshot: true,
      },
    )
    expect(store.getMeta('snapshot.deferredUpkeep')).not.toBeNull()
    // Queries still answer (by scanning) while the snapshot loads.
    expect(store.queue(q({ view: 'new' }), dispatcherViewer, T0).total).toBe(3)
    expect(store.ticket(a.ticket.id)!.events.map((e) => e.type)).toEqual(['created'])
    // Broken off here: the next start builds what was set aside.
    store.close()
    store = openStore(dir)
    expect(store.getMeta('snapshot.deferredUpkeep')).toBeNull()
    expect(store.search('噪音', 10)).toHaveLength(3)
    store.applyPull(snap({ tickets: [a.ticket] }), ctx, { snapshot: true })
    const out = store.applyPull(
      snap({ cursor: 12, hasMore: false, tickets: [c.ticket], events: c.events }),
      ctx,
      { snapshot: true },
    )
    expect(out.changedIds).toEqual([c.ticket.id])
    expect(store.getMeta('snapshot.deferredUpkeep')).toBeNull()
    expect(store.getMeta('cursor')).toBe('12')
    expect(
      store
        .search('噪音', 10)
        .map((r) => r.id)
        .sort(),
    ).toEqual([mine.id, a.ticket.id, b.ticket.id, c.ticket.id].sort())
    expect(store.search('噪', 10)).toHaveLength(4)
    expect(store.queue(q({ view: 'new' }), dispatcherViewer, T0).total).toBe(4)
    expect(store.pendingCount()).toBe(1)
  })
})
