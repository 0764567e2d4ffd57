// `npm run server:backup`: a copy of the SQLite database taken while the server runs (and after
// it stopped) is a working database with everything acknowledged before the copy, readable by
// the server's user only.
import { execFile } from 'node:child_process'
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { buildServer } from '../../src/server/app'
import { Store } from '../../src/server/store'
import { SQLITE_FILE } from '../../src/server/store/db'
import { seedDemoUsers } from '../../src/server/demo/seed'
import { reference, TEST_SCRYPT, type Json } from './helpers'
import { createArgs, mutation } from './tickets'

const run = promisify(execFile)
const work = mkdtempSync(join(tmpdir(), 'hotline-backup-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const backup = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['--import', 'tsx', 'src/server/backup.ts', ...args], {
    env: { ...process.env, DATABASE_URL: '', ...env },
  })

async function login(url: string): Promise<string> {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'dispatcher1', password: 'demo' }),
  })
  return ((await r.json()) as { token: string }).token
}

/** The ticket ids a server over this database file (restored as the docs say) gives. */
async function ticketsIn(file: string): Promise<Set<string>> {
  const dir = mkdtempSync(join(work, 'restored-'))
  copyFileSync(file, join(dir, SQLITE_FILE))
  const store = await Store.open({ dataDir: dir })
  const server = await buildServer({ store, scrypt: TEST_SCRYPT })
  try {
    const url = await server.listen(0)
    const token = await login(url)
    const r = await fetch(`${url}/api/v1/sync/pull?limit=2000`, {
      headers: { authorization: `Bearer ${token}` },
    })
    const pulled: Json = await r.json()
    return new Set(pulled.tickets.map((t: { id: string }) => t.id))
  } finally {
    await server.close()
    await store.close()
  }
}

describe('npm run server:backup (SQLite)', () => {
  it('copies a running server’s database, and a stopped one’s', async () => {
    const dataDir = mkdtempSync(join(work, 'server-'))
    const store = await Store.open({ dataDir })
    const ref = await reference()
    await store.putReference(ref, null)
    await seedDemoUsers(store, ref, 'demo', TEST_SCRYPT)
    const server = await buildServer({ store, scrypt: TEST_SCRYPT })
    const url = await server.listen(0)
    const token = await login(url)
    const push = async (id: number, args: Json) => {
      const r = await fetch(`${url}/api/v1/sync/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          clientId: 'backup-test',
          mutations: [mutation(id, 'ticket.create', args)],
        }),
      })
      expect(r.status).toBe(200)
    }
    const first = createArgs()
    await push(1, first)

    const running = join(work, 'running.sqlite')
    const { stdout } = await backup(['--data', dataDir, '--out', running])
    expect(stdout).toMatch(/integrity ok/)
    // Every citizen's data: the database and its copy are the server user's only (issue 12).
    const mode = (path: string) => statSync(path).mode & 0o777
    expect(mode(join(dataDir, SQLITE_FILE))).toBe(0o600)
    expect(mode(join(dataDir, `${SQLITE_FILE}-wal`))).toBe(0o600)
    expect(mode(running)).toBe(0o600)
    const later = createArgs()
    await push(2, later)
    await server.close()
    await store.close()

    const stopped = join(work, 'stopped.sqlite')
    await backup(['--out', stopped], { HOTLINE_SERVER_DATA: dataDir })
    rmSync(dataDir, { recursive: true, force: true })

    const a = await ticketsIn(running)
    expect(a.has(first.ticket.id)).toBe(true)
    expect(a.has(later.ticket.id)).toBe(false)
    const b = await ticketsIn(stopped)
    expect(b.has(first.ticket.id) && b.has(later.ticket.id)).toBe(true)
  })

  it('refuses without --out, and on PostgreSQL points to pg_dump', async () => {
    await expect(backup([])).rejects.toMatchObject({ code: 2 })
    await expect(
      backup(['--out', join(work, 'x.sqlite')], { DATABASE_URL: 'postgres://h/db' }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/pg_dump/) })
  })
})
