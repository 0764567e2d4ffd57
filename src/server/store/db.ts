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
    pool.on('connect', (client) => client.on('error', () => {}))
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
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: file }) })
  return { db, engine: 'sqlite', pool: null, close: () => db.destroy() }
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
