// Sync tests run the real server as a child process (SQLite, and PostgreSQL when reachable — see
// tests/server/helpers.ts) and real console cores over fresh data folders.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createConsoleCore,
  type ConsoleCore,
  type ConsoleCoreOptions,
} from '../../src/core/console'
import { uuidv7 } from '../../src/shared/ids'
import type { ApiMethod, ApiResults, ConsoleEvent } from '../../src/shared/api'
import type { PullResponse } from '../../src/shared/sync'
import type { Ticket, TimelineEvent } from '../../src/shared/ticket'
import { scratchDatabase, type EngineName, type Json } from '../server/helpers'

export { testEngines, type EngineName } from '../server/helpers'

const cleanups: Array<() => Promise<void> | void> = []
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn)
}
export async function cleanup(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!()
}

export function tempDir(prefix = 'hotline-console-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  onCleanup(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

export interface ServerProcess {
  url: string
  port: number
  child: ChildProcess
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>
  /** Start again on the same port and data. */
  restart(): Promise<void>
  /** Its database, for another server process on the same data (`startServer(…, database)`). */
  database: Database
}

type Database = Awaited<ReturnType<typeof scratchDatabase>>

/**
 * The server CLI on a scratch database with demo users (password `demo`) and `tickets` tickets;
 * or, given another process's `database`, a second process serving the same data (as a city runs
 * several behind a load balancer).
 */
export async function startServer(
  engine: EngineName,
  tickets = 20,
  shared?: Database,
): Promise<ServerProcess> {
  const db = shared ?? (await scratchDatabase(engine))
  if (!shared) onCleanup(() => db.drop())
  let port = 0
  let child: ChildProcess
  const launch = async (demo: boolean) => {
    // SERVER_NODE_ARGS: node flags for the server only, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
    // to profile it under a load test (NODE_OPTIONS refuses --cpu-prof).
    const nodeArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
    const args = [...nodeArgs, '--import', 'tsx', 'src/server/main.ts', '--port', String(port)]
    if (db.dir) args.push('--data', db.dir)
    if (demo) args.push('--demo', '--demo-tickets', String(tickets))
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' }
    if (db.url) env.DATABASE_URL = db.url
    else delete env.DATABASE_URL
    child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stderr!.on('data', (d) => (out += String(d)))
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += String(d)
        const m = /listening on (http:\/\/\S+)/.exec(out)
        if (m) resolve(m[1]!)
      })
      child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
    })
    port = Number(new URL(url).port)
    proc.url = url
    proc.port = port
    proc.child = child
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    await once(child, 'exit')
  }
  const proc: ServerProcess = {
    url: '',
    port: 0,
    child: null as unknown as ChildProcess,
    stop,
    restart: () => launch(false),
    database: db,
  }
  await launch(!shared)
  onCleanup(() => stop())
  return proc
}

export type Core = ConsoleCore & {
  events: ConsoleEvent[]
  /** The value of a call that must succeed. */
  ok<M extends ApiMethod>(method: M, args?: unknown): Promise<ApiResults[M]>
}

const FAST_SYNC = { backoffBaseMs: 100, backoffMaxMs: 1000 }

/** A console core over a fresh (or given) data folder, logged in as `username`. */
export async function openConsole(
  serverUrl: string,
  username: string | null,
  dataDir = tempDir(),
  /** More options for the core (an alerts clock, say). */
  extra: Partial<ConsoleCoreOptions> = {},
): Promise<Core> {
  const core = await createConsoleCore({ dataDir, serverUrl, sync: FAST_SYNC, ...extra })
  const events: ConsoleEvent[] = []
  core.subscribe((e) => events.push(e))
  const ok: Core['ok'] = async (method, args = {}) => {
    const r = await core.call(method, args)
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
    return r.value
  }
  const c = Object.assign(core, { events, ok })
  onCleanup(() => core.close())
  if (username) {
    await ok('session.login', { username, password: 'demo' })
    await waitFor(() => synced(c), 30_000)
  }
  return c
}

