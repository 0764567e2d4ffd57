// Property-based abuse of every HTTP route the server answers (read from fastify's route table, so
// a new route is fuzzed without touching this file), with each role's token, none, and forged
// ones: wrong types, missing and extra fields, huge strings and arrays, deep nesting, bodies that
// are not JSON or are too large, wrong content types, SQL and full-text injection, unicode edge
// cases, prototype keys, hostile path parameters and query strings. What a client must get:
// never a 5xx, a JSON error naming the problem on every 4xx, a server that stays up, and — for
// requests invalid by construction — not one row changed in any table. Hostile text inside a
// valid request may be stored: then it must come back exactly as the rules normalize it, and
// nothing else may change.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bounded, recordFigures } from './figures'
import { testEngines } from '../server/helpers'
import { readReply, startFuzzServer, type Endpoint, type FuzzServer } from './fuzz-server'
import { CONTENT_TYPES, asciiHostile, hostileBody, hostileParam, hostileQuery } from './fuzz-inputs'
import { judge, invalidByConstruction, shapeKeys, tally } from './fuzz-judge'
import { hostileMutations, hostileTicketText, pullAll } from './fuzz-mutations'

const RUNS = bounded(120, 1500)
const engines = await testEngines()

afterAll(() =>
  recordFigures('fuzz-http', {
    engines: engines.join('+'),
    routes: tally.routes.size,
    requests: tally.requests,
    status2xx: tally.s2xx,
    status4xx: tally.s4xx,
    status413: tally.s413,
    status5xx: tally.s5xx,
    roundTrips: tally.roundTrips,
    junkMutations: tally.junkMutations,
    seconds: Math.round((Date.now() - tally.t0) / 1000),
  }),
)

