// Screen pop: the telephony system's POST /call reaches the renderer as `call.incoming`, over real
// HTTP to a real console core (no server needed: nobody is logged in, and calls pop regardless),
// and nothing a browser page or a wrong token sends gets through.
import { spawn } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { request, createServer } from 'node:http'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { IncomingCall } from '../../src/shared/api'
import { createConsoleCore, type ConsoleCore } from '../../src/core/console'
import { tempDir } from './helpers'

const ROOT = join(import.meta.dirname, '..', '..')
/** Nothing listens there: the core never contacts its server without a session. */
const NO_SERVER = 'http://127.0.0.1:9'

const cores: ConsoleCore[] = []
afterEach(async () => {
  await Promise.all(cores.splice(0).map((c) => c.close()))
})

interface Pop {
  core: ConsoleCore
  port: number
  token: string
  calls: IncomingCall[]
  dataDir: string
}

async function openPop(dataDir = tempDir(), logs: string[] = []): Promise<Pop> {
  const core = await createConsoleCore({
    dataDir,
    serverUrl: NO_SERVER,
    telephony: { port: 0 },
    log: (msg) => logs.push(msg),
  })
  cores.push(core)
  const calls: IncomingCall[] = []
  core.subscribe((e) => {
    if (e.type === 'call.incoming') calls.push(e.payload)
  })
  if (!core.telephony) throw new Error(`no telephony: ${logs.join('; ')}`)
  return { core, port: core.telephony.port, token: core.telephony.token, calls, dataDir }
}

interface Answer {
  status: number
  body: { ok?: boolean; duplicate?: boolean; error?: { code: string; message: string } }
}

/** One request with exactly these headers (fetch would not let a test set Host or Origin). */
function send(
  port: number,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'POST',
        path: opts.path ?? '/call',
        headers: { 'content-type': 'application/json', ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] })
        })
      },
    )
    req.on('error', reject)
    req.end(opts.body)
  })
}

const post = (p: Pop, body: unknown, headers: Record<string, string> = {}) =>
  send(p.port, {
    body: JSON.stringify(body),
    headers: { authorization: `Bearer ${p.token}`, ...headers },
  })

