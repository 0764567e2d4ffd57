// The admin API on both engines: users (create, change, reset the password, deactivate) and the
// reference data (units, categories, routing and deadline rules, calendar), validated with the
// shared checks, versioned, and synced to consoles on their next pull.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

describe.each(await testEngines())('admin API on %s', (engine) => {
  let t: TestServer
  let admin: string
  let dispatcher: string
  beforeAll(async () => {
    t = await startTestServer(engine)
    admin = await t.login('admin1')
    dispatcher = await t.login('dispatcher1')
  })
  afterAll(() => t?.close())

  const ref = async () => (await t.api('GET', '/api/v1/admin/reference', admin)).body as Json

  it('is for admins only', async () => {
    for (const token of [dispatcher, await t.login('supervisor1'), await t.login('unit-CITY-UM')]) {
      expect((await t.api('GET', '/api/v1/admin/users', token)).status).toBe(403)
      expect((await t.api('PUT', '/api/v1/admin/calendar', token, {})).status).toBe(403)
    }
    expect((await t.api('GET', '/api/v1/admin/users')).status).toBe(401)
  })

  it('creates a user who can log in, and names the field of a bad one', async () => {
    const r = await t.api('POST', '/api/v1/admin/users', admin, {
      username: 'agent9',
      displayName: '赵六（话务员）',
      role: 'agent',
      password: 'correct horse',
    })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    expect(r.body.user).toMatchObject({ username: 'agent9', role: 'agent', active: true })
    expect(JSON.stringify(r.body)).not.toContain('scrypt')
    await t.login('agent9', 'correct horse')

    const again = await t.api('POST', '/api/v1/admin/users', admin, {
      username: 'agent9',
      displayName: 'x',
      role: 'agent',
      password: 'another one',
    })
    expect(again.status).toBe(409)
    expect(again.body.error.field).toBe('username')
    const short = await t.api('POST', '/api/v1/admin/users', admin, {
      username: 'agent10',
      displayName: 'x',
      role: 'agent',
      password: 'short',
    })
    expect(short.status).toBe(400)
    expect(short.body.error.field).toBe('password')
    const noUnit = await t.api('POST', '/api/v1/admin/users', admin, {
      username: 'unit-x',
      displayName: 'x',
      role: 'unit',
      unit: 'NO-SUCH-UNIT',
      password: 'long enough',
    })
    expect(noUnit.status).toBe(400)
    expect(noUnit.body.error.field).toBe('unit')
    const users = await t.api('GET', '/api/v1/admin/users', admin)
    expect(users.body.users.some((u: Json) => u.username === 'agent9')).toBe(true)
  })

  it('resets a password, and a deactivated user can neither log in nor use a token', async () => {
    const created = await t.api('POST', '/api/v1/admin/users', admin, {
      username: 'dispatcher9',
      displayName: '钱七（派单员）',
      role: 'dispatcher',
      password: 'first password',
    })
    const id = created.body.user.id as string
    const token = await t.login('dispatcher9', 'first password')
    const reset = await t.api('PUT', `/api/v1/admin/users/${id}`, admin, {
      password: 'second password',
    })
    expect(reset.status).toBe(200)
    // A reset ends the old sessions; the new password works, the old one does not.
    expect((await t.api('GET', '/api/v1/auth/me', token)).status).toBe(401)
    const fresh = await t.login('dispatcher9', 'second password')
    const old = await t.api('POST', '/api/v1/auth/login', null, {
      username: 'dispatcher9',
      password: 'first password',
    })
    expect(old.status).toBe(401)

    const off = await t.api('POST', `/api/v1/admin/users/${id}/deactivate`, admin)
    expect(off.status).toBe(200)
    expect(off.body.user.active).toBe(false)
    expect((await t.api('GET', '/api/v1/auth/me', fresh)).status).toBe(401)
    expect((await t.api('GET', '/api/v1/sync/pull?cursor=0', fresh)).status).toBe(401)
    const login = await t.api('POST', '/api/v1/auth/login', null, {
      username: 'dispatcher9',
      password: 'second password',
    })
    expect(login.status).toBe(401)
    expect(
      (await t.api('GET', '/api/v1/reference', admin)).body.users.some(
        (u: Json) => u.username === 'dispatcher9',
      ),
    ).toBe(false)
    // Reactivated, the user logs in again.
    expect((await t.api('PUT', `/api/v1/admin/users/${id}`, admin, { active: true })).status).toBe(
      200,
    )
    await t.login('dispatcher9', 'second password')
    expect((await t.api('PUT', `/api/v1/admin/users/${uuid()}`, admin, {})).status).toBe(404)
  })

  it('sends a reference change to consoles on their next pull', async () => {
    const before = await ref()
    const first = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=1000', dispatcher)
    const unit = before.units.find((u: Json) => u.code === 'CITY-UM')
    const { code: _code, ...rest } = unit
    const r = await t.api('PUT', '/api/v1/admin/units/CITY-UM', admin, {
      ...rest,
      name: '市城市管理局（改名）',
    })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.version).toBe(before.version + 1)
    const next = await t.api(
      'GET',
      `/api/v1/sync/pull?cursor=${first.body.cursor}&limit=1000`,
      dispatcher,
    )
    expect(next.body.reference?.version).toBe(before.version + 1)
    expect(next.body.reference.units.find((u: Json) => u.code === 'CITY-UM').name).toBe(
      '市城市管理局（改名）',
    )
    // And a new unit is added, then reached by routing.
    const added = await t.api('PUT', '/api/v1/admin/units/CITY-NEW', admin, {
      name: '市新设局',
      nameEn: 'New Bureau',
      type: 'bureau',
      parent: null,
      districts: before.districts.map((d: Json) => d.code),
    })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    expect((await t.api('GET', '/api/v1/reference', dispatcher)).body.units.at(-1).code).toBe(
      'CITY-NEW',
    )
  })

  it('applies new rules at once: a dispatch to a deactivated unit is refused', async () => {
    const c = uuid()
    const a = createArgs()
    const created = await t.api('POST', '/api/v1/sync/push', dispatcher, {
      clientId: c,
      mutations: [mutation(1, 'ticket.create', a)],
    })
    expect(created.body.results[0].status).toBe('ok')
    const units = (await ref()).units as Json[]
    const { code: _c, ...rest } = units.find((u) => u.code === 'CITY-NEW')
    const off = await t.api('PUT', '/api/v1/admin/units/CITY-NEW', admin, {
      ...rest,
      active: false,
    })
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    const d = await t.api('POST', '/api/v1/sync/push', dispatcher, {
      clientId: c,
      mutations: [mutation(2, 'ticket.dispatch', { ticketId: a.ticket.id, unit: 'CITY-NEW' })],
    })
    expect(d.body.results[0].status).toBe('rejected')
  })

  it('refuses inconsistent reference data, naming the field, and keeps the version', async () => {
    const before = await ref()
    const cat = await t.api('PUT', '/api/v1/admin/categories/0199', admin, {
      name: '测试',
      nameEn: 'Test',
      parent: '02',
    })
    expect(cat.status).toBe(400)
    expect(cat.body.error.field).toBe('parent')
    expect(cat.body.error.problems.length).toBeGreaterThan(0)

    const badCode = await t.api('PUT', '/api/v1/admin/categories/x1', admin, {
      name: '测试',
      nameEn: 'Test',
      parent: null,
    })
    expect(badCode.status).toBe(400)
    expect(badCode.body.error.field).toBe('code')

    const unitDistrict = await t.api('PUT', '/api/v1/admin/units/CITY-X', admin, {
      name: 'x',
      nameEn: 'x',
      type: 'bureau',
      parent: null,
      districts: ['999999'],
    })
    expect(unitDistrict.status).toBe(400)
    expect(unitDistrict.body.error.field).toBe('districts')

    const schema = await t.api('PUT', '/api/v1/admin/units/CITY-X', admin, {
      name: 'x',
      nameEn: 'x',
      type: 'spaceship',
      parent: null,
      districts: ['321102'],
    })
    expect(schema.status).toBe(400)
    expect(schema.body.error.field).toBe('type')

    const rules = before.routing as Json[]
    const routing = await t.api('PUT', '/api/v1/admin/routing', admin, {
      rules: [...rules, { category: '0199', district: null, units: ['NO-SUCH-UNIT'] }],
    })
    expect(routing.status).toBe(400)
    expect(routing.body.error.field).toBe(`rules.${rules.length}.category`)

    const empty = await t.api('PUT', '/api/v1/admin/routing', admin, { rules: [] })
    expect(empty.status).toBe(400)
    expect(empty.body.error.field).toBe('rules')

    const deadlines = await t.api('PUT', '/api/v1/admin/deadlines', admin, {
      ...before.deadlines,
      atRiskFraction: 2,
    })
    expect(deadlines.status).toBe(400)
    expect(deadlines.body.error.field).toBe('atRiskFraction')

    const zone = await t.api('PUT', '/api/v1/admin/calendar', admin, {
      ...before.calendar,
      timeZone: 'Mars/Olympus_Mons',
    })
    expect(zone.status).toBe(400)
    expect(zone.body.error.field).toBe('timeZone')
    const hours = await t.api('PUT', '/api/v1/admin/calendar', admin, {
      ...before.calendar,
      workingHours: [{ start: '12:00', end: '09:00' }],
    })
    expect(hours.status).toBe(400)
    expect(hours.body.error.field).toBe('workingHours')

    expect((await ref()).version).toBe(before.version)
  })

  it('changes routing, deadlines and the calendar, each a new version, and checks baseVersion', async () => {
    const before = await ref()
    const routing = await t.api('PUT', '/api/v1/admin/routing', admin, { rules: before.routing })
    expect(routing.status).toBe(200)
    const dl = await t.api('PUT', '/api/v1/admin/deadlines', admin, {
      ...before.deadlines,
      atRiskFraction: 0.3,
    })
    expect(dl.status).toBe(200)
    expect(dl.body.deadlines.atRiskFraction).toBe(0.3)
    const year = Object.keys(before.calendar.years)[0]!
    const cal = {
      ...before.calendar,
      years: {
        ...before.calendar.years,
        [year]: {
          ...before.calendar.years[year],
          holidays: [
            ...before.calendar.years[year].holidays,
            { name: '测试假日', nameEn: 'Test holiday', dates: [`${year}-03-03`] },
          ],
        },
      },
    }
    const c = await t.api(
      'PUT',
      `/api/v1/admin/calendar?baseVersion=${before.version + 2}`,
      admin,
      cal,
    )
    expect(c.status, JSON.stringify(c.body)).toBe(200)
    expect(c.body.version).toBe(before.version + 3)
    const stale = await t.api(
      'PUT',
      `/api/v1/admin/calendar?baseVersion=${before.version}`,
      admin,
      cal,
    )
    expect(stale.status).toBe(409)
    expect(stale.body.error.field).toBe('baseVersion')
    const pulled = await t.api('GET', '/api/v1/sync/pull?cursor=0', dispatcher)
    expect(pulled.body.reference.version).toBe(before.version + 3)
    expect(pulled.body.reference.deadlines.atRiskFraction).toBe(0.3)
  })
})
