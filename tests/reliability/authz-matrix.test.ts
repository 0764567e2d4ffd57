// Authorization over the whole server, on both engines. (1) Every route fastify serves × every
// caller (no token, a made-up token, a logged-out token, each role) gets exactly what the table in
// authz-routes.ts says — a route without a row fails, so a new route must be thought about. (2)
// Unit isolation: unit A's staff can never see or touch unit B's ticket — not by pull, snapshot,
// search (number, words, phone, name), the cases list or export, pushed mutations, the live
// socket, another console's id. (3) Open311 (issue 12): each kind of request × each reader (the
// public, the channel that posted it, another channel, a session token, which unlocks nothing)
// gets exactly what consent allows, and never a caller's name or number in any form.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpen311Key } from '../../src/server/demo/seed'
import { testEngines, type Json } from '../server/helpers'
import { createArgs, mutation } from '../server/tickets'
import {
  CALLERS,
  expectedStatuses,
  expectedTable,
  sampleBody,
  samplePath,
  servedRoutes,
  type Caller,
} from './authz-routes'
import {
  buildWorld,
  fullPull,
  fullSnapshot,
  liveSocket,
  postForm,
  serverTicket,
  UNIT_A,
  type World,
} from './authz-world'
import { bounded, recordFigures } from './figures'

const USERNAMES = {
  agent: 'agent1',
  dispatcher: 'dispatcher1',
  supervisor: 'supervisor1',
  unit: `unit-${UNIT_A}`,
  admin: 'admin1',
} as const

const OPEN311_FIELDS = [
  'address',
  'address_id',
  'agency_responsible',
  'description',
  'expected_datetime',
  'lat',
  'long',
  'media_url',
  'requested_datetime',
  'service_code',
  'service_name',
  'service_notice',
  'service_request_id',
  'status',
  'status_notes',
  'updated_datetime',
  'zipcode',
]

const figures = {
  routes: 0,
  roles: Object.keys(USERNAMES).length,
  checks: 0,
  denied: 0,
  allowed: 0,
}
const seen = (denied: boolean) => {
  figures.checks++
  if (denied) figures.denied++
  else figures.allowed++
}

const engines = await testEngines()
afterAll(() => recordFigures('authz-matrix', { engines: engines.join('+'), ...figures }))

