// Issue 18: a console is poked at most once per window however fast the city commits, and the
// last poke it gets carries the newest seq — so its pulls are bounded and it misses nothing.
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { POKE_WINDOW_MS } from '../../src/server/live'
import { startTestServer, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

describe('pokes under a stream of commits', () => {
  let t: TestServer
  let token = ''
  beforeAll(async () => {
    t = await startTestServer('sqlite')
    token = await t.login('dispatcher1')
  })
  afterAll(() => t?.close())

  it('come at most once a window per console, the last with the newest seq', async () => {
    const sockets = await Promise.all(
      [0, 1, 2].map(async () => {
        const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/live`)
        const pokes: number[] = []
        ws.on('message', (d) => {
          const m = JSON.parse(String(d)) as { type: string; seq: number }
          if (m.type === 'poke') pokes.push(m.seq)
        })
        await once(ws, 'open')
        ws.send(JSON.stringify({ type: 'auth', token }))
        return { ws, pokes }
      }),
    )
    await new Promise((r) => setTimeout(r, 200))

    // Four consoles committing as fast as they can for two seconds: many commits a window.
    const started = Date.now()
    let n = 0
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const clientId = uuid()
        let id = 0
        while (Date.now() - started < 2000) {
          const r = await t.api('POST', '/api/v1/sync/push', token, {
            clientId,
            mutations: [mutation(++id, 'ticket.create', createArgs())],
          })
          expect(r.status).toBe(200)
          n++
        }
      }),
    )
    const elapsed = Date.now() - started
    const latest = await t.store.latestSeq()
    await new Promise((r) => setTimeout(r, 3 * POKE_WINDOW_MS))

    const bound = Math.ceil(elapsed / POKE_WINDOW_MS) + 3
    // Enough commits that a poke for each would break the bound.
    expect(n).toBeGreaterThan(bound)
    for (const { ws, pokes } of sockets) {
      // At most one a window (and the two ends), whatever the number of commits.
      expect(pokes.length).toBeLessThanOrEqual(bound)
      expect(pokes.length).toBeGreaterThan(1)
      expect(pokes.at(-1)).toBe(latest)
      ws.close()
    }
  })
})
