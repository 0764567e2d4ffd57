// Benchmark of the console's local cache (DESIGN.md §7): a million tickets loaded through the
// sync path (applyPull in pages), then each saved queue view (filter + sort + first 100 rows)
// and the view counts beside the same hand-written SQL on a bare better-sqlite3 connection,
// Chinese full-text search by query length, and saving a new ticket. Run: npm run bench:core-queries
// (TICKETS=200000 for a quicker run; ENCRYPTED=1 for the cache encrypted at rest, as the
// Electron console runs it with a keychain — the bare connection then reads it with the key too).
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { LocalStore } from '../src/core/db'
import { openCacheDatabase } from '../src/core/db/cipher'
import type { Viewer } from '../src/core/db'
import { SAVED_VIEWS, queueQuerySchema, type SavedView } from '../src/shared/api'
import { applyAction, makeRulesContext } from '../src/shared/workflow'
import { fixture, loadReference } from './core-fixtures'

const COUNT = Number(process.env.TICKETS ?? 1_000_000)
const RUNS = 200

function timeIt(fn: () => unknown, runs = RUNS): { p50: number; p95: number } {
  for (let i = 0; i < 10; i++) fn()
  const t: number[] = []
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint()
    fn()
    t.push(Number(process.hrtime.bigint() - s) / 1e6)
  }
  t.sort((a, b) => a - b)
  return { p50: t[Math.floor(runs * 0.5)]!, p95: t[Math.floor(runs * 0.95)]! }
}

const f2 = (n: number) => n.toFixed(2).padStart(8)
const dir = mkdtempSync(join(tmpdir(), 'hl-bench-core-'))
const ref = loadReference()
const rules = makeRulesContext(ref)
const fx = fixture(ref, COUNT)
const now = fx.nowMs

console.log(`core-queries: ${COUNT.toLocaleString()} tickets, cache in ${dir}`)
const key = process.env.ENCRYPTED === '1' ? randomBytes(32) : null
console.log(`cache ${key ? 'encrypted (chacha20)' : 'not encrypted'}`)
const store = LocalStore.open(dir, { key })
const SYNCED = Math.min(20_000, Math.floor(COUNT / 10))
const BULK = COUNT - SYNCED
function* batches(from: number, to: number, size: number) {
  for (let i = from; i < to; i += size) {
    const out = []
    for (let j = i; j < Math.min(to, i + size); j++) out.push(fx.ticket(j))
    yield out
  }
}
let t0 = performance.now()
store.bulkLoad(batches(0, BULK, 10_000))
const bulkS = (performance.now() - t0) / 1000
console.log(
  `bulk load of ${BULK.toLocaleString()}: ${bulkS.toFixed(1)} s (${Math.round(BULK / bulkS).toLocaleString()} rows/s)`,
)
// The rest through the sync path, in pull pages of 2,000, onto the big cache.
t0 = performance.now()
let cursor = 1
for (const tickets of batches(BULK, COUNT, 2000)) {
  store.applyPull(
    {
      cursor: cursor++,
      hasMore: true,
      tickets,
      removed: [],
      events: [],
      results: [],
      lastMutationId: 0,
      reference: cursor === 2 ? { ...ref, version: 1 } : undefined,
    },
    rules,
  )
}
const pullS = (performance.now() - t0) / 1000
const size = statSync(join(dir, 'console.db')).size / 2 ** 20
console.log(
  `applyPull of ${SYNCED.toLocaleString()} more: ${pullS.toFixed(1)} s (${Math.round(SYNCED / pullS).toLocaleString()} rows/s); file ${size.toFixed(0)} MiB\n`,
)

// --- Saved views and counts ------------------------------------------------------------------
const bare = openCacheDatabase(join(dir, 'console.db'), key, { readonly: true })
const dispatcher: Viewer = { userId: 'u-disp1', role: 'dispatcher', unit: null }
const agent: Viewer = { userId: 'u-agent7', role: 'agent', unit: null }
const cols = `id, number, status, channel, kind, urgency, category, unit, district, address, phone,
  caller_name, description, created_at, updated_at, dispatched_at, sign_by, due_at, version`
const HAND: Record<SavedView, [string, unknown[]]> = {
  new: ['status = 0', []],
  at_risk: ['dl_over >= ? AND dl_risk <= ?', [now, now]],
  overdue: ['dl_over < ?', [now]],
  returns: ['status = 3', []],
  extensions: ['extension = 1', []],
  callbacks: ['status = 4', []],
  mine: ['created_by = ?', ['u-agent7']],
  all: ['1', []],
  down: ['0', []], // unit staff only
}
console.log(
  'view          rows   total | ours p50   p95 | bare p50   p95 | count p50  p95 | bare count p95',
)
for (const view of SAVED_VIEWS) {
  const viewer = view === 'mine' ? agent : dispatcher
  const q = queueQuerySchema.parse({ filter: { view } })
  const page = store.queue(q, viewer, now)
  const ours = timeIt(() => store.queue(q, viewer, now))
  const [where, params] = HAND[view]
  const rowsSql = bare.prepare(
    `SELECT ${cols} FROM tickets WHERE ${where} ORDER BY rid DESC LIMIT 100`,
  )
  const countSql = bare.prepare(`SELECT count(*) FROM tickets WHERE ${where}`)
  const hand = timeIt(() => rowsSql.all(...params))
  const count = timeIt(() => store.counts([view], viewer, now))
  const handCount = timeIt(() => countSql.get(...params), 20)
  console.log(
    `${view.padEnd(11)} ${String(page.rows.length).padStart(6)} ${String(page.total).padStart(7)} |` +
      `${f2(ours.p50)}${f2(ours.p95)} |${f2(hand.p50)}${f2(hand.p95)} |` +
      `${f2(count.p50)}${f2(count.p95)} |${f2(handCount.p95)}`,
  )
}
const all = timeIt(() => store.counts(SAVED_VIEWS, dispatcher, now))
console.log(
  `counts of all 8 views together: p50 ${all.p50.toFixed(2)} ms, p95 ${all.p95.toFixed(2)} ms`,
)

