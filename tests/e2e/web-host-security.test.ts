// The web host holds citizens' data: loopback only, our Host and Origin only, the per-start
// secret on every call and event stream, a strict CSP on the page, no files outside the build.
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startStack, type Stack, type TestConsole } from './helpers/stack'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request, so Host and Origin can be anything (fetch would not allow it). */
function raw(
  origin: string,
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const url = new URL(path, origin)
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers ?? {} },
      (res) => {
        let body = ''
        res.on('data', (d) => (body += String(d)))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

const call = (c: TestConsole, headers: Record<string, string>, method = 'sync.status') =>
  raw(c.host.origin, '/api/call', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ method, args: {} }),
  })

/** Opens the event stream; resolves with the first message or the close code. */
function events(c: TestConsole, opts: { origin?: string; host?: string; secret?: string }) {
  return new Promise<{ message?: string; close?: number; status?: number }>((resolve) => {
    const ws = new WebSocket(`${c.host.origin.replace('http', 'ws')}/api/events`, {
      headers: { ...(opts.host ? { host: opts.host } : {}) },
      ...(opts.origin ? { origin: opts.origin } : {}),
    })
    ws.on('open', () => ws.send(JSON.stringify({ secret: opts.secret ?? '' })))
    ws.on('message', (d) => {
      resolve({ message: String(d) })
      ws.close()
    })
    ws.on('close', (code) => resolve({ close: code }))
    ws.on('unexpected-response', (req, res) => {
      resolve({ status: res.statusCode })
      // ws leaves a refused upgrade's connection open once this is handled: end it.
      req.destroy()
    })
    ws.on('error', () => {})
  })
}

describe('the web host', () => {
  let stack: Stack
  let c: TestConsole

  beforeAll(async () => {
    stack = await startStack({ demoTickets: 20 })
    c = await stack.console('sec')
  }, 120_000)
  afterAll(() => stack?.close())

  it('listens on loopback only and hands out the secret in the fragment', () => {
    expect(c.host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(c.host.url).toBe(`${c.host.origin}/#secret=${c.host.secret}`)
    expect(c.host.secret.length).toBeGreaterThanOrEqual(40)
  })

  it('answers calls with the secret, and 401 without or with a wrong one', async () => {
    const good = await call(c, { authorization: `Bearer ${c.host.secret}` })
    expect(good.status).toBe(200)
    expect(JSON.parse(good.body)).toMatchObject({ ok: true })
    expect((await call(c, {})).status).toBe(401)
    expect((await call(c, { authorization: 'Bearer nope' })).status).toBe(401)
    expect((await call(c, { authorization: `Bearer ${c.host.secret}x` })).status).toBe(401)
  })

  it('refuses a foreign Origin with 403, even with the secret', async () => {
    const auth = { authorization: `Bearer ${c.host.secret}` }
    expect((await call(c, { ...auth, origin: 'http://evil.example' })).status).toBe(403)
    expect((await call(c, { ...auth, origin: 'null' })).status).toBe(403)
    expect((await call(c, { ...auth, origin: c.host.origin })).status).toBe(200)
  })

  it('refuses a foreign Host with 421 (DNS rebinding)', async () => {
    const auth = { authorization: `Bearer ${c.host.secret}` }
    expect((await call(c, { ...auth, host: 'evil.example' })).status).toBe(421)
    const port = new URL(c.host.origin).port
    expect((await call(c, { ...auth, host: `evil.example:${port}` })).status).toBe(421)
    expect((await raw(c.host.origin, '/', { headers: { host: 'rebind.example' } })).status).toBe(
      421,
    )
  })

  it('refuses text/plain posts (no simple cross-site requests)', async () => {
    const r = await raw(c.host.origin, '/api/call', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${c.host.secret}` },
      body: JSON.stringify({ method: 'sync.status', args: {} }),
    })
    expect(r.status).toBe(415)
  })

  it('guards the event stream the same way', async () => {
    expect((await events(c, { secret: c.host.secret })).message).toContain('hello')
    expect((await events(c, { secret: 'wrong' })).close).toBe(4401)
    expect((await events(c, { secret: c.host.secret, origin: 'http://evil.example' })).status).toBe(
      403,
    )
    expect((await events(c, { secret: c.host.secret, host: 'evil.example' })).status).toBe(421)
  })

  it('serves the page with a strict CSP and no inline scripts', async () => {
    const page = await raw(c.host.origin, '/')
    expect(page.status).toBe(200)
    const csp = String(page.headers['content-security-policy'])
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/)
        return [name, values]
      }),
    )
    expect(directives['script-src']).toEqual(["'self'"])
    expect(csp).not.toContain('unsafe-inline')
    expect(csp).not.toContain('unsafe-eval')
    expect(directives['object-src']).toEqual(["'none'"])
    expect(directives['frame-ancestors']).toEqual(["'none'"])
    // The page talks to the console core only (the core talks to the server).
    expect(directives['connect-src']).toEqual(["'self'"])
    // The page's own <meta> policy, and no inline script in it.
    expect(page.body).toMatch(/http-equiv="Content-Security-Policy"/)
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(page.headers['x-frame-options']).toBe('DENY')
  })

  it('serves nothing outside the built renderer', async () => {
    for (const path of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/..%2f..%2fpackage.json',
      '/%E0%A4%A',
    ]) {
      const r = await raw(c.host.origin, path)
      expect(r.body).not.toContain('"hotline-console"')
      expect([200, 400, 404]).toContain(r.status)
    }
  })
})
