// Password guessing against a real server over real HTTP (src/server/auth/backoff.ts), under the
// default policy with the server's clock option held still (the waits are then exact and nothing
// sleeps): failures for one username from one address are slowed — 429, Retry-After, a JSON error
// — and even the right password waits; the wait doubles; another username or another source
// address (127.0.0.2, a real second address on loopback) is not punished, and X-Forwarded-For is
// believed only from a proxy named in `trustProxy`. Issue 12: guesses sent at once are counted as
// they arrive (40 at once on one account: 4 judged); password spraying from one address runs dry
// after its per-address budget, which a call centre's shift change behind one NAT address does not
// reach; password hashes running at once are bounded. Figures in the report.
import { request } from 'node:http'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_BACKOFF } from '../../src/server/auth/backoff'
import { DEFAULT_HASH_GATE } from '../../src/server/auth/hash-gate'
import { DEFAULT_SCRYPT, hashPassword, verifyPassword } from '../../src/server/auth/passwords'
import { reference, startTestServer, type Json, type TestServer } from '../server/helpers'
import { bounded, recordFigures } from './figures'

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

  it('password spraying: one guess at each of many usernames from one address runs dry', async () => {
    const budget = DEFAULT_BACKOFF.perAddress.capacity
    expect(DEFAULT_BACKOFF.perAddress).toEqual({ capacity: 200, refillMs: 10_000 })
    // An address of its own (the account test above guessed from 127.0.0.1), 250 user names.
    const from = '127.0.0.3'
    const names = Array.from({ length: budget + 50 }, (_, i) => `spray-${i}`)
    const statuses = new Map<number, number>()
    let first429 = -1
    for (const [i, name] of names.entries()) {
      const r = await login(t, name, 'Spring2026!', { from })
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1)
      if (r.status === 429 && first429 < 0) {
        first429 = i
        expect(r.body.error.message).toMatch(/from this address/)
        expect(r.retryAfter).toBe('10')
      }
    }
    expect(statuses.get(401)).toBe(budget)
    expect(first429).toBe(budget)
    // The right password of a real account from that address waits too; elsewhere it does not.
    expect((await login(t, 'agent2', 'demo', { from })).status).toBe(429)
    expect((await login(t, 'agent2', 'demo', { from: '127.0.0.2' })).status).toBe(200)
    // One more guess every 10 s after that.
    clock += DEFAULT_BACKOFF.perAddress.refillMs
    expect((await login(t, 'spray-x', 'x', { from })).status).toBe(401)
    expect((await login(t, 'spray-y', 'x', { from })).status).toBe(429)
    figures.sprayBudgetPerAddress = budget
    figures.sprayPerHourAfter = Math.round(3_600_000 / DEFAULT_BACKOFF.perAddress.refillMs)
    // What each guess costs the server: the password hash (time it once, real parameters).
    const stored = await hashPassword('demo', DEFAULT_SCRYPT)
    const t0 = performance.now()
    for (let i = 0; i < 3; i++) expect(await verifyPassword(`guess-${i}`, stored)).toBe(false)
    figures.defaultHashMs = Math.round((performance.now() - t0) / 3)
  })
})