const sorts = ['dueAt', 'updatedAt', 'urgency', 'unit', 'number'] as const
for (const column of sorts) {
  const q = queueQuerySchema.parse({ filter: { view: 'all' }, sort: { column, dir: 'asc' } })
  const r = timeIt(() => store.queue(q, dispatcher, now), 50)
  console.log(`all sorted by ${column} asc: p50 ${r.p50.toFixed(2)} ms, p95 ${r.p95.toFixed(2)} ms`)
}

// --- Full-text search ------------------------------------------------------------------------
console.log(
  '\nsearch (limit 50)          hits | ours p50   p95 | bare p95 (trigram MATCH for one 3+ term, else instr() scan)',
)
const QUERIES: Array<[string, string]> = [
  ['1 char', '噪'],
  ['1 char', '蒋'],
  ['2 chars', '噪音'],
  ['2 chars', '路灯'],
  ['2 chars', '漏水'],
  ['2 chars', '井盖'],
  ['2, none', '火警'],
  ['1, none', '鬼'],
  ['3+ chars', '正东路'],
  ['3+ chars', '桃花坞小区'],
  ['3+ chars', '夜间噪音扰民'],
  ['3+, none', '化工厂爆炸'],
  ['2 terms', '噪音 学府路'],
  ['phone tail', '4321'],
  ['number', '20261120000123'],
]
for (const [label, text] of QUERIES) {
  const hits = store.search(text, 50).length
  const ours = timeIt(() => store.search(text, 50), 50)
  const terms = text.split(' ')
  const fts = terms.length === 1 && Array.from(text).length >= 3
  // The baseline without our indexes: trigram MATCH for one long term, else a scan with instr().
  const baseline = fts
    ? bare.prepare(
        'SELECT rowid FROM tickets_text WHERE tickets_text MATCH ? ORDER BY rowid DESC LIMIT 50',
      )
    : bare.prepare(
        `SELECT rid FROM tickets WHERE ${terms
          .map(() => '(instr(description, ?) OR instr(address, ?) OR instr(caller_name, ?))')
          .join(' AND ')} ORDER BY rid DESC LIMIT 50`,
      )
  const args = fts ? [`"${text}"`] : terms.flatMap((t) => [t, t, t])
  const b = timeIt(() => baseline.all(...args), 5)
  console.log(
    `${label.padEnd(10)} ${text.padEnd(8, '　')} ${String(hits).padStart(4)} |${f2(ours.p50)}${f2(ours.p95)} |${f2(b.p95)}`,
  )
}

// --- Saving a ticket ---------------------------------------------------------------------------
const actor = { userId: 'u-agent7', role: 'agent' as const, unit: null, name: '李话务' }
let n = 0
const save = timeIt(() => {
  const id = `0190f5c2-0000-7000-9000-${(++n).toString(16).padStart(12, '0')}`
  const draft = {
    id,
    channel: 'phone' as const,
    kind: 'complaint' as const,
    category: ref.categories.find((c) => c.code.length === 4)!.code,
    urgency: 'normal' as const,
    caller: {
      name: '张先生',
      phone: '13800000001',
      anonymous: false,
      company: null,
      callbackConsent: true,
    },
    description: '小区门口饭店夜间噪音扰民，已持续一周',
    location: {
      address: '正东路88号',
      district: null,
      street: null,
      community: null,
      lat: null,
      lng: null,
    },
  }
  const at = now + n * 1000
  store.enqueue(
    {
      key: id,
      name: 'ticket.create',
      args: { ticket: draft },
      clientTime: new Date(at).toISOString(),
      actor,
      ticketId: id,
    },
    (cur) => {
      const r = applyAction(
        cur,
        { name: 'ticket.create', args: { ticket: draft } },
        actor,
        at,
        rules,
      )
      if (!r.ok) throw new Error(r.refusal.message.en)
      return { ticket: r.ticket, event: r.event }
    },
  )
}, 300)
console.log(
  `\nsave a new ticket (enqueue, synchronous=FULL): p50 ${save.p50.toFixed(2)} ms, p95 ${save.p95.toFixed(2)} ms`,
)

bare.close()
store.close()
rmSync(dir, { recursive: true, force: true })
