// The web host (src/main/web/host.ts) hands a browser the console core — citizens' data, and a
// logged-in session on the central server — so any page the person has open elsewhere, or a DNS
// rebinding attack, must get nothing from it. Checked with raw HTTP and WebSocket requests (any
// Host and Origin) against a real host over a real core and a real server: no secret, a wrong one
// or one in the URL → 401; a foreign Origin → 403 and a foreign Host → 421, even with the secret,
// and such a request never reaches the core; the right ones are served; the page's CSP is strict.
// The page served is the renderer's own index.html (src/renderer: the build only adds script
// tags with src), so the test needs no build.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createConsoleCore, type ConsoleCore } from '../../src/core/console'
import { startWebHost, type WebHost } from '../../src/main/web/host'
import { startTestServer, type TestServer } from '../server/helpers'
import { recordFigures } from './figures'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A raw HTTP request, so Host and Origin can be anything (fetch would not allow it). */
function raw(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers ?? {}, agent: false },
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

/** Opens the event stream and sends `secret`: the first message, the close code or the refusal. */
function events(host: WebHost, opts: { origin?: string; hostHeader?: string; send?: string }) {
  return new Promise<{ message?: string; close?: number; status?: number; body?: string }>(
    (resolve) => {
      const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/api/events`, {
        headers: opts.hostHeader ? { host: opts.hostHeader } : {},
        ...(opts.origin ? { origin: opts.origin } : {}),
      })
      ws.on('open', () => ws.send(opts.send ?? ''))
      ws.on('message', (d) => {
        resolve({ message: String(d) })
        ws.close()
      })
      ws.on('close', (code) => resolve({ close: code }))
      ws.on('unexpected-response', (req, res) => {
        let body = ''
        res.on('data', (d) => (body += String(d)))
        res.on('end', () => {
          resolve({ status: res.statusCode, body })
          req.destroy()
        })
      })
      ws.on('error', () => {})
    },
  )
}

const counts = { checks: 0, refused: 0, served: 0 }
const count = (status: number) => {
  counts.checks++
  if (status >= 400) counts.refused++
  else counts.served++
}

describe('the web host refuses what is not its own page', () => {
  let t: TestServer
  let core: ConsoleCore
  let host: WebHost
  let dir: string
  let port: string

  /** POST /api/call as a page would, with the headers given. */
  const call = async (headers: Record<string, string>, method: string, args: unknown = {}) => {
    const r = await raw(`${host.origin}/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ method, args }),
    })
    count(r.status)
    return r
  }
  const auth = () => ({ authorization: `Bearer ${host.secret}` })
  const who = async () => {
    const r = await call({ ...auth(), origin: host.origin }, 'session.get')
    return JSON.parse(r.body).value?.user?.username ?? null
  }

  beforeAll(async () => {
    t = await startTestServer('sqlite')
    dir = mkdtempSync(join(tmpdir(), 'hotline-webhost-'))
    core = await createConsoleCore({ dataDir: dir, serverUrl: t.url })
    host = await startWebHost({
      core,
      rendererDir: join(import.meta.dirname, '../../src/renderer'),
    })
    port = new URL(host.origin).port
  })
  afterAll(async () => {
    await host?.close()
    await core?.close()
    await t?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
    recordFigures('web-host', counts)
  })

  it('answers calls only with the secret in the Authorization header', async () => {
    const refusal = { error: { code: 'no_secret', message: 'Unauthorized' } }
    const wrong = randomBytes(Buffer.from(host.secret).length).toString('base64url')
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer ' },
      { authorization: `Bearer ${wrong.slice(0, host.secret.length)}` },
      { authorization: `Bearer ${host.secret}x` },
      { authorization: `Bearer ${host.secret.slice(0, -1)}` },
      { authorization: `Basic ${host.secret}` },
      { cookie: `secret=${host.secret}` },
    ]) {
      const r = await call(headers, 'session.login', { username: 'agent1', password: 'demo' })
      expect(r.status, JSON.stringify(headers)).toBe(401)
      expect(JSON.parse(r.body)).toEqual(refusal)
    }
    // Not from the URL either (it would sit in logs and history): only the header counts.
    const inUrl = await raw(`${host.origin}/api/call?secret=${host.secret}#secret=${host.secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'session.get', args: {} }),
    })
    expect(inUrl.status).toBe(401)
    count(inUrl.status)
    // None of those reached the core: nobody is logged in.
    expect(await who()).toBeNull()

    // With the secret, the call goes through to the core and on to the real server.
    const ok = await call(auth(), 'session.login', { username: 'agent1', password: 'demo' })
    expect(ok.status).toBe(200)
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { user: { username: 'agent1' } } })
    expect(await who()).toBe('agent1')
    const exportNoSecret = await raw(`${host.origin}/exports/cases.md`)
    expect(exportNoSecret.status).toBe(401)
    count(exportNoSecret.status)
    const exportMissing = await raw(`${host.origin}/exports/cases.md`, { headers: auth() })
    expect(exportMissing.status).toBe(404)
  })

  it('refuses a foreign Origin with 403 and a foreign Host with 421, secret or not', async () => {
    const foreignOrigins = [
      'http://evil.example',
      `http://evil.example:${port}`,
      'null',
      `http://127.0.0.1:${Number(port) + 1}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}.evil.example`,
      `http://localhost.evil.example:${port}`,
    ]
    for (const origin of foreignOrigins) {
      // A foreign page tries to log the console in as someone else: nothing may happen.
      const r = await call({ ...auth(), origin }, 'session.login', {
        username: 'dispatcher1',
        password: 'demo',
      })
      expect(r.status, origin).toBe(403)
      expect(JSON.parse(r.body)).toEqual({
        error: { code: 'foreign_origin', message: 'Foreign origin' },
      })
    }
    const foreignHosts = [
      `evil.example:${port}`,
      'evil.example',
      '127.0.0.1',
      `127.0.0.2:${port}`,
      `[::1]:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
      `localhost.evil.example:${port}`,
    ]
    for (const h of foreignHosts) {
      const r = await call({ ...auth(), host: h }, 'session.login', {
        username: 'dispatcher1',
        password: 'demo',
      })
      expect(r.status, h).toBe(421)
      expect(JSON.parse(r.body)).toEqual({
        error: { code: 'wrong_host', message: 'Misdirected request' },
      })
      // DNS rebinding would read the page and its scripts through the foreign name: refused too.
      const page = await raw(`${host.origin}/`, { headers: { host: h } })
      expect(page.status, `page for Host ${h}`).toBe(421)
      expect(page.body).not.toContain('<html')
      count(page.status)
    }
    expect(await who(), 'no refused request reached the core').toBe('agent1')
    // Our own names are served: 127.0.0.1 and localhost, with their port.
    for (const origin of [host.origin, `http://localhost:${port}`])
      expect((await call({ ...auth(), origin }, 'sync.status')).status, origin).toBe(200)
    for (const h of [`127.0.0.1:${port}`, `localhost:${port}`])
      expect((await call({ ...auth(), host: h }, 'sync.status')).status, h).toBe(200)
    // A preflight from elsewhere gets no CORS grant.
    const pre = await raw(`${host.origin}/api/call`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(pre.status).toBe(403)
    expect(pre.headers['access-control-allow-origin']).toBeUndefined()
    count(pre.status)
    // Only loopback's 127.0.0.1 listens: another loopback address is not even answered.
    await expect(raw(`http://127.0.0.2:${port}/`)).rejects.toThrow(/ECONNREFUSED/)
    // No simple (preflight-free) cross-site post: text/plain is not parsed.
    const plain = await raw(`${host.origin}/api/call`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'text/plain' },
      body: JSON.stringify({ method: 'sync.status', args: {} }),
    })
    expect(plain.status).toBe(415)
    count(plain.status)
  })

  it('guards the event stream the same way', async () => {
    const good = await events(host, { send: JSON.stringify({ secret: host.secret }) })
    expect(JSON.parse(good.message!)).toEqual({ type: 'hello' })
    count(200)
    for (const send of [JSON.stringify({ secret: 'nope' }), 'not json', JSON.stringify({})]) {
      const r = await events(host, { send })
      expect(r, send).toEqual({ close: 4401 })
      count(401)
    }
    const origin = await events(host, {
      origin: 'http://evil.example',
      send: JSON.stringify({ secret: host.secret }),
    })
    expect(origin.status).toBe(403)
    expect(JSON.parse(origin.body!).error.code).toBe('foreign_origin')
    const rebound = await events(host, {
      hostHeader: `evil.example:${port}`,
      send: JSON.stringify({ secret: host.secret }),
    })
    expect(rebound.status).toBe(421)
    count(origin.status!)
    count(rebound.status!)
  })

  it('serves the page with a strict CSP and protective headers', async () => {
    for (const path of ['/', '/queue/all', '/index.html']) {
      const page = await raw(`${host.origin}${path}`)
      expect(page.status, path).toBe(200)
      count(page.status)
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
      const csp = String(page.headers['content-security-policy'])
      const directives = new Map(
        csp.split(';').map((d) => {
          const [name, ...values] = d.trim().split(/\s+/)
          return [name!, values]
        }),
      )
      const server = new URL(t.url)
      expect(directives.get('default-src')).toEqual(["'self'"])
      expect(directives.get('script-src')).toEqual(["'self'"])
      expect(directives.get('style-src')).toEqual(["'self'"])
      expect(directives.get('object-src')).toEqual(["'none'"])
      expect(directives.get('base-uri')).toEqual(["'none'"])
      expect(directives.get('form-action')).toEqual(["'none'"])
      expect(directives.get('frame-ancestors')).toEqual(["'none'"])
      // The page talks to the console core only (never to the central server at its origin).
      expect(directives.get('connect-src')).toEqual(["'self'"])
      expect(csp).not.toContain(server.host)
      // No inline or eval'd code, no wildcard, no origin but our own.
      expect(csp).not.toMatch(/unsafe-|\*|blob:|http:|https:|ws:|data:(?!;)/)
      const sources = [...directives.values()].flat().filter((v) => !v.startsWith("'"))
      expect(new Set(sources)).toEqual(new Set(['data:']))
      expect(directives.get('img-src')).toEqual(["'self'", 'data:'])
      // The page itself: its own <meta> policy, and no inline script.
      expect(page.body).toMatch(/http-equiv="Content-Security-Policy"/)
      expect(page.body).toMatch(/<script[^>]*\bsrc=/)
      expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
      expect(page.body).not.toMatch(/\son[a-z]+=/i)
      expect(page.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
      })
      expect(page.headers['access-control-allow-origin']).toBeUndefined()
    }
  })
})
