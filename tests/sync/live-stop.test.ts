// After stop() the live channel calls nothing: a console closing (its store closed right after)
// must not be poked by a message already on the wire. Found in CI: a poke that arrived between
// stop() and the close frame's answer read the closed store ("The database connection is not
// open"). A real WebSocket server pokes without pause while the client stops.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { LiveSocket } from '../../src/core/sync/live'

describe('the live channel after stop()', () => {
  const http = createServer()
  const wss = new WebSocketServer({ server: http })
  let url = ''
  beforeAll(async () => {
    wss.on('connection', (ws) => {
      ws.send(JSON.stringify({ type: 'ready', seq: 1 }))
      let seq = 1
      const timer = setInterval(() => {
        if (ws.readyState === ws.OPEN)
          for (let i = 0; i < 20; i++) ws.send(JSON.stringify({ type: 'poke', seq: ++seq }))
      }, 1)
      ws.on('close', () => clearInterval(timer))
    })
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r))
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    for (const ws of wss.clients) ws.terminate()
    await new Promise((r) => wss.close(r))
    await new Promise((r) => http.close(r))
  })

  it('calls no handler once stopped, though pokes were still coming', async () => {
    for (let round = 0; round < 20; round++) {
      let stopped = false
      const late: string[] = []
      let isReady: () => void = () => {}
      const ready = new Promise<void>((r) => (isReady = r))
      let poked: () => void = () => {}
      const firstPoke = new Promise<void>((r) => (poked = r))
      const live = new LiveSocket(
        url,
        'token',
        {
          ready: () => isReady(),
          poke: () => {
            poked()
            if (stopped) late.push('poke')
          },
          closed: () => {
            if (stopped) late.push('closed')
          },
          connecting: () => {
            if (stopped) late.push('connecting')
          },
        },
        { backoffBaseMs: 10, backoffMaxMs: 20 },
      )
      live.start()
      await ready
      // Pokes are coming (not a moment later by the clock: CI shares its cores).
      await firstPoke
      live.stop()
      stopped = true
      await new Promise((r) => setTimeout(r, 30))
      expect(late).toEqual([])
    }
  })
})
