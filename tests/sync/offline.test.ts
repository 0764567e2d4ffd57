// Working with the server down, and a cursor the server no longer serves: nothing typed is lost,
// nothing arrives twice, and the consoles end up with the same rows as the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cleanup,
  draft,
  openConsole,
  serverState,
  startProxy,
  startServer,
  synced,
  testEngines,
  waitFor,
  type Core,
  type ServerProcess,
} from './harness'

const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!

/** Every ticket of `ids` as two consoles show it, for comparing rows. */
const rows = (c: Core, ids: string[]) => ids.map((id) => c.store.ticket(id)?.ticket ?? null)

describe.each(await testEngines())('offline work on %s', (engine) => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServer(engine, 30)
  }, 60_000)
  afterAll(cleanup, 60_000)

  it('server down: 200 new tickets and actions on others wait, then arrive once each', async () => {
    const a = await openConsole(server.url, 'dispatcher1')
    const b = await openConsole(server.url, 'supervisor1')
    const earlier: string[] = []
    for (let i = 0; i < 10; i++) {
      const d = draft()
      earlier.push(d.ticket.id)
      await a.ok('ticket.act', { name: 'ticket.create', args: d })
    }
    await waitFor(
      () => synced(a) && earlier.every((id) => b.store.ticket(id)?.ticket.number),
      20_000,
    )

    await server.stop()
    await waitFor(async () => (await a.ok('sync.status')).state === 'offline', 5000)

    const made: string[] = []
    const saveMs: number[] = []
    for (let i = 0; i < 200; i++) {
      const d = draft()
      const t0 = performance.now()
      const r = await a.ok('ticket.act', { name: 'ticket.create', args: d })
      saveMs.push(performance.now() - t0)
      expect(r.displayNumber).toMatch(/^待编号-/)
      made.push(d.ticket.id)
    }
    for (const [i, id] of earlier.entries()) {
      if (i % 2 === 0)
        await a.ok('ticket.act', { name: 'ticket.dispatch', args: { ticketId: id, unit: 'JK-UM' } })
      else
        await b.ok('ticket.act', {
          name: 'ticket.note',
          args: { ticketId: id, text: `离线备注 ${i}` },
        })
    }
    for (let i = 0; i < 20; i++) {
      const d = draft({ channel: 'wechat' })
      made.push(d.ticket.id)
      await b.ok('ticket.act', { name: 'ticket.create', args: d })
    }
    const status = await a.ok('sync.status')
    expect(status).toMatchObject({ state: 'offline', pending: 205 })
    console.log(`[${engine}] offline save p95 ${p95(saveMs).toFixed(2)} ms`)

    await server.restart()
    await waitFor(() => synced(a) && synced(b), 30_000, 50)
    const all = [...made, ...earlier]
    await waitFor(
      () =>
        all.every((id) => a.store.ticket(id)?.ticket.number && b.store.ticket(id)?.ticket.number),
      20_000,
      50,
    )

    const state = await serverState(server.url)
    for (const id of all) expect(state.tickets.has(id)).toBe(true)
    const numbers = all.map((id) => state.tickets.get(id)!.number)
    expect(new Set(numbers).size).toBe(all.length)
    for (const id of made) {
      expect(state.tickets.get(id)!.version).toBe(1)
      expect([...state.events.values()].filter((e) => e.ticketId === id)).toHaveLength(1)
    }
    for (const [i, id] of earlier.entries())
      expect(state.tickets.get(id)!.status).toBe(i % 2 === 0 ? 'dispatched' : 'new')

    const serverRows = all.map((id) => state.tickets.get(id)!)
    expect(rows(a, all)).toEqual(serverRows)
    expect(rows(b, all)).toEqual(serverRows)
    expect((await a.ok('sync.status')).state).toBe('online')
  }, 90_000)

  it('a stale cursor brings a fresh snapshot and keeps the outbox', async () => {
    const proxy = await startProxy(server.port)
    const c = await openConsole(proxy.url, 'dispatcher1')
    proxy.state.failPushes = true
    const mine: string[] = []
    for (let i = 0; i < 5; i++) {
      const d = draft()
      mine.push(d.ticket.id)
      await c.ok('ticket.act', { name: 'ticket.create', args: d })
    }
    const other = await openConsole(server.url, 'agent1')
    const theirs = draft()
    await other.ok('ticket.act', { name: 'ticket.create', args: theirs })
    await waitFor(() => synced(other), 5000)

    proxy.state.stalePulls = 1
    await c.ok('sync.now')
    await waitFor(
      () => proxy.state.stalePulls === 0 && c.store.ticket(theirs.ticket.id) !== null,
      10_000,
    )
    expect(c.store.pendingCount()).toBe(5)
    for (const id of mine) expect(c.store.ticket(id)).toMatchObject({ pending: true })

    proxy.state.failPushes = false
    await c.ok('sync.now')
    await waitFor(() => synced(c) && mine.every((id) => c.store.ticket(id)?.ticket.number), 20_000)
    const state = await serverState(server.url)
    const all = await c.ok('queue.query', { filter: { view: 'all' }, limit: 1 })
    expect(all.total).toBe(state.tickets.size)
    for (const id of mine) expect(state.tickets.get(id)!.version).toBe(1)
  }, 60_000)
})
