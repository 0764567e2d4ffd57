// `npm run bench:server`: the central server's sync throughput on SQLite and PostgreSQL.
//
// For each engine a real server process (`src/server/main.ts`) starts over a scratch database
// with the demo users, then:
//  0. 100,000 new tickets (one change each) are bulk-loaded beside it;
//  1. pull: one console pulls every change from cursor 0 in pages of 2,000 (time and MB);
//  2. push: 50 consoles push at once for PUSH_SECONDS, each push one ticket's first steps
//     (create, note, dispatch, urge: four mutations, each its own transaction as DESIGN §4);
//  3. baseline: the rows those mutations wrote (ticket upsert, timeline event, change-log row,
//     the console's lastMutationId) inserted again into a fresh database of the same schema,
//     straight through the same driver (better-sqlite3 / pg), one transaction per mutation,
//     50 at a time on PostgreSQL — the ceiling the server's push path is measured against.
// Options: BENCH_ENGINES=sqlite,postgres  BENCH_PUSH_SECONDS=15  BENCH_PULL_CHANGES=100000
//          BENCH_CPU_PROF=DIR (the server writes a V8 CPU profile there)
//          PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/test
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { loadReferenceData } from '../src/server/reference-files'
import { Store, type BulkTicket } from '../src/server/store'
import { connect, DEFAULT_POOL_SIZE, SQLITE_FILE } from '../src/server/store/db'
import { migrate } from '../src/server/store/migrate'
import { actionArgSchemas } from '../src/shared/actions'
import type { TimelineEvent } from '../src/shared/ticket'
import { applyAction, makeRulesContext } from '../src/shared/workflow'
import { ticketPush } from './push-fixtures'
import { stopServer } from './child'

type Engine = 'sqlite' | 'postgres'

const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',') as Engine[]
const PUSH_SECONDS = Number(process.env.BENCH_PUSH_SECONDS ?? 15)
const WARMUP_SECONDS = 2
const PULL_CHANGES = Number(process.env.BENCH_PULL_CHANGES ?? 100_000)
const CLIENTS = 50
const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const PASSWORD = 'bench-password'

interface Scratch {
  env: Record<string, string>
  args: string[]
  /** Connection options for the baseline's own fresh database. */
  baseline(): Promise<{ url: string | null; dir: string | null; drop(): Promise<void> }>
  drop(): Promise<void>
}

async function pgAdmin(sqlText: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL })
  // An unpooled client with no 'error' listener takes the process down when the server ends its
  // connection ("terminating connection due to administrator command", as a forced drop of a
  // database does): an error here fails the query it belongs to, never the process.
  c.on('error', (e) => log(`postgres admin connection: ${e.message}`))
  await c.connect()
  try {
    await c.query(sqlText)
  } finally {
    await c.end()
  }
}

async function pgScratch(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hotline_bench_${randomBytes(5).toString('hex')}`
  await pgAdmin(`create database ${name}`)
  return {
    url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`),
    drop: () => pgAdmin(`drop database if exists ${name} with (force)`),
  }
}

function sqliteScratch(): { dir: string; drop(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-bench-'))
  return { dir, drop: async () => rmSync(dir, { recursive: true, force: true }) }
}

async function scratch(engine: Engine): Promise<Scratch> {
  const fresh = async () => {
    if (engine === 'postgres') {
      const p = await pgScratch()
      return { url: p.url, dir: null, drop: p.drop }
    }
    const s = sqliteScratch()
    return { url: null, dir: s.dir, drop: s.drop }
  }
  const main = await fresh()
  return {
    env: main.url ? { DATABASE_URL: main.url } : {},
    args: main.dir ? ['--data', main.dir] : [],
    baseline: fresh,
    drop: main.drop,
  }
}

/** Starts `src/server/main.ts` and resolves with its URL once it says it is listening. */
function startServer(
  s: Scratch,
  demoTickets: number,
): Promise<{ url: string; child: ChildProcess; seedSeconds: number }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
        : []),
      '--import',
      'tsx',
      'src/server/main.ts',
      '--port',
      '0',
      '--demo',
      '--demo-tickets',
      String(demoTickets),
      '--demo-password',
      PASSWORD,
      ...s.args,
    ],
    {
      env: { ...process.env, ...s.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  return new Promise((resolve, reject) => {
    let out = ''
    let seedSeconds = 0
    const onData = (b: Buffer) => {
      out += String(b)
      const seeded = /demo data: \d+ tickets in ([\d.]+) s/.exec(out)
      if (seeded) seedSeconds = Number(seeded[1])
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) {
        child.stdout!.off('data', onData)
        child.stdout!.resume()
        resolve({ url: m[1]!, child, seedSeconds })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (b: Buffer) => (out += String(b)))
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)))
  })
}

