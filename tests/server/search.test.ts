// GET /api/v1/tickets/search on both engines: Chinese queries of one, two and three or more
// characters, ticket number and phone, caller name, unit scoping, no match across fields, and
// rows shaped as the console's queue rows with the phone masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { actionArgSchemas } from '../../src/shared/actions'
import type { Ticket } from '../../src/shared/ticket'
import { applyAction, makeRulesContext } from '../../src/shared/workflow'
import { Store } from '../../src/server/store'
import { connect } from '../../src/server/store/db'
import { migrate } from '../../src/server/store/migrate'
import { ticketRow } from '../../src/server/store/rows'
import {
  reference,
  scratchDatabase,
  startTestServer,
  testEngines,
  type Json,
  type TestServer,
} from './helpers'
import { createArgs, mutation, uuid } from './tickets'

interface Made {
  id: string
  number: string
}

describe.each(await testEngines())('ticket search on %s', (engine) => {
  let t: TestServer
  let dispatcher: string
  let unit: string
  const made: Record<string, Made> = {}

  const search = async (q: string, token = dispatcher, limit?: number) => {
    const qs = new URLSearchParams({ q, ...(limit ? { limit: String(limit) } : {}) })
    const r = await t.api('GET', `/api/v1/tickets/search?${qs}`, token)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r.body.rows as Json[]
  }
  const ids = (rows: Json[]) => rows.map((r) => r.id as string).sort()
  const idsOf = (...names: string[]) => names.map((n) => made[n]!.id).sort()

  beforeAll(async () => {
    t = await startTestServer(engine)
    dispatcher = await t.login('dispatcher1')
    unit = await t.login('unit-CITY-UM')
    const tickets = {
      noise: createArgs({
        description: '楼下工地夜间施工噪音扰民，影响休息',
        caller: { name: '欧阳娜娜', phone: '13912345678' },
        location: { address: '镇江市京口区学府路 88 号', district: '321102' },
      }),
      lamp: createArgs({
        description: '小区门口路灯不亮已经一周',
        caller: { name: '李四', phone: '051185551234' },
        location: { address: '镇江市润州区南徐大道 6 号', district: '321111' },
      }),
      noise2: createArgs({
        description: '广场舞噪音太大',
        caller: { name: '王五', phone: '13700001111' },
        location: { address: '镇江市丹徒区谷阳大道', district: '321112' },
      }),
      plain: createArgs({
        description: 'Water leak at the gate',
        caller: { name: 'Smith', phone: '13600002222' },
        location: { address: '镇江市京口区中山东路 1 号', district: '321102' },
      }),
    }
    const c = uuid()
    const names = Object.keys(tickets) as Array<keyof typeof tickets>
    const pushed = await t.api('POST', '/api/v1/sync/push', dispatcher, {
      clientId: c,
      mutations: [
        ...names.map((n, i) => mutation(i + 1, 'ticket.create', tickets[n])),
        // Only the noise ticket goes to urban management (the unit user's unit).
        mutation(10, 'ticket.dispatch', { ticketId: tickets.noise.ticket.id, unit: 'CITY-UM' }),
        mutation(11, 'ticket.dispatch', { ticketId: tickets.noise2.ticket.id, unit: 'CITY-EE' }),
      ],
    })
    expect(pushed.body.results.every((r: Json) => r.status === 'ok')).toBe(true)
    const pulled = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=100', dispatcher)
    for (const n of names) {
      const tk = pulled.body.tickets.find((x: Json) => x.id === tickets[n].ticket.id)
      made[n] = { id: tk.id, number: tk.number }
    }
  })
  afterAll(() => t?.close())

  it('finds Chinese text of three or more characters', async () => {
    expect(ids(await search('噪音扰民'))).toEqual(idsOf('noise'))
    expect(ids(await search('路灯不亮'))).toEqual(idsOf('lamp'))
    expect(ids(await search('学府路'))).toEqual(idsOf('noise'))
  })

  it('finds one- and two-character Chinese queries', async () => {
    expect(ids(await search('噪音'))).toEqual(idsOf('noise', 'noise2'))
    expect(ids(await search('路灯'))).toEqual(idsOf('lamp'))
    expect(ids(await search('灯'))).toEqual(idsOf('lamp'))
    expect(ids(await search('舞'))).toEqual(idsOf('noise2'))
    expect(await search('鑫')).toEqual([])
  })

  it('finds tickets by number, phone and caller name, and masks the phone', async () => {
    const byNumber = await search(made.lamp!.number)
    expect(ids(byNumber)).toEqual(idsOf('lamp'))
    expect(byNumber[0]).toMatchObject({
      number: made.lamp!.number,
      provisional: false,
      status: 'new',
      callerName: '李四',
      callerPhoneMasked: '051****1234',
      address: '镇江市润州区南徐大道 6 号',
      summary: '小区门口路灯不亮已经一周',
      deadlineState: 'none',
      pending: false,
    })
    expect(JSON.stringify(byNumber)).not.toContain('051185551234')
    expect(ids(await search('13912345678'))).toEqual(idsOf('noise'))
    expect(ids(await search('85551'))).toEqual(idsOf('lamp'))
    expect(ids(await search('欧阳娜娜'))).toEqual(idsOf('noise'))
    expect(ids(await search('欧阳'))).toEqual(idsOf('noise'))
  })

  it('matches Latin text without regard to case, and never across two fields', async () => {
    expect(ids(await search('water LEAK'))).toEqual(idsOf('plain'))
    // The end of the phone and the start of the address are adjacent lines of the index.
    expect(await search('2222镇江')).toEqual([])
    expect(await search('%')).toEqual([])
    expect(await search('_')).toEqual([])
  })

  it('lists the newest first and honours the limit', async () => {
    const all = await search('镇江市')
    expect(all.map((r) => r.id)).toEqual(
      [made.noise!, made.lamp!, made.noise2!, made.plain!].map((m) => m.id).reverse(),
    )
    expect((await search('镇江市', dispatcher, 2)).map((r) => r.id)).toEqual(
      all.slice(0, 2).map((r) => r.id),
    )
  })

  it("finds for a unit only its own unit's tickets", async () => {
    expect(ids(await search('噪音', unit))).toEqual(idsOf('noise'))
    expect(ids(await search('镇江市', unit))).toEqual(idsOf('noise'))
    expect(await search('路灯不亮', unit)).toEqual([])
    expect(await search(made.lamp!.number, unit)).toEqual([])
  })

  it('finds a ticket by its new text after an edit', async () => {
    const c = uuid()
    const r = await t.api('POST', '/api/v1/sync/push', dispatcher, {
      clientId: c,
      mutations: [
        mutation(1, 'ticket.update', {
          ticketId: made.plain!.id,
          patch: { description: '井盖缺失，行人易跌落' },
        }),
      ],
    })
    expect(r.body.results[0].status, JSON.stringify(r.body)).toBe('ok')
    expect(ids(await search('井盖'))).toEqual(idsOf('plain'))
    expect(await search('Water leak')).toEqual([])
  })

  it('names the field of a bad query', async () => {
    const empty = await t.api('GET', '/api/v1/tickets/search?q=%20', dispatcher)
    expect(empty.status).toBe(400)
    expect(empty.body.error.field).toBe('q')
    const big = await t.api('GET', '/api/v1/tickets/search?q=x&limit=5000', dispatcher)
    expect(big.status).toBe(400)
    expect(big.body.error.field).toBe('limit')
  })
})