describe.each(engines)('HTTP fuzzing on %s', (engine) => {
  let s: FuzzServer
  beforeAll(async () => {
    s = await startFuzzServer(engine)
  })
  afterAll(() => s?.close())

  const send = async (
    method: string,
    path: string,
    headers: Record<string, string>,
    raw?: string,
  ) =>
    readReply(
      await fetch(s.url + path, {
        method,
        headers,
        body: raw === undefined ? undefined : Buffer.from(raw, 'utf8'),
      }),
    )

  it('reads every declared route from the route table', () => {
    const seen = new Set(s.endpoints.map((e) => `${e.method} ${e.url}`))
    for (const r of s.server.routes)
      expect(seen, `${r.method} ${r.url}`).toContain(`${r.method} ${r.url}`)
    expect(s.endpoints.some((e) => e.url.startsWith('/open311/v2/'))).toBe(true)
    expect(s.endpoints.length).toBeGreaterThan(s.server.routes.length)
  })

  it('answers hostile requests on every route without a 5xx and changes nothing', async () => {
    for (const e of s.endpoints) {
      tally.routes.add(`${e.method} ${e.url}`)
      const before = await s.fingerprint()
      await fc.assert(
        fc.asyncProperty(request(e), (req) => attack(e, req)),
        {
          numRuns: RUNS,
        },
      )
      expect((await s.api('GET', '/healthz')).status, 'server still up').toBe(200)
      expect(s.takeErrors(), `errors logged on ${e.method} ${e.url}`).toEqual([])
      expect(await s.fingerprint(), `data changed by ${e.method} ${e.url}`).toEqual(before)
    }
  })

  it('refuses bodies over the limit with 413 on every route that takes a body', async () => {
    const huge = JSON.stringify({ description: 'x'.repeat(2 * 1024 * 1024 + 10) })
    const before = await s.fingerprint()
    for (const e of s.endpoints.filter((x) => x.method !== 'GET')) {
      const r = await send(
        e.method,
        e.url.replace(/:\w+/g, 'x'),
        { authorization: `Bearer ${s.tokens.admin}`, 'content-type': 'application/json' },
        huge,
      )
      count(r.status)
      // Open311 answers every refused request with its spec's 400 and an error document.
      if (e.url.startsWith('/open311/')) expect(r.text).toMatch(/too large/)
      else expect(r.status, `${e.method} ${e.url}`).toBe(413)
      judge(e, r, true)
    }
    expect(s.takeErrors()).toEqual([])
    expect(await s.fingerprint()).toEqual(before)
  })

  it('keeps hostile text inside a valid ticket and note verbatim, and nothing else', async () => {
    const token = s.tokens.dispatcher
    let id = 0
    const clientId = `fuzz-text-${engine}`
    await fc.assert(
      fc.asyncProperty(hostileTicketText, async (t) => {
        const before = await s.fingerprint()
        const ticketsBefore = await s.rows('tickets')
        const r = await s.api('POST', '/api/v1/sync/push', token, {
          clientId,
          mutations: [
            { id: ++id, key: null, name: 'ticket.create', args: t.create },
            { id: ++id, key: null, name: 'ticket.note', args: t.note },
          ],
        })
        count(r.status)
        expect(r.status, r.text).toBe(200)
        expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['ok', 'ok'])
        const { tickets, events } = await pullAll(s, token)
        const got = tickets.get(t.expected.id)
        expect(got, 'the ticket is on the server').toBeTruthy()
        expect(got!.description).toBe(t.expected.description)
        expect(got!.caller.name ?? null).toBe(t.expected.callerName)
        expect(got!.location.address).toBe(t.expected.address)
        const note = [...events.values()].find(
          (e) => e.ticketId === t.expected.id && e.type === 'noted',
        )
        expect(note?.data?.text).toBe(t.expected.noteText)
        // Earlier tickets untouched, one more; accounts, sessions, reference data unchanged.
        const ticketsAfter = await s.rows('tickets')
        expect(ticketsAfter.length).toBe(ticketsBefore.length + 1)
        expect(ticketsAfter).toEqual(expect.arrayContaining(ticketsBefore))
        const after = await s.fingerprint()
        for (const table of ['users', 'sessions', 'reference_data', 'open311_keys', 'cases'])
          expect(after[table], table).toEqual(before[table])
        tally.roundTrips++
      }),
      { numRuns: bounded(40, 400) },
    )
  })

  it('rejects junk mutations in a valid push one by one and changes no ticket', async () => {
    const clientId = `fuzz-junk-${engine}`
    let next = 1
    await fc.assert(
      fc.asyncProperty(hostileMutations(s.ticketId), async (ms) => {
        s.takeErrors() // a shrinking run starts clean
        const tickets = await s.rows('tickets')
        const events = await s.rows('timeline_events')
        const mutations = ms.map((m) => ({ ...m, id: next++ }))
        const r = await s.api('POST', '/api/v1/sync/push', s.tokens.agent, { clientId, mutations })
        count(r.status)
        // Prototype keys anywhere in a body: refused whole by the JSON parser, also fine.
        const proto = /"(__proto__|constructor)":/.test(JSON.stringify(mutations))
        if (proto && r.status === 400) expect(r.body.error.code).toBe('invalid_json')
        else expect(r.status, r.text).toBe(200)
        for (const res of r.body.results ?? []) {
          expect(res.status).toBe('rejected')
          expect(res.code, JSON.stringify(res)).toBeTruthy()
          expect(res.message?.en, JSON.stringify(res)).toBeTruthy()
        }
        expect(await s.rows('tickets')).toEqual(tickets)
        expect(await s.rows('timeline_events')).toEqual(events)
        expect(s.takeErrors()).toEqual([])
        tally.junkMutations += ms.length
      }),
      { numRuns: bounded(60, 600) },
    )
    expect((await s.api('GET', '/healthz')).status).toBe(200)
  })

  interface Req {
    token: string | null
    path: string
    query: string
    body: string
    contentType: string | null
    wrongMethod: string | null
    realKey: boolean
  }

  function request(e: Endpoint): fc.Arbitrary<Req> {
    const logout = e.url.endsWith('/logout') // a valid token would end a session the test needs
    const valid = logout ? [] : Object.values(s.tokens)
    const token = fc.oneof(
      fc.constant(null),
      ...(valid.length ? [fc.constantFrom(...valid)] : []),
      asciiHostile.map((x) => `Bearer ${x}`),
      fc.constantFrom(
        'Basic YWRtaW4xOmRlbW8=',
        'Bearer',
        'bearer  x',
        `Bearer ${'A'.repeat(8000)}`,
      ),
    )
    const params = e.url
      .split('/')
      .map((seg) => (seg.startsWith(':') ? hostileParam : fc.constant(seg)))
    return fc.record({
      token: token.map((t) => (t && valid.includes(t) ? `Bearer ${t}` : t)),
      path: fc.tuple(...params).map((segs) => segs.join('/')),
      query: hostileQuery(shapeKeys(e.spec?.query)),
      body: hostileBody(shapeKeys(e.spec?.body)),
      contentType: fc.constantFrom(...CONTENT_TYPES),
      wrongMethod: fc.option(fc.constantFrom('PATCH', 'OPTIONS'), { freq: 10 }),
      realKey: fc.boolean(),
    })
  }

  async function attack(e: Endpoint, req: Req): Promise<void> {
    expect(s.takeErrors(), 'errors logged by the previous request').toEqual([])
    const method = req.wrongMethod ?? e.method
    const hasBody = method !== 'GET'
    const raw = req.realKey ? req.body.replace('api_key=x', `api_key=${s.open311Key}`) : req.body
    const mutating = e.method !== 'GET' && method === e.method
    // A request the route's own schema would accept may legitimately change data: not ours.
    if (mutating && hasBody && !invalidByConstruction(e, raw, req.contentType)) return
    const headers: Record<string, string> = {}
    if (req.token) headers.authorization = req.token
    if (hasBody && req.contentType) headers['content-type'] = req.contentType
    const r = await send(method, req.path + req.query, headers, hasBody ? raw : undefined)
    count(r.status)
    judge(e, r, mutating)
  }

  function count(status: number) {
    tally.requests++
    if (status >= 500) tally.s5xx++
    else if (status === 413) tally.s413++
    else if (status >= 400) tally.s4xx++
    else tally.s2xx++
  }
})