/** Runs `npm run call` as a user would, minus npm: tsx from node_modules. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/call.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('screen pop', () => {
  it('pops a call with the normalized phone and the call id', async () => {
    const p = await openPop()
    const r = await post(p, { phone: '138 0000-0001', callId: 'sw-1' })
    expect(r).toEqual({ status: 202, body: { ok: true } })
    expect(p.calls).toHaveLength(1)
    expect(p.calls[0]).toMatchObject({ phone: '13800000001', callId: 'sw-1' })
    expect(Date.parse(p.calls[0]!.at)).toBeGreaterThan(Date.now() - 60_000)
  })

  it('pops a withheld number as phone null, absent, null or empty alike', async () => {
    const p = await openPop()
    for (const body of [{}, { phone: null }, { phone: '' }]) {
      expect((await post(p, body)).status).toBe(202)
    }
    expect(p.calls.map((c) => [c.phone, c.callId])).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ])
  })

  it('refuses a missing or wrong token with 401, and pops nothing', async () => {
    const p = await openPop()
    const none = await send(p.port, { body: '{"phone":"13800000001"}' })
    expect(none.status).toBe(401)
    expect(none.body.error?.code).toBe('unauthorized')
    const wrong = await post(p, { phone: '13800000001' }, { authorization: 'Bearer nope' })
    expect(wrong.status).toBe(401)
    const health = await send(p.port, { method: 'GET', path: '/health' })
    expect(health.status).toBe(401)
    expect(p.calls).toEqual([])
  })

  it('refuses a browser page (Origin) and a foreign Host with 403', async () => {
    const p = await openPop()
    const page = await post(p, { phone: '13800000001' }, { origin: 'https://evil.example' })
    expect(page.status).toBe(403)
    expect(page.body.error?.code).toBe('browser_origin')
    const own = await post(p, { phone: '13800000001' }, { origin: `http://127.0.0.1:${p.port}` })
    expect(own.status).toBe(403)
    const rebound = await post(p, { phone: '13800000001' }, { host: `evil.example:${p.port}` })
    expect(rebound.status).toBe(403)
    expect(rebound.body.error?.code).toBe('wrong_host')
    expect(p.calls).toEqual([])
    const localhost = await post(p, { phone: '13800000001' }, { host: `localhost:${p.port}` })
    expect(localhost.status).toBe(202)
  })

  it('answers bad input with a JSON error naming what is wrong', async () => {
    const p = await openPop()
    const phone = await post(p, { phone: '12ab' })
    expect(phone.status).toBe(400)
    expect(phone.body.error).toMatchObject({ code: 'invalid_input', field: 'phone' })
    expect(phone.body.error?.message).toMatch(/phone/i)
    const json = await send(p.port, {
      body: '{"phone":',
      headers: { authorization: `Bearer ${p.token}` },
    })
    expect(json.status).toBe(400)
    expect(json.body.error?.code).toBe('invalid_json')
    // A number would lose a landline's leading 0: text only, and said so.
    const number = await post(p, { phone: 13800000001 })
    expect(number.status).toBe(400)
    expect(number.body.error).toMatchObject({ field: 'phone', message: 'Phone must be text' })
    const list = await post(p, ['13800000001'])
    expect(list.status).toBe(400)
    expect(list.body.error?.message).toMatch(/must be an object/)
    const callId = await post(p, { phone: '13800000001', callId: 'x'.repeat(101) })
    expect(callId.status).toBe(400)
    expect(callId.body.error).toMatchObject({ field: 'callId' })
    expect(p.calls).toEqual([])
  })

  it('refuses a body over 4 KB with 413, with or without a length', async () => {
    const p = await openPop()
    const big = JSON.stringify({ phone: '13800000001', note: 'x'.repeat(5000) })
    const sized = await send(p.port, { body: big, headers: { authorization: `Bearer ${p.token}` } })
    expect(sized.status).toBe(413)
    expect(sized.body.error?.code).toBe('too_large')
    const chunked = await send(p.port, {
      body: big,
      headers: { authorization: `Bearer ${p.token}`, 'transfer-encoding': 'chunked' },
    })
    expect(chunked.status).toBe(413)
    expect(p.calls).toEqual([])
  })

  it('answers other paths and methods with 404 and 405; /health with 200', async () => {
    const p = await openPop()
    const auth = { authorization: `Bearer ${p.token}` }
    expect((await send(p.port, { path: '/calls', headers: auth })).status).toBe(404)
    const get = await send(p.port, { method: 'GET', path: '/call', headers: auth })
    expect(get.status).toBe(405)
    expect(get.body.error?.code).toBe('method_not_allowed')
    const health = await send(p.port, { method: 'GET', path: '/health', headers: auth })
    expect(health).toEqual({ status: 200, body: { ok: true } })
  })

  it('pops the same call id once; the retry is acknowledged as a duplicate', async () => {
    const p = await openPop()
    expect((await post(p, { phone: '13800000001', callId: 'sw-9' })).status).toBe(202)
    expect(await post(p, { phone: '13800000001', callId: 'sw-9' })).toEqual({
      status: 200,
      body: { ok: true, duplicate: true },
    })
    expect((await post(p, { phone: '13800000001', callId: 'sw-10' })).status).toBe(202)
    expect(p.calls.map((c) => c.callId)).toEqual(['sw-9', 'sw-10'])
  })

  it('keeps its token in a 0600 settings file across restarts', async () => {
    const dataDir = tempDir()
    const first = await openPop(dataDir)
    const file = first.core.telephony!.settingsFile
    expect(file).toBe(join(dataDir, 'telephony.json'))
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ port: 0, token: first.token })
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    await first.core.close()
    const second = await openPop(dataDir)
    expect(second.token).toBe(first.token)
    expect((await post(second, { phone: '13800000001' })).status).toBe(202)
  })

  it('carries on without screen pop when its port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    try {
      const taken = (blocker.address() as { port: number }).port
      const logs: string[] = []
      const core = await createConsoleCore({
        dataDir: tempDir(),
        serverUrl: NO_SERVER,
        telephony: { port: taken },
        log: (msg) => logs.push(msg),
      })
      cores.push(core)
      expect(core.telephony).toBeNull()
      expect(logs.join('\n')).toMatch(new RegExp(`port ${taken} is in use`))
      expect(await core.call('session.get', {})).toMatchObject({ ok: true })
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })

  it('is off unless asked for', async () => {
    const core = await createConsoleCore({ dataDir: tempDir(), serverUrl: NO_SERVER })
    cores.push(core)
    expect(core.telephony).toBeNull()
  })

  it('npm run call delivers a call, and fails with the reason on a wrong token', async () => {
    const p = await openPop()
    const file = p.core.telephony!.settingsFile
    // The core asked for any free port; tell the CLI which one it got.
    writeFileSync(file, JSON.stringify({ port: p.port, token: p.token }))
    const ok = await runCli(['138 0000 0002', '--call-id', 'cli-1', '--data', p.dataDir])
    expect(ok.stderr).toBe('')
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/202/)
    expect(p.calls).toEqual([expect.objectContaining({ phone: '13800000002', callId: 'cli-1' })])

    writeFileSync(file, JSON.stringify({ port: p.port, token: 'w'.repeat(32) }))
    const wrong = await runCli(['13800000003', '--data', p.dataDir])
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/401 unauthorized.*token/i)
    expect(p.calls).toHaveLength(1)
  })
})
