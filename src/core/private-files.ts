// The console's data folder holds citizens' names and numbers and the session token: nobody but
// its user may read it (issue 12, finding 6). Folders are made 0700 and files 0600 whatever the
// process umask, and what an older version left group- or world-readable is tightened when the
// console opens it. (Windows has no such modes: there the user's profile folder is private.)
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'

export const PRIVATE_DIR = 0o700
export const PRIVATE_FILE = 0o600
const POSIX = process.platform !== 'win32'

/** A folder only its owner may enter: made so, or tightened; refused if it is someone else's. */
export function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR })
  if (!POSIX) return dir
  const st = lstatSync(dir)
  if (!st.isDirectory()) throw new Error(`${dir} is not a folder`)
  const uid = process.getuid?.()
  if (uid !== undefined && st.uid !== uid)
    throw new Error(`${dir} belongs to another user (uid ${st.uid}); refusing to keep data there`)
  if ((st.mode & 0o777) !== PRIVATE_DIR) chmodSync(dir, PRIVATE_DIR)
  return dir
}

/** Makes `file` exist with mode 0600 (or tightens it): files created after it inherit nothing. */
export function privateFile(file: string): string {
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE))
  if (POSIX && (lstatSync(file).mode & 0o777) !== PRIVATE_FILE) chmodSync(file, PRIVATE_FILE)
  return file
}

/** Tightens those of `names` in `dir` that exist (a WAL, a shared-memory file). */
export function tightenExisting(dir: string, names: readonly string[]): void {
  for (const name of names) {
    const file = join(dir, name)
    if (existsSync(file)) privateFile(file)
  }
}