describe('bursts and shared addresses (issue 12)', () => {
  const clock = Date.parse('2026-03-02T09:00:00Z')
  const servers: TestServer[] = []
  afterAll(async () => {
    for (const s of servers) await s.close()
  })
  const start = async (extra: Parameters<typeof startTestServer>[1] = {}) => {
    const s = await startTestServer('sqlite', { now: () => clock, ...extra })
    servers.push(s)
    return s
  }

  it('counts guesses sent at once as they arrive: 40 at once on one account, 4 judged', async () => {
    const t = await start()
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(t, 'dispatcher1', `burst-${i}`)),
    )
    const count = (status: number) => burst.filter((r) => r.status === status).length
    // 3 free and the one that starts the wait, as when sent one after another.
    expect(count(401)).toBe(DEFAULT_BACKOFF.free + 1)
    expect(count(429)).toBe(40 - DEFAULT_BACKOFF.free - 1)
    // The right password waits like any other attempt.
    expect((await login(t, 'dispatcher1', 'demo')).status).toBe(429)
    figures.burstSent = 40
    figures.burstJudged = count(401)
  })

  it('judges exactly free + 1 guesses per account and address in any concurrent burst', async () => {
    const t = await start()
    let run = 0
    let sent = 0
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          accounts: fc.integer({ min: 1, max: 4 }),
          addresses: fc.integer({ min: 1, max: 3 }),
          each: fc.integer({ min: 1, max: 12 }),
        }),
        async (b) => {
          run++
          // Fresh names and addresses each run (the clock stands still: nothing is forgotten).
          const groups = Array.from({ length: b.accounts * b.addresses }, (_, g) => ({
            user: `burst-${run}-${g % b.accounts}`,
            from: `127.${run % 250}.${Math.floor(g / b.accounts)}.${10 + (run % 200)}`,
          }))
          const answers = await Promise.all(
            groups.flatMap((g) =>
              Array.from({ length: b.each }, (_, i) =>
                login(t, g.user, `guess-${i}`, { from: g.from }).then((r) => ({ ...g, r })),
              ),
            ),
          )
          sent += answers.length
          for (const g of groups) {
            const mine = answers.filter((a) => a.user === g.user && a.from === g.from)
            const judged = mine.filter((a) => a.r.status === 401).length
            expect(judged, JSON.stringify(g)).toBe(Math.min(b.each, DEFAULT_BACKOFF.free + 1))
            expect(mine.every((a) => a.r.status === 401 || a.r.status === 429)).toBe(true)
          }
        },
      ),
      { numRuns: bounded(15, 150) },
    )
    figures.burstFuzzRuns = run
    figures.burstFuzzLogins = sent
  })

  it("leaves a call centre's shift change behind one NAT address alone", async () => {
    const t = await start()
    // 150 staff log in from one address; every one of them mistypes first, a third twice.
    const ref = await reference()
    const users = ref.units.slice(0, 150).map((u) => `unit-${u.code}`)
    let refused = 0
    for (const [i, name] of users.entries()) {
      for (let typo = 0; typo < (i % 3 === 0 ? 2 : 1); typo++)
        if ((await login(t, name, `typo-${typo}`)).status !== 401) refused++
      if ((await login(t, name, 'demo')).status !== 200) refused++
    }
    expect(refused).toBe(0)
    figures.shiftChangeLogins = users.length
    figures.shiftChangeFailures = users.length + Math.ceil(users.length / 3)
    figures.shiftChangeRefused = refused
  })

  it('believes X-Forwarded-For only from the proxies trustProxy names', async () => {
    const t = await start({ trustProxy: ['127.0.0.1'] })
    for (let i = 0; i <= DEFAULT_BACKOFF.free; i++)
      await login(t, 'agent1', `wrong-${i}`, { headers: { 'x-forwarded-for': '10.0.0.1' } })
    const held = await login(t, 'agent1', 'demo', { headers: { 'x-forwarded-for': '10.0.0.1' } })
    expect(held.status).toBe(429)
    // Behind the proxy, every client is itself: another one is not locked out by the first.
    const other = await login(t, 'agent1', 'demo', { headers: { 'x-forwarded-for': '10.0.0.2' } })
    expect(other.status).toBe(200)
    // A client that is not the named proxy cannot claim an address.
    for (let i = 0; i <= DEFAULT_BACKOFF.free; i++)
      await login(t, 'agent2', `wrong-${i}`, { from: '127.0.0.2' })
    const spoof = await login(t, 'agent2', 'demo', {
      from: '127.0.0.2',
      headers: { 'x-forwarded-for': '10.0.0.3' },
    })
    expect(spoof.status).toBe(429)
    figures.trustProxy = 'named proxies only'
  })

  it('bounds the password hashes running at once, and turns away a burst beyond the queue', async () => {
    // The real hash cost, one at a time and two waiting: a burst of unknown user names (each
    // costs a full hash, as a wrong password does).
    const t = await start({ scrypt: DEFAULT_SCRYPT, loginHashes: { atOnce: 1, waiting: 2 } })
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(t, `nobody-${i}`, 'x', { from: '127.0.0.4' })),
    )
    const busy = burst.filter((r) => r.status === 503)
    expect(busy.length + burst.filter((r) => r.status === 401).length).toBe(20)
    expect(busy.length).toBeGreaterThan(0)
    for (const r of busy) {
      expect(r.retryAfter).toBe('1')
      expect(r.body.error.code).toBe('busy')
    }
    const admin = await t.login('admin1')
    const metrics = await (
      await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })
    ).text()
    expect(metrics).toMatch(/^hotline_login_hashes_peak 1$/m)
    expect(metrics).toMatch(/^hotline_login_hashes_running 0$/m)
    figures.hashesAtOnceDefault = DEFAULT_HASH_GATE.atOnce
    figures.hashesWaitingDefault = DEFAULT_HASH_GATE.waiting
    figures.burstTurnedAway = busy.length
  })
})
