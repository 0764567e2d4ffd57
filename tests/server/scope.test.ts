// Every route's role checks (a matrix over the declared routes), and unit scoping on pull.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROLES } from '../../src/shared/ticket'
import { startTestServer, testEngines, type TestServer } from './helpers'
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
})
