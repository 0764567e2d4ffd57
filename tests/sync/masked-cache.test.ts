// A unit console whose cache was filled before the server masked phone numbers (issue 7) held its
// anonymous callers' numbers in full: at its next login it starts again from a fresh snapshot,
// which the server masks, so the old full number is gone from its cache.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CACHE_FILE } from '../../src/core/db'
import {
  cleanup,
  draft,
  openConsole,
  startServer,
  synced,
  tempDir,
  waitFor,
  type ServerProcess,
} from './harness'

const UNIT = 'JK-UM'
const FULL = '13955550123'

describe('a unit cache from before masking', () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServer('sqlite', 5)
  }, 60_000)
  afterAll(cleanup, 60_000)

  it('is replaced by a masked snapshot at the next login', async () => {
    const disp = await openConsole(server.url, 'dispatcher1')
    const d = draft()
    d.ticket.caller = { name: '匿名市民', phone: FULL, anonymous: true } as never
    const id = d.ticket.id
    await disp.ok('ticket.act', { name: 'ticket.create', args: d })
    await disp.ok('ticket.act', { name: 'ticket.dispatch', args: { ticketId: id, unit: UNIT } })
    await waitFor(() => synced(disp), 10_000)

    const dir = tempDir()
    let unit = await openConsole(server.url, `unit-${UNIT}`, dir)
    await waitFor(() => unit.store.ticket(id) !== null, 10_000)
    expect(unit.store.ticket(id)!.ticket.caller.phone).toBe('139****0123')
    await unit.close()

    // What an older version left: the full number in the rows, and the owner as it wrote it.
    const db = new Database(join(dir, CACHE_FILE))
    const owner = (
      db.prepare(`SELECT value FROM meta WHERE key = 'cacheOwner'`).get() as { value: string }
    ).value
    // The mark says what the server hid when the cache was filled (issue 12 added the notes).
    expect(owner).toMatch(/\|phones-masked\|notes-scoped$/)
    db.prepare(`UPDATE meta SET value = ? WHERE key = 'cacheOwner'`).run(
      owner.replace(/\|phones-masked\|notes-scoped$/, ''),
    )
    db.prepare(
      `UPDATE server_tickets SET data = json_set(data, '$.caller.phone', ?) WHERE id = ?`,
    ).run(FULL, id)
    db.close()
    unit = await openConsole(server.url, null, dir)
    expect(unit.store.ticket(id)!.ticket.caller.phone).toBe(FULL) // still there before login

    await unit.ok('session.login', { username: `unit-${UNIT}`, password: 'demo' })
    await waitFor(() => synced(unit) && unit.store.ticket(id) !== null, 10_000)
    expect(unit.store.ticket(id)!.ticket.caller.phone).toBe('139****0123')
    const onDisk = new Database(join(dir, CACHE_FILE), { readonly: true })
    const hits = onDisk
      .prepare(`SELECT count(*) AS n FROM server_tickets WHERE data LIKE ?`)
      .get(`%${FULL}%`) as { n: number }
    onDisk.close()
    expect(hits.n).toBe(0)
  })
})
