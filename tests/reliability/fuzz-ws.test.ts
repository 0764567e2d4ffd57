// Abuse of the live WebSocket (/api/v1/live, src/server/live.ts): text that is not JSON, binary,
// messages over the 64 KiB limit, tokens of the wrong type, forged, expired or revoked, silence,
// floods after auth, abrupt closes, broken upgrades and hand-made broken frames. What must hold:
// every such socket is closed as live.ts documents (4401 for anything but a valid auth first,
// 1009 when too big, protocol errors by ws itself) or, after auth, ignored; the server stays up,
// keeps poking a good console, holds no stray connections, and not one row changes.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bounded, recordFigures } from './figures'
import { testEngines } from '../server/helpers'
import { hostileString, hostileValue, toJson } from './fuzz-inputs'
import { startFuzzServer, type FuzzServer } from './fuzz-server'
import {
  frame,
  goodConsole,
  metrics,
  openLive,
  rawExchange,
  upgradeHead,
  waitUntil,
  within,
} from './fuzz-ws'

const RUNS = bounded(40, 400)
const engines = await testEngines()
const tally = {
  sockets: 0,
  closed4401: 0,
  closed1009: 0,
  protocolClosed: 0,
  pokesHeard: 0,
}
const t0 = Date.now()

afterAll(() =>
  recordFigures('fuzz-ws', {
    engines: engines.join('+'),
    ...tally,
    seconds: Math.round((Date.now() - t0) / 1000),
  }),
)

