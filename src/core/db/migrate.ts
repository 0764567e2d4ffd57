// Runs the cache's numbered migrations (STYLE.md 5), each in a transaction with its record.
// A cache newer than the code is refused; one recorded below `rebuildBelow` is rebuilt: its
// server-derived tables dropped and re-created by replaying every cache migration, the cursor
// forgotten, the durable tables (the outbox above all) kept and only migrated forward.
import type Database from 'better-sqlite3'
import { DEFERRED_UPKEEP } from './bulk'
import { MIGRATIONS, REBUILD_BELOW, type Migration } from './migrations'

export class CacheSchemaError extends Error {
  override readonly name = 'CacheSchemaError'
}

/** Meta keys that describe server state: forgotten with the server rows on a rebuild. */
export const SERVER_STATE_META = ['cursor', 'kb.cursor', 'deadline.fraction', DEFERRED_UPKEEP]

const DURABLE_TABLES = new Set(['schema_migrations', 'meta', 'outbox', 'rejected'])

export interface MigrateOutcome {
  from: number
  to: number
  rebuilt: boolean
}

function applied(db: Database.Database): Array<{ version: number; name: string }> {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`)
  return db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{
    version: number
    name: string
  }>
}

/** Drop every server-derived table (virtual tables first: their shadow tables go with them). */
function dropCache(db: Database.Database): void {
  const objects = () =>
    db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
      )
      .all() as Array<{ name: string; sql: string | null }>
  for (const o of objects())
    if (/^CREATE VIRTUAL/i.test(o.sql ?? '') && !DURABLE_TABLES.has(o.name))
      db.exec(`DROP TABLE "${o.name}"`)
  for (const o of objects())
    if (!DURABLE_TABLES.has(o.name)) db.exec(`DROP TABLE IF EXISTS "${o.name}"`)
  const del = db.prepare('DELETE FROM meta WHERE key = ?')
  for (const key of SERVER_STATE_META) del.run(key)
}

export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  rebuildBelow: number = REBUILD_BELOW,
): MigrateOutcome {
  const done = applied(db)
  const from = done.at(-1)?.version ?? 0
  const latest = migrations.at(-1)?.version ?? 0
  if (from > latest)
    throw new CacheSchemaError(
      `The console cache (${db.name}) has schema version ${from}, newer than this console ` +
        `understands (${latest}). Update the console, or delete the cache file to sync afresh ` +
        `(unsent changes in it would be lost).`,
    )
  const known = new Map(migrations.map((m) => [m.version, m.name]))
  for (const d of done)
    if (known.has(d.version) && known.get(d.version) !== d.name)
      throw new CacheSchemaError(
        `The console cache (${db.name}) records migration ${d.version} as "${d.name}", but ` +
          `this console's is "${known.get(d.version)}": it was written by another build.`,
      )
  const rebuild = from > 0 && from < rebuildBelow
  const record = db.prepare(
    'INSERT OR REPLACE INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  )
  db.transaction(() => {
    if (rebuild) {
      dropCache(db)
      const forget = db.prepare('DELETE FROM schema_migrations WHERE version = ?')
      for (const m of migrations) if (m.kind === 'cache') forget.run(m.version)
    }
    for (const m of migrations) {
      const due = m.version > from || (rebuild && m.kind === 'cache')
      if (!due) continue
      m.up(db)
      record.run(m.version, m.name, new Date().toISOString())
    }
  }).immediate()
  return { from, to: latest, rebuilt: rebuild }
}
