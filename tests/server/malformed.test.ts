// Generated malformed requests: every one gets a 4xx with an error body, never a 500.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './helpers'

describe('malformed requests (sqlite)', () => {
  let t: TestServer
  let token: string
  beforeAll(async () => {
    t = await startTestServer('sqlite')
    token = await t.login('dispatcher1')
  })
  afterAll(() => t?.close())

  const body = fc.oneof(
    fc.string(),
    fc.json(),
    fc.record({ clientId: fc.oneof(fc.string(), fc.integer()), mutations: fc.anything() }),
    fc.record({
      clientId: fc.constant('c1'),
      mutations: fc.array(
        fc.record({
          id: fc.oneof(fc.integer(), fc.string()),
          name: fc.string(),
          args: fc.anything(),
        }),
        { maxLength: 3 },
      ),
    }),
    fc.record({ username: fc.anything(), password: fc.anything() }),
  )

  it('answers 4xx to a few hundred generated bad requests', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          '/api/v1/sync/push',
          '/api/v1/auth/login',
          '/api/v1/sync/pull?cursor=',
          '/api/v1/sync/pull?cursor=-1&limit=x',
        ),
        body,
        async (path, b) => {
          const method = path.includes('pull') ? 'GET' : 'POST'
          const raw = typeof b === 'string' ? b : JSON.stringify(b)
          const res = await fetch(t.url + path, {
            method,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: method === 'GET' ? undefined : raw,
          })
          const text = await res.text()
          // Valid pushes of junk mutations are answered 200 with per-mutation rejections.
          if (res.status === 200) return
          expect(res.status, text).toBeGreaterThanOrEqual(400)
          expect(res.status, text).toBeLessThan(500)
          expect(JSON.parse(text).error.code).toBeTruthy()
        },
      ),
      { numRuns: 300 },
    )
  })
})
