// Every route's role checks (a matrix over the declared routes), and unit scoping on pull,
// snapshot and search — exact, whatever `_`, `%` or case a unit code holds (issue 12, finding 3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLES } from '../../src/shared/ticket'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const LOGINS = {
  agent: 'agent1',
  dispatcher: 'dispatcher1',
  supervisor: 'supervisor1',
  admin: 'admin1',
  unit: 'unit-CITY-UM',
} as const

describe.each(await testEngines())('roles and scoping on %s', (engine) => {
  let t: TestServer
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    t = await startTestServer(engine)
    for (const [role, name] of Object.entries(LOGINS)) tokens[role] = await t.login(name)
  })
  afterAll(() => t?.close())

  it('checks the token and the role on every declared route', async () => {
    expect(t.server.routes.length).toBeGreaterThan(4)
    for (const r of t.server.routes) {
      if (r.roles === 'public') continue
      const path = r.url.replace(/:(\w+)/g, 'x')
      expect((await t.api(r.method, path)).status, `${r.method} ${r.url} without token`).toBe(401)
      for (const role of ROLES) {
        if (r.url.endsWith('/logout')) continue
        const res = await t.api(r.method, path, tokens[role], r.method === 'GET' ? undefined : {})
        if (r.roles.includes(role)) expect(res.status, `${role} ${r.method} ${r.url}`).not.toBe(403)
        else expect(res.status, `${role} ${r.method} ${r.url}`).toBe(403)
      }
    }
  })

  it('declares the admin routes for admins only and search for every role', () => {
    const declared = new Map(t.server.routes.map((r) => [`${r.method} ${r.url}`, r.roles]))
    const adminOnly = [
      'GET /api/v1/admin/users',
      'POST /api/v1/admin/users',
      'PUT /api/v1/admin/users/:id',
      'POST /api/v1/admin/users/:id/deactivate',
      'POST /api/v1/admin/users/:id/revoke-sessions',
      'GET /api/v1/admin/audit',
      'GET /api/v1/admin/reference',
      'PUT /api/v1/admin/units/:code',
      'PUT /api/v1/admin/categories/:code',
      'PUT /api/v1/admin/routing',
      'PUT /api/v1/admin/deadlines',
      'PUT /api/v1/admin/calendar',
      'GET /api/v1/admin/calendar',
      'PUT /api/v1/admin/calendar/years/:year',
      'GET /api/v1/admin/triage',
      'POST /api/v1/admin/triage/rebuild',
      'GET /api/v1/admin/consoles',
      'PUT /api/v1/admin/seats/:console',
      'DELETE /api/v1/admin/seats/:console',
      'GET /api/v1/admin/scoring',
      'PUT /api/v1/admin/scoring',
    ]
    for (const key of adminOnly) expect(declared.get(key), key).toEqual(['admin'])
    // Prometheus scrapes /metrics by convention: admins (or the METRICS_TOKEN) only, not public.
    expect(declared.get('GET /metrics')).toEqual(['admin'])
    for (const [key, roles] of declared)
      if (key.includes('/admin/')) expect(adminOnly, `${key} is in this list`).toContain(key)
      else if (key !== 'GET /metrics') expect(roles, key).not.toEqual(['admin'])
    expect(declared.get('GET /api/v1/tickets/search')).toEqual(ROLES)
  })

  it('sends a unit only its own tickets, and tells it when one leaves', async () => {
    const mine = createArgs()
    const other = createArgs()
    const c = uuid()
    await t.api('POST', '/api/v1/sync/push', tokens.dispatcher, {
      clientId: c,
      mutations: [
        mutation(1, 'ticket.create', mine),
        mutation(2, 'ticket.create', other),
        mutation(3, 'ticket.dispatch', { ticketId: mine.ticket.id, unit: 'CITY-UM' }),
        mutation(4, 'ticket.dispatch', { ticketId: other.ticket.id, unit: 'CITY-EE' }),
      ],
    })
    const first = await t.api('GET', '/api/v1/sync/pull?cursor=0', tokens.unit)
    const ids = first.body.tickets.map((x: { id: string }) => x.id)
    expect(ids).toEqual([mine.ticket.id])
    expect(
      first.body.events.every((e: { ticketId: string }) => e.ticketId === mine.ticket.id),
    ).toBe(true)
    expect(first.body.events.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'dispatched',
    ])

    // The unit asks to return it; the dispatcher approves: the ticket leaves the unit.
    const u = uuid()
    const ret = await t.api('POST', '/api/v1/sync/push', tokens.unit, {
      clientId: u,
      mutations: [
        mutation(1, 'ticket.requestReturn', {
          ticketId: mine.ticket.id,
          reason: '不属于本单位职责',
        }),
      ],
    })
    expect(ret.body.results[0].status).toBe('ok')
    await t.api('POST', '/api/v1/sync/push', tokens.dispatcher, {
      clientId: c,
      mutations: [mutation(5, 'ticket.decideReturn', { ticketId: mine.ticket.id, approve: true })],
    })
    const next = await t.api('GET', `/api/v1/sync/pull?cursor=${first.body.cursor}`, tokens.unit)
    expect(next.body.tickets).toEqual([])
    expect(next.body.removed).toEqual([mine.ticket.id])
    // A unit cannot act on another unit's ticket either.
    const sneak = await t.api('POST', '/api/v1/sync/push', tokens.unit, {
      clientId: u,
      mutations: [mutation(2, 'ticket.sign', { ticketId: other.ticket.id })],
    })
    expect(sneak.body.results[0]).toMatchObject({ status: 'rejected', code: 'not_your_unit' })
  })

  it('scopes snapshot, pull and search by the exact unit code: no `_` wildcard, no case folding', async () => {
    const admin = await t.login('admin1')
    const ref = (await t.api('GET', '/api/v1/admin/reference', admin)).body as Json
    const districts = ref.districts.map((d: Json) => d.code)
    // `AB_C` differs from `ABXC` by a `_` (a LIKE wildcard) and from `abxc` by case only.
    const codes = ['ABXC', 'AB_C', 'abxc']
    for (const code of codes) {
      const unit = { name: `单位${code}`, nameEn: code, type: 'bureau', parent: null, districts }
      const r = await t.api('PUT', `/api/v1/admin/units/${encodeURIComponent(code)}`, admin, unit)
      expect(r.status, JSON.stringify(r.body)).toBe(200)
      const u = await t.api('POST', '/api/v1/admin/users', admin, {
        username: `scope-unit-${codes.indexOf(code)}`,
        displayName: code,
        role: 'unit',
        unit: code,
        password: 'scope-test-pw',
      })
      expect(u.status, JSON.stringify(u.body)).toBe(201)
      tokens[code] = await t.login(u.body.user.username, 'scope-test-pw')
    }
    const words = `暗渠盖板松动${uuid().slice(0, 6)}`
    const target = createArgs({ description: `${words}，行人易绊倒` })
    const pushed = await t.api('POST', '/api/v1/sync/push', tokens.dispatcher, {
      clientId: uuid(),
      mutations: [
        mutation(1, 'ticket.create', target),
        mutation(2, 'ticket.dispatch', { ticketId: target.ticket.id, unit: 'ABXC' }),
      ],
    })
    expect(pushed.body.results.map((r: Json) => r.status)).toEqual(['ok', 'ok'])

    const seenBy = async (code: string) => {
      const snap = await t.api('GET', '/api/v1/sync/snapshot?limit=500', tokens[code])
      expect(snap.status).toBe(200)
      const pull = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=2000', tokens[code])
      const search = await t.api(
        'GET',
        `/api/v1/tickets/search?q=${encodeURIComponent(words)}`,
        tokens[code],
      )
      const ids = (xs: Json[]) => xs.map((x) => x.id)
      return {
        snapshot: ids(snap.body.tickets),
        snapshotTotal: snap.body.total,
        pull: ids(pull.body.tickets),
        search: ids(search.body.rows),
      }
    }
    // The control: the unit it was dispatched to gets it every way.
    const own = await seenBy('ABXC')
    expect(own).toMatchObject({
      snapshot: [target.ticket.id],
      snapshotTotal: 1,
      pull: [target.ticket.id],
      search: [target.ticket.id],
    })
    for (const code of ['AB_C', 'abxc'])
      expect(await seenBy(code), code).toEqual({
        snapshot: [],
        snapshotTotal: 0,
        pull: [],
        search: [],
      })
  })
})
