// SIGKILL a console process in the middle of a burst of writes; restart it: every mutation whose
// call returned is in the outbox or already on the server, and all of them reach the server.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalStore } from '../../src/core/db/local-store'
import {
  cleanup,
  openConsole,
  serverState,
  startServer,
  synced,
  tempDir,
  testEngines,
  waitFor,
  type ServerProcess,
} from './harness'

describe.each(await testEngines())('a console killed mid-burst on %s', (engine) => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServer(engine, 10)
  }, 60_000)
  afterAll(cleanup, 60_000)

  it('loses nothing whose call returned', async () => {
    const dir = tempDir()
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/sync/crash-child.ts', server.url, dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += String(d)))
    child.stderr.on('data', (d) => (err += String(d)))
    const returned = () => out.split('\n').filter((l) => /^\d+ /.test(l))
    await waitFor(() => returned().length >= 300 || child.exitCode !== null, 30_000)
    expect(child.exitCode, err).toBeNull()
    child.kill('SIGKILL')
    await once(child, 'exit')
    const lines = returned().map((l) => {
      const [id, name, ticketId, version] = l.split(' ')
      return { id: Number(id), name: name!, ticketId: ticketId!, version: Number(version) }
    })

    const before = await serverState(server.url)
    const store = await LocalStore.open(dir)
    const pending = new Set(store.pending(100_000).map((m) => m.id))
    const lastOnServer = Number(store.getMeta('lastMutationId') ?? 0)
    store.close()
    for (const m of lines) {
      const onServer = (before.tickets.get(m.ticketId)?.version ?? 0) >= m.version
      expect(
        pending.has(m.id) || onServer,
        `mutation ${m.id} (${m.name}) lost; last ${lastOnServer}`,
      ).toBe(true)
    }

    // Restarted, it resumes the session and pushes what waited.
    const again = await openConsole(server.url, null, dir)
    expect(await again.ok('session.get')).toMatchObject({ user: { username: 'dispatcher1' } })
    await waitFor(() => synced(again), 20_000, 50)
    const after = await serverState(server.url)
    for (const m of lines)
      expect(after.tickets.get(m.ticketId)?.version ?? 0).toBeGreaterThanOrEqual(m.version)
    console.log(
      `[${engine}] killed after ${lines.length} returned calls; ${pending.size} were waiting`,
    )
  }, 90_000)
})
