// Versioned migrations: numbered files, each run in its own transaction and recorded in
// `schema_migrations`. The server refuses a database whose history is newer than, or differs
// from, the migrations it was built with.
import { sql, type Kysely } from 'kysely'
import type { Engine } from './dsl'
import { migration as m0001 } from './migrations/0001-core'
import { migration as m0002 } from './migrations/0002-tickets'
import { migration as m0003 } from './migrations/0003-search'
import { migration as m0004 } from './migrations/0004-push-path'
import { migration as m0005 } from './migrations/0005-snapshot'
import { migration as m0006 } from './migrations/0006-client-seq'
import { migration as m0007 } from './migrations/0007-snapshot-open'
import { migration as m0008 } from './migrations/0008-job-runs'
import { migration as m0009 } from './migrations/0009-cases'
import { migration as m0011 } from './migrations/0011-console-keys'
import { migration as m0012 } from './migrations/0012-admin-audit'
import { migration as m0013 } from './migrations/0013-knowledge'
import { migration as m0014 } from './migrations/0014-assignments'
import { migration as m0015 } from './migrations/0015-batch-seqs'
import { migration as m0016 } from './migrations/0016-batch-begin'
import { migration as m0017 } from './migrations/0017-megacity-indexes'

export interface Migration {
  version: number
  name: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs before the typed schema exists
  up(db: Kysely<any>, engine: Engine): Promise<void>
}

export const MIGRATIONS: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  m0004,
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  m0011,
  m0012,
  m0013,
  m0014,
  m0015,
  m0016,
  m0017,
]
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

/** The database cannot be used by this build of the server; the message says why and what to do. */
export class SchemaError extends Error {
  override name = 'SchemaError'
}

const MIGRATION_LOCK = 7_212_346

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the migrations table is outside the typed schema
type AnyDb = Kysely<any>

async function applied(db: AnyDb): Promise<Array<{ version: number; name: string }>> {
  const rows = await db
    .selectFrom('schema_migrations')
    .select(['version', 'name'])
    .orderBy('version')
    .execute()
  return rows.map((r) => ({ version: Number(r.version), name: String(r.name) }))
}

function checkHistory(history: Array<{ version: number; name: string }>): number {
  const current = history.length ? history[history.length - 1]!.version : 0
  if (current > SCHEMA_VERSION)
    throw new SchemaError(
      `the database schema is version ${current}, newer than this server understands ` +
        `(${SCHEMA_VERSION}); run a newer server, or point it at another database`,
    )
  for (const h of history) {
    const m = MIGRATIONS.find((x) => x.version === h.version)
    if (!m || m.name !== h.name)
      throw new SchemaError(
        `the database's migration ${h.version} ("${h.name}") is not this server's ` +
          `(${m ? `"${m.name}"` : 'none'}); the database was made by a different build`,
      )
  }
  return current
}

/** Current schema version of the database, without changing it (0 for an empty database). */
export async function schemaVersion(db: AnyDb): Promise<number> {
  await ensureTable(db)
  return checkHistory(await applied(db))
}

async function ensureTable(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute()
}

/**
 * Brings the database up to `target` (default: the newest). Safe to run from several server
 * processes at once on PostgreSQL: each step takes a transaction-level lock and re-reads.
 */
export async function migrate(
  db: AnyDb,
  engine: Engine,
  target = SCHEMA_VERSION,
): Promise<{ from: number; to: number }> {
  await ensureTable(db)
  const from = checkHistory(await applied(db))
  for (const m of MIGRATIONS) {
    if (m.version > target) break
    await db.transaction().execute(async (tx) => {
      if (engine === 'postgres')
        await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx)
      const now = checkHistory(await applied(tx))
      if (m.version <= now) return
      await m.up(tx, engine)
      await tx
        .insertInto('schema_migrations')
        .values({ version: m.version, name: m.name, applied_at: new Date().toISOString() })
        .execute()
    })
  }
  return { from, to: checkHistory(await applied(db)) }
}
