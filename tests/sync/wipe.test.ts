// Wiping a console's local data (issue 7, the settings screen's 清除本机数据): refused while the
// outbox holds changes the server has not got, unless forced; afterwards nothing of the last
// user is left in the cache (tickets, drafts, settings, session) and the console logs in again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cleanup,
  draft,
  openConsole,
  startProxy,
  startServer,
  synced,
  waitFor,
  type ServerProcess,
} from './harness'

describe('console.wipe', { timeout: 90_000 }, () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServer('sqlite', 10)
  }, 60_000)
  afterAll(cleanup, 60_000)

  it('refuses with unsent changes, wipes when forced, and the console logs in again', async () => {
    const proxy = await startProxy(server.port)
    const c = await openConsole(proxy.url, 'agent1')
    const clientId = c.clientId
    const someId = (await c.ok('queue.query', {})).rows[0]!.id
    await c.ok('draft.save', { key: 'intake', data: { phone: '13800001111' } })
    await c.ok('settings.set', { notifications: { overdue: false } })

    // The server stops taking pushes: a new call waits in the outbox.
    proxy.state.failPushes = true
    const created = draft()
    await c.ok('ticket.act', { name: 'ticket.create', args: created })
    expect(c.store.pendingCount()).toBe(1)

    const refused = await c.call('console.wipe', {})
    expect(refused.ok).toBe(false)
    if (refused.ok) return
    expect(refused.error.code).toBe('unsent_changes')
    expect(refused.error.message).toContain('1')
    // Refused: nothing happened, the person is still logged in with their work.
    expect(await c.ok('session.get')).not.toBeNull()
    expect((await c.ok('draft.get', { key: 'intake' }))?.data).toEqual({ phone: '13800001111' })

    await c.ok('console.wipe', { force: true })
    expect(await c.ok('session.get')).toBeNull()
    expect(c.events.some((e) => e.type === 'session.changed' && !e.payload.session)).toBe(true)
    expect(c.store.pendingCount()).toBe(0)
    expect(c.store.ticket(someId)).toBeNull()
    expect(c.store.ticket(created.ticket.id)).toBeNull()
    expect(c.store.reference()).toBeNull()
    expect(c.store.metaWithPrefix('draft:')).toEqual([])
    expect(c.store.metaWithPrefix('settings:')).toEqual([])
    expect(c.store.getMeta('session')).toBeNull()
    expect(c.store.getMeta('cursor')).toBeNull()
    // Logged out, the console's own settings still answer (the login screen needs them).
    const settings = await c.ok('settings.get')
    expect(settings.serverUrl).toBe(proxy.url)
    expect(settings.notifications.overdue).toBe(true)
    expect((await c.call('draft.get', { key: 'intake' })).ok).toBe(false)

    // Usable again: the same user logs in, gets a fresh snapshot, and the wiped call is gone.
    proxy.state.failPushes = false
    await c.ok('session.login', { username: 'agent1', password: 'demo' })
    await waitFor(() => synced(c), 30_000)
    expect(c.clientId).toBe(clientId)
    expect(c.store.ticket(someId)).not.toBeNull()
    expect(c.store.ticket(created.ticket.id)).toBeNull()
    expect(await c.ok('draft.get', { key: 'intake' })).toBeNull()
    // A new action still gets through (the mutation counters survived the wipe).
    const next = draft()
    await c.ok('ticket.act', { name: 'ticket.create', args: next })
    await waitFor(() => synced(c), 30_000)
    expect(c.store.ticket(next.ticket.id)?.ticket.number).toBeTruthy()
  })

  it('wipes at once with nothing unsent; a server address is validated and ends the session', async () => {
    const c = await openConsole(server.url, 'agent2')
    const bad = await c.call('settings.set', { serverUrl: 'ftp://example.org' })
    expect(bad.ok || bad.error.field).toBe('serverUrl')
    // The same address (a trailing slash aside) changes nothing.
    await c.ok('settings.set', { serverUrl: `${server.url}/` })
    expect(await c.ok('session.get')).not.toBeNull()

    const other = 'http://127.0.0.1:9'
    expect((await c.ok('settings.set', { serverUrl: other })).serverUrl).toBe(other)
    expect(await c.ok('session.get')).toBeNull()
    const login = await c.call('session.login', { username: 'agent2', password: 'demo' })
    expect(login.ok || login.error.code).toBe('offline')
    // Back to the real server, logged out: allowed without a session.
    await c.ok('settings.set', { serverUrl: server.url })
    await c.ok('session.login', { username: 'agent2', password: 'demo' })
    await waitFor(() => synced(c), 30_000)

    await c.ok('console.wipe', {})
    expect(await c.ok('session.get')).toBeNull()
    expect(c.store.getMeta('serverUrl')).toBe(server.url)
    expect((await c.ok('settings.get')).dataDir).toBeTruthy()
    // And logs in again (ending logged in also lets the server stop at once at cleanup).
    await c.ok('session.login', { username: 'agent2', password: 'demo' })
    await waitFor(() => synced(c), 30_000)
  })
})
