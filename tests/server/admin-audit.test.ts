// What admins do is on the record (issue 12, also suspected), over HTTP on both engines: an admin
// cannot give themselves another role (admins never see full phone numbers; the other roles do),
// and every admin change — users, sessions, reference data — lands on an audit log that admins,
// and only admins, read: who, when, which route, on what, with which values, never a password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'

describe.each(await testEngines())('the admin audit log on %s', (engine) => {
  let t: TestServer
  let admin: string
  let adminId: string
  beforeAll(async () => {
    t = await startTestServer(engine)
    admin = await t.login('admin1')
    adminId = (await t.api('GET', '/api/v1/auth/me', admin)).body.user.id
  })
  afterAll(() => t?.close())

  const audit = async (token = admin, q = '') => t.api('GET', `/api/v1/admin/audit${q}`, token)

  it('refuses an admin their own change of role, and leaves them admin', async () => {
    for (const role of ['supervisor', 'agent', 'dispatcher']) {
      const r = await t.api('PUT', `/api/v1/admin/users/${adminId}`, admin, { role })
      expect(r.status).toBe(403)
      expect(r.body.error).toMatchObject({ code: 'own_role', field: 'role' })
    }
    expect((await t.api('GET', '/api/v1/auth/me', admin)).body.user.role).toBe('admin')
    // Nothing changed, nothing logged.
    expect((await audit()).body.entries).toEqual([])
  })

  it('records every admin change, newest first, without secrets', async () => {
    const password = 'correct horse battery'
    const created = await t.api('POST', '/api/v1/admin/users', admin, {
      username: 'agent-audit',
      displayName: '审计测试',
      role: 'agent',
      password,
    })
    expect(created.status).toBe(201)
    const id = created.body.user.id
    const steps: Array<[string, string, unknown]> = [
      ['PUT', `/api/v1/admin/users/${id}`, { role: 'supervisor' }],
      ['PUT', `/api/v1/admin/users/${id}`, { password: `${password} 2` }],
      ['POST', `/api/v1/admin/users/${id}/revoke-sessions`, undefined],
      ['POST', `/api/v1/admin/users/${id}/deactivate`, undefined],
    ]
    for (const [method, path, body] of steps)
      expect((await t.api(method, path, admin, body)).status, path).toBe(200)
    const ref = (await t.api('GET', '/api/v1/admin/reference', admin)).body
    const { code: _code, ...unit } = ref.units.find((u: Json) => u.code === 'CITY-UM')
    expect(
      (await t.api('PUT', '/api/v1/admin/units/CITY-UM', admin, { ...unit, name: '城管（改）' }))
        .status,
    ).toBe(200)
    // A refused change is not on the log.
    expect((await t.api('PUT', '/api/v1/admin/units/CITY-UM', admin, {})).status).toBe(400)

    const r = await audit()
    expect(r.status).toBe(200)
    const entries = r.body.entries as Json[]
    expect(entries.map((e) => [e.action, e.target])).toEqual([
      ['PUT /api/v1/admin/units/:code', 'CITY-UM'],
      ['POST /api/v1/admin/users/:id/deactivate', id],
      ['POST /api/v1/admin/users/:id/revoke-sessions', id],
      ['PUT /api/v1/admin/users/:id', id],
      ['PUT /api/v1/admin/users/:id', id],
      ['POST /api/v1/admin/users', null],
    ])
    for (const e of entries) {
      expect(e.actor).toEqual({ id: adminId, name: '陈静（管理员）' })
      expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000)
    }
    // Who was given which role, by whom: readable at a glance.
    expect(entries[4].details).toMatchObject({
      body: { role: 'supervisor' },
      result: { user: { username: 'agent-audit', role: 'supervisor' } },
    })
    expect(entries[3].details.body).toEqual({ password: '***' })
    expect(entries[5].details.body).toMatchObject({ username: 'agent-audit', password: '***' })
    expect(JSON.stringify(r.body)).not.toContain(password)
    expect(entries[0].details).toMatchObject({ body: { name: '城管（改）' }, result: {} })

    // Paging: two at a time, then on from the last.
    const first = await audit(admin, '?limit=2')
    expect(first.body.entries.map((e: Json) => e.id)).toEqual(entries.slice(0, 2).map((e) => e.id))
    const second = await audit(admin, `?limit=2&before=${first.body.next}`)
    expect(second.body.entries.map((e: Json) => e.id)).toEqual(entries.slice(2, 4).map((e) => e.id))
  })

  it('is read by admins only', async () => {
    for (const who of ['dispatcher1', 'supervisor1', 'agent1', 'unit-CITY-UM']) {
      const r = await audit(await t.login(who))
      expect(r.status, who).toBe(403)
    }
    expect((await audit('nonsense')).status).toBe(401)
    expect((await audit(admin, '?limit=0')).body.error.field).toBe('limit')
  })
})
