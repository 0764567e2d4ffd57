// Drafts: what an agent types survives the console closing (or crashing: every save is committed
// to the cache at once), belongs to the user who typed it, and bad or huge drafts are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, openConsole, startServer, tempDir, type ServerProcess } from './harness'

describe('drafts in the console cache', () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServer('sqlite', 5)
  }, 60_000)
  afterAll(cleanup, 60_000)

  it('are kept per user across a restart of the console, and cleared on save', async () => {
    const dir = tempDir()
    const a = await openConsole(server.url, 'agent1', dir)
    const data = { phone: '13800001111', description: '小区门口夜间施工噪音', category: '0101' }
    const saved = await a.ok('draft.save', { key: 'intake', data })
    expect(saved.data).toEqual(data)
    await a.close()

    const again = await openConsole(server.url, null, dir)
    // The session is kept with the cache, so the same agent finds the draft at once.
    expect((await again.ok('draft.get', { key: 'intake' }))?.data).toEqual(data)
    expect((await again.ok('draft.list', {})).map((d) => d.key)).toEqual(['intake'])

    // Another user on the same console sees none of it.
    await again.ok('session.login', { username: 'agent2', password: 'demo' })
    expect(await again.ok('draft.get', { key: 'intake' })).toBeNull()
    await again.ok('session.login', { username: 'agent1', password: 'demo' })
    expect((await again.ok('draft.get', { key: 'intake' }))?.data).toEqual(data)

    await again.ok('draft.clear', { key: 'intake' })
    expect(await again.ok('draft.get', { key: 'intake' })).toBeNull()
  })

  it('are refused when logged out, too large or badly keyed — saying why', async () => {
    const c = await openConsole(server.url, null)
    const out = await c.call('draft.save', { key: 'intake', data: { a: 1 } })
    expect(out.ok || out.error.code).toBe('not_logged_in')
    await c.ok('session.login', { username: 'agent1', password: 'demo' })
    const big = await c.call('draft.save', { key: 'intake', data: { d: 'x'.repeat(70_000) } })
    expect(big.ok || big.error.code).toBe('draft_too_large')
    const bad = await c.call('draft.save', { key: '../etc', data: {} })
    expect(bad.ok || bad.error.field).toBe('key')
    expect(await c.ok('draft.get', { key: 'intake' })).toBeNull()
  })
})
