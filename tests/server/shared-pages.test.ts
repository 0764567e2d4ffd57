// Issue 18: consoles pulling the same range share one page read, scoped exactly as a page read
// for each — a unit never gets the centre's page — and a console with results of its own in the
// range still gets them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_ID_HEADER } from '../../src/shared/sync'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

describe.each(await testEngines())('shared pull pages on %s', (engine) => {
  let t: TestServer
  const tokens: Record<string, string> = {}
  let admin = ''
  let cursor = 0
  const unitTicket = createArgs()

  const pull = async (who: string, client: string, from = cursor) => {
    const r = await fetch(`${t.url}/api/v1/sync/pull?cursor=${from}`, {
      headers: { authorization: `Bearer ${tokens[who]}`, [CLIENT_ID_HEADER]: client },
    })
    expect(r.status).toBe(200)
    return (await r.json()) as Json
  }
  const pages = async () => {
    const text = (await t.api('GET', '/metrics', admin)).body as string
    const n = (source: string) =>
      Number(
        new RegExp(`^hotline_sync_pull_pages_total\\{source="${source}"\\} (\\d+)`, 'm').exec(
          text,
        )?.[1],
      )
    return { shared: n('shared'), read: n('read'), own: n('own') }
  }

  beforeAll(async () => {
    t = await startTestServer(engine)
    for (const u of ['dispatcher1', 'supervisor1', 'unit-CITY-UM', 'unit-JK-ZDL'])
      tokens[u] = await t.login(u)
    admin = await t.login('admin1')
    // Where consoles stand now; then three tickets, one of them dispatched to CITY-UM.
    cursor = (await pull('dispatcher1', uuid(), 0)).cursor
    const c = uuid()
    const a = createArgs()
    const b = createArgs()
    const r = await t.api('POST', '/api/v1/sync/push', tokens.dispatcher1, {
      clientId: c,
      mutations: [
        mutation(1, 'ticket.create', a),
        mutation(2, 'ticket.create', b),
        mutation(3, 'ticket.create', unitTicket),
        mutation(4, 'ticket.dispatch', { ticketId: unitTicket.ticket.id, unit: 'CITY-UM' }),
      ],
    })
    expect(r.body.results.map((x: Json) => x.status)).toEqual(['ok', 'ok', 'ok', 'ok'])
  })
  afterAll(() => t?.close())

  it('serves one read to every console of a scope pulling the same range', async () => {
    const before = await pages()
    const consoles = Array.from({ length: 6 }, () => uuid())
    const answers = await Promise.all(consoles.map((c) => pull('dispatcher1', c)))
    const after = await pages()
    expect(after.read - before.read).toBe(1)
    expect(after.shared - before.shared).toBe(5)
    for (const a of answers) {
      expect(a.tickets).toHaveLength(3)
      expect(a.results).toEqual([])
      expect(a.lastMutationId).toBe(0) // consoles that never pushed
      expect({ ...a, lastMutationId: 0 }).toEqual({ ...answers[0], lastMutationId: 0 })
    }
  })

  it('never hands one scope another scope’s page', async () => {
    const [centre, um, zdl] = await Promise.all([
      pull('supervisor1', uuid()),
      pull('unit-CITY-UM', uuid()),
      pull('unit-JK-ZDL', uuid()),
    ])
    expect(centre.tickets).toHaveLength(3)
    expect(um.tickets.map((x: Json) => x.id)).toEqual([unitTicket.ticket.id])
    expect(zdl.tickets).toEqual([])
    // The same unit again, from another console: its own scope's page, shared.
    const um2 = await pull('unit-CITY-UM', uuid())
    expect(um2.tickets.map((x: Json) => x.id)).toEqual([unitTicket.ticket.id])
  })

  it('gives a console its own results and lastMutationId', async () => {
    const c = uuid()
    const r = await t.api('POST', '/api/v1/sync/push', tokens.dispatcher1, {
      clientId: c,
      // Dispatching a ticket that does not exist is refused by the rules.
      mutations: [mutation(1, 'ticket.dispatch', { ticketId: uuid(), unit: 'CITY-UM' })],
    })
    expect(r.body.results[0].status).toBe('rejected')
    const before = await pages()
    const mine = await pull('dispatcher1', c)
    const other = await pull('dispatcher1', uuid())
    expect(mine.results.map((x: Json) => x.id)).toEqual([1])
    expect(mine.lastMutationId).toBe(1)
    expect(other.results).toEqual([])
    expect((await pages()).own - before.own).toBe(1)
  })
})
