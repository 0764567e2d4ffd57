// Benchmark of the supervisors' dashboard (issue 6; DESIGN.md §7): 'dashboard.compute' over a
// cache of a million tickets WITH their timelines (dashboard-fixture.ts), for this month, this
// year and this year for one unit, 10 runs each, p50/p95 beside the raw SQL computing the same
// aggregates straight from `tickets` and `events` (dashboard-baseline.ts), against the 500 ms
// target. Run: npm run bench:dashboard (TICKETS=200000 for a quicker run).
//
// The cache is built once and kept in the temp folder for the next run (FRESH=1 builds it anew;
// a cache whose schema differs from the code's is rebuilt): tickets through LocalStore.bulkLoad,
// their events written as the sync path writes them, with the dashboard's triggers set aside and
// its tables filled once at the end, as a snapshot does.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { computeDashboard, type DashboardInput } from '../src/core/dashboard'
import { LocalStore } from '../src/core/db'
import { rebuildKpiTables } from '../src/core/db/migrations/0003-dashboard'
import { WorkCalendar } from '../src/shared/calendar'
import { citySpans } from '../src/shared/dashboard'
import { loadReference } from './core-fixtures'
import { baseline, type BaselineCase } from './dashboard-baseline'
import { timelineFixture } from './dashboard-fixture'

const COUNT = Number(process.env.TICKETS ?? 1_000_000)
const RUNS = 10
const TARGET_MS = 500
const FIXTURE = 'timeline-1'
const dir = process.env.DASHBOARD_CACHE ?? join(tmpdir(), `hl-bench-dashboard-${COUNT}`)
const ref = loadReference()
const fx = timelineFixture(ref, COUNT)

const schemaOf = (db: Database.Database) =>
  (
    db
      .prepare(
        `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite%'
         ORDER BY type, name`,
      )
      .all() as Array<{ sql: string }>
  )
    .map((r) => r.sql)
    .join('\n')

/** The reusable cache, if there is one with this fixture and the code's schema. */
function reusable(): LocalStore | null {
  if (process.env.FRESH || !existsSync(join(dir, 'console.db'))) return null
  const empty = mkdtempSync(join(tmpdir(), 'hl-bench-schema-'))
  const fresh = LocalStore.open(empty)
  const want = schemaOf(fresh.db)
  fresh.close()
  rmSync(empty, { recursive: true, force: true })
  try {
    const store = LocalStore.open(dir, { synchronous: 'normal' })
    if (store.getMeta('bench.dashboard') === FIXTURE && schemaOf(store.db) === want) return store
    store.close()
  } catch (e) {
    console.log(`cache in ${dir} unusable (${(e as Error).message}); building it again`)
  }
  return null
}

function build(): LocalStore {
  rmSync(dir, { recursive: true, force: true })
  const store = LocalStore.open(dir, { synchronous: 'normal' })
  const tickets = timelineFixture(ref, COUNT)
  function* batches() {
    for (let i = 0; i < COUNT; i += 10_000) {
      const out = []
      for (let j = i; j < Math.min(COUNT, i + 10_000); j++) out.push(tickets.run(j).ticket)
      yield out
    }
  }
  const t0 = performance.now()
  store.bulkLoad(batches())
  const loaded = (performance.now() - t0) / 1000
  // The same fixture again, for the events: one transaction, written once to the file.
  const db = store.db
  const timelines = timelineFixture(ref, COUNT)
  const triggers = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'kpi%'`)
    .all() as Array<{ name: string; sql: string }>
  const event = db.prepare(
    'INSERT INTO events (id, ticket_id, version, at, local, data) VALUES (?, ?, ?, ?, 0, ?)',
  )
  let events = 0
  const t1 = performance.now()
  db.pragma('journal_mode = TRUNCATE')
  db.pragma('synchronous = OFF')
  db.transaction(() => {
    for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`)
    for (let j = 0; j < COUNT; j++)
      for (const e of timelines.run(j).events) {
        event.run(e.id, e.ticketId, e.version, Date.parse(e.at), JSON.stringify(e))
        events++
      }
    for (const t of triggers) db.exec(t.sql)
    rebuildKpiTables(db)
  }).immediate()
  db.pragma('synchronous = NORMAL')
  db.pragma('journal_mode = WAL')
  db.exec('ANALYZE')
  store.setMeta('bench.dashboard', FIXTURE)
  console.log(
    `built: ${COUNT.toLocaleString()} tickets (bulk load) in ${loaded.toFixed(0)} s; ` +
      `${events.toLocaleString()} events and the dashboard's facts and sums in ` +
      `${((performance.now() - t1) / 1000).toFixed(0)} s`,
  )
  return store
}

