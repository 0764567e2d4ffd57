// `npm run bench:megacity`: a simulated megacity on one PostgreSQL (issue 18). Not part of
// `npm test`; it takes hours and tens of gigabytes.
//
// A dedicated database (MEGACITY_URL, default postgres://postgres@127.0.0.1:5432/hotline_megacity,
// created when missing) is filled with a megacity's tickets — 20 million a year (MEGACITY_PER_YEAR),
// with their timelines, change-log rows and search rows, generated in bulk (bench/megacity-data.ts)
// and written with COPY, one city day per transaction, going back in time from the moment of the
// first run: the database grows as a centre's does, by history, while what is open and recent
// stays what a megacity has on any day. After each step (MEGACITY_STEPS, default 1M, 2M, 3.5M, 5M
// tickets) it measures, through the real server store:
//   push      mutations/s of 50 consoles through a real server process (create, note, dispatch,
//             urge) — beside the same push, in the same minutes, on a database of the same
//             schema with no tickets (MEGACITY_URL + `_empty`): this machine's load varies;
//   pull      2,000-change pages from the middle of the log (dispatcher), and a unit's pull of
//             the newest 100,000 changes — beside the raw join of change_log and tickets;
//   snapshot  a unit's whole first sync (open tickets and those closed within 90 days), and a
//             dispatcher's first page — beside one raw query for the same unit's rows;
//   search    Chinese substrings (common and rare, 2 and 4+ characters, one unit-scoped) —
//             beside a plain scan of the search table;
//   dashboard the dashboard's aggregates as SQL on the server (received by category this month,
//             backlog by status and unit with overdue, on-time completion, satisfaction from
//             callbacks, received per day);
//   sizes     heap, indexes and total of each table, and of the database.
// Results are kept in the database (table megacity_results), so a run stopped at any point
// continues from the last day it committed and prints every step measured so far. The load stops,
// with a message, when the disk holding PostgreSQL has less than MEGACITY_MIN_FREE_GB (15) free.
//
// Options: MEGACITY_STEPS=1000000,2000000,3500000,5000000  MEGACITY_PUSH_SECONDS=15
//          MEGACITY_PER_YEAR=20000000  MEGACITY_MIN_FREE_GB=15  MEGACITY_REPORT=1 (print only)
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { statfsSync } from 'node:fs'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { loadReferenceData } from '../src/server/reference-files'
import { Store } from '../src/server/store'
import { CHANGE_SEQ_LOCK } from '../src/server/store/migrations/0002-tickets'
import { OPEN_STATUSES } from '../src/shared/ticket'
import { stopServer } from './child'
import { dashboardQueries } from './megacity-dashboard'
import { ticketPush } from './push-fixtures'
import {
  CHANGE_COLUMNS,
  cityDay,
  EVENT_COLUMNS,
  makeDay,
  SEARCH_COLUMNS,
  TICKET_COLUMNS,
  world,
  type DayRows,
} from './megacity-data'

const URL = process.env.MEGACITY_URL ?? 'postgres://postgres@127.0.0.1:5432/hotline_megacity'
const ADMIN_URL = URL.replace(/\/[^/]*$/, '/postgres')
/** The push baseline's database: the same schema and users, (almost) no tickets. */
const EMPTY_URL = `${URL}_empty`
const STEPS = (process.env.MEGACITY_STEPS ?? '1000000,2000000,3500000,5000000')
  .split(',')
  .map(Number)
const PER_YEAR = Number(process.env.MEGACITY_PER_YEAR ?? 20_000_000)
const PUSH_SECONDS = Number(process.env.MEGACITY_PUSH_SECONDS ?? 15)
const MIN_FREE_GB = Number(process.env.MEGACITY_MIN_FREE_GB ?? 15)
const CLIENTS = 50
const SETTLE_MS = 10_000
const PASSWORD = 'megacity-password'
const DAY = 86_400_000
const CITY = 8 * 3_600_000
const TABLES = ['tickets', 'timeline_events', 'change_log', 'ticket_search'] as const

const log = (msg: string) =>
  console.error(`[megacity ${new Date().toISOString().slice(11, 19)}] ${msg}`)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

// --- the database ------------------------------------------------------------------------------

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url })
  // An unpooled client with no 'error' listener would take the process down when the server
  // ends its connection.
  c.on('error', (e) => log(`postgres connection: ${e.message}`))
  await c.connect()
  return c
}

