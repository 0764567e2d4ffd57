// `npx tsx bench/megacity-queries.ts`: the megacity benchmark's slow queries alone (issue 18),
// on the database `npm run bench:megacity` filled (MEGACITY_URL), to see what an index or a
// query change does without loading again: a busy unit's whole first sync and a dispatcher's
// first page through the store (as bench/megacity.ts measures them), and the dashboard's
// server-side SQL under EXPLAIN ANALYZE (its plan's top node and execution time), with the
// timeline's index sizes. Read only: the store is opened on a database migrated already (opening
// it migrates it to the code's schema, as a server starting on it would).
import pg from 'pg'
import { loadReferenceData } from '../src/server/reference-files'
import { Store } from '../src/server/store'
import { dashboardQueries } from './megacity-dashboard'
import { world } from './megacity-data'

const URL = process.env.MEGACITY_URL ?? 'postgres://postgres@127.0.0.1:5432/hotline_megacity'

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 })

async function main() {
  const store = await Store.open({ databaseUrl: URL })
  const pool = new pg.Pool({ connectionString: URL, max: 2 })
  const w = world(await loadReferenceData())
  const nowMs = Date.now()
  const out: string[] = []
  try {
    const tickets = (await pool.query<{ n: string }>('select count(*) as n from tickets')).rows[0]!
    out.push(`tickets: ${fmt(Number(tickets.n))}`)

    const busy = w.units[3]!
    let n = 0
    let pages = 0
    const t0 = performance.now()
    for (let after: string | null = null, seq: number | null = null; ; pages++) {
      const p = await store.snapshot({ seq, after, limit: 2000, recentDays: 90, unit: busy, nowMs })
      n += p.tickets.length
      seq = p.seq
      after = p.next
      if (!after) break
    }
    out.push(
      `unit snapshot (${busy}): ${fmt(performance.now() - t0)} ms, ${fmt(n)} tickets, ` +
        `${pages + 1} pages`,
    )

    const t1 = performance.now()
    const first = await store.snapshot({
      seq: null,
      after: null,
      limit: 2000,
      recentDays: 90,
      unit: null,
      nowMs,
    })
    out.push(
      `dispatcher first page: ${fmt(performance.now() - t1)} ms, total ${fmt(first.total ?? 0)}` +
        ` (open ${fmt(first.open ?? 0)})`,
    )

    // The three that migration 0017's indexes are for.
    const dash = dashboardQueries(nowMs).slice(2)
    for (const [name, text, values] of dash) {
      const r = await pool.query<{ 'QUERY PLAN': Array<Record<string, unknown>> }>(
        `explain (analyze, format json) ${text}`,
        values,
      )
      const plan = r.rows[0]!['QUERY PLAN'][0]!
      const top = plan.Plan as { 'Node Type': string; Plans?: Array<{ 'Node Type': string }> }
      const nodes = [top['Node Type'], ...(top.Plans ?? []).map((p) => p['Node Type'])]
      out.push(`${name}: ${fmt(plan['Execution Time'] as number)} ms (${nodes.join(' < ')})`)
    }

    const sizes = await pool.query<{ name: string; bytes: string }>(
      `select indexrelid::regclass::text as name, pg_relation_size(indexrelid) as bytes
       from pg_index where indrelid in ('timeline_events'::regclass, 'tickets'::regclass)
         or indrelid = to_regclass('ticket_units') order by 1`,
    )
    for (const r of sizes.rows)
      out.push(`index ${r.name}: ${(Number(r.bytes) / 1e9).toFixed(2)} GB`)
  } finally {
    await pool.end()
    await store.close()
  }
  console.log(out.join('\n'))
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