describe.each(engines)('authorization on %s', (engine) => {
  let w: World
  beforeAll(async () => {
    w = await buildWorld(engine, bounded(150, 3000))
  })
  afterAll(async () => {
    await w?.t.close()
  })

  /** A token for a caller; `fresh` logs in anew (for logout, which ends the session it uses). */
  async function tokenOf(caller: Caller, fresh = false): Promise<string | null> {
    if (caller === 'none') return null
    if (caller === 'bad') return randomBytes(32).toString('base64url')
    if (caller === 'revoked') {
      const tok = await w.t.login('agent2')
      expect((await w.t.api('POST', '/api/v1/auth/logout', tok)).status).toBe(200)
      return tok
    }
    return fresh ? w.t.login(USERNAMES[caller]) : w.tokens[caller]
  }

  it('answers every served route for every caller exactly as the table says', async () => {
    const table = expectedTable({ number: w.posted, service: w.service, year: w.year })
    const served = servedRoutes(w.t.server.app)
    expect(served.length).toBeGreaterThan(30)
    expect(
      served.filter((r) => !(r in table)),
      'served routes without a row',
    ).toEqual([])
    const unserved = Object.keys(table).filter((r) => !served.includes(r))
    expect(unserved, 'rows for routes not served').toEqual([])
    // The roles each route declares agree with the table (the HTTP answers are checked below).
    for (const r of w.t.server.routes)
      expect(table[`${r.method} ${r.url}`]!.allow, `${r.method} ${r.url}`).toEqual(r.roles)
    const revoked = await tokenOf('revoked')
    for (const key of served) {
      const row = table[key]!
      if (row.allow === 'socket') continue
      const [method, url] = key.split(' ') as [string, string]
      for (const caller of CALLERS) {
        const token =
          caller === 'revoked' ? revoked : await tokenOf(caller, url.endsWith('/logout'))
        const path = samplePath(url, row)
        const res = row.form
          ? await postForm(w.t, path, row.form, token ?? undefined)
          : await w.t.api(method, path, token, sampleBody(row))
        const want = expectedStatuses(row, caller)
        expect(want, `${caller} ${key}: ${JSON.stringify(res).slice(0, 300)}`).toContain(res.status)
        const body = 'body' in res ? (res.body as Json) : null
        if (res.status === 401) expect(body?.error.code).toBe('unauthorized')
        if (res.status === 403 && !row.form) expect(body?.error.code).toBe('forbidden')
        seen(res.status === 401 || res.status === 403)
      }
      // Open311 posting: the api_key admits, whatever the token.
      if (row.allow === 'apiKey') {
        const res = await postForm(w.t, url, { ...row.form, api_key: w.t.open311Key })
        expect(row.ok, `api_key ${key}: ${res.text}`).toContain(res.status)
        seen(false)
        const wrong = await postForm(w.t, url, { api_key: 'nope' }, w.tokens.admin)
        expect(wrong.status).toBe(403)
        seen(true)
      }
    }
    figures.routes = served.length
  })

  it('admits the live socket only with a valid session, for every role', async () => {
    for (const caller of CALLERS) {
      const token = await tokenOf(caller)
      const r = await liveSocket(w.t.url, token, 3000, 'ready')
      const ready = r.messages.some((m) => m.type === 'ready')
      if (caller === 'none' || caller === 'bad' || caller === 'revoked') {
        expect(ready, caller).toBe(false)
        expect(r.closeCode, caller).toBe(4401)
      } else expect(ready, caller).toBe(true)
      seen(!ready)
    }
  })

  it("never shows unit A unit B's tickets: pull, snapshot, search, cases", async () => {
    const secrets = [w.secret.phone, w.secret.name, w.secret.words, w.secret.caseTitle]
    const leaks = (x: unknown) => secrets.filter((s) => JSON.stringify(x).includes(s))
    const theirIds = [w.theirs.id, w.theirsClosed.id]

    const pulled = await fullPull(w.t, w.tokens.unit)
    const snap = await fullSnapshot(w.t, w.tokens.unit)
    for (const [how, tickets, events] of [
      ['pull', [...pulled.tickets.values()], pulled.events],
      ['snapshot', snap.tickets, snap.events],
    ] as const) {
      // The control: A's own ticket is there, so the check below is not met by an empty answer.
      expect(
        tickets.map((t) => t.id),
        how,
      ).toContain(w.mine.id)
      for (const t of tickets) expect([t.unit, ...t.coUnits], `${how} ${t.id}`).toContain(UNIT_A)
      const ids = new Set(tickets.map((t) => t.id))
      for (const e of events) expect(ids.has(e.ticketId), `${how} event ${e.id}`).toBe(true)
      expect(leaks({ tickets, events }), how).toEqual([])
      seen(true)
    }
    expect([...pulled.tickets.keys()].filter((id) => theirIds.includes(id))).toEqual([])

    // Search: B's number, words, phone and name find it for the dispatcher and unit B, never A.
    const queries = [w.theirs.number!, w.secret.words, w.secret.phone, w.secret.name]
    const search = (token: string, q: string) =>
      w.t.api('GET', `/api/v1/tickets/search?q=${encodeURIComponent(q)}`, token)
    for (const q of queries) {
      for (const who of ['dispatcher', 'unitB'] as const) {
        const found = await search(w.tokens[who], q)
        expect(found.status).toBe(200)
        expect(
          found.body.rows.map((r: Json) => r.id),
          `${who} finds ${q}`,
        ).toContain(w.theirs.id)
      }
      const a = await search(w.tokens.unit, q)
      expect(a.status).toBe(200)
      expect(
        a.body.rows.filter((r: Json) => theirIds.includes(r.id)),
        `A searches ${q}`,
      ).toEqual([])
      expect(leaks(a.body), `A searches ${q}`).toEqual([])
      seen(true)
    }

    // Cases: B's nominated case is listed for its unit and the supervisor, not for A.
    const cases = (token: string) => w.t.api('GET', `/api/v1/cases?year=${w.year}`, token)
    const listed = (await cases(w.tokens.unitB)).body.cases.map((c: Json) => c.ticketId)
    expect(listed).toContain(w.theirsClosed.id)
    const forA = await cases(w.tokens.unit)
    expect(forA.status).toBe(200)
    expect(forA.body.cases.map((c: Json) => c.ticketId)).not.toContain(w.theirsClosed.id)
    expect(leaks(forA.body)).toEqual([])
    const exportOf = (token: string) =>
      fetch(`${w.t.url}/api/v1/cases/export?year=${w.year}&format=md`, {
        headers: { authorization: `Bearer ${token}` },
      }).then(async (r) => ({
        status: r.status,
        count: r.headers.get('x-case-count'),
        text: await r.text(),
      }))
    expect((await exportOf(w.tokens.supervisor)).text).toContain(w.secret.caseTitle)
    const exportA = await exportOf(w.tokens.unit)
    expect(exportA.status).toBe(200)
    expect(exportA.count).toBe('0')
    expect(leaks(exportA.text)).toEqual([])
    seen(true)
    seen(true)
  })

  it("refuses every action of unit A on unit B's ticket and leaves it as it was", async () => {
    const before = await serverTicket(w, w.theirs.id)
    const until = new Date(Date.parse(before.dueAt!) + 86_400_000).toISOString()
    const id = w.theirs.id
    const attempts: Array<[string, unknown, string]> = [
      ['ticket.sign', { ticketId: id }, 'not_your_unit'],
      ['ticket.reply', { ticketId: id, text: '已处理', resolved: true }, 'not_your_unit'],
      ['ticket.requestReturn', { ticketId: id, reason: '不属于本单位' }, 'not_your_unit'],
      ['ticket.requestExtension', { ticketId: id, until, reason: '需要时间' }, 'not_your_unit'],
      ['ticket.note', { ticketId: id, text: '看看' }, 'not_your_unit'],
      ['ticket.update', { ticketId: id, patch: { description: '改掉' } }, 'forbidden'],
      ['ticket.dispatch', { ticketId: id, unit: UNIT_A }, 'forbidden'],
      ['ticket.urge', { ticketId: id }, 'forbidden'],
      ['ticket.callback', { ticketId: id, satisfaction: 'satisfied' }, 'forbidden'],
      ['ticket.cancel', { ticketId: id, reason: '无效' }, 'forbidden'],
      ['ticket.merge', { ticketId: w.mine.id, targetId: id }, 'forbidden'],
      // Issue 16: the chain's actions are the chain's units' only.
      ['ticket.dispatchDown', { ticketId: id, unit: UNIT_A }, 'not_your_unit'],
      ['ticket.reviewReturn', { ticketId: id, approve: true }, 'not_your_unit'],
      ['ticket.reviewReply', { ticketId: id, approve: true }, 'not_your_unit'],
      ['ticket.recall', { ticketId: id, reason: '派错' }, 'not_your_unit'],
      ['ticket.reroute', { ticketId: id, unit: UNIT_A, reason: '派错' }, 'not_your_unit'],
      ['ticket.submitPart', { ticketId: id, text: '意见' }, 'not_your_unit'],
    ]
    const clientId = `unit-a-${randomBytes(6).toString('hex')}`
    const r = await w.t.api('POST', '/api/v1/sync/push', w.tokens.unit, {
      clientId,
      mutations: attempts.map(([name, args], i) => mutation(i + 1, name, args)),
    })
    expect(r.status).toBe(200)
    r.body.results.forEach((res: Json, i: number) => {
      const [name, , code] = attempts[i]!
      expect(res.status, name).toBe('rejected')
      expect(res.code, name).toMatch(code === 'forbidden' ? /forbidden|not_allowed|role/ : code)
      // A refusal says no without telling A anything about the ticket.
      const said = JSON.stringify(res.message)
      for (const s of [w.secret.phone, w.secret.name, w.secret.words, before.status])
        expect(said, name).not.toContain(s)
      seen(true)
    })
    const after = await serverTicket(w, id)
    expect(after).toEqual(before)
  })

  it('keeps a multi-level chain to its levels: other sub-centres and streets see and touch nothing', async () => {
    const words = `化粪池满溢${randomBytes(4).toString('hex')}`
    const args = createArgs({ description: `${words}，气味难闻` })
    const id = args.ticket.id
    const login = (code: string) => w.t.login(`unit-${code}`)
    const tok = {
      centre: await login('JK-CENTER'),
      street: await login('JK-ZDL'),
      community: await login('JK-ZDL-HJN'),
      otherCentre: await login('RZ-CENTER'),
      otherStreet: await login('JK-DSK'),
      otherCommunity: await login('JK-ZDL-JHJ'),
    }
    const push = async (token: string, name: string, a: Json) => {
      const r = await w.t.api('POST', '/api/v1/sync/push', token, {
        clientId: `lv-${randomBytes(6).toString('hex')}`,
        mutations: [mutation(1, name, a)],
      })
      return r.body.results[0] as Json
    }
    const steps: Array<[string, string, Json]> = [
      [w.tokens.dispatcher, 'ticket.create', args],
      [w.tokens.dispatcher, 'ticket.dispatch', { ticketId: id, unit: 'JK-CENTER' }],
      [tok.centre, 'ticket.sign', { ticketId: id }],
      [tok.centre, 'ticket.dispatchDown', { ticketId: id, unit: 'JK-ZDL' }],
      [tok.street, 'ticket.sign', { ticketId: id }],
      [tok.street, 'ticket.dispatchDown', { ticketId: id, unit: 'JK-ZDL-HJN' }],
    ]
    for (const [token, name, a] of steps)
      expect(await push(token, name, a), name).toMatchObject({ status: 'ok' })
    const sees = async (token: string) => {
      const pull = await fullPull(w.t, token)
      const snap = await fullSnapshot(w.t, token)
      const search = await w.t.api(
        'GET',
        `/api/v1/tickets/search?q=${encodeURIComponent(words)}`,
        token,
      )
      return {
        pull: pull.tickets.has(id),
        snapshot: snap.tickets.some((x) => x.id === id),
        search: (search.body.rows as Json[]).some((x) => x.id === id),
      }
    }
    for (const token of [tok.centre, tok.street, tok.community])
      expect(await sees(token)).toEqual({ pull: true, snapshot: true, search: true })
    for (const token of [tok.otherCentre, tok.otherStreet, tok.otherCommunity, w.tokens.unit]) {
      expect(await sees(token)).toEqual({ pull: false, snapshot: false, search: false })
      seen(true)
    }
    // Nor may they act on it, at any level; a lower level may not act for a higher one.
    const before = await serverTicket(w, id)
    const tries: Array<[string, string, Json]> = [
      [tok.otherCentre, 'ticket.recall', { ticketId: id, reason: 'x' }],
      [tok.otherCentre, 'ticket.reviewReply', { ticketId: id, approve: true }],
      [tok.otherStreet, 'ticket.sign', { ticketId: id }],
      [tok.otherCommunity, 'ticket.reply', { ticketId: id, text: '已办', resolved: true }],
      [tok.community, 'ticket.recall', { ticketId: id, reason: 'x' }],
      [tok.street, 'ticket.reviewReturn', { ticketId: id, approve: true }],
      [tok.community, 'ticket.reroute', { ticketId: id, unit: 'JK-ZDL', reason: 'x' }],
    ]
    for (const [token, name, a] of tries) {
      const r = await push(token, name, a)
      expect(r.status, name).toBe('rejected')
      seen(true)
    }
    expect(await serverTicket(w, id)).toEqual(before)
  })

  it('lets no one take over another console: timelines show a label, not its id', async () => {
    // Unit A reads its own ticket's timeline: it names the console that dispatched it.
    const own = (await fullPull(w.t, w.tokens.unit)).events.filter((e) => e.ticketId === w.mine.id)
    const shown = [...new Set(own.map((e) => e.actor.consoleId as string).filter(Boolean))]
    expect(shown.length).toBeGreaterThan(0)
    expect(shown).not.toContain(w.consoles.dispatcher)
    // The dispatcher's console has a refusal waiting to be pulled (dispatchers cannot sign).
    const refused = await w.t.api('POST', '/api/v1/sync/push', w.tokens.dispatcher, {
      clientId: w.consoles.dispatcher,
      mutations: [mutation(90, 'ticket.sign', { ticketId: w.mine.id })],
    })
    expect(refused.body.results[0].status).toBe('rejected')
    const own311 = await fullPull(w.t, w.tokens.dispatcher, w.consoles.dispatcher)
    expect(own311.results.map((r: Json) => r.id)).toContain(90)
    for (const consoleId of shown) {
      // Reading under what the timeline shows brings none of that console's results …
      expect((await fullPull(w.t, w.tokens.unit, consoleId)).results).toEqual([])
      // … and pushing under it far ahead must not make the server skip the console's next change.
      await w.t.api('POST', '/api/v1/sync/push', w.tokens.unit, {
        clientId: consoleId,
        mutations: [mutation(1e9, 'ticket.note', { ticketId: w.mine.id, text: '占位' })],
      })
      seen(true)
    }
    const next = await w.t.api('POST', '/api/v1/sync/push', w.tokens.dispatcher, {
      clientId: w.consoles.dispatcher,
      mutations: [mutation(100, 'ticket.note', { ticketId: w.theirs.id, text: '派单员备注' })],
    })
    expect(next.body.results[0]).toMatchObject({ status: 'ok' })
    const events = (await fullPull(w.t, w.tokens.supervisor)).events
    const noted = events.filter((e) => e.ticketId === w.theirs.id && e.data?.text === '派单员备注')
    expect(noted, "the dispatcher's note was applied, not skipped as a repeat").toHaveLength(1)
    seen(true)
  })

  it('pokes unit A with a seq only', async () => {
    const live = await liveSocket(w.t.url, w.tokens.unit, 800, () =>
      w.t.api('POST', '/api/v1/sync/push', w.tokens.dispatcher, {
        clientId: w.consoles.dispatcher,
        mutations: [mutation(200, 'ticket.urge', { ticketId: w.theirs.id })],
      }),
    )
    expect(live.messages.map((m) => m.type)).toContain('poke')
    // A console that never said its cursor is sent no page (live-pages.test.ts: one that did
    // gets only its own unit's): `ready` offers pages, pokes carry a seq and nothing else.
    for (const m of live.messages)
      expect(Object.keys(m).sort()).toEqual(
        m.type === 'ready' ? ['pages', 'seq', 'type'] : ['seq', 'type'],
      )
    seen(true)
  })

  it('publishes through Open311 what consent allows, to each reader as the rule says', async () => {
    const { phone, name } = w.secret
    const wide = phone.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))
    const dotted = `${phone.slice(0, 3)}.${phone.slice(3, 7)}.${phone.slice(7)}`
    const caller = { name, phone, anonymous: false }
    const text = `${name}说楼道灯坏了，电话 ${wide}、${dotted}`
    const address = '镇江市京口区梦溪路 18 号 3 单元 502 室'
    const made: Record<string, string> = { phone: w.theirs.number! }
    const phoned = {
      marked: createArgs({ caller, description: text, publishable: true }),
      markedAnonymous: createArgs({ caller: { ...caller, anonymous: true }, publishable: true }),
      markedReport: createArgs({ caller, kind: 'report', publishable: true }),
    }
    const pushed = await w.t.api('POST', '/api/v1/sync/push', w.tokens.dispatcher, {
      clientId: `open311-${randomBytes(4).toString('hex')}`,
      mutations: Object.values(phoned).map((a, i) => mutation(i + 1, 'ticket.create', a)),
    })
    expect(pushed.body.results.every((r: Json) => r.status === 'ok')).toBe(true)
    for (const [key, a] of Object.entries(phoned))
      made[key] = (await serverTicket(w, a.ticket.id)).number!
    made.posted = w.posted
    const post = async (form: Record<string, string>) => {
      const r = await postForm(w.t, '/open311/v2/requests.json', {
        api_key: w.t.open311Key,
        address_string: address,
        description: text,
        ...form,
      })
      return JSON.parse(r.text)[0].service_request_id as string
    }
    // No name given: none to mask; the numbers are masked all the same.
    made.postedAnonymous = await post({
      service_code: '0107',
      description: `电话 ${wide}、${dotted}`,
    })
    made.postedReport = await post({ service_code: '0101', first_name: name, phone })
    const other = await createOpen311Key(w.t.store, `other-${randomBytes(3).toString('hex')}`)

    type Reader = 'public' | 'own' | 'other' | 'session'
    const VISIBLE: Record<string, readonly Reader[]> = {
      phone: [],
      marked: ['public', 'own', 'other', 'session'],
      markedAnonymous: [],
      markedReport: [],
      posted: ['public', 'own', 'other', 'session'],
      postedAnonymous: ['own'],
      postedReport: ['own'],
    }
    const query: Record<Reader, string> = {
      public: '',
      own: `?api_key=${encodeURIComponent(w.t.open311Key)}`,
      other: `?api_key=${encodeURIComponent(other)}`,
      session: '',
    }
    const read = async (reader: Reader, path: string) => {
      const res = await fetch(`${w.t.url}/open311/v2${path}${query[reader]}`, {
        headers: reader === 'session' ? { authorization: `Bearer ${w.tokens.admin}` } : {},
      })
      return { status: res.status, text: await res.text() }
    }
    const secrets = [phone, wide, dotted, phone.slice(-8), name, '502 室', '3 单元']
    for (const reader of ['public', 'own', 'other', 'session'] as const) {
      const list = await read(reader, '/requests.json')
      expect(list.status).toBe(200)
      const listed = (JSON.parse(list.text) as Json[]).map((r) => r.service_request_id)
      for (const [key, number] of Object.entries(made)) {
        const visible = VISIBLE[key]!.includes(reader)
        expect(listed.includes(number), `${reader} list ${key}`).toBe(visible)
        const one = await read(reader, `/requests/${number}.json`)
        expect(one.status, `${reader} ${key}`).toBe(visible ? 200 : 404)
        if (visible) {
          const doc = (JSON.parse(one.text) as Json[])[0]
          expect(Object.keys(doc).sort(), `${reader} ${key}`).toEqual(OPEN311_FIELDS)
          expect(doc.address ?? '', `${reader} ${key}`).not.toMatch(/\d/)
        }
        for (const secret of secrets)
          expect(one.text, `${reader} ${key} ${secret}`).not.toContain(secret)
        seen(!visible)
      }
      for (const secret of secrets) expect(list.text, `${reader} list`).not.toContain(secret)
    }
  })
})
