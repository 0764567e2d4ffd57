// Issue 18: pages on the live socket. A console that says where its cursor stands is sent the page
// a pull from there would answer instead of a poke — scoped exactly as that pull, so a unit's staff
// never receive another unit's tickets — and is poked where its own page would differ (its own
// mutations in the range). A console that never says so is poked as before.
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { CLIENT_ID_HEADER } from '../../src/shared/sync'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

interface Live {
  ws: WebSocket
  ready: Json
  /** Every message as received, raw. */
  raw: string[]
  messages: Json[]
}

describe.each(await testEngines())('pages on the live socket on %s', (engine) => {
  let t: TestServer
  const tokens: Record<string, string> = {}
  beforeAll(async () => {
    t = await startTestServer(engine)
    for (const who of [
      'agent1',
      'dispatcher1',
      'supervisor1',
      'admin1',
      'unit-CITY-UM',
      'unit-CITY-EE',
    ])
      tokens[who] = await t.login(who)
  })
  afterAll(() => t?.close())

  /** A socket that, when `clientId` is given, asks for pages from the server's newest seq. */
  async function connect(who: string, clientId: string | null): Promise<Live> {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/live`)
    const live: Live = { ws, ready: null, raw: [], messages: [] }
    const ready = new Promise<void>((resolve) =>
      ws.on('message', (d) => {
        const text = String(d)
        live.raw.push(text)
        const m = JSON.parse(text) as Json
        live.messages.push(m)
        if (m.type === 'ready') {
          live.ready = m
          resolve()
        }
      }),
    )
    await once(ws, 'open')
    ws.send(JSON.stringify({ type: 'auth', token: tokens[who] }))
    await ready
    if (clientId) ws.send(JSON.stringify({ type: 'cursor', clientId, cursor: live.ready.seq }))
    // The cursor message is in before the commits that follow.
    await new Promise((r) => setTimeout(r, 50))
    return live
  }

  const pusher = (who: string) => {
    const clientId = uuid()
    let n = 0
    return {
      clientId,
      async push(name: string, args: unknown) {
        const r = await t.api('POST', '/api/v1/sync/push', tokens[who], {
          clientId,
          mutations: [mutation(++n, name, args)],
        })
        expect(r.body.results?.[0], JSON.stringify(r.body)).toMatchObject({ status: 'ok' })
      },
    }
  }

  const until = async (what: () => boolean) => {
    const t0 = Date.now()
    while (!what()) {
      if (Date.now() - t0 > 5000) throw new Error('timed out')
      await new Promise((r) => setTimeout(r, 20))
    }
  }
  const settle = () => new Promise((r) => setTimeout(r, 400))
  const of = (live: Live, type: string) => live.messages.filter((m) => m.type === type)

  it('sends the page a pull would answer to a console that asked, and pokes an older one', async () => {
    const clientId = uuid()
    const paged = await connect('dispatcher1', clientId)
    const older = await connect('dispatcher1', null)
    expect(paged.ready.pages).toBe(true)
    const from = paged.ready.seq as number

    const a = createArgs()
    await pusher('agent1').push('ticket.create', a)
    await until(() => of(paged, 'page').length > 0 && of(older, 'poke').length > 0)
    await settle()

    expect(of(paged, 'poke')).toEqual([])
    const [msg] = of(paged, 'page')
    expect(msg.from).toBe(from)
    expect(msg.page.tickets.map((x: Json) => x.id)).toEqual([a.ticket.id])
    // Exactly the page this console would have pulled, but that it acknowledges nothing new.
    const pulled = await fetch(`${t.url}/api/v1/sync/pull?cursor=${from}`, {
      headers: { authorization: `Bearer ${tokens.dispatcher1}`, [CLIENT_ID_HEADER]: clientId },
    }).then((r) => r.json() as Promise<Json>)
    expect({ ...msg.page, lastMutationId: 0 }).toEqual(pulled)
    expect(msg.page.lastMutationId).toBeNull()

    expect(of(older, 'page')).toEqual([])
    expect(of(older, 'poke').at(-1).seq).toBe(msg.page.cursor)
    paged.ws.close()
    older.ws.close()
  })

  it('pokes the console whose own mutation is in the range: its page carries its results', async () => {
    const p = pusher('agent1')
    const own = await connect('agent1', p.clientId)
    const other = await connect('agent1', uuid())
    await p.push('ticket.create', createArgs())
    await until(() => of(own, 'poke').length > 0 && of(other, 'page').length > 0)
    await settle()
    expect(of(own, 'page')).toEqual([])
    own.ws.close()
    other.ws.close()
  })

  it('sends pages again to a poked console once it says where its cursor stands', async () => {
    const p = pusher('agent1')
    const own = await connect('agent1', p.clientId)
    await p.push('ticket.create', createArgs())
    await until(() => of(own, 'poke').length > 0)
    // As a console does once its pull is over: here it is, at the newest seq.
    const seq = await t.store.latestSeq()
    own.ws.send(JSON.stringify({ type: 'cursor', clientId: p.clientId, cursor: seq }))
    await new Promise((r) => setTimeout(r, 50))
    const a = createArgs()
    await pusher('agent1').push('ticket.create', a)
    await until(() => of(own, 'page').length > 0)
    const [page] = of(own, 'page')
    expect(page.from).toBe(seq)
    expect(page.page.tickets.map((x: Json) => x.id)).toEqual([a.ticket.id])
    own.ws.close()
  })

  it('says when the knowledge base changed in the range, for the console to pull its feed', async () => {
    const live = await connect('agent1', uuid())
    const created = await t.api('POST', '/api/v1/kb/entries', tokens.supervisor1, {
      entry: {
        title: '住房公积金提取',
        questions: ['公积金怎么取出来'],
        answer: '可通过网上大厅办理。',
        categories: ['0608'],
        keywords: ['公积金'],
        unit: 'CITY-HF',
        source: { name: '镇江市住房公积金提取管理办法', number: null, url: null },
        validFrom: '2024-01-01',
        validUntil: null,
        reviewBy: '2027-06-30',
      },
    })
    expect(created.status).toBe(201)
    const published = await t.api(
      'POST',
      `/api/v1/kb/entries/${created.body.entry.id}/publish`,
      tokens.supervisor1,
      { baseVersion: 1 },
    )
    expect(published.status).toBe(200)
    await until(() => of(live, 'page').some((m) => m.kb === true))
    // A ticket change alone does not say so.
    await pusher('agent1').push('ticket.create', createArgs())
    const seq = await t.store.latestSeq()
    await until(() => of(live, 'page').some((m) => m.page.cursor >= seq))
    expect(of(live, 'page').at(-1).kb).toBe(false)
    live.ws.close()
  })

  it('counts a console fed by pages as active, at the cursor its last page left it', async () => {
    const metric = async (name: string) => {
      const text = (await t.api('GET', '/metrics', tokens.admin1)).body as string
      return Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN)
    }
    const before = await metric('hotline_sync_active_consoles')
    const live = await connect('agent1', uuid())
    await pusher('agent1').push('ticket.create', createArgs())
    await until(() => of(live, 'page').length > 0)
    // It never pulled: the page it was sent is what the change-log lag is to count.
    expect(await metric('hotline_sync_active_consoles')).toBe(before + 1)
    live.ws.close()
  })

  it("never sends a unit's staff another unit's ticket", async () => {
    const um = await connect('unit-CITY-UM', uuid())
    const ee = await connect('unit-CITY-EE', uuid())
    const agent = pusher('agent1')
    const dispatcher = pusher('dispatcher1')
    const a = createArgs()
    await agent.push('ticket.create', a)
    await dispatcher.push('ticket.dispatch', { ticketId: a.ticket.id, unit: 'CITY-UM' })
    await until(() =>
      of(um, 'page').some((m) => m.page.tickets.some((x: Json) => x.id === a.ticket.id)),
    )
    // A note on it, after the dispatch: the unit's cursor moves on by pages, the other's too.
    await agent.push('ticket.note', { ticketId: a.ticket.id, text: '来电人再次来电催问进展' })
    const seq = await t.store.latestSeq()
    await until(() => of(ee, 'page').some((m) => m.page.cursor >= seq))
    await settle()

    // CITY-EE's socket was sent pages over those commits, and not one byte of that ticket.
    expect(of(ee, 'page').length).toBeGreaterThan(0)
    const bytes = ee.raw.join('\n')
    expect(bytes).not.toContain(a.ticket.id)
    expect(bytes).not.toContain(a.ticket.description)
    expect(bytes).not.toContain('来电人再次来电催问进展')
    // CITY-UM's was sent the ticket as the note left it (internal notes are not a unit's to see).
    const last = of(um, 'page').at(-1)
    expect(last.page.tickets.find((x: Json) => x.id === a.ticket.id)?.version).toBe(3)
    um.ws.close()
    ee.ws.close()
  })
})