describe.each(await testEngines())('search after migrating an older database on %s', (engine) => {
  it('indexes the tickets that were there before, caller names included', async () => {
    const scratch = await scratchDatabase(engine)
    const conn = connect(scratch.options)
    try {
      await migrate(conn.db, engine, 2)
      const ticket = await sampleTicket({
        caller: { name: '孙悟空', phone: '13800138000' },
        location: { address: '花果山水帘洞', district: '321102' },
        description: '夜里猴子喧哗',
      })
      const { caller_name: _name, ...row } = ticketRow({ ...ticket, number: '20261128000042' }, 1)
      await conn.db.insertInto('tickets').values(row).execute()
    } finally {
      await conn.close()
    }
    const store = await Store.open(scratch.options)
    try {
      for (const q of ['孙悟空', '猴子', '洞', '000042', '13800138000']) {
        const found = await store.search.search({ q, limit: 10, unit: null })
        expect(
          found.map((x) => x.caller.name),
          q,
        ).toEqual(['孙悟空'])
      }
    } finally {
      await store.close()
      await scratch.drop()
    }
  })
})

/** A whole ticket as the rules make it, to write as a row. */
async function sampleTicket(over: Record<string, unknown>): Promise<Ticket> {
  const args = actionArgSchemas['ticket.create'].parse(createArgs(over))
  const res = applyAction(
    null,
    { name: 'ticket.create', args },
    { userId: 'u', role: 'agent', unit: null, name: 'a', consoleId: null },
    Date.now(),
    makeRulesContext(await reference()),
  )
  if (!res.ok) throw new Error(res.refusal.message.en)
  return res.ticket
}
