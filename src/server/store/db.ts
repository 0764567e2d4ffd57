// Opening the database: SQLite (a file in the data folder, WAL) or PostgreSQL (DATABASE_URL).
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import type { Engine } from './dsl'
import type { DB } from './types'

export interface Connection {
  db: Kysely<DB>
  engine: Engine
  /** PostgreSQL only: the pool, for LISTEN/NOTIFY on a dedicated client. */
  pool: pg.Pool | null
  /** SQLite only: statements kept prepared by text, for writes bypassing Kysely (batch-sql.ts). */
  prepare?: (text: string) => Database.Statement
  close(): Promise<void>
}

export type ConnectOptions = { databaseUrl: string; poolSize?: number } | { dataDir: string }

export const SQLITE_FILE = 'hotline.sqlite'

/** PostgreSQL connections per server process; `PG_POOL_SIZE` overrides it. */
export const DEFAULT_POOL_SIZE = Number(process.env.PG_POOL_SIZE) || 32

// int8 (seqs, mutation ids) as JS numbers: they stay far below 2^53.
const pgTypes = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format),
} as pg.CustomTypesConfig

export function connect(options: ConnectOptions): Connection {
  if ('databaseUrl' in options) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      // Commits wait for the disk; more of them in flight share each flush (group commit).
      max: options.poolSize ?? DEFAULT_POOL_SIZE,
      types: pgTypes,
    })
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', () => {})
    // Nor one the pool has just let go, still closing when the server ends it (a restart, a
    // database dropped with force): its 'error' would reach no listener.
    pool.on('connect', (client) => {
      client.on('error', () => {})
      sendPreparedByName(client)
    })
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
    return { db, engine: 'postgres', pool, close: () => db.destroy() }
  }
  // Every citizen's data is in this file: a new folder and file are the server user's only (the
  // WAL and shared-memory files take the database file's mode). An existing folder is left as
  // the operator set it up.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  const path = join(options.dataDir, SQLITE_FILE)
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600))
  const file = new Database(path)
  file.pragma('journal_mode = WAL')
  file.pragma('synchronous = NORMAL')
  file.pragma('busy_timeout = 5000')
  // Statement journals and temporary tables in memory, not in files: SQLite made, wrote and
  // deleted a temporary file for the statement journal of each write in a push batch (an
  // upsert with triggers, inside a transaction) — hundreds of files a second at load (issue 18).
  file.pragma('temp_store = MEMORY')
  const database = cachingPrepare(file)
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) })
  return { db, engine: 'sqlite', pool: null, prepare: database.prepare, close: () => db.destroy() }
}

/** Statement texts sent as named prepared statements on PostgreSQL, with their names. */
const PREPARED = new Map<string, string>()

/**
 * `text`, marked to be sent as a named prepared statement on PostgreSQL: each connection parses
 * and plans it once, then only binds and executes it (a batch's big statement of CTEs was
 * parsed and planned afresh every batch). For texts that recur, never ones built per call: a
 * connection keeps each one for its life.
 */
export function prepared(text: string): string {
  if (!PREPARED.has(text)) PREPARED.set(text, `hotline_${PREPARED.size + 1}`)
  return text
}

/**
 * Kysely hands pg a statement as text and values; a text marked `prepared` goes as pg's named
 * query config instead (pg prepares it on first use per connection, then sends it by name).
 */
function sendPreparedByName(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  ;(client as { query: unknown }).query = (
    config: unknown,
    values?: unknown,
    ...rest: unknown[]
  ) => {
    const name = typeof config === 'string' ? PREPARED.get(config) : undefined
    return name && Array.isArray(values)
      ? query({ name, text: config, values }, ...rest)
      : query(config, values, ...rest)
  }
}

/** Statements kept prepared per SQLite database (the busiest server uses a few dozen texts). */
const STATEMENT_CACHE = 500

/**
 * The database as Kysely's SQLite driver sees it, with its statements kept prepared by text:
 * the driver prepares every query afresh, and SQLite compiling the same text again and again
 * was a tenth of a busy server's push time (issue 18). A statement still being iterated (a
 * streamed query) is never handed out twice: another is prepared for that call.
 */
function cachingPrepare(file: Database.Database) {
  const cache = new Map<string, Database.Statement>()
  return {
    prepare(text: string): Database.Statement {
      const hit = cache.get(text)
      if (hit && !hit.busy) {
        // Least recently used first out: a hit moves to the end.
        cache.delete(text)
        cache.set(text, hit)
        return hit
      }
      const stmt = file.prepare(text)
      if (!hit) {
        cache.set(text, stmt)
        if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value!)
      }
      return stmt
    },
    close(): void {
      cache.clear()
      file.close()
    },
  }
}

const TEMPORARY_PG_CODES = new Set(['40001', '40P01', '53300', '57P01', '57P02', '57P03'])
const TEMPORARY_NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])

/**
 * Whether an error means "try again later" (database down, busy, a serialization conflict)
 * rather than "this request is wrong".
 */
export function isTemporary(e: unknown): boolean {
  if (!(e instanceof Error)) return false
  const code = (e as { code?: unknown }).code
  if (typeof code === 'string') {
    if (TEMPORARY_PG_CODES.has(code) || TEMPORARY_NET_CODES.has(code)) return true
    if (code.startsWith('08')) return true // connection exceptions
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return true
  }
  return /Connection terminated|timeout exceeded when trying to connect|pool is ending/i.test(
    e.message,
  )
}

/** Unique-constraint violation on either engine. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE'
  )
}
