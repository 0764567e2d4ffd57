// `npm run bench:core-sync [-- --tickets 100000 --subscribers 100 --rounds 100 --encrypted]`
// The console core against a real local server process (SQLite): first sync of N tickets beside
// the raw HTTP reads of the same data (the baselines: network and JSON only, no cache writes):
// the snapshot endpoint the first sync reads, and the change-log pull,
// saving a ticket (ticket.act create) p50/p95 with the cache full, and the propagation latency
// console → server → another console with 100 more consoles connected (live WebSocket
// subscribers that pull on every poke, as a console does). Targets in DESIGN.md §7.
import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import WebSocket from 'ws'
import { createConsoleCore, type ConsoleCore } from '../src/core/console'
import { uuidv7 } from '../src/shared/ids'
import type { SyncStatus } from '../src/shared/api'
import type { PullResponse } from '../src/shared/sync'
import { startFaultProxy } from '../tests/reliability/fault-proxy'
import { login, spawnServer } from './child'
import { readSnapshot } from './snapshot-read'

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '100000' },
    subscribers: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '100' },
    saves: { type: 'string', default: '500' },
    // The cache encrypted at rest (issue 7), as the Electron console runs it with a keychain.
    encrypted: { type: 'boolean', default: false },
    // The slow line of a district office for the throttled first sync, Mbit/s (0: skip it).
    'link-mbit': { type: 'string', default: '10' },
  },
})
const cache = values.encrypted
  ? {
      key: randomBytes(32),
      protection: { encrypted: true, keyStore: 'bench', reason: null },
    }
  : undefined
const N = Number(values.tickets)
const SUBSCRIBERS = Number(values.subscribers)
const ROUNDS = Number(values.rounds)
const SAVES = Number(values.saves)
const LINK_MBIT = Number(values['link-mbit'])

const root = mkdtempSync(join(tmpdir(), 'hotline-bench-sync-'))
const children: ChildProcess[] = []
const cleanup = () => {
  for (const c of children) c.kill('SIGTERM')
  rmSync(root, { recursive: true, force: true })
}
process.on('exit', cleanup)

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
async function until(pred: () => boolean, timeoutMs: number) {
  const t0 = Date.now()
  while (!pred()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out')
    await sleep(2)
  }
}

async function startServer(): Promise<string> {
  const args = ['--data', join(root, 'server'), '--demo', '--demo-tickets', String(N)]
  return (await spawnServer(args, children)).url
}

async function pull(url: string, token: string, cursor: number, limit: number) {
  const r = await fetch(`${url}/api/v1/sync/pull?cursor=${cursor}&limit=${limit}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  return (await r.json()) as PullResponse
}

/** A lightweight console: a live socket, and a pull from its cursor on every poke. */
async function subscriber(url: string, token: string, seen: Map<string, number>[]) {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/live`, {
    headers: { authorization: `Bearer ${token}` },
  })
  const arrived = new Map<string, number>()
  seen.push(arrived)
  let cursor = -1
  let busy = false
  let again = false
  const run = async () => {
    if (busy) return void (again = true)
    busy = true
    do {
      again = false
      for (;;) {
        const page = await pull(url, token, cursor, 500)
        const now = performance.now()
        for (const t of page.tickets) if (!arrived.has(t.id)) arrived.set(t.id, now)
        cursor = page.cursor
        if (!page.hasMore) break
      }
    } while (again)
    busy = false
  }
  ws.on('message', (raw) => {
    const msg = JSON.parse(String(raw)) as { type: string; seq: number }
    if (msg.type === 'ready') cursor = msg.seq
    else if (msg.type === 'poke' && msg.seq > cursor && cursor >= 0) void run()
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve())
    ws.once('error', reject)
  })
  return ws
}

