// `npm run server:backup -- --out FILE [--data DIR]`: a consistent copy of the SQLite database
// while the server keeps running, through SQLite's online backup API (what `sqlite3 .backup`
// does), checked with `PRAGMA integrity_check` before it is given its final name. An operator's
// tool beside the store: it copies database pages, never reads or writes rows, and opens the
// file read-only. PostgreSQL is backed up with its own tools (pg_dump -Fc; see the README).
import { closeSync, existsSync, openSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import Database from 'better-sqlite3'
import { serverDataDir } from './options'
import { SQLITE_FILE } from './store/db'

const USAGE = `usage: npm run server:backup -- --out FILE [--data DIR]
  Copies the SQLite database in DIR (--data, else HOTLINE_SERVER_DATA, else $HOTLINE_DATA/server,
  else .data/server) to FILE while the server runs. To restore: stop the server, put FILE in the
  data folder as ${SQLITE_FILE} (removing ${SQLITE_FILE}-wal and -shm), start the server.
  With DATABASE_URL set (PostgreSQL) use pg_dump -Fc instead.`

async function backupSqlite(dataDir: string, out: string): Promise<{ bytes: number }> {
  const source = join(dataDir, SQLITE_FILE)
  if (!existsSync(source)) throw new Error(`no database at ${source}`)
  const partial = `${out}.partial`
  rmSync(partial, { force: true })
  // A copy of every citizen's data: made readable by this user only before a byte goes in.
  closeSync(openSync(partial, 'wx', 0o600))
  const db = new Database(source, { readonly: true, fileMustExist: true })
  try {
    await db.backup(partial)
  } finally {
    db.close()
  }
  const copy = new Database(partial, { readonly: true })
  try {
    const check = copy.pragma('integrity_check', { simple: true })
    if (check !== 'ok') throw new Error(`the copy failed its integrity check: ${String(check)}`)
  } finally {
    copy.close()
  }
  renameSync(partial, out)
  return { bytes: statSync(out).size }
}

async function main(): Promise<number> {
  let values
  try {
    values = parseArgs({
      options: { out: { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean' } },
    }).values
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  if (process.env.DATABASE_URL?.trim()) {
    console.error('DATABASE_URL is set: this server uses PostgreSQL; back it up with pg_dump -Fc')
    return 2
  }
  if (!values.out) {
    console.error(`--out FILE is required\n\n${USAGE}`)
    return 2
  }
  const dataDir = serverDataDir(values.data, process.env)
  const out = resolve(values.out)
  const t0 = Date.now()
  const { bytes } = await backupSqlite(dataDir, out)
  console.log(
    `backed up ${join(dataDir, SQLITE_FILE)} to ${out}: ${(bytes / 1e6).toFixed(1)} MB in ${Date.now() - t0} ms, integrity ok`,
  )
  return 0
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`backup failed: ${(e as Error).message}`)
    process.exit(1)
  },
)
