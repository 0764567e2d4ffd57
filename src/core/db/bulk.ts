// Filling an empty cache with many server rows at once (a snapshot from a file, demo data, the
// benchmark): the indexes and full-text triggers of `tickets` are set aside, the rows written,
// then the indexes built and the full-text indexes rebuilt in one pass each — several times
// faster than row-by-row upkeep. One transaction: on failure nothing of it remains. It runs with
// a rollback journal rather than the WAL, so the gigabytes written go once to the database file
// and not first to the WAL; WAL mode is back when it returns.
import type Database from 'better-sqlite3'
import type { Ticket } from '../../shared/ticket'
import { rebuildKpiTables } from './migrations/0003-dashboard'
import type { VisibleRows } from './visible'

export interface BulkOutcome {
  rows: number
  /** Seconds spent writing rows, building indexes, and indexing text (trigram, grams). */
  seconds: { rows: number; indexes: number; trigram: number; grams: number }
}

export function bulkLoad(
  db: Database.Database,
  visible: VisibleRows,
  batches: Iterable<readonly Ticket[]>,
): BulkOutcome {
  const { n } = db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }
  const { p } = db.prepare('SELECT count(*) AS p FROM outbox').get() as { p: number }
  if (n > 0 || p > 0) throw new Error('bulkLoad fills an empty cache with no pending mutations')
  const upkeep = db
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'tickets'
       AND type IN ('index', 'trigger') AND sql IS NOT NULL`,
    )
    .all() as Array<{ type: string; name: string; sql: string }>
  const server = db.prepare('INSERT INTO server_tickets (id, data) VALUES (?, ?)')
  let count = 0
  const seconds = { rows: 0, indexes: 0, trigram: 0, grams: 0 }
  let mark = performance.now()
  const lap = (phase: keyof typeof seconds) => {
    const now = performance.now()
    seconds[phase] = (now - mark) / 1000
    mark = now
  }
  const sync = db.pragma('synchronous', { simple: true }) as number
  db.pragma('journal_mode = TRUNCATE')
  db.pragma('synchronous = OFF')
  try {
    db.transaction(() => {
      for (const u of upkeep) db.exec(`DROP ${u.type.toUpperCase()} "${u.name}"`)
      for (const batch of batches)
        for (const t of batch) {
          server.run(t.id, JSON.stringify(t))
          visible.write(t, null)
          count++
        }
      lap('rows')
      for (const u of upkeep) db.exec(u.sql)
      lap('indexes')
      db.exec(`INSERT INTO tickets_text (tickets_text) VALUES ('rebuild')`)
      lap('trigram')
      db.exec(`
      INSERT INTO tickets_grams (rowid, grams)
        SELECT rid, hl_grams(caller_name, address, description) FROM tickets;`)
      lap('grams')
      db.exec(`
      DELETE FROM ticket_counts;
      INSERT INTO ticket_counts (unit, status, n)
        SELECT coalesce(unit, ''), status, count(*) FROM tickets GROUP BY 1, 2;
    `)
    }).immediate()
  } finally {
    db.pragma(`synchronous = ${sync}`)
    db.pragma('journal_mode = WAL')
  }
  db.exec('ANALYZE')
  return { rows: count, seconds }
}

// --- Snapshot pages -------------------------------------------------------------------------
// A first sync writes ~100,000 tickets and their events in pages of 2,000, each page its own
// transaction. Kept up row by row, every secondary index and both full-text indexes take a
// random write per row, and each commit rewrites their touched pages — most of the time spent.
// So the first snapshot page sets that upkeep aside (the secondary indexes of `tickets` and
// `events`, the full-text triggers), recording the DDL in `meta`; the last page (or whatever
// comes first: another pull, a bulk load, the next start after a crash) builds the indexes and
// rebuilds both full-text indexes once, in its own transaction. Meanwhile queries still answer,
// by scanning, and search finds only what it found before the snapshot started.

/** Meta key holding the DDL set aside while a snapshot loads (JSON array of statements). */
export const DEFERRED_UPKEEP = 'snapshot.deferredUpkeep'

const UPKEEP_SQL = `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND (
    (type = 'index' AND tbl_name IN ('tickets', 'events'))
    OR (type = 'trigger' AND name LIKE 'tickets\\_text\\_%' ESCAPE '\\')
    OR (type = 'trigger' AND name LIKE 'kpi\\_%' ESCAPE '\\'))
  ORDER BY type, name`

const readDeferred = (db: Database.Database): string[] | null => {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(DEFERRED_UPKEEP) as
    { value: string } | undefined
  return row ? (JSON.parse(row.value) as string[]) : null
}

/** Set the upkeep aside (inside the caller's transaction); nothing to do when already aside. */
export function deferUpkeep(db: Database.Database): void {
  if (readDeferred(db)) return
  const objects = db.prepare(UPKEEP_SQL).all() as Array<{ sql: string }>
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(
    DEFERRED_UPKEEP,
    JSON.stringify(objects.map((o) => o.sql)),
  )
  for (const { sql } of objects) {
    const m = /^CREATE\s+(?:UNIQUE\s+)?(INDEX|TRIGGER)\s+(?:IF NOT EXISTS\s+)?("?)([\w]+)\2/i.exec(
      sql,
    )
    if (!m) throw new Error(`cannot set aside: ${sql.slice(0, 60)}`)
    db.exec(`DROP ${m[1]!.toUpperCase()} "${m[3]!}"`)
  }
}

/**
 * Build what `deferUpkeep` set aside and re-index all text (inside the caller's transaction).
 * Returns false when nothing was aside.
 */
export function restoreUpkeep(db: Database.Database): boolean {
  const ddl = readDeferred(db)
  if (!ddl) return false
  for (const sql of ddl) db.exec(sql)
  db.exec(`
    INSERT INTO tickets_text (tickets_text) VALUES ('rebuild');
    INSERT INTO tickets_grams (tickets_grams) VALUES ('delete-all');
    INSERT INTO tickets_grams (rowid, grams)
      SELECT rid, hl_grams(caller_name, address, description) FROM tickets;
  `)
  // The dashboard's facts and sums (migration 3), when their triggers were set aside too.
  if (ddl.some((sql) => /^CREATE TRIGGER "?kpi_/i.test(sql))) rebuildKpiTables(db)
  db.prepare('DELETE FROM meta WHERE key = ?').run(DEFERRED_UPKEEP)
  return true
}
