// Consoles against a real server process: a change on one reaches the other through a poke; a
// unit's console holds only its unit's tickets; two dispatchers race for one ticket; a push that
// is repeated, or whose answer is lost after the server committed, is applied once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleEvent, RejectedMutation } from '../../src/shared/api'
import {
  api,
  cleanup,
  draft,
  login,
  openConsole,
  serverState,
  startProxy,
  startServer,
  synced,
  testEngines,
  waitFor,
  type ServerProcess,
} from './harness'

const UNIT_A = 'JK-UM'
const UNIT_B = 'JK-ZDL'

describe.each(await testEngines())('consoles syncing through the server on %s', (engine) => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServer(engine, 30)
  }, 60_000)
  afterAll(cleanup, 60_000)

  it('a dispatch on one console shows on the other within a couple of seconds', async () => {
    const a = await openConsole(server.url, 'dispatcher1')
    const b = await openConsole(server.url, 'supervisor1')
    const d = draft()
    const id = d.ticket.id
    const created = await a.ok('ticket.act', { name: 'ticket.create', args: d })
    expect(created.displayNumber).toMatch(/^待编号-/)
    await waitFor(() => b.store.ticket(id) !== null, 5000)
    await waitFor(() => a.store.ticket(id)?.ticket.number != null && synced(a), 5000)
    expect(a.store.ticket(id)!.ticket.number).toMatch(/^\d{14}$/)

    const units = await a.ok('units.suggest', { category: '0110', district: '321102' })
    expect(units[0]).toMatchObject({ source: 'rule' })
    const t0 = performance.now()
    await a.ok('ticket.act', {
      name: 'ticket.dispatch',
      args: { ticketId: id, unit: units[0]!.code },
    })
    const saveMs = performance.now() - t0
    await waitFor(() => b.store.ticket(id)?.ticket.status === 'dispatched', 5000, 2)
    const ms = performance.now() - t0
    console.log(
      `[${engine}] dispatch saved in ${saveMs.toFixed(1)} ms, on the other console after ${ms.toFixed(0)} ms`,
    )
    expect(ms).toBeLessThan(2000)
    expect(b.events.some((e) => e.type === 'tickets.changed' && e.payload.ids.includes(id))).toBe(
      true,
    )

    const detail = await b.ok('ticket.get', { id })
    expect(detail.ticket.unit).toBe(units[0]!.code)
    expect(detail.allowed).toContain('ticket.urge')
    expect(detail.events.map((e) => e.type)).toEqual(['created', 'dispatched'])
  })

  it("a unit's console holds only its own unit's tickets, and its work shows on the dispatcher's", async () => {
    const disp = await openConsole(server.url, 'dispatcher1')
    const ids: string[] = []
    for (const unit of [UNIT_A, UNIT_B, UNIT_A]) {
      const d = draft()
      ids.push(d.ticket.id)
      await disp.ok('ticket.act', { name: 'ticket.create', args: d })
      await disp.ok('ticket.act', {
        name: 'ticket.dispatch',
        args: { ticketId: d.ticket.id, unit },
      })
    }
    await waitFor(() => synced(disp), 5000)
    const unit = await openConsole(server.url, `unit-${UNIT_A}`)
    const all = await unit.ok('queue.query', { filter: { view: 'all' }, limit: 1000 })
    expect(all.total).toBeGreaterThan(0)
    for (const row of all.rows) {
      const t = unit.store.ticket(row.id)!.ticket
      expect([t.unit, ...t.coUnits]).toContain(UNIT_A)
    }
    expect(unit.store.ticket(ids[0]!)).not.toBeNull()
    expect(unit.store.ticket(ids[1]!)).toBeNull()
    const server_ = await serverState(server.url, `unit-${UNIT_A}`)
    expect(all.total).toBe(server_.tickets.size)

    // Dispatched to the unit later: it arrives by poke; signed there: the dispatcher sees it.
    const d = draft()
    await disp.ok('ticket.act', { name: 'ticket.create', args: d })
    await disp.ok('ticket.act', {
      name: 'ticket.dispatch',
      args: { ticketId: d.ticket.id, unit: UNIT_A },
    })
    await waitFor(() => unit.store.ticket(d.ticket.id)?.ticket.status === 'dispatched', 5000)
    await unit.ok('ticket.act', { name: 'ticket.sign', args: { ticketId: d.ticket.id } })
    await waitFor(() => disp.store.ticket(d.ticket.id)?.ticket.status === 'in_progress', 5000)

    // The dispatcher's console, now used by the unit: it must forget what the unit may not see.
    await disp.ok('session.logout')
    await disp.ok('session.login', { username: `unit-${UNIT_A}`, password: 'demo' })
    await waitFor(() => synced(disp), 10_000)
    expect(disp.store.ticket(ids[1]!)).toBeNull()
    const now = await disp.ok('queue.query', { filter: { view: 'all' }, limit: 1 })
    expect(now.total).toBe((await serverState(server.url, `unit-${UNIT_A}`)).tickets.size)
  })

  it('a token the server no longer accepts ends the session, and the console says so', async () => {
    const c = await openConsole(server.url, 'agent2')
    const token = JSON.parse(c.store.getMeta('session')!).token as string
    expect((await api(server.url, 'POST', '/api/v1/auth/logout', token, {})).status).toBe(200)
    await c.call('sync.now', {})
    await waitFor(
      () => c.events.some((e) => e.type === 'session.changed' && e.payload.session === null),
      5000,
    )
    expect(await c.ok('session.get')).toBeNull()
    expect(await c.ok('sync.status')).toMatchObject({
      state: 'offline',
      lastError: '登录已过期，请重新登录',
    })
  })

  it('two dispatchers dispatch the same ticket at once: one wins, the other is told and rolled back', async () => {
    const a = await openConsole(server.url, 'dispatcher1')
    const b = await openConsole(server.url, 'supervisor1')
    const d = draft()
    const id = d.ticket.id
    await a.ok('ticket.act', { name: 'ticket.create', args: d })
    await waitFor(() => b.store.ticket(id)?.ticket.number != null, 5000)
    const [ra, rb] = await Promise.all([
      a.call('ticket.act', { name: 'ticket.dispatch', args: { ticketId: id, unit: UNIT_A } }),
      b.call('ticket.act', { name: 'ticket.dispatch', args: { ticketId: id, unit: UNIT_B } }),
    ])
    expect(ra.ok && rb.ok).toBe(true) // both applied optimistically
    const rejectedOn = (c: typeof a) =>
      c.events.find(
        (e): e is Extract<ConsoleEvent, { type: 'mutation.rejected' }> =>
          e.type === 'mutation.rejected' && e.payload.ticketId === id,
      )
    await waitFor(() => synced(a) && synced(b) && (!!rejectedOn(a) || !!rejectedOn(b)), 8000)
    const loser = rejectedOn(a) ? a : b
    const winnerUnit = loser === a ? UNIT_B : UNIT_A
    const rejection: RejectedMutation = rejectedOn(loser)!.payload
    expect(rejection.code).toBe('already_dispatched')
    expect(rejection.message.zh).toContain('派往')
    expect(await loser.ok('sync.rejected')).toEqual([expect.objectContaining({ ticketId: id })])
    await waitFor(() => loser.store.ticket(id)?.ticket.unit === winnerUnit, 10_000)
    const seen = loser.store.ticket(id)!
    expect(seen.pending).toBe(false)
    expect(seen.events.filter((e) => e.type === 'dispatched')).toHaveLength(1)
    expect((await loser.ok('sync.status')).rejected).toBe(1)
    await loser.ok('sync.dismissRejected', { id: rejection.id })
    expect(await loser.ok('sync.rejected')).toEqual([])
  })

  it('the same push twice, and a push whose answer is lost after the commit, apply once', async () => {
    // Raw: the same body twice.
    const token = await login(server.url, 'agent1')
    const d = draft()
    const body = {
      clientId: 'repeat-test',
      mutations: [{ id: 1, key: 'k1', name: 'ticket.create', args: d, clientTime: null }],
    }
    expect((await api(server.url, 'POST', '/api/v1/sync/push', token, body)).status).toBe(200)
    expect((await api(server.url, 'POST', '/api/v1/sync/push', token, body)).status).toBe(200)

    // Through a console behind a proxy that loses the answers.
    const proxy = await startProxy(server.port)
    const c = await openConsole(proxy.url, 'dispatcher1')
    proxy.state.dropResponses = true
    const e = draft()
    await c.ok('ticket.act', { name: 'ticket.create', args: e })
    await c.ok('ticket.act', {
      name: 'ticket.note',
      args: { ticketId: e.ticket.id, text: '来电人补充：晚上十点后最严重' },
    })
    const watcher = await openConsole(server.url, 'supervisor1')
    await waitFor(() => watcher.store.ticket(e.ticket.id)?.ticket.version === 2, 8000)
    expect(proxy.state.dropped).toBeGreaterThan(0)
    expect((await c.ok('sync.status')).pending).toBe(2)
    proxy.state.dropResponses = false
    await waitFor(() => synced(c), 10_000)

    const state = await serverState(server.url)
    expect(state.tickets.get(d.ticket.id)!.version).toBe(1)
    expect(state.tickets.get(e.ticket.id)!.version).toBe(2)
    const evs = [...state.events.values()].filter((x) => x.ticketId === e.ticket.id)
    expect(evs.map((x) => x.type).sort()).toEqual(['created', 'noted'])
    expect(c.store.ticket(e.ticket.id)).toMatchObject({ pending: false, ticket: { version: 2 } })
  })
})

describe('answers of the console core', () => {
  afterAll(cleanup)

  it('names the bad field, in Chinese by default and in English when set, and never throws', async () => {
    const c = await openConsole('http://127.0.0.1:9', null)
    const bad = await c.call('ticket.get', { id: 'nope' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'id' } })
    const d = draft({ caller: { phone: '12' } })
    const r = await c.call('ticket.act', { name: 'ticket.create', args: d })
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        field: 'ticket.caller.phone',
        message: expect.stringContaining('来电号码'),
      },
    })
    c.store.setMeta('language', 'en')
    const en = await c.call('ticket.act', { name: 'ticket.create', args: d })
    expect(en.ok ? '' : en.error.message).toMatch(/^Caller's phone/)
    expect(await c.call('queue.query', {})).toMatchObject({
      ok: false,
      error: { code: 'not_logged_in' },
    })
    expect(await c.call('nope' as 'sync.status', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    })
    const login = await c.call('session.login', { username: 'x', password: 'y' })
    expect(login).toMatchObject({ ok: false, error: { code: 'offline' } })
    expect(await c.ok('sync.status')).toMatchObject({ state: 'offline', pending: 0 })
    expect(c.clientId).toMatch(/^[0-9a-f-]{36}$/)
  })
})