async function api(
  url: string,
  path: string,
  token: string | null,
  body?: unknown,
  encoding = 'identity',
) {
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      'accept-encoding': encoding,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`)
  return { text, json: JSON.parse(text) as Record<string, unknown> }
}

// --- 0. the changes to pull ------------------------------------------------------------------

/**
 * `n` new tickets, one change each, written with the store's bulk loader beside the running
 * server (the demo loader drives every ticket through its whole story: too slow for a bench).
 */
async function seedChanges(s: Scratch, n: number): Promise<number> {
  const t0 = performance.now()
  const store = await Store.open(
    s.env.DATABASE_URL ? { databaseUrl: s.env.DATABASE_URL } : { dataDir: s.args[1]! },
  )
  try {
    const rules = makeRulesContext(await loadReferenceData())
    const actor = {
      userId: 'bench',
      role: 'agent' as const,
      unit: null,
      name: '压测',
      consoleId: null,
    }
    const numbers = new Map<string, number>()
    for (let i = 0; i < n; i += 2000) {
      const batch: BulkTicket[] = []
      for (let j = i; j < Math.min(n, i + 2000); j++) {
        const create = ticketPush(j, 0, 1, PUSH)[0]!
        const args = actionArgSchemas['ticket.create'].parse(create.args)
        const res = applyAction(null, { name: 'ticket.create', args }, actor, Date.now(), rules)
        if (!res.ok) throw new Error(res.refusal.message.en)
        const number = `20200101${String(j + 1).padStart(6, '0')}`
        const ticket = { ...res.ticket, number }
        const event: TimelineEvent = { ...res.event, data: { ...res.event.data, number } }
        batch.push({ ticket, events: [event] })
      }
      numbers.set('20200101', Math.min(n, i + 2000))
      await store.bulkInsert(batch, numbers)
    }
  } finally {
    await store.close()
  }
  return (performance.now() - t0) / 1000
}

// --- 1. pull -----------------------------------------------------------------------------------

/** Bytes the server sent for a route so far (after compression), from its /metrics. */
async function sentBytes(url: string, admin: string, route: string): Promise<number> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })
  ).text()
  const re = new RegExp(
    `^hotline_http_response_bytes_total\\{route="${route}",stage="sent"\\} (\\d+)`,
    'm',
  )
  return Number(re.exec(text)?.[1] ?? 0)
}

/** The server process's CPU seconds so far (user and system), from its /metrics. */
async function serverCpuSeconds(url: string, admin: string): Promise<number> {
  const text = await (
    await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${admin}` } })
  ).text()
  return Number(/^process_cpu_seconds_total (\S+)/m.exec(text)?.[1] ?? NaN)
}

/** The whole change log from cursor 0 in pages of 2,000, as a console asks (brotli). */
async function benchPull(url: string, token: string, admin: string) {
  const route = '/api/v1/sync/pull'
  const wire0 = await sentBytes(url, admin, route)
  const t0 = performance.now()
  let cursor = 0
  let bytes = 0
  let tickets = 0
  let pages = 0
  for (;;) {
    const r = await api(url, `${route}?cursor=${cursor}&limit=2000`, token, undefined, 'br, gzip')
    bytes += Buffer.byteLength(r.text)
    pages++
    tickets += (r.json.tickets as unknown[]).length
    cursor = r.json.cursor as number
    if (!r.json.hasMore) break
  }
  const seconds = (performance.now() - t0) / 1000
  const wire = (await sentBytes(url, admin, route)) - wire0
  return { seconds, mb: bytes / 1e6, wireMb: wire / 1e6, tickets, pages, cursor }
}

// --- 2. push -----------------------------------------------------------------------------------

const PUSH = {
  places: [
    '京口区学府路',
    '润州区南徐大道',
    '丹徒区谷阳大道',
    '京口区中山东路',
    '润州区金山路',
  ].map((p) => `镇江市${p}`),
  unit: 'CITY-UM',
}

