// The console's data on disk is its user's only (issue 12, finding 6), looked at as another local
// user would: a console started under the usual umask (022) against a real server, logged in,
// with a ticket, an export and the screen-pop settings — its folders are 0700 and every file
// (cache, WAL, shared memory, exports, telephony.json) 0600; a folder and cache an older version
// left readable are tightened; `npm start`'s fallback when home is not writable is per user, and
// one another user made first is refused.
import { chmodSync, chownSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CACHE_FILE } from '../../src/core/db'
import { dataHome } from '../../scripts/data-folder'
import { cleanup, draft, openConsole, startServer, tempDir, type ServerProcess } from './harness'

const mode = (path: string) => statSync(path).mode & 0o777
const octal = (path: string) => `${path.split('/').slice(-2).join('/')} ${mode(path).toString(8)}`

describe('the console data folder on disk', () => {
  let server: ServerProcess
  let umask: number
  beforeAll(async () => {
    umask = process.umask(0o022)
    server = await startServer('sqlite', 5)
  }, 60_000)
  afterAll(async () => {
    process.umask(umask)
    await cleanup()
  }, 60_000)

  /** Every folder and file under `dir` with its mode, as `ls -l` would show another user. */
  function everything(dir: string): string[] {
    const out = [octal(dir)]
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      out.push(...(statSync(path).isDirectory() ? everything(path) : [octal(path)]))
    }
    return out
  }

  it('keeps folders 0700 and files 0600 whatever the umask', async () => {
    const dataDir = join(tempDir(), 'home', 'console')
    const c = await openConsole(server.url, 'dispatcher1', dataDir, { telephony: { port: 0 } })
    await c.ok('ticket.act', { name: 'ticket.create', args: draft() })
    await c.ok('export.start', { format: 'csv' })
    const seen = everything(dataDir)
    // The control: what there is to protect is there.
    for (const name of [CACHE_FILE, `${CACHE_FILE}-wal`, 'telephony.json', 'exports'])
      expect(seen.join('\n')).toContain(name)
    expect(readdirSync(join(dataDir, 'exports')).length).toBe(1)
    expect(seen.filter((line) => !/ (700|600)$/.test(line))).toEqual([])
    // Folders 0700, files 0600, not just anything private.
    expect(mode(join(dataDir, 'exports'))).toBe(0o700)
    expect(mode(join(dataDir, CACHE_FILE))).toBe(0o600)
    expect(mode(join(dataDir, '..'))).toBe(0o700)
    await c.close()
  })

  it('tightens a folder and a cache an older version left readable', async () => {
    const dataDir = join(tempDir(), 'old')
    mkdirSync(dataDir, { mode: 0o755 })
    chmodSync(dataDir, 0o755)
    const first = await openConsole(server.url, 'dispatcher1', dataDir)
    await first.close()
    for (const f of readdirSync(dataDir)) chmodSync(join(dataDir, f), 0o644)
    chmodSync(dataDir, 0o755)
    const again = await openConsole(server.url, null, dataDir)
    expect(everything(dataDir).filter((line) => !/ (700|600)$/.test(line))).toEqual([])
    await again.close()
  })

  it("falls back to a folder of this user's own, and refuses one another user made", () => {
    const blocked = join(tempDir(), 'not-a-folder')
    writeFileSync(blocked, '')
    const home = dataHome(join(blocked, 'home'))
    expect(home).toBe(join(tmpdir(), `hotline-console-${process.getuid!()}`))
    expect(mode(home)).toBe(0o700)
    // Someone else (here: nobody, uid 65534) made this user's folder first.
    const taken = join(tempDir(), 'taken')
    mkdirSync(taken, { mode: 0o777 })
    chownSync(taken, 65534, 65534)
    expect(dataHome(taken)).toBe(home)
  })
})
