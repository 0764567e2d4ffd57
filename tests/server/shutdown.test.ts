// Graceful shutdown of the real server process: SIGTERM in the middle of a long push lets the
// push finish and answer in full, tells live consoles "going away" (1001), refuses newcomers,
// exits 0, and everything acknowledged is there after a restart.
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServerProcess, type ServerProcess } from '../../scripts/server-process'
import { scratchDatabase, testEngines, type Json } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const started: ServerProcess[] = []
const dropped: Array<() => Promise<void>> = []
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()))
  for (const drop of dropped) await drop()
})

async function login(base: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'dispatcher1', password: 'demo' }),
  })
  return ((await r.json()) as { token: string }).token
}

/** Every ticket id the server has, pulled page by page, and the cursor reached. */
async function pullAll(base: string, token: string): Promise<{ ids: Set<string>; cursor: number }> {
  const ids = new Set<string>()
  let cursor = 0
  for (;;) {
    const r = await fetch(`${base}/api/v1/sync/pull?cursor=${cursor}&limit=2000`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const page: Json = await r.json()
    for (const t of page.tickets) ids.add(t.id)
    cursor = page.cursor
    if (!page.hasMore) return { ids, cursor }
  }
}

describe.each(await testEngines())('graceful shutdown of the server process on %s', (engine) => {
  it('finishes a push in flight on SIGTERM, exits 0, and keeps what it acknowledged', async () => {
    const db = await scratchDatabase(engine)
    dropped.push(db.drop)
    const start = async () => {
      const s = await startServerProcess({
        dataDir: db.dir ?? tmpdir(),
        ...(db.url ? { databaseUrl: db.url } : {}),
        demo: true,
        demoTickets: 0,
      })
      started.push(s)
      return s
    }
    const a = await start()
    const token = await login(a.url)
    const live = new WebSocket(`${a.url.replace('http', 'ws')}/api/v1/live`, {
      headers: { authorization: `Bearer ${token}` },
    })
    await once(live, 'message') // ready
    const liveClosed = once(live, 'close')

    const cursor0 = (await pullAll(a.url, token)).cursor
    const mutations = Array.from({ length: 1000 }, (_, i) =>
      mutation(i + 1, 'ticket.create', createArgs()),
    )
    const pushing = fetch(`${a.url}/api/v1/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: uuid(), mutations }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Json, at: Date.now() }))
    // Signal once the first mutations have committed: the push is under way, far from done.
    const sentAt = Date.now()
    for (let i = 0; ; i++) {
      const r = await fetch(`${a.url}/api/v1/sync/pull?cursor=${cursor0}&limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      })
      if (((await r.json()) as Json).cursor > cursor0) break
      if (i > 500) throw new Error('the push did not start')
      await new Promise((r) => setTimeout(r, 20))
    }
    const exited = once(a.child, 'exit') as Promise<[number | null, string | null]>
    const signalledAt = Date.now()
    a.child.kill('SIGTERM')

    // Newcomers are turned away (503 while closing, or the port is already shut) while the
    // push goes on.
    let refusedAt = 0
    for (let i = 0; i < 200 && !refusedAt; i++) {
      const late = await fetch(`${a.url}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      )
      if (late === 503 || late === 'refused') refusedAt = Date.now()
      else await new Promise((r) => setTimeout(r, 10))
    }
    expect(refusedAt, 'new requests refused after SIGTERM').toBeGreaterThan(0)

    const pushed = await pushing
    console.log(
      `push of 1000: ${pushed.at - sentAt} ms, of which ${pushed.at - signalledAt} ms after SIGTERM`,
    )
    expect(pushed.at, 'the push was still running when refusals began').toBeGreaterThan(refusedAt)
    expect(pushed.status).toBe(200)
    expect(pushed.body.results).toHaveLength(1000)
    expect(pushed.body.results.every((r: { status: string }) => r.status === 'ok')).toBe(true)
    expect(pushed.body.lastMutationId).toBe(1000)
    const [code] = await liveClosed
    expect(code).toBe(1001)
    const [exitCode, signal] = await exited
    expect({ exitCode, signal }, a.output()).toEqual({ exitCode: 0, signal: null })

    const b = await start()
    const { ids } = await pullAll(b.url, await login(b.url))
    for (const m of mutations) expect(ids.has((m.args as Json).ticket.id)).toBe(true)
    await b.stop()
    expect(b.child.exitCode).toBe(0)
  }, 60_000)
})
