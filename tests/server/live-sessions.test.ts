// A live socket lives only as long as its session (issue 7): one whose session expires while it
// is connected is closed with 4401 at the next sweep, and one whose user logs out elsewhere at
// once, while other users' sockets stay open and keep getting pokes.
import { once } from 'node:events'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startTestServer, testEngines, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

/** A live socket, authenticated by its first message; resolves once the server says ready. */
async function live(t: TestServer, token: string) {
  const ws = new WebSocket(t.url.replace(/^http/, 'ws') + '/api/v1/live')
  const messages: Array<{ type: string; seq?: number }> = []
  ws.on('message', (raw) => messages.push(JSON.parse(String(raw)) as (typeof messages)[number]))
  const closed = once(ws, 'close').then(([code]) => code as number)
  await once(ws, 'open')
  ws.send(JSON.stringify({ type: 'auth', token }))
  for (let i = 0; i < 200 && !messages.some((m) => m.type === 'ready'); i++)
    await new Promise((r) => setTimeout(r, 10))
  expect(messages.map((m) => m.type)).toContain('ready')
  return { ws, messages, closed }
}

describe.each(await testEngines())('live sockets and their sessions (%s)', (engine) => {
  const servers: TestServer[] = []
  afterAll(() => Promise.all(servers.map((s) => s.close())))

  it('an expired session is closed at the next sweep; a logout at once; others keep going', async () => {
    const t = await startTestServer(engine, { sessionTtlMs: 2000, liveSweepMs: 200 })
    servers.push(t)
    const shortLived = await live(t, await t.login('agent1'))

    const leaver = await t.login('agent2')
    const leaving = await live(t, leaver)
    const t0 = Date.now()
    expect((await t.api('POST', '/api/v1/auth/logout', leaver)).status).toBe(200)
    expect(await leaving.closed).toBe(4401)
    const logoutMs = Date.now() - t0

    const code = await shortLived.closed
    expect(code).toBe(4401)
    // The others: a session logged in now lasts 2 s too; it hears a poke meanwhile.
    const disp = await t.login('dispatcher1')
    const staying = await live(t, disp)
    const push = await t.api('POST', '/api/v1/sync/push', disp, {
      clientId: uuid(),
      mutations: [mutation(1, 'ticket.create', createArgs())],
    })
    expect(push.status).toBe(200)
    for (let i = 0; i < 200 && !staying.messages.some((m) => m.type === 'poke'); i++)
      await new Promise((r) => setTimeout(r, 10))
    expect(staying.messages.map((m) => m.type)).toContain('poke')
    console.log(`[${engine}] logout closed the socket in ${logoutMs} ms`)
    staying.ws.close()
  })
})