describe.each(engines)('live WebSocket fuzzing on %s', (engine) => {
  let s: FuzzServer
  let good: Awaited<ReturnType<typeof goodConsole>>
  let skewMs = 0
  /** Opened first, never authenticated: checked last, after the 10 s auth timeout. */
  let silent: ReturnType<typeof openLive>
  beforeAll(async () => {
    s = await startFuzzServer(engine, { now: () => Date.now() + skewMs })
    good = await goodConsole(s)
  })
  afterAll(() => s?.close())

  /** Runs `attack` and checks the aftermath: no row changed, a poke still heard, no leak. */
  async function unharmed(attack: () => Promise<void>, after?: (seq: number) => Promise<void>) {
    s.takeErrors()
    const before = await s.fingerprint()
    await attack()
    expect(await s.fingerprint(), 'no data changed').toEqual(before)
    // A client's protocol violation (too big, a bad frame) is logged at info (src/server/app.ts):
    // nothing a hostile client does may reach the error log.
    const errors = s.takeErrors()
    expect(errors.join(' | '), 'no error logged').toBe('')
    expect((await s.api('GET', '/healthz')).status).toBe(200)
    const seq = await good.heardPoke()
    tally.pokesHeard++
    await after?.(seq)
    // Only the good console is left connected (closed sockets leave the hub at once).
    await waitUntil(() => s.server.live.connections === 1, 3000, 'stray connections')
    expect(await metrics(s)).toMatch(/hotline_live_connections 1\b/)
  }

  /** Opens a socket, sends `first` before any auth, expects the documented close. */
  async function refused(first: string | Buffer, code: number) {
    const live = openLive(s.url)
    tally.sockets++
    await within(live.opened, 5000, 'open')
    live.ws.send(first)
    const c = await within(live.closed, 5000, 'close')
    expect(c.code, `after ${String(first).slice(0, 60)}`).toBe(code)
    expect(live.messages.filter((m) => m.type === 'poke' || m.type === 'ready')).toEqual([])
    if (code === 4401) tally.closed4401++
    if (code === 1009) tally.closed1009++
  }

  it('closes with 4401 when the first message is not a valid auth', async () => {
    silent = openLive(s.url)
    await unharmed(async () => {
      await fc.assert(
        fc.asyncProperty(
          fc
            .oneof(
              hostileString,
              hostileValue.map(toJson),
              fc.record({ type: fc.constant('auth'), token: hostileValue }).map(toJson),
              fc.record({ type: hostileString, token: hostileString }).map(toJson),
              fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
            )
            // Over 64 KiB is the next test's (1009).
            .filter((x) => Buffer.byteLength(x) < 60_000),
          (first) => refused(first, 4401),
        ),
        { numRuns: RUNS },
      )
    })
  })

  it('closes with 1009 a message over the 64 KiB limit, before or after auth', async () => {
    await unharmed(async () => {
      await refused(JSON.stringify({ type: 'auth', token: 'x'.repeat(70_000) }), 1009)
      const authed = openLive(s.url)
      await within(authed.opened, 5000, 'open')
      authed.ws.send(JSON.stringify({ type: 'auth', token: s.tokens.agent }))
      await waitUntil(() => authed.messages.some((m) => m.type === 'ready'), 5000, 'ready')
      authed.ws.send(Buffer.alloc(200_000, 0x61))
      expect((await within(authed.closed, 5000, 'close')).code).toBe(1009)
      tally.closed1009++
    })
  })

  it('refuses forged, expired and revoked tokens with 4401', async () => {
    const expiring = await s.api('POST', '/api/v1/auth/login', null, {
      username: 'agent2',
      password: 'demo',
    })
    const revoked = await s.api('POST', '/api/v1/auth/login', null, {
      username: 'agent2',
      password: 'demo',
    })
    await s.api('POST', '/api/v1/auth/logout', revoked.body.token)
    await unharmed(async () => {
      const forged = s.tokens.agent.slice(0, -2) + (s.tokens.agent.endsWith('A') ? 'BB' : 'AA')
      await refused(JSON.stringify({ type: 'auth', token: forged }), 4401)
      await refused(JSON.stringify({ type: 'auth', token: revoked.body.token }), 4401)
      skewMs = 13 * 3600_000 // past the 12 h session
      try {
        await refused(JSON.stringify({ type: 'auth', token: expiring.body.token }), 4401)
      } finally {
        skewMs = 0
      }
      // The same refusal for a token in the upgrade's Authorization header.
      const header = openLive(s.url, { authorization: `Bearer ${revoked.body.token}` })
      tally.sockets += 4
      expect((await within(header.closed, 5000, 'close')).code).toBe(4401)
    })
  })

  it('ignores a flood after auth and keeps poking that console too', async () => {
    const flood = openLive(s.url)
    tally.sockets++
    await within(flood.opened, 5000, 'open')
    flood.ws.send(JSON.stringify({ type: 'auth', token: s.tokens.unit }))
    await waitUntil(() => flood.messages.some((m) => m.type === 'ready'), 5000, 'ready')
    let heard = 0
    await unharmed(
      async () => {
        const junk = [
          '{"type":"auth","token":"x"}',
          'DROP TABLE tickets',
          '\u0000',
          '{"type":"poke"}',
        ]
        for (let i = 0; i < bounded(5000, 50_000); i++) flood.ws.send(junk[i % junk.length]!)
        await new Promise<void>((r) => flood.ws.send('{}', () => r()))
        await new Promise((r) => setTimeout(r, 200))
        expect(flood.ws.readyState).toBe(flood.ws.OPEN)
        heard = flood.messages.length
      },
      async (seq) => {
        // Pokes still reach it, and nothing it sent was ever answered.
        await waitUntil(
          () => flood.messages.some((m) => m.type === 'poke' && m.seq! >= seq),
          5000,
          'poke after the flood',
        )
        expect(flood.messages.slice(heard).every((m) => m.type === 'poke')).toBe(true)
        flood.ws.close()
        await flood.closed
      },
    )
  })

  it('survives abrupt closes, broken upgrades and broken frames', async () => {
    const port = Number(new URL(s.url).port)
    await unharmed(async () => {
      // Gone mid-handshake, right after auth, and while the auth is being checked.
      for (let i = 0; i < bounded(30, 300); i++) {
        const live = openLive(s.url)
        tally.sockets++
        if (i % 3 === 0) setImmediate(() => live.ws.terminate())
        else {
          await live.opened.catch(() => {})
          live.ws.send(JSON.stringify({ type: 'auth', token: s.tokens.agent }))
          if (i % 3 === 1) live.ws.terminate()
          else setTimeout(() => live.ws.terminate(), 1)
        }
        await live.closed
      }
      // Upgrades a WebSocket server must refuse: an HTTP error answer, never a hang or a 5xx.
      for (const head of [
        upgradeHead('not-base64!'),
        upgradeHead(undefined, 'Sec-WebSocket-Version: 8\r\n').replace(
          'Version: 13',
          'Version: 99',
        ),
        'GET /api/v1/live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
        'GET /api/v1/live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n' +
          'X: y\r\n'.repeat(5000) +
          '\r\n',
      ]) {
        const r = await rawExchange(port, head, null)
        tally.sockets++
        // Refused with a 4xx, or the connection dropped (Node does so for an oversized head).
        if (r.text) expect(r.text, head.slice(0, 80)).toMatch(/^HTTP\/1\.1 4\d\d/)
        else expect(r.ended, `${JSON.stringify(head.slice(0, 120))}: hung`).toBe(true)
      }
      // After a good upgrade: frames the protocol forbids. ws closes the connection itself.
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.uint8Array({ minLength: 2, maxLength: 300 }).map((b) => Buffer.from(b)),
            fc.constantFrom(
              frame(0x1, Buffer.from('{"type":"auth"}'), false), // unmasked client frame
              frame(0x3, Buffer.from('x')), // reserved opcode
              frame(0x1, Buffer.from([0xc3, 0x28, 0xff])), // invalid UTF-8 text
              frame(0x9, Buffer.alloc(200, 1)), // control frame over 125 bytes
              frame(0x8, Buffer.from([0x03])), // close frame with a 1-byte payload
              frame(0x1, Buffer.from('{"type":'), true, false), // fragment, never finished
            ),
          ),
          async (bytes) => {
            const r = await rawExchange(port, upgradeHead(), bytes, 300)
            tally.sockets++
            expect(r.text).toMatch(/^HTTP\/1\.1 101/)
            if (r.ended) tally.protocolClosed++
          },
        ),
        { numRuns: RUNS },
      )
    })
  })

  it('closes a socket that never authenticates after the 10 s auth timeout', async () => {
    const c = await within(silent.closed, 15_000, 'auth timeout')
    expect(c.code).toBe(4401)
    tally.closed4401++
  })
})
