// What a fuzzed HTTP answer must look like, and which generated requests are invalid by
// construction (so that no row may change), for fuzz-http.test.ts.
import { expect } from 'vitest'
import type { z } from 'zod'
import type { Endpoint, Reply } from './fuzz-server'

export const tally = {
  t0: Date.now(),
  routes: new Set<string>(),
  requests: 0,
  s2xx: 0,
  s4xx: 0,
  s413: 0,
  s5xx: 0,
  roundTrips: 0,
  junkMutations: 0,
}

/** The top-level field names of a zod object schema (to aim wrong values at real fields). */
export function shapeKeys(schema: z.ZodType | undefined): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape
  return shape && typeof shape === 'object' ? Object.keys(shape) : []
}

/**
 * Whether the route would refuse this body whatever the token: not parseable as its content
 * type, or parsed but refused by the route's own schema. Routes without a body schema (logout,
 * deactivate, delete, Open311 posts) act on path and token alone, which the fuzzer never makes
 * valid together, so they count as invalid.
 */
export function invalidByConstruction(e: Endpoint, raw: string, type: string | null): boolean {
  if (!e.spec?.body) return true
  const text = Buffer.from(raw, 'utf8').toString('utf8')
  let seen: unknown
  const base = (type ?? '').split(';')[0]!.trim()
  if (base === 'application/json') {
    if (/charset=(?!utf-8)/i.test(type ?? '')) return true
    try {
      seen = JSON.parse(text)
    } catch {
      return true
    }
  } else if (base === 'text/plain') seen = text
  else if (base === 'application/x-www-form-urlencoded')
    seen = Object.fromEntries(new URLSearchParams(text))
  else return true
  return !e.spec.body.safeParse(seen ?? {}).success
}

/** Never a 5xx; a 4xx says what is wrong in the route's error format; no 2xx when invalid. */
export function judge(e: Endpoint, r: Reply, mutating: boolean): void {
  const what = `${e.method} ${e.url} → ${r.status} ${r.text.slice(0, 300)}`
  expect(r.status, what).toBeLessThan(500)
  if (r.status >= 400) {
    // Node's HTTP parser refuses a huge head before the app sees it, with a bare status.
    if (r.status === 431 || r.status === 414) return
    // @fastify/websocket answers a plain GET on the live socket's path with a bare 404 (reported;
    // live.ts is not this suite's to change). fuzz-ws.test.ts attacks the socket itself.
    if (e.url === '/api/v1/live' && r.status === 404 && r.text === '') return
    if (e.url.startsWith('/open311/') && !/json/.test(r.type)) {
      expect(r.text, what).toMatch(/<errors>[\s\S]*<code>\d+<\/code>[\s\S]*<description>\S/)
    } else if (e.url.startsWith('/open311/') && Array.isArray(r.body)) {
      expect(r.body[0]?.code, what).toBeTruthy()
      expect(String(r.body[0]?.description ?? ''), what).not.toBe('')
    } else {
      expect(r.type, what).toMatch(/application\/json/)
      // Every error in the API's shape, also a malformed URL (`%zz`) that fastify's router
      // refuses before routing (`frameworkErrors` in src/server/app.ts).
      const error = r.body?.error
      expect(typeof error?.code, what).toBe('string')
      expect(String(error?.message ?? ''), what).not.toBe('')
    }
  } else if (mutating) {
    expect.fail(`an invalid request was accepted: ${what}`)
  }
}
