// PostgreSQL commits change-log seqs out of order. A pull must never move its cursor past a seq
// whose transaction may still commit, and must not wait for transactions that cannot write ours
// (another database on the same PostgreSQL server).
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PG_ADMIN_URL, startTestServer, testEngines, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const engines = (await testEngines()).filter((e) => e === 'postgres')

describe.skipIf(engines.length === 0)('pull consistency on postgres', () => {
  let t: TestServer
  let agent: string
  let dispatcher: string
  beforeAll(async () => {
    t = await startTestServer('postgres')
    agent = await t.login('agent1')
    dispatcher = await t.login('dispatcher1')
  })
  afterAll(() => t?.close())

  const pullFrom = async (cursor: number) => {
    const r = await t.api('GET', `/api/v1/sync/pull?cursor=${cursor}&limit=500`, dispatcher)
    expect(r.status).toBe(200)
    return r.body as { cursor: number; tickets: Array<{ id: string }> }
  }
  const create = async () => {
    const args = createArgs()
    const r = await t.api('POST', '/api/v1/sync/push', agent, {
      clientId: uuid(),
      mutations: [mutation(1, 'ticket.create', args)],
    })
    expect(r.body.results[0].status).toBe('ok')
    return args.ticket.id
  }

  it('holds the cursor before a writer still in flight, then delivers what came after it', async () => {
    const start = (await pullFrom(0)).cursor
    const slow = new pg.Client({ connectionString: t.databaseUrl! })
    await slow.connect()
    try {
      // A writer that has taken its seq but not committed yet.
      await slow.query('begin')
      const held = await slow.query('select seq from next_change_seq()')
      const heldSeq = Number(held.rows[0].seq)
      const id = await create() // takes a later seq and commits first
      const during = await pullFrom(start)
      expect(during.tickets.map((x) => x.id)).not.toContain(id)
      expect(during.cursor).toBeLessThan(heldSeq)
      await slow.query('rollback')
      const after = await pullFrom(during.cursor)
      expect(after.tickets.map((x) => x.id)).toContain(id)
    } finally {
      await slow.end()
    }
  })

  it('is not held back by a long transaction in another database', async () => {
    const other = new pg.Client({ connectionString: PG_ADMIN_URL })
    await other.connect()
    try {
      await other.query('begin')
      await other.query('select pg_current_xact_id()')
      const start = (await pullFrom(0)).cursor
      const id = await create()
      const r = await pullFrom(start)
      expect(r.tickets.map((x) => x.id)).toContain(id)
      await other.query('rollback')
    } finally {
      await other.end()
    }
  })
})
