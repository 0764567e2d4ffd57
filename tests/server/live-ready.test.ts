// A console that connects is told the newest change the database holds, not only what this server
// process has heard. Found in the cluster test: an instance was killed just after committing; the
// consoles that had pulled its last change reconnected to the other instance, whose 'ready' still
// carried the seq before it (the NOTIFY had not reached it), so they judged the server restored
// from a backup and took a fresh snapshot. Here another instance's commit is a change-log row
// written straight into PostgreSQL, which this process never hears of.
import { once } from 'node:events'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startTestServer, testEngines, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const engines = await testEngines()

describe.skipIf(!engines.includes('postgres'))('the live ready message', () => {
  let t: TestServer
  let token = ''
  beforeAll(async () => {
    t = await startTestServer('postgres')
    token = await t.login('dispatcher1')
  })
  afterAll(() => t?.close())

  const ready = async (): Promise<number> => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/live`)
    await once(ws, 'open')
    const got = new Promise<number>((resolve) =>
      ws.on('message', (d) => {
        const m = JSON.parse(String(d)) as { type: string; seq: number }
        if (m.type === 'ready') resolve(m.seq)
      }),
    )
    ws.send(JSON.stringify({ type: 'auth', token }))
    const seq = await got
    ws.close()
    return seq
  }

  it('carries the database’s newest seq, also one committed by another instance', async () => {
    const r = await t.api('POST', '/api/v1/sync/push', token, {
      clientId: uuid(),
      mutations: [mutation(1, 'ticket.create', createArgs())],
    })
    expect(r.status).toBe(200)
    const heard = await ready()
    expect(heard).toBeGreaterThan(0)
    // Another instance commits; its NOTIFY never comes here.
    const other = new pg.Client({ connectionString: t.databaseUrl! })
    await other.connect()
    try {
      await other.query(
        `insert into change_log (seq, kind, ticket_id, client_id, audience, xid, at)
         values ($1, 'result', null, 'another-instance', null, null, $2)`,
        [heard + 3, new Date().toISOString()],
      )
    } finally {
      await other.end()
    }
    expect(await ready()).toBe(heard + 3)
  })
})
