// The real CLI as a child process, and live pokes over WebSocket (across two processes on
// PostgreSQL, through LISTEN/NOTIFY).
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { scratchDatabase, testEngines, type EngineName, type Json } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const children: ChildProcess[] = []
afterAll(() => children.forEach((c) => c.kill('SIGTERM')))

async function startCli(
  engine: EngineName,
  url: string | null,
  dir: string | null,
  demo: boolean,
  demoTickets = 200,
) {
  // Node itself, not npx: a signal to npx does not reach the server it started.
  const args = ['--import', 'tsx', 'src/server/main.ts', '--port', '0']
  if (dir) args.push('--data', dir)
  if (demo) args.push('--demo', '--demo-tickets', String(demoTickets))
  const env = { ...process.env, LOG_LEVEL: 'warn', ...(url ? { DATABASE_URL: url } : {}) }
  if (engine === 'sqlite') delete env.DATABASE_URL
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let out = ''
  child.stderr!.on('data', (d) => (out += String(d)))
  const base = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d)
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
  return { child, base, output: () => out }
}

async function login(base: string, username: string) {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  })
  return ((await r.json()) as { token: string }).token
}

async function liveSocket(base: string, token: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/live`)
  const messages: Array<{ type: string; seq: number }> = []
  ws.on('message', (d) => messages.push(JSON.parse(String(d))))
  await once(ws, 'open')
  ws.send(JSON.stringify({ type: 'auth', token }))
  const waitFor = async (pred: (m: { type: string; seq: number }) => boolean) => {
    for (let i = 0; i < 200; i++) {
      if (messages.some(pred)) return
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`no such message; got ${JSON.stringify(messages)}`)
  }
  await waitFor((m) => m.type === 'ready')
  return { ws, messages, waitFor }
}

describe.each(await testEngines())('the server process on %s', (engine) => {
  it('starts from the CLI with demo data, pokes live consoles, and a second process too', async () => {
    const db = await scratchDatabase(engine)
    try {
      const a = await startCli(engine, db.url, db.dir, true)
      expect(a.output()).toMatch(/open311 api key: \S{20,}/)
      const health = await (await fetch(`${a.base}/healthz`)).json()
      expect(health).toMatchObject({ ok: true, engine })
      const token = await login(a.base, 'dispatcher1')
      const pulled: Json = await (
        await fetch(`${a.base}/api/v1/sync/pull?limit=1000`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).json()
      expect(pulled.tickets.length).toBeGreaterThan(150)

      // A socket without a valid token is closed.
      const bad = new WebSocket(`${a.base.replace('http', 'ws')}/api/v1/live`)
      await once(bad, 'open')
      bad.send(JSON.stringify({ type: 'auth', token: 'nope' }))
      const [code] = await once(bad, 'close')
      expect(code).toBe(4401)

      const b = engine === 'postgres' ? await startCli(engine, db.url, null, false) : null
      const here = await liveSocket(a.base, token)
      const there = b ? await liveSocket(b.base, await login(b.base, 'agent1')) : null
      const push = await fetch(`${a.base}/api/v1/sync/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          clientId: uuid(),
          mutations: [mutation(1, 'ticket.create', createArgs())],
        }),
      })
      expect(push.status).toBe(200)
      const ready = here.messages[0]!.seq
      await here.waitFor((m) => m.type === 'poke' && m.seq > ready)
      if (there) await there.waitFor((m) => m.type === 'poke' && m.seq > ready)
      here.ws.close()
      there?.ws.close()
      for (const c of [a.child, b?.child])
        if (c) {
          c.kill('SIGTERM')
          await once(c, 'exit')
        }
    } finally {
      await db.drop()
    }
  }, 60_000)

  it('replaces the demo Open311 key at each --demo start: the earlier one stops working', async () => {
    const db = await scratchDatabase(engine)
    const keyOf = (out: string) => /open311 api key: (\S{20,})/.exec(out)![1]!
    const post = (base: string, key: string) =>
      fetch(`${base}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          api_key: key,
          service_code: '0107',
          address_string: '梦溪路',
          description: '厕所门坏了',
        }),
      }).then((r) => r.status)
    try {
      const first = await startCli(engine, db.url, db.dir, true, 0)
      const old = keyOf(first.output())
      expect(await post(first.base, old)).toBe(200)
      first.child.kill('SIGTERM')
      await once(first.child, 'exit')
      const second = await startCli(engine, db.url, db.dir, true, 0)
      const renewed = keyOf(second.output())
      expect(renewed).not.toBe(old)
      expect(await post(second.base, old)).toBe(403)
      expect(await post(second.base, renewed)).toBe(200)
      second.child.kill('SIGTERM')
      await once(second.child, 'exit')
    } finally {
      await db.drop()
    }
  }, 60_000)
})