async function ensureDatabase(url: string): Promise<void> {
  const name = url.replace(/^.*\//, '')
  const admin = await client(ADMIN_URL)
  try {
    const r = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (!r.rowCount) {
      log(`creating database ${name}`)
      await admin.query(`create database ${name}`)
    }
  } finally {
    await admin.end()
  }
  // The server's schema, by the server's own migrations.
  const store = await Store.open({ databaseUrl: url })
  await store.close()
  if (url === EMPTY_URL) return
  const c = await client(URL)
  try {
    await c.query(`create table if not exists megacity_meta (key text primary key, value text not null);
      create table if not exists megacity_results (step int primary key, tickets bigint not null,
        at text not null, figures text not null)`)
  } finally {
    await c.end()
  }
}

async function meta(c: pg.Client | pg.PoolClient, key: string): Promise<string | null> {
  const r = await c.query<{ value: string }>('select value from megacity_meta where key = $1', [
    key,
  ])
  return r.rows[0]?.value ?? null
}

async function setMeta(c: pg.Client | pg.PoolClient, key: string, value: string): Promise<void> {
  await c.query(
    `insert into megacity_meta (key, value) values ($1, $2)
     on conflict (key) do update set value = excluded.value`,
    [key, value],
  )
}

function freeGb(c: { dataDir: string }): number {
  const s = statfsSync(c.dataDir)
  return (s.bavail * s.bsize) / 1e9
}

// --- the server process --------------------------------------------------------------------------

function startServer(
  demo: boolean,
  databaseUrl = URL,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/server/main.ts',
      '--port',
      '0',
      '--no-auto-urge',
      ...(demo ? ['--demo', '--demo-tickets', '0', '--demo-password', PASSWORD] : []),
    ],
    {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  return new Promise((resolve, reject) => {
    let out = ''
    const onData = (b: Buffer) => {
      out += String(b)
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) {
        child.stdout!.off('data', onData)
        child.stdout!.resume()
        child.stderr!.resume()
        resolve({ url: m[1]!, child })
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', (b: Buffer) => (out += String(b)))
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${out}`)))
  })
}

async function api(url: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`)
  return JSON.parse(text) as Record<string, unknown>
}

// --- loading -------------------------------------------------------------------------------------

async function copyRows(c: pg.Client, table: string, columns: string[], rows: string[]) {
  const stream = c.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`))
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve)
    stream.on('error', reject)
  })
  const CHUNK = 2000
  for (let i = 0; i < rows.length; i += CHUNK) {
    if (!stream.write(rows.slice(i, i + CHUNK).join('')))
      await new Promise((r) => stream.once('drain', r))
  }
  stream.end()
  await done
}

interface LoadState {
  nowMs: number
  nextDay: number
  tickets: number
  events: number
}

async function loadState(c: pg.Client): Promise<LoadState> {
  let now = await meta(c, 'now_ms')
  if (!now) {
    now = String(Date.now())
    await setMeta(c, 'now_ms', now)
  }
  return {
    nowMs: Number(now),
    nextDay: Number((await meta(c, 'next_day')) ?? 0),
    tickets: Number((await meta(c, 'tickets')) ?? 0),
    events: Number((await meta(c, 'events')) ?? 0),
  }
}

/** Loads one city day (index `d` back from the first run's day) in one transaction. */
async function loadDay(c: pg.Client, w: ReturnType<typeof world>, s: LoadState): Promise<DayRows> {
  const d = s.nextDay
  const todayStart = Math.floor((s.nowMs + CITY) / DAY) * DAY - CITY
  const dayStart = todayStart - d * DAY
  const day = cityDay(dayStart)
  await c.query('begin')
  try {
    await c.query('set local synchronous_commit = off')
    // Triggers off for this transaction: the search rows are written here by COPY, as the
    // tickets' insert trigger would have written them one by one.
    await c.query('set local session_replication_role = replica')
    await c.query('select pg_advisory_xact_lock($1)', [CHANGE_SEQ_LOCK])
    const head = await c.query<{ seq: string; sid: string; xid: string; last: number | null }>(
      `select nextval('change_seq') as seq, nextval('ticket_search_sid') as sid,
         pg_current_xact_id()::text as xid,
         (select last from ticket_numbers where day = $1) as last`,
      [day],
    )
    const h = head.rows[0]!
    const rows = makeDay(
      w,
      d,
      dayStart,
      s.nowMs,
      PER_YEAR,
      (h.last ?? 0) + 1,
      Number(h.seq),
      Number(h.sid),
      Number(h.xid),
    )
    if (rows.count > 0) {
      await c.query(`select setval('change_seq', $1), setval('ticket_search_sid', $2)`, [
        Number(h.seq) + rows.count - 1,
        Number(h.sid) + rows.count - 1,
      ])
      await copyRows(c, 'tickets', TICKET_COLUMNS, rows.tickets)
      await copyRows(c, 'timeline_events', EVENT_COLUMNS, rows.events)
      await copyRows(c, 'change_log', CHANGE_COLUMNS, rows.changes)
      await copyRows(c, 'ticket_search', SEARCH_COLUMNS, rows.search)
      await c.query(
        `insert into ticket_numbers (day, last) values ($1, $2)
         on conflict (day) do update set last = excluded.last`,
        [day, (h.last ?? 0) + rows.count],
      )
    }
    s.nextDay = d + 1
    s.tickets += rows.count
    s.events += rows.eventCount
    await setMeta(c, 'next_day', String(s.nextDay))
    await setMeta(c, 'tickets', String(s.tickets))
    await setMeta(c, 'events', String(s.events))
    await c.query('commit')
    return rows
  } catch (e) {
    await c.query('rollback').catch(() => {})
    throw e
  }
}

// --- measuring -----------------------------------------------------------------------------------

const PLACES = [
  '朝阳区建国路',
  '海淀区中关村大街',
  '浦东新区世纪大道',
  '天河区天河路',
  '南山区科技园',
]

async function measurePush(units: string[], databaseUrl = URL) {
  // The bulk load's dirty pages written out first, and the server's start-up work (the triage
  // model is built from the history soon after a start) left to finish: neither is push's cost.
  const c = await client(databaseUrl)
  await c.query('checkpoint').finally(() => c.end())
  const { url, child } = await startServer(false, databaseUrl)
  await sleep(SETTLE_MS)
  try {
    const login = await api(url, '/api/v1/auth/login', null, {
      username: 'dispatcher1',
      password: PASSWORD,
    })
    const token = login.token as string
    let measuring = false
    let stop = false
    let done = 0
    const latencies: number[] = []
    const worker = async (i: number) => {
      const clientId = `megacity-${i}-${randomBytes(4).toString('hex')}`
      let next = 1
      for (let n = 0; !stop; n++) {
        const mutations = ticketPush(n, i, next, { places: PLACES, unit: units[(i * 7 + n) % 40]! })
        next += mutations.length
        const t0 = performance.now()
        const r = await api(url, '/api/v1/sync/push', token, { clientId, mutations })
        if (!measuring) continue
        latencies.push(performance.now() - t0)
        done += (r.results as unknown[]).length
      }
    }
    const workers = Array.from({ length: CLIENTS }, (_, i) => worker(i))
    await sleep(2000)
    measuring = true
    const t0 = performance.now()
    await sleep(PUSH_SECONDS * 1000)
    measuring = false
    const seconds = (performance.now() - t0) / 1000
    stop = true
    await Promise.all(workers)
    latencies.sort((a, b) => a - b)
    return {
      perSecond: done / seconds,
      p95: latencies[Math.floor(0.95 * latencies.length)] ?? 0,
    }
  } finally {
    await stopServer(child)
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now()
  const value = await fn()
  return { ms: performance.now() - t0, value }
}

/** Median of `runs` timings (ms). */
async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = []
  for (let i = 0; i < runs; i++) ms.push((await timed(fn)).ms)
  ms.sort((a, b) => a - b)
  return ms[Math.floor(ms.length / 2)]!
}

const OPEN = OPEN_STATUSES.map((s) => `'${s}'`).join(', ')

interface Figures {
  tickets: number
  events: number
  push: { perSecond: number; p95: number }
  /** The same push, in the same minutes, on a database with the same schema and no tickets. */
  pushEmpty?: { perSecond: number; p95: number }
  pull: { pageMs: number; rawPageMs: number; unitMs: number; unitTickets: number }
  snapshot: {
    unit: string
    unitMs: number
    unitTickets: number
    rawUnitMs: number
    firstPageMs: number
    total: number
  }
  search: Array<{ q: string; ms: number; rawMs: number; found: number }>
  dashboard: Array<{ name: string; ms: number }>
  sizes: Array<{ table: string; heap: number; indexes: number; total: number }>
  database: number
}

async function measure(
  pool: pg.Pool,
  store: Store,
  units: string[],
  s: LoadState,
): Promise<Omit<Figures, 'push'>> {
  const q = <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    pool.query<T>(text, values)
  const top = Number(
    (await q<{ seq: string }>('select max(seq) as seq from change_log')).rows[0]?.seq ?? 0,
  )

  // Pull: 5 pages of 2,000 from the middle of the log, as a dispatcher's console.
  const mid = Math.floor(top / 2)
  const pageMs = await median(1, async () => {
    let cursor = mid
    for (let i = 0; i < 5; i++)
      cursor = (await store.pull({ cursor, limit: 2000, clientId: null, unit: null })).cursor
  }).then((ms) => ms / 5)
  const rawPageMs = await median(1, async () => {
    let cursor = mid
    for (let i = 0; i < 5; i++) {
      const r = await q<{ seq: string; data: string }>(
        `select c.seq, t.data from change_log c join tickets t on t.id = c.ticket_id
         where c.seq > $1 order by c.seq limit 2000`,
        [cursor],
      )
      await q(
        `select data from timeline_events where seq > $1 and seq <= $2 order by seq, version`,
        [cursor, r.rows[r.rows.length - 1]?.seq ?? cursor],
      )
      cursor = Number(r.rows[r.rows.length - 1]?.seq ?? cursor)
    }
  }).then((ms) => ms / 5)
  // A middling unit's console catching up on the newest 100,000 changes.
  const unit = units[20]!
  let unitTickets = 0
  const unitMs = (
    await timed(async () => {
      let cursor = Math.max(0, top - 100_000)
      for (;;) {
        const p = await store.pull({ cursor, limit: 2000, clientId: null, unit })
        unitTickets += p.tickets.length
        cursor = p.cursor
        if (!p.hasMore) break
      }
    })
  ).ms

  // Snapshot: a busy unit's whole first sync; a dispatcher's first page (it counts them all).
  const busy = units[3]!
  let unitSnap = 0
  const nowMs = Date.now()
  const snapMs = (
    await timed(async () => {
      let after: string | null = null
      let seq: number | null = null
      for (;;) {
        const p = await store.snapshot({
          seq,
          after,
          limit: 2000,
          recentDays: 90,
          unit: busy,
          nowMs,
        })
        unitSnap += p.tickets.length
        seq = p.seq
        after = p.next
        if (!after) break
      }
    })
  ).ms
  const since = new Date(nowMs - 90 * DAY).toISOString()
  const rawUnitMs = (
    await timed(() =>
      q(
        `select data from tickets where units like $1
         and (status in (${OPEN}) or updated_at >= $2)`,
        [`%|${busy}|%`, since],
      ),
    )
  ).ms
  const first = await timed(() =>
    store.snapshot({ seq: null, after: null, limit: 2000, recentDays: 90, unit: null, nowMs }),
  )

  // Search.
  const sample = await q<{ caller_phone: string | null; caller_name: string | null }>(
    `select caller_phone, caller_name from tickets
     where seq = (select min(seq) + (max(seq) - min(seq)) / 3 from tickets) limit 1`,
  )
  const phone = sample.rows[0]?.caller_phone ?? '13800000000'
  const queries: Array<{ q: string; unit: string | null; label: string }> = [
    { q: '路灯', unit: null, label: '路灯 (2 chars, common)' },
    { q: '井盖破损', unit: null, label: '井盖破损 (4 chars)' },
    { q: '噪音', unit, label: `噪音, unit ${unit}` },
    { q: phone, unit: null, label: 'a phone number (rare)' },
    { q: '王秀英', unit: null, label: '王秀英 (a name)' },
  ]
  const search: Figures['search'] = []
  for (const x of queries) {
    let found = 0
    const ms = await median(3, async () => {
      found = (await store.search.search({ q: x.q, limit: 50, unit: x.unit })).length
    })
    const rawMs = (
      await timed(() =>
        q(
          `select t.data from ticket_search s join tickets t on t.id = s.ticket_id
           where strpos(s.body, $1) > 0 ${x.unit ? 'and t.units like $2' : ''}
           order by s.sid desc limit 50`,
          x.unit ? [x.q, `%|${x.unit}|%`] : [x.q],
        ),
      )
    ).ms
    search.push({ q: x.label, ms, rawMs, found })
  }

  // The dashboard's aggregates, as SQL on the server.
  const dash = dashboardQueries(nowMs)
  const dashboard: Figures['dashboard'] = []
  for (const [name, text, values] of dash)
    dashboard.push({ name, ms: (await timed(() => q(text, values))).ms })

  const sizes: Figures['sizes'] = []
  for (const t of TABLES) {
    const r = await q<{ heap: string; indexes: string; total: string }>(
      `select pg_relation_size($1) + coalesce(pg_relation_size((select reltoastrelid from pg_class
           where oid = $1::regclass)), 0) as heap,
         pg_indexes_size($1) as indexes, pg_total_relation_size($1) as total`,
      [t],
    )
    const row = r.rows[0]!
    sizes.push({
      table: t,
      heap: Number(row.heap),
      indexes: Number(row.indexes),
      total: Number(row.total),
    })
  }
  const database = Number(
    (await q<{ n: string }>('select pg_database_size(current_database()) as n')).rows[0]!.n,
  )
  return {
    tickets: s.tickets,
    events: s.events,
    pull: { pageMs, rawPageMs, unitMs, unitTickets },
    snapshot: {
      unit: busy,
      unitMs: snapMs,
      unitTickets: unitSnap,
      rawUnitMs,
      firstPageMs: first.ms,
      total: first.value.total ?? 0,
    },
    search,
    dashboard,
    sizes,
    database,
  }
}

// --- report --------------------------------------------------------------------------------------

const gb = (b: number) => fmt(b / 1e9, 2)

function report(steps: Array<{ step: number; f: Figures }>): string {
  const head = ['', ...steps.map((s) => (s.f.tickets ? `${fmt(s.f.tickets / 1e6, 2)} M` : 'empty'))]
  const rows: string[][] = [
    ['timeline events', ...steps.map((s) => fmt(s.f.events))],
    ['push, mutations/s (50 consoles)', ...steps.map((s) => fmt(s.f.push.perSecond))],
    ['push p95 of 4 mutations, ms', ...steps.map((s) => fmt(s.f.push.p95))],
    [
      '↳ same push, empty database, /s',
      ...steps.map((s) => (s.f.pushEmpty ? fmt(s.f.pushEmpty.perSecond) : '')),
    ],
    ['↳ its p95, ms', ...steps.map((s) => (s.f.pushEmpty ? fmt(s.f.pushEmpty.p95) : ''))],
    ['pull page of 2,000, ms (store)', ...steps.map((s) => fmt(s.f.pull.pageMs))],
    ['↳ raw join, same page, ms', ...steps.map((s) => fmt(s.f.pull.rawPageMs))],
    ['unit pull of newest 100k changes, ms', ...steps.map((s) => fmt(s.f.pull.unitMs))],
    ['↳ its tickets', ...steps.map((s) => fmt(s.f.pull.unitTickets))],
    ['unit snapshot (busy unit), ms', ...steps.map((s) => fmt(s.f.snapshot.unitMs))],
    ['↳ its tickets', ...steps.map((s) => fmt(s.f.snapshot.unitTickets))],
    ['↳ raw one query, ms', ...steps.map((s) => fmt(s.f.snapshot.rawUnitMs))],
    ['dispatcher snapshot first page, ms', ...steps.map((s) => fmt(s.f.snapshot.firstPageMs))],
    ['↳ tickets in it (open + 90 days)', ...steps.map((s) => fmt(s.f.snapshot.total))],
  ]
  const labels = steps.find((s) => s.f.search.length)?.f.search ?? []
  labels.forEach((x, i) => {
    rows.push([`search ${x.q}, ms`, ...steps.map((s) => fmt(s.f.search[i]?.ms ?? NaN))])
    rows.push(['↳ raw scan, ms', ...steps.map((s) => fmt(s.f.search[i]?.rawMs ?? NaN))])
  })
  const dash = steps.find((s) => s.f.dashboard.length)?.f.dashboard ?? []
  dash.forEach((x, i) =>
    rows.push([`dashboard: ${x.name}, ms`, ...steps.map((s) => fmt(s.f.dashboard[i]?.ms ?? NaN))]),
  )
  for (const t of TABLES) {
    rows.push([
      `${t}: heap / indexes, GB`,
      ...steps.map((s) => {
        const z = s.f.sizes.find((x) => x.table === t)
        return z ? `${gb(z.heap)} / ${gb(z.indexes)}` : ''
      }),
    ])
  }
  rows.push(['database, GB', ...steps.map((s) => gb(s.f.database))])
  rows.push([
    'database bytes per ticket',
    ...steps.map((s) => (s.f.tickets ? fmt(s.f.database / s.f.tickets) : '')),
  ])
  const all = [head, ...rows]
  const widths = head.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? '')].length)))
  const lineOf = (r: string[]) =>
    `| ${r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`
  return [
    lineOf(head),
    `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
    ...rows.map(lineOf),
  ].join('\n')
}

async function results(c: pg.Client): Promise<Array<{ step: number; f: Figures }>> {
  const r = await c.query<{ step: number; figures: string }>(
    'select step, figures from megacity_results order by step',
  )
  return r.rows.map((x) => ({ step: x.step, f: JSON.parse(x.figures) as Figures }))
}

// --- main ----------------------------------------------------------------------------------------

async function main() {
  await ensureDatabase(URL)
  await ensureDatabase(EMPTY_URL)
  const c = await client(URL)
  const dataDir = (await c.query<{ data_directory: string }>('show data_directory')).rows[0]!
    .data_directory
  if (process.env.MEGACITY_REPORT) {
    console.log(report(await results(c)))
    await c.end()
    return
  }
  const users = await c.query('select 1 from users limit 1')
  if (!users.rowCount) {
    log('first run: the demo users and reference data, by a server started with --demo')
    const { child } = await startServer(true)
    await stopServer(child)
  }
  const empty = await client(EMPTY_URL)
  const emptyUsers = await empty.query('select 1 from users limit 1')
  await empty.end()
  if (!emptyUsers.rowCount) {
    log('the push baseline database: demo users and reference data')
    const { child } = await startServer(true, EMPTY_URL)
    await stopServer(child)
  }
  const ref = await loadReferenceData()
  const w = world(ref)
  const s = await loadState(c)
  const pool = new pg.Pool({ connectionString: URL, max: 4 })
  pool.on('error', () => {})
  const store = await Store.open({ databaseUrl: URL })
  const done = new Set((await results(c)).map((r) => r.step))
  const targets = [0, ...STEPS]
  try {
    for (const [i, target] of targets.entries()) {
      if (done.has(i)) continue
      let stopped = false
      const t0 = performance.now()
      const start = s.tickets
      while (s.tickets < target) {
        const free = freeGb({ dataDir })
        if (free < MIN_FREE_GB) {
          log(
            `stopping: ${fmt(free, 1)} GB free on the disk of ${dataDir}, under ${MIN_FREE_GB} GB ` +
              `(at ${fmt(s.tickets)} tickets); measuring what is there`,
          )
          stopped = true
          break
        }
        const day = await loadDay(c, w, s)
        const rate = (s.tickets - start) / ((performance.now() - t0) / 1000)
        log(
          `day -${s.nextDay - 1} (${cityDay(Math.floor((s.nowMs + CITY) / DAY) * DAY - CITY - (s.nextDay - 1) * DAY)}): ` +
            `${fmt(day.count)} tickets, ${fmt(day.eventCount)} events; ` +
            `${fmt(s.tickets)} in all, ${fmt(rate)} tickets/s; ${fmt(free, 1)} GB free`,
        )
      }
      if (i > 0) {
        log(`step ${i}: ${fmt(s.tickets)} tickets loaded; vacuum analyze`)
        await c.query('vacuum analyze tickets, timeline_events, change_log, ticket_search')
      }
      log(`step ${i}: measuring`)
      const busiest = w.units
      const m = await measure(pool, store, busiest, s)
      log(`step ${i}: push, ${CLIENTS} consoles for ${PUSH_SECONDS} s`)
      const push = await measurePush(busiest)
      log(`step ${i}: the same push on the empty database`)
      const pushEmpty = await measurePush(busiest, EMPTY_URL)
      const f: Figures = { ...m, push, pushEmpty }
      await c.query(
        `insert into megacity_results (step, tickets, at, figures) values ($1, $2, $3, $4)
         on conflict (step) do update set figures = excluded.figures`,
        [i, s.tickets, new Date().toISOString(), JSON.stringify(f)],
      )
      console.log(`\nMegacity benchmark after step ${i} (${new Date().toISOString()})\n`)
      console.log(report(await results(c)))
      if (stopped) break
    }
  } finally {
    await store.close()
    await pool.end()
    await c.end()
  }
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