/** A pull has completed and nothing is waiting to be pushed. */
export function synced(c: ConsoleCore): boolean {
  const s = c.handlers['sync.status']({}) as ApiResults['sync.status']
  return s.lastSyncAt !== null && s.pending === 0 && s.snapshot === null
}

export async function waitFor(
  pred: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  step = 10,
) {
  const t0 = Date.now()
  while (!(await pred())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, step))
  }
  return Date.now() - t0
}

let seq = 0
/** `ticket.create` args for a plausible new ticket. */
export function draft(over: Record<string, unknown> = {}) {
  seq++
  return {
    ticket: {
      id: uuidv7(),
      channel: 'phone',
      kind: 'complaint',
      category: '0110',
      urgency: 'normal',
      caller: { name: '张先生', phone: `1380529${String(seq % 10000).padStart(4, '0')}` },
      description: `梦溪路夜间占道经营，油烟扰民（同步测试 ${seq}）`,
      location: { address: `镇江市京口区梦溪路 ${seq} 号`, district: '321102' },
      ...over,
    },
  }
}

/**
 * A TCP proxy in front of the server that can misbehave:
 * - `dropResponses`: forward requests but close the connection instead of passing the answer
 *   back (the server commits, the console sees a network error);
 * - `stalePulls`: answer that many pulls with a cursor > 0 with 410 `stale_cursor`;
 * - `failPushes`: answer pushes with 503.
 * It counts the pulls that go through (`pulls`).
 */
export async function startProxy(target: number) {
  const state = { dropResponses: false, dropped: 0, stalePulls: 0, failPushes: false, pulls: 0 }
  const sockets = new Set<Socket>()
  const canned = (status: string, code: string) => {
    const body = JSON.stringify({ error: { code, message: code } })
    return `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  }
  const server: Server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1')
    sockets.add(client).add(upstream)
    client.on('close', () => sockets.delete(client))
    upstream.on('close', () => sockets.delete(upstream))
    client.on('data', (d) => {
      const head = d.subarray(0, 64).toString('latin1')
      let answer: string | null = null
      if (head.startsWith('GET /api/v1/sync/pull')) state.pulls++
      if (state.stalePulls > 0 && /^GET \/api\/v1\/sync\/pull\?cursor=[1-9]/.test(head)) {
        state.stalePulls--
        answer = canned('410 Gone', 'stale_cursor')
      } else if (state.failPushes && head.startsWith('POST /api/v1/sync/push'))
        answer = canned('503 Service Unavailable', 'unavailable')
      if (answer === null) return void upstream.write(d)
      client.end(answer)
      upstream.destroy()
    })
    upstream.on('data', (d) => {
      if (state.dropResponses) {
        state.dropped++
        client.destroy()
        upstream.destroy()
      } else client.write(d)
    })
    upstream.on('end', () => client.end())
    client.on('end', () => upstream.end())
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port
  const close = async () => {
    for (const s of sockets) s.destroy()
    await new Promise((r) => server.close(r))
  }
  onCleanup(close)
  return { url: `http://127.0.0.1:${port}`, state, close }
}

/** Plain HTTP to the server, as the tests check it (not through a console). */
export async function api(
  url: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
) {
  const res = await fetch(url + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Json }
}

export async function login(url: string, username: string): Promise<string> {
  const r = await api(url, 'POST', '/api/v1/auth/login', undefined, { username, password: 'demo' })
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status}`)
  return r.body.token as string
}

/** Everything the server holds (as `username` sees it): latest tickets and all events. */
export async function serverState(url: string, username = 'supervisor1') {
  const token = await login(url, username)
  const tickets = new Map<string, Ticket>()
  const events = new Map<string, TimelineEvent>()
  let cursor = 0
  for (;;) {
    const r = await api(url, 'GET', `/api/v1/sync/pull?cursor=${cursor}&limit=2000`, token)
    const page = r.body as PullResponse
    for (const t of page.tickets) tickets.set(t.id, t)
    for (const e of page.events) events.set(e.id, e)
    cursor = page.cursor
    if (!page.hasMore) break
  }
  return { tickets, events, token }
}
