// The cache encrypted at rest (issue 7): the cache holds citizens' names and phone numbers. The
// SQLite this project installs under the name better-sqlite3 is SQLite3 Multiple Ciphers
// (package.json aliases better-sqlite3-multiple-ciphers), which encrypts every page of the
// database and of its WAL with ChaCha20-Poly1305 under a key given by `PRAGMA hexkey`. The key is
// 32 random bytes that the Electron shell keeps wrapped by the operating system's keychain
// (src/main/cache-key.ts); the web host and plain Node have no keychain and run unencrypted —
// the settings screen says so (`CacheProtection`).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'

/** 32 bytes; null: the cache is not encrypted. */
export type CacheKey = Buffer

export const CACHE_KEY_BYTES = 32
/** Written explicitly: a library whose default changed must still open yesterday's cache. */
const CIPHER = 'chacha20'
const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/** The cache cannot be opened with the key this console has (or has none for an encrypted one). */
export class CacheKeyError extends Error {
  readonly code = 'cache_key'
}

function checkKey(key: CacheKey): void {
  if (!Buffer.isBuffer(key) || key.length !== CACHE_KEY_BYTES)
    throw new CacheKeyError(`a cache key is ${CACHE_KEY_BYTES} bytes`)
}

/** True when `file` is an unencrypted SQLite database (its first 16 bytes say so in clear). */
export function isPlainDatabase(file: string): boolean {
  if (!existsSync(file) || statSync(file).size < PLAIN_HEADER.length) return false
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(PLAIN_HEADER.length)
    readSync(fd, head, 0, head.length, 0)
    return head.equals(PLAIN_HEADER)
  } finally {
    closeSync(fd)
  }
}

/** Sets the key on a connection just opened, before its first read. */
export function applyKey(db: Database.Database, key: CacheKey | null): void {
  if (!key) return
  checkKey(key)
  db.pragma(`cipher = '${CIPHER}'`)
  db.pragma(`hexkey = '${key.toString('hex')}'`)
}

/**
 * Opens the cache file with `key` (or none), proving the key right by a first read. An existing
 * unencrypted cache opened with a key is encrypted in place first (a console that gets a keychain
 * keeps its outbox and drafts); an encrypted one opened without its key is refused, never
 * overwritten.
 */
export function openCacheDatabase(
  file: string,
  key: CacheKey | null,
  options: Database.Options = {},
): Database.Database {
  const exists = existsSync(file) && statSync(file).size > 0
  if (key && exists && isPlainDatabase(file) && !options.readonly) encryptInPlace(file, key)
  if (!key && exists && !isPlainDatabase(file))
    throw new CacheKeyError(`${file} is encrypted and this console has no key for it`)
  const db = new Database(file, options)
  try {
    applyKey(db, key)
    db.prepare('SELECT count(*) FROM sqlite_master').get()
    return db
  } catch (e) {
    db.close()
    if (e instanceof CacheKeyError) throw e
    const message = e instanceof Error ? e.message : String(e)
    if (/not a database|encrypted/i.test(message))
      throw new CacheKeyError(`${file} cannot be read with this console's key (${message})`)
    throw e
  }
}

/** Rewrites an unencrypted database file encrypted under `key` (WAL folded in first). */
export function encryptInPlace(file: string, key: CacheKey): void {
  checkKey(key)
  const db = new Database(file)
  try {
    db.pragma('wal_checkpoint(TRUNCATE)')
    // Rekeying is not possible in WAL mode; LocalStore.open turns WAL back on.
    db.pragma('journal_mode = DELETE')
    db.pragma(`cipher = '${CIPHER}'`)
    db.pragma(`hexrekey = '${key.toString('hex')}'`)
  } finally {
    db.close()
  }
}