async function benchPush(url: string, token: string, admin: string) {
  let measuring = false
  let stop = false
  let applied = 0
  let rejected = 0
  let pushes = 0
  const latencies: number[] = []
  const worker = async (i: number) => {
    const clientId = `bench-${i}-${randomBytes(4).toString('hex')}`
    let next = 1
    for (let n = 0; !stop; n++) {
      const mutations = ticketPush(n, i, next, PUSH)
      next += mutations.length
      const t0 = performance.now()
      const r = await api(url, '/api/v1/sync/push', token, { clientId, mutations })
      if (!measuring) continue
      latencies.push(performance.now() - t0)
      pushes++
      for (const res of r.json.results as Array<{ status: string }>)
        if (res.status === 'ok') applied++
        else rejected++
    }
  }
  const workers = Array.from({ length: CLIENTS }, (_, i) => worker(i))
  await sleep(WARMUP_SECONDS * 1000)
  // The server's own CPU over the measured window: what a mutation costs it, whoever else
  // shares the machine (throughput on a shared machine says as much about the neighbours).
  const cpu0 = await serverCpuSeconds(url, admin)
  measuring = true
  const t0 = performance.now()
  await sleep(PUSH_SECONDS * 1000)
  measuring = false
  const seconds = (performance.now() - t0) / 1000
  const cpu = (await serverCpuSeconds(url, admin)) - cpu0
  stop = true
  await Promise.all(workers)
  latencies.sort((a, b) => a - b)
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!
  return {
    perSecond: (applied + rejected) / seconds,
    applied,
    rejected,
    pushes,
    p50: pct(0.5),
    p95: pct(0.95),
    cpuMsPerMutation: (1000 * cpu) / Math.max(1, applied + rejected),
    serverCores: cpu / seconds,
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

// --- 3. baseline -------------------------------------------------------------------------------

interface Row {
  event: Record<string, unknown>
  ticket: Record<string, unknown>
  change: Record<string, unknown>
}

/** The rows the push phase wrote: per mutation its event, its ticket's row and its change. */
async function pushedRows(engine: Engine, s: Scratch, fromSeq: number, max: number) {
  const conn = connect(
    s.env.DATABASE_URL ? { databaseUrl: s.env.DATABASE_URL } : { dataDir: s.args[1]! },
  )
  try {
    const events = await conn.db
      .selectFrom('timeline_events')
      .selectAll()
      .where('seq', '>', fromSeq)
      .orderBy('seq')
      .limit(max)
      .execute()
    const ids = [...new Set(events.map((e) => e.ticket_id))]
    const tickets = new Map<string, Record<string, unknown>>()
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await conn.db
        .selectFrom('tickets')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 1000))
        .execute()
      for (const t of rows) tickets.set(t.id, t)
    }
    const changes = new Map<number, Record<string, unknown>>()
    const seqs = events.map((e) => e.seq)
    for (let i = 0; i < seqs.length; i += 1000) {
      const rows = await conn.db
        .selectFrom('change_log')
        .selectAll()
        .where('seq', 'in', seqs.slice(i, i + 1000))
        .execute()
      for (const c of rows) changes.set(Number(c.seq), c)
    }
    void engine
    return events.map((e): Row => ({
      event: e,
      ticket: tickets.get(e.ticket_id)!,
      change: changes.get(e.seq)!,
    }))
  } finally {
    await conn.close()
  }
}

const cols = (o: Record<string, unknown>) => Object.keys(o)

async function baselineSqlite(rows: Row[], dir: string): Promise<number> {
  const conn = connect({ dataDir: dir })
  await migrate(conn.db, 'sqlite')
  await conn.close()
  const db = new Database(join(dir, SQLITE_FILE))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  const prep = (table: string, o: Record<string, unknown>, upsert?: string) => {
    const c = cols(o)
    const set = upsert ? c.filter((x) => x !== upsert).map((x) => `${x} = excluded.${x}`) : []
    return db.prepare(
      `insert into ${table} (${c.join(', ')}) values (${c.map((x) => `@${x}`).join(', ')})` +
        (upsert ? ` on conflict (${upsert}) do update set ${set.join(', ')}` : ''),
    )
  }
  const first = rows[0]!
  const ticket = prep('tickets', first.ticket, 'id')
  const event = prep('timeline_events', first.event)
  const change = prep('change_log', first.change)
  const client = db.prepare(
    `insert into clients (client_id, user_id, last_mutation_id, updated_at) values (?, 'u', ?, ?)
     on conflict (client_id) do update set last_mutation_id = excluded.last_mutation_id`,
  )
  const one = db.transaction((r: Row, i: number) => {
    ticket.run(r.ticket)
    event.run(r.event)
    change.run(r.change)
    client.run(`c${i % CLIENTS}`, i, r.change.at)
  })
  const t0 = performance.now()
  rows.forEach((r, i) => one(r, i))
  const seconds = (performance.now() - t0) / 1000
  db.close()
  return rows.length / seconds
}

