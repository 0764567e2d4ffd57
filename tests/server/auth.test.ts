import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_BACKOFF } from '../../src/server/auth/backoff'
import { SCHEMA_VERSION } from '../../src/server/store'
import { startTestServer, testEngines, type TestServer } from './helpers'

describe.each(await testEngines())('auth and basics on %s', (engine) => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer(engine, {
      backoff: { ...DEFAULT_BACKOFF, free: 2, baseMs: 60_000, maxMs: 60_000, forgetMs: 60_000 },
    })
  })
  afterAll(() => t?.close())

  it('answers /healthz with the engine, schema version and calendar horizon', async () => {
    const r = await t.api('GET', '/healthz')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ ok: true, engine, schemaVersion: SCHEMA_VERSION })
    // And how far the working calendar reaches (tests/server/calendar.test.ts has the states).
    expect(r.body.calendar.coveredUntil).toMatch(/^\d{4}-12-31$/)
  })

  it('logs in, serves the user, logs out and then refuses the token', async () => {
    const r = await t.api('POST', '/api/v1/auth/login', null, {
      username: 'dispatcher1',
      password: 'demo',
    })
    expect(r.status).toBe(200)
    expect(r.body.user).toMatchObject({ username: 'dispatcher1', role: 'dispatcher', unit: null })
    expect(r.body.user.passwordHash).toBeUndefined()
    const token = r.body.token as string
    expect((await t.api('GET', '/api/v1/auth/me', token)).status).toBe(200)
    expect((await t.api('POST', '/api/v1/auth/logout', token)).status).toBe(200)
    const after = await t.api('GET', '/api/v1/auth/me', token)
    expect(after.status).toBe(401)
    expect(after.body.error.code).toBe('unauthorized')
  })

  it('refuses wrong passwords and unknown users alike, then slows repeated failures', async () => {
    const bad = await t.api('POST', '/api/v1/auth/login', null, {
      username: 'agent2',
      password: 'x',
    })
    expect(bad.status).toBe(401)
    expect(bad.body.error.code).toBe('invalid_credentials')
    const ghost = await t.api('POST', '/api/v1/auth/login', null, {
      username: 'nobody',
      password: 'x',
    })
    expect(ghost.body.error.code).toBe('invalid_credentials')
    await t.api('POST', '/api/v1/auth/login', null, { username: 'agent2', password: 'y' })
    await t.api('POST', '/api/v1/auth/login', null, { username: 'agent2', password: 'z' })
    const slowed = await t.api('POST', '/api/v1/auth/login', null, {
      username: 'agent2',
      password: 'demo',
    })
    expect(slowed.status).toBe(429)
    expect(slowed.body.error.code).toBe('too_many_attempts')
    // Another user from the same address is not held up.
    expect(
      (await t.api('POST', '/api/v1/auth/login', null, { username: 'agent1', password: 'demo' }))
        .status,
    ).toBe(200)
  })

  it('refuses expired tokens', async () => {
    const short = await startTestServer(engine, { sessionTtlMs: 1 })
    try {
      const token = await short.login('agent1')
      await new Promise((r) => setTimeout(r, 10))
      expect((await short.api('GET', '/api/v1/auth/me', token)).status).toBe(401)
    } finally {
      await short.close()
    }
  })

  it('names the field of a malformed login, and never answers 500 to bad JSON', async () => {
    const r = await t.api('POST', '/api/v1/auth/login', null, { username: '' })
    expect(r.status).toBe(400)
    expect(r.body.error.field).toBe('username')
    const junk = await t.api('POST', '/api/v1/auth/login', null, '{"username":')
    expect(junk.status).toBe(400)
    expect(junk.body.error.code).toBe('invalid_json')
  })

  it('serves reference data with display names and no secrets', async () => {
    const token = await t.login('unit-CITY-UM')
    const r = await t.api('GET', '/api/v1/reference', token)
    expect(r.status).toBe(200)
    expect(r.body.units.length).toBeGreaterThan(10)
    expect(r.body.categories[0].code).toBeTruthy()
    expect(
      r.body.users.find((u: { username: string }) => u.username === 'agent1').displayName,
    ).toBeTruthy()
    expect(JSON.stringify(r.body)).not.toContain('scrypt$')
  })

  it('answers unknown routes with 404 and missing tokens with 401', async () => {
    expect((await t.api('GET', '/api/v1/nope')).status).toBe(404)
    expect((await t.api('GET', '/api/v1/reference')).status).toBe(401)
    expect((await t.api('GET', '/api/v1/reference', 'garbage')).status).toBe(401)
  })
})
