// Sessions ended on the server reach consoles promptly (issue 7): an administrator revokes a
// user's sessions (or deactivates the user) and that user's console, connected live, stops
// syncing and locks at once — keeping its unsent change and its draft, which go on after the
// user logs in again. With two server processes on one PostgreSQL database, a revocation made on
// one reaches a console connected to the other within one poke.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsoleEvent } from '../../src/shared/api'
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
  type Core,
  type ServerProcess,
} from './harness'

const ended = (c: Core) =>
  c.events.find(
    (e): e is Extract<ConsoleEvent, { type: 'session.changed' }> =>
      e.type === 'session.changed' && e.payload.session === null && !!e.payload.ended,
  )

async function userId(url: string, adminToken: string, username: string): Promise<string> {
  const r = await api(url, 'GET', '/api/v1/admin/users', adminToken)
  const u = (r.body.users as Array<{ id: string; username: string }>).find(
    (x) => x.username === username,
  )
  if (!u) throw new Error(`no user ${username}`)
  return u.id
}

/** Pulls the console made after `since` (ms): a locked console makes none. */
const pullsAfter = (c: Core, since: number) =>
  c.events.filter(
    (e) =>
      e.type === 'sync.status' && e.payload.lastSyncAt && Date.parse(e.payload.lastSyncAt) > since,
  ).length

describe.each(await testEngines())('a session ended on the server (%s)', (engine) => {
  let server: ServerProcess
  let admin: string
  beforeAll(async () => {
    server = await startServer(engine, 10)
    admin = await login(server.url, 'admin1')
  }, 60_000)
  afterAll(cleanup, 60_000)

  it('revoked: the console locks at once, keeps its unsent change and draft, and goes on after login', async () => {
    // The agent's console works through a proxy that can cut it off: an unsent change waits.
    const proxy = await startProxy(server.port)
    const agent = await openConsole(proxy.url, 'agent1')
    await agent.ok('draft.save', { key: 'intake', data: { description: '半句话还没记完' } })
    proxy.state.failPushes = true
    const d = draft()
    await agent.ok('ticket.act', { name: 'ticket.create', args: d })
    await waitFor(() => (agent.handlers['sync.status']({}) as { pending: number }).pending === 1)

    const t0 = Date.now()
    const r = await api(
      server.url,
      'POST',
      `/api/v1/admin/users/${await userId(server.url, admin, 'agent1')}/revoke-sessions`,
      admin,
    )
    expect(r.status).toBe(200)
    expect(r.body.revoked).toBeGreaterThanOrEqual(1)
    // No poke needed: the live socket is closed by the server, the console pulls, is refused.
    const ms = await waitFor(() => !!ended(agent), 5000, 5)
    console.log(`[${engine}] revoked → console locked after ${Date.now() - t0} ms (${ms} waited)`)
    expect(ended(agent)!.payload.ended).toEqual({ username: 'agent1' })
    const s = await agent.ok('session.get', {})
    expect(s).toBeNull()
    // Stopped syncing: another console's change brings no pull to the locked one.
    const locked = Date.now()
    const other = await openConsole(server.url, 'dispatcher1')
    await other.ok('ticket.act', { name: 'ticket.create', args: draft() })
    await waitFor(() => synced(other), 10_000)
    await new Promise((res) => setTimeout(res, 500))
    expect(pullsAfter(agent, locked)).toBe(0)
    // Calls that need a session are refused, with the reason.
    const refused = await agent.call('queue.query', {})
    expect(refused.ok).toBe(false)

    // Nothing typed is lost: the change waits in the outbox, the draft is there.
    expect((agent.handlers['sync.status']({}) as { pending: number }).pending).toBe(1)
    proxy.state.failPushes = false
    await agent.ok('session.login', { username: 'agent1', password: 'demo' })
    expect((await agent.ok('draft.get', { key: 'intake' }))?.data).toEqual({
      description: '半句话还没记完',
    })
    await waitFor(() => synced(agent), 10_000)
    const state = await serverState(server.url)
    expect(state.tickets.get(d.ticket.id)?.description).toBe(d.ticket.description)
  })

  it('deactivated: the console locks at once; logging in again is refused', async () => {
    const unit = await openConsole(server.url, 'unit-JK-UM')
    const id = await userId(server.url, admin, 'unit-JK-UM')
    const r = await api(server.url, 'POST', `/api/v1/admin/users/${id}/deactivate`, admin)
    expect(r.status).toBe(200)
    await waitFor(() => !!ended(unit), 5000, 5)
    const again = await unit.call('session.login', { username: 'unit-JK-UM', password: 'demo' })
    expect(again.ok).toBe(false)
    await api(server.url, 'PUT', `/api/v1/admin/users/${id}`, admin, { active: true })
  })

  it.runIf(engine === 'postgres')(
    'revoked on another server process: the console locks within one poke',
    async () => {
      // Two processes on one database; the console is connected to the second one.
      const second = await startServer(engine, 0, server.database)
      const sup = await openConsole(second.url, 'supervisor1')
      const id = await userId(server.url, admin, 'supervisor1')
      const r = await api(server.url, 'POST', `/api/v1/admin/users/${id}/revoke-sessions`, admin)
      expect(r.status).toBe(200)
      // The second process was not told; the next change anywhere pokes every console, and the
      // pull that follows is refused (well before the 30 s sweep).
      await new Promise((res) => setTimeout(res, 300))
      expect(ended(sup)).toBeUndefined()
      const t0 = Date.now()
      const other = await openConsole(server.url, 'agent2')
      await other.ok('ticket.act', { name: 'ticket.create', args: draft() })
      await waitFor(() => !!ended(sup), 10_000, 5)
      console.log(`[postgres] revoked on process A → console on B locked ${Date.now() - t0} ms`)
    },
    60_000,
  )
})