async function baselinePostgres(rows: Row[], url: string): Promise<number> {
  const conn = connect({ databaseUrl: url })
  await migrate(conn.db, 'postgres')
  await conn.close()
  const pool = new pg.Pool({ connectionString: url, max: DEFAULT_POOL_SIZE })
  pool.on('error', () => {})
  // A client the pool has just let go may still be closing when its database is dropped (with
  // force): the server's "terminating connection" then reaches a client nobody listens to.
  pool.on('connect', (client) => client.on('error', () => {}))
  const statement = (name: string, table: string, o: Record<string, unknown>, upsert?: string) => {
    const c = cols(o)
    const set = upsert ? c.filter((x) => x !== upsert).map((x) => `${x} = excluded.${x}`) : []
    return {
      name,
      text:
        `insert into ${table} (${c.join(', ')}) values (${c.map((_, i) => `$${i + 1}`).join(', ')})` +
        (upsert ? ` on conflict (${upsert}) do update set ${set.join(', ')}` : ''),
      values: (r: Record<string, unknown>) => c.map((x) => r[x]),
    }
  }
  const first = rows[0]!
  const ticket = statement('t', 'tickets', first.ticket, 'id')
  const event = statement('e', 'timeline_events', first.event)
  const change = statement('c', 'change_log', first.change)
  // Each ticket's mutations in order on one connection, as the console that made them pushed
  // them: two connections upserting one new ticket at once would collide on its number.
  const queues: number[][] = Array.from({ length: CLIENTS }, () => [])
  const owner = new Map<unknown, number>()
  rows.forEach((r, i) => {
    const id = r.ticket.id
    if (!owner.has(id)) owner.set(id, owner.size % CLIENTS)
    queues[owner.get(id)!]!.push(i)
  })
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, w) => {
      for (const i of queues[w]!) {
        const r = rows[i]!
        const c = await pool.connect()
        try {
          await c.query('begin')
          await c.query({ name: ticket.name, text: ticket.text, values: ticket.values(r.ticket) })
          await c.query({ name: event.name, text: event.text, values: event.values(r.event) })
          await c.query({ name: change.name, text: change.text, values: change.values(r.change) })
          await c.query({
            name: 'l',
            text: `insert into clients (client_id, user_id, last_mutation_id, updated_at)
                   values ($1, 'u', $2, $3) on conflict (client_id)
                   do update set last_mutation_id = excluded.last_mutation_id`,
            values: [`c${w}`, i, r.change.at],
          })
          await c.query('commit')
        } finally {
          c.release()
        }
      }
    }),
  )
  const seconds = (performance.now() - t0) / 1000
  await pool.end()
  return rows.length / seconds
}

// --- main --------------------------------------------------------------------------------------

interface Result {
  engine: Engine
  seedSeconds: number
  pull: Awaited<ReturnType<typeof benchPull>>
  push: Awaited<ReturnType<typeof benchPush>>
  baseline: number
  baselineRows: number
}