function timeIt(fn: () => unknown, runs: number): { p50: number; p95: number } {
  fn()
  fn()
  const t: number[] = []
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint()
    fn()
    t.push(Number(process.hrtime.bigint() - s) / 1e6)
  }
  t.sort((a, b) => a - b)
  return { p50: t[Math.floor((runs - 1) * 0.5)]!, p95: t[Math.ceil((runs - 1) * 0.95)]! }
}

console.log(`dashboard: ${COUNT.toLocaleString()} tickets, cache in ${dir}`)
let store = reusable()
if (store) console.log('reusing the cache built before (FRESH=1 to build it again)')
else store = build()
const facts = store.db.prepare('SELECT count(*) AS n FROM kpi_facts').get() as { n: number }
console.log(`${facts.n.toLocaleString()} KPI facts\n`)

const now = fx.nowMs
const cal = new WorkCalendar(ref.calendar)
const { y } = cal.local(now)
const biggest = (
  store.db
    .prepare(
      `SELECT unit, sum(n) AS n FROM ticket_counts WHERE unit <> ''
       GROUP BY unit ORDER BY n DESC, unit LIMIT 1`,
    )
    .get() as { unit: string }
).unit
const month = citySpans(cal, now).month
const year = {
  from: cal.instant({ y, m: 1, d: 1 }, 0),
  to: cal.instant({ y: y + 1, m: 1, d: 1 }, 0),
}
const cases: Array<[string, DashboardInput['period'], string[] | null]> = [
  ['this month', month, null],
  ['this year', year, null],
  [`this month, unit ${biggest}`, month, [biggest]],
  [`this year, unit ${biggest}`, year, [biggest]],
]
const bare = new Database(join(dir, 'console.db'), { readonly: true })
bare.pragma('mmap_size = 1073741824')
bare.pragma('cache_size = -65536')
const f2 = (n: number) => n.toFixed(1).padStart(8)
console.log(
  `${'case'.padEnd(28)} received | ours p50    p95 | raw SQL p50    p95 (runs) | ≤ ${TARGET_MS} ms`,
)
let met = true
for (const [name, period, units] of cases) {
  const input: DashboardInput = {
    period,
    unit: units,
    district: null,
    viewer: { userId: 'u-sup1', role: 'supervisor', unit: null },
    now,
    reference: ref,
  }
  const d = computeDashboard(store.dashboard(), input)
  const ours = timeIt(() => computeDashboard(store.dashboard(), input), RUNS)
  const c: BaselineCase = { ...period, units }
  const raw = baseline(bare, c, now)
  const rawCompletions = (raw.current.events as { completions: number }).completions
  if (rawCompletions !== d.kpis.current.counts.completions)
    throw new Error(
      `${name}: ${rawCompletions} completions by raw SQL, ${d.kpis.current.counts.completions} on the dashboard`,
    )
  const baseRuns = period === year && !units ? 3 : RUNS
  const base = timeIt(() => baseline(bare, c, now), baseRuns)
  const ok = ours.p95 <= TARGET_MS
  met &&= ok
  console.log(
    `${name.padEnd(28)} ${String(d.kpis.current.counts.received).padStart(8)} |` +
      `${f2(ours.p50)}${f2(ours.p95)} |${f2(base.p50)}${f2(base.p95)} (${String(baseRuns).padStart(2)})     | ${ok ? 'yes' : 'NO'}`,
  )
}
console.log(
  `\n500 ms target (p95 of the whole dashboard, 1,000,000 tickets): ${met ? 'met' : 'NOT met'}` +
    (COUNT === 1_000_000 ? '' : ` (this run: ${COUNT.toLocaleString()} tickets)`),
)
bare.close()
store.close()