async function main() {
  const rows: Array<[string, string, string, string]> = []
  let t0 = performance.now()
  const url = await startServer()
  console.log(
    `server with ${N} demo tickets ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  )

  // Baseline: the same pages over plain HTTP, parsed, not stored.
  const token = await login(url, 'dispatcher1')
  t0 = performance.now()
  let cursor = 0
  let raw = 0
  for (;;) {
    const page = await pull(url, token, cursor, 2000)
    raw += page.tickets.length
    cursor = page.cursor
    if (!page.hasMore) break
  }
  const rawS = (performance.now() - t0) / 1000

  // Baseline of the first sync itself: the snapshot endpoint's pages as the console asks for
  // them, in the same encoding (brotli), read and parsed, in turn.
  const snap = await readSnapshot(url, token, 'br, gzip')
  const snapS = snap.seconds
  const snapRows = snap.rows
  const snapBytes = snap.bytes

  // First sync through the console core: time until usable (every open ticket in), until done,
  // and the bytes the server sent for it (compressed, from its /metrics).
  const adminLogin = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin1', password: 'demo' }),
  })
  const admin = ((await adminLogin.json()) as { token: string }).token
  const sent = async () => {
    const text = await (
      await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })
    ).text()
    const re =
      /^hotline_http_response_bytes_total\{route="\/api\/v1\/sync\/snapshot",stage="(raw|sent)"\} (\d+)/gm
    const out = { raw: 0, sent: 0 }
    for (const m of text.matchAll(re)) out[m[1] as 'raw' | 'sent'] = Number(m[2])
    return out
  }
  const bytes0 = await sent()
  const dirA = join(root, 'console-a')
  let a: ConsoleCore = await createConsoleCore({ dataDir: dirA, serverUrl: url, cache })
  t0 = performance.now()
  const login_ = await a.call('session.login', { username: 'dispatcher1', password: 'demo' })
  if (!login_.ok) throw new Error(login_.error.message)
  let usableS: number | null = null
  let openTickets: number | null = null
  await until(() => {
    const s = a.handlers['sync.status']({}) as SyncStatus
    if (usableS == null && s.snapshot?.usable) {
      usableS = (performance.now() - t0) / 1000
      openTickets = s.snapshot.open
    }
    return s.lastSyncAt !== null && s.snapshot === null
  }, 600_000)
  const syncS = (performance.now() - t0) / 1000
  const bytes1 = await sent()
  const wireMiB = (bytes1.sent - bytes0.sent) / 2 ** 20
  const jsonMiB = (bytes1.raw - bytes0.raw) / 2 ** 20
  const total = (
    await a.handlers['queue.query']({
      filter: { view: 'all' },
      sort: { column: 'createdAt', dir: 'desc' },
      offset: 0,
      limit: 1,
    })
  ).total
  rows.push([
    'first sync',
    `${syncS.toFixed(1)} s (${Math.round(total / syncS)} rows/s)`,
    `raw HTTP snapshot ${snapS.toFixed(1)} s (${Math.round(snapRows / snapS)} rows/s, ${(snapBytes / 2 ** 20).toFixed(0)} MiB, ${snap.pages} pages)`,
    '≤ 10 s',
  ])
  rows.push(['', '', `raw HTTP pull ${rawS.toFixed(1)} s (${Math.round(raw / rawS)} rows/s)`, ''])
  rows.push([
    '… usable (every open ticket in)',
    usableS == null ? 'n/a' : `${(usableS as number).toFixed(1)} s (${openTickets} open)`,
    '',
    '',
  ])
  rows.push([
    '… bytes on the wire',
    `${wireMiB.toFixed(1)} MiB brotli (${(jsonMiB / wireMiB).toFixed(1)}× fewer than ${jsonMiB.toFixed(0)} MiB of JSON)`,
    '',
    '≥ 5× fewer',
  ])

  // The same first sync over a district office's slow line: the reliability suite's proxy,
  // shaping what the server sends to LINK_MBIT for all the console's connections together.
  if (LINK_MBIT > 0) {
    const port = Number(new URL(url).port)
    const bytesPerSecond = (LINK_MBIT * 1e6) / 8
    const off = { drop: 0, delay: 0, cut: 0, cutWrite: 0, reorder: 0 }
    const proxy = await startFaultProxy(() => port, Math.random, off, { bytesPerSecond })
    const slowBytes0 = await sent()
    const c = await createConsoleCore({
      dataDir: join(root, 'console-slow'),
      serverUrl: proxy.url,
      clientId: uuidv7(),
      cache,
    })
    const t1 = performance.now()
    const l = await c.call('session.login', { username: 'dispatcher1', password: 'demo' })
    if (!l.ok) throw new Error(l.error.message)
    let slowUsable: number | null = null
    await until(() => {
      const s = c.handlers['sync.status']({}) as SyncStatus
      if (slowUsable == null && s.snapshot?.usable) slowUsable = (performance.now() - t1) / 1000
      return s.lastSyncAt !== null && s.snapshot === null
    }, 1_800_000)
    const slowS = (performance.now() - t1) / 1000
    const slowBytes1 = await sent()
    await c.close()
    await proxy.close()
    const onLine = (bytes: number) => bytes / bytesPerSecond
    const wire = slowBytes1.sent - slowBytes0.sent
    const json = slowBytes1.raw - slowBytes0.raw
    rows.push([
      `first sync over a ${LINK_MBIT} Mbit/s line`,
      `${slowS.toFixed(1)} s, usable after ${slowUsable == null ? 'n/a' : (slowUsable as number).toFixed(1)} s`,
      `its ${(wire / 2 ** 20).toFixed(1)} MiB alone on the line ${onLine(wire).toFixed(1)} s; as JSON (${(json / 2 ** 20).toFixed(0)} MiB) ${onLine(json).toFixed(0)} s`,
      '',
    ])
  }

  // Saving a ticket with the cache full: the call returns before any network work.
  const saves: number[] = []
  for (let i = 0; i < SAVES; i++) {
    const t = performance.now()
    const r = await a.call('ticket.act', { name: 'ticket.create', args: draft() })
    saves.push(performance.now() - t)
    if (!r.ok) throw new Error(r.error.message)
  }
  rows.push([
    'save a ticket (ticket.act create)',
    `p50 ${pct(saves, 0.5).toFixed(2)} ms, p95 ${pct(saves, 0.95).toFixed(2)} ms`,
    '—',
    '≤ 10 ms',
  ])
  await until(() => a.store.pendingCount() === 0, 120_000)

  // A second full console: a copy of the first one's cache (same user, its own clientId), to
  // spare a second 100k snapshot.
  await a.close()
  const dirB = join(root, 'console-b')
  cpSync(dirA, dirB, { recursive: true })
  a = await createConsoleCore({ dataDir: dirA, serverUrl: url, cache })
  const b = await createConsoleCore({ dataDir: dirB, serverUrl: url, clientId: uuidv7(), cache })
  const arrivedB = new Map<string, number>()
  b.subscribe((e) => {
    if (e.type === 'tickets.changed')
      for (const id of e.payload.ids) if (!arrivedB.has(id)) arrivedB.set(id, performance.now())
  })

  const tokens = await Promise.all(
    ['agent1', 'agent2', 'supervisor1', 'dispatcher1'].map((u) => login(url, u)),
  )
  const seen: Map<string, number>[] = []
  const sockets = []
  for (let i = 0; i < SUBSCRIBERS; i++)
    sockets.push(await subscriber(url, tokens[i % tokens.length]!, seen))
  await sleep(1000)

  const toB: number[] = []
  const toSubs: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    const d = draft()
    const t = performance.now()
    const r = await a.call('ticket.act', { name: 'ticket.create', args: d })
    if (!r.ok) throw new Error(r.error.message)
    await until(() => arrivedB.has(d.ticket.id) && seen.every((m) => m.has(d.ticket.id)), 10_000)
    toB.push(arrivedB.get(d.ticket.id)! - t)
    for (const m of seen) toSubs.push(m.get(d.ticket.id)! - t)
    await sleep(20)
  }
  rows.push([
    `propagation to the other console (${SUBSCRIBERS} more connected)`,
    `p50 ${pct(toB, 0.5).toFixed(0)} ms, p95 ${pct(toB, 0.95).toFixed(0)} ms`,
    '—',
    'p95 ≤ 250 ms',
  ])
  rows.push([
    `propagation to the ${SUBSCRIBERS} subscribers`,
    `p50 ${pct(toSubs, 0.5).toFixed(0)} ms, p95 ${pct(toSubs, 0.95).toFixed(0)} ms`,
    '—',
    'p95 ≤ 250 ms',
  ])

  for (const s of sockets) s.close()
  await a.close()
  await b.close()

  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(
      ...[...rows, ['what', 'console core', 'baseline', 'target']].map((r) => [...r[i]!].length),
    ),
  )
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')
  console.log(
    `\ncore sync benchmark: ${N} tickets, SQLite server, ${SUBSCRIBERS} subscribers, ${ROUNDS} rounds`,
  )
  console.log(line(['what', 'console core', 'baseline', 'target']))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const r of rows) console.log(line(r))
}

let n = 0
function draft() {
  n++
  return {
    ticket: {
      id: uuidv7(),
      channel: 'phone',
      kind: 'complaint',
      category: '0110',
      urgency: 'normal',
      caller: { name: '李女士', phone: '13905290000' },
      description: `小区门口夜间施工噪音扰民（基准 ${n}）`,
      location: { address: `镇江市京口区学府路 ${n} 号`, district: '321102' },
    },
  }
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
