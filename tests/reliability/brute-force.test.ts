// Password guessing against a real server over real HTTP (src/server/auth/backoff.ts), under the
// default policy with the server's clock option held still (the waits are then exact and nothing
// sleeps): failures for one username from one address are slowed — 429, Retry-After, a JSON error
// — and even the right password waits; the wait doubles; another username or another source
// address (127.0.0.2, a real second address on loopback) is not punished, and X-Forwarded-For is
// not believed. Then what an attacker gets: guesses per minute and per hour on one account, and
// password spraying (one guess at each of many usernames from one address), which the backoff
// does not slow — only the password hash's cost does (figures in the report).
import { request } from 'node:http'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_BACKOFF } from '../../src/server/auth/backoff'
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from '../../src/server/auth/passwords'
import { startTestServer, type Json, type TestServer } from '../server/helpers'
import { recordFigures } from './figures'

interface Answer {
  status: number
  retryAfter: string | undefined
  body: Json
}

/** POST /api/v1/auth/login from a chosen source address, with any extra headers. */
function login(
  t: TestServer,
  username: string,
  password: string,
  opts: { from?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const body = JSON.stringify({ username, password })
  return new Promise((resolve, reject) => {
    const req = request(
      `${t.url}/api/v1/auth/login`,
      {
        method: 'POST',
        localAddress: opts.from ?? '127.0.0.1',
        agent: false,
        headers: { 'content-type': 'application/json', ...opts.headers },
      },
      (res) => {
        let text = ''
        res.on('data', (d) => (text += String(d)))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
            body: JSON.parse(text),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const figures: Record<string, number | string> = {}

afterAll(() => recordFigures('brute-force', figures))

describe('login backoff on a real server (default policy, the server clock held still)', () => {
  let t: TestServer
  let clock = Date.parse('2026-03-02T09:00:00Z')
  afterAll(() => t?.close())

  it('slows one account from one address, doubling, and refuses even the right password', async () => {
    t = await startTestServer('sqlite', { now: () => clock })
    expect(DEFAULT_BACKOFF).toMatchObject({ free: 3, baseMs: 1000, maxMs: 300_000 })
    for (let i = 0; i < DEFAULT_BACKOFF.free; i++) {
      const r = await login(t, 'agent1', `wrong-${i}`)
      expect(r.status).toBe(401)
      expect(r.body.error.code).toBe('invalid_credentials')
      expect(r.retryAfter).toBeUndefined()
    }
    // The failure past the free ones is still judged (401), and starts the wait.
    expect((await login(t, 'agent1', 'wrong-x')).status).toBe(401)
    const waits: string[] = []
    for (const seconds of [1, 2, 4, 8]) {
      // While the wait runs, even the right password is refused, with the wait stated.
      const held = await login(t, 'agent1', 'demo')
      expect(held.status).toBe(429)
      expect(held.retryAfter).toBe(String(seconds))
      expect(held.body.error).toMatchObject({
        code: 'too_many_attempts',
        message: `Too many failed logins; try again in ${seconds} s`,
        retryAfterMs: seconds * 1000,
      })
      waits.push(held.retryAfter!)
      // A moment short of the end is still too early.
      clock += seconds * 1000 - 1
      expect((await login(t, 'agent1', 'demo')).body.error.retryAfterMs).toBe(1)
      clock += 1
      if (seconds < 8) expect((await login(t, 'agent1', `wrong-${seconds}`)).status).toBe(401)
    }
    figures.retryAfterSeconds = waits.join('/')
    // The wait is over: the right password gets in, and the slate is clean.
    const ok = await login(t, 'agent1', 'demo')
    expect(ok.status).toBe(200)
    expect(typeof ok.body.token).toBe('string')
    for (let i = 0; i < DEFAULT_BACKOFF.free; i++)
      expect((await login(t, 'agent1', `again-${i}`)).status).toBe(401)
  })

  it('does not punish another username, nor another address, and ignores X-Forwarded-For', async () => {
    for (let i = 0; i <= DEFAULT_BACKOFF.free; i++) await login(t, 'dispatcher1', `wrong-${i}`)
    expect((await login(t, 'dispatcher1', 'demo')).status).toBe(429)
    // Another user from the same address.
    expect((await login(t, 'supervisor1', 'demo')).status).toBe(200)
    // The same user from another address (a real second loopback address, seen as such).
    const other = await login(t, 'dispatcher1', 'demo', { from: '127.0.0.2' })
    expect(other.status).toBe(200)
    // The address that guessed is still held; claiming to be elsewhere does not help.
    for (const xff of ['10.1.2.3', '127.0.0.3', '10.1.2.3, 127.0.0.2']) {
      const r = await login(t, 'dispatcher1', 'demo', { headers: { 'x-forwarded-for': xff } })
      expect(r.status, `X-Forwarded-For: ${xff}`).toBe(429)
    }
    const real = await login(t, 'dispatcher1', 'demo', { headers: { 'x-real-ip': '10.9.9.9' } })
    expect(real.status).toBe(429)
    figures.xForwardedForTrusted = 'no'
  })
})

describe('what an attacker gets under the default policy', () => {
  let t: TestServer
  let clock = Date.parse('2026-03-02T09:00:00Z')
  afterAll(() => t?.close())

  /** Guesses on one account from one address, waiting exactly as told, for `spanMs`. */
  async function guess(username: string, spanMs: number) {
    const start = clock
    let guesses = 0
    let refusals = 0
    while (clock - start < spanMs) {
      const r = await login(t, username, `guess-${guesses}`)
      if (r.status === 401) guesses++
      else {
        expect(r.status).toBe(429)
        refusals++
        clock += r.body.error.retryAfterMs
      }
      // Each guess takes the attacker at least a moment (a fast client on a fast network).
      clock += 50
    }
    return { guesses, refusals }
  }

  it('allows a handful of guesses a minute on one account, and 12 an hour after that', async () => {
    t = await startTestServer('sqlite', { now: () => clock })
    expect(DEFAULT_BACKOFF).toMatchObject({ free: 3, baseMs: 1000, maxMs: 300_000 })
    const minute = await guess('agent1', 60_000)
    const hour = await guess('agent1', 3_600_000)
    const later = await guess('agent1', 3_600_000)
    // 3 free, then waits of 1, 2, 4, 8, 16 and 32 s: 9 guesses in the first minute.
    expect(minute.guesses).toBeGreaterThanOrEqual(8)
    expect(minute.guesses).toBeLessThanOrEqual(10)
    // The wait climbs to its 5-minute cap within the next hour, then one guess per 5 minutes.
    expect(hour.guesses).toBeLessThanOrEqual(16)
    expect(later.guesses).toBeGreaterThanOrEqual(11)
    expect(later.guesses).toBeLessThanOrEqual(13)
    figures.guessesFirstMinute = minute.guesses
    figures.guessesNextHour = hour.guesses
    figures.guessesPerHourAtCap = later.guesses
    figures.guessesPerDayAtCap = Math.round((24 * 3_600_000) / DEFAULT_BACKOFF.maxMs)
  })

  it('password spraying: one guess at each of many usernames from one address', async () => {
    // Unit users exist for every unit: 40 usernames, one wrong password each, one address.
    const names = Array.from({ length: 40 }, (_, i) => (i < 5 ? `agent${i}` : `user-${i}`))
    const started = Date.now()
    const statuses = new Map<number, number>()
    for (const name of names) {
      const r = await login(t, name, 'Spring2026!')
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
    }
    const ms = Date.now() - started
    // Per username and address: spraying is not slowed by the backoff (only by the hash's cost).
    expect(statuses.get(401)).toBe(names.length)
    expect(statuses.get(429)).toBeUndefined()
    figures.sprayUsernames = names.length
    figures.sprayRefused = statuses.get(429) ?? 0
    figures.sprayPerMinuteTestHash = Math.round((names.length / ms) * 60_000)
    // What holds spraying back in production is the password hash itself: time one check.
    const stored = await hashPassword('demo', DEFAULT_SCRYPT)
    const t0 = performance.now()
    for (let i = 0; i < 3; i++) expect(await verifyPassword(`guess-${i}`, stored)).toBe(false)
    const perGuess = (performance.now() - t0) / 3
    figures.defaultHashMs = Math.round(perGuess)
    figures.sprayPerMinutePerCore = Math.round(60_000 / perGuess)
  })
})