async function runEngine(engine: Engine): Promise<Result> {
  const s = await scratch(engine)
  let child: ChildProcess | null = null
  try {
    const started = await startServer(s, 0)
    child = started.child
    const { url } = started
    log(`${engine}: writing ${PULL_CHANGES} changes to pull`)
    const seedSeconds = await seedChanges(s, PULL_CHANGES)
    const login = await api(url, '/api/v1/auth/login', null, {
      username: 'dispatcher1',
      password: PASSWORD,
    })
    const token = login.json.token as string
    const admin = (
      await api(url, '/api/v1/auth/login', null, { username: 'admin1', password: PASSWORD })
    ).json.token as string
    log(`${engine}: ${PULL_CHANGES} changes written in ${seedSeconds.toFixed(1)} s; pulling`)
    const pull = await benchPull(url, token, admin)
    log(`${engine}: pushing with ${CLIENTS} consoles for ${PUSH_SECONDS} s`)
    const push = await benchPush(url, token, admin)
    await stopServer(child)
    child = null
    const rows = await pushedRows(engine, s, pull.cursor, 60_000)
    log(`${engine}: baseline, ${rows.length} mutations' rows straight through the driver`)
    const b = await s.baseline()
    try {
      const baseline =
        engine === 'sqlite'
          ? await baselineSqlite(rows, b.dir!)
          : await baselinePostgres(rows, b.url!)
      return {
        engine,
        seedSeconds,
        pull,
        push,
        baseline,
        baselineRows: rows.length,
      }
    } finally {
      await b.drop()
    }
  } finally {
    if (child) await stopServer(child)
    await s.drop()
  }
}

const log = (msg: string) => console.error(`[bench] ${msg}`)
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

function table(results: Result[]): string {
  const head = ['', ...results.map((r) => r.engine)]
  const rows: string[][] = [
    [
      `push: mutations/s, ${CLIENTS} consoles (${PUSH_SECONDS} s)`,
      ...results.map((r) => fmt(r.push.perSecond)),
    ],
    ['baseline: same rows, raw driver, mutations/s', ...results.map((r) => fmt(r.baseline))],
    ['push / baseline', ...results.map((r) => `${fmt((100 * r.push.perSecond) / r.baseline)} %`)],
    // The baseline's wall time a mutation: on SQLite a loop in one process, its CPU time; on
    // PostgreSQL 50 connections waiting on the database — set it beside the server's CPU below.
    ['baseline: ms a mutation', ...results.map((r) => fmt(1000 / r.baseline, 3))],
    [
      'push latency p50 / p95 (4 mutations), ms',
      ...results.map((r) => `${fmt(r.push.p50)} / ${fmt(r.push.p95)}`),
    ],
    [
      'push: server CPU per mutation, ms (cores busy)',
      ...results.map((r) => `${fmt(r.push.cpuMsPerMutation, 3)} (${fmt(r.push.serverCores, 2)})`),
    ],
    [
      'mutations applied (rejected)',
      ...results.map((r) => `${fmt(r.push.applied)} (${r.push.rejected})`),
    ],
    [`pull: ${fmt(PULL_CHANGES)} changes, s`, ...results.map((r) => fmt(r.pull.seconds, 2))],
    ['pull: MB of JSON', ...results.map((r) => fmt(r.pull.mb, 1))],
    [
      'pull: MB on the wire (brotli), × fewer',
      ...results.map((r) => `${fmt(r.pull.wireMb, 1)}, ${fmt(r.pull.mb / r.pull.wireMb, 1)}×`),
    ],
    ['pull: changes/s', ...results.map((r) => fmt(r.pull.tickets / r.pull.seconds))],
    ['(bulk load of those changes, s)', ...results.map((r) => fmt(r.seedSeconds, 1))],
  ]
  const all = [head, ...rows]
  const widths = head.map((_, i) => Math.max(...all.map((r) => [...r[i]!].length)))
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`
  return [
    line(head),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(line),
  ].join('\n')
}

async function main() {
  const results: Result[] = []
  for (const engine of ENGINES) results.push(await runEngine(engine))
  console.log(
    `\nServer benchmark (${new Date().toISOString()}, ${process.platform}, node ${process.version})\n`,
  )
  console.log(table(results))
  // The goals of issue 18, each against the baseline of the same run.
  const goals: Array<[Engine, string, (r: Result) => boolean]> = [
    ['postgres', '≥ 2,000 mutations/s on PostgreSQL', (r) => r.push.perSecond >= 2000],
    ['postgres', '≥ 1.5× its baseline on PostgreSQL', (r) => r.push.perSecond >= 1.5 * r.baseline],
    ['sqlite', '≥ 1× its baseline on SQLite', (r) => r.push.perSecond >= r.baseline],
  ]
  console.log('')
  for (const [engine, goal, met] of goals) {
    const r = results.find((x) => x.engine === engine)
    if (r)
      console.log(`Target ${goal}: ${met(r) ? 'met' : 'NOT met'} (${fmt(r.push.perSecond)}/s).`)
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
