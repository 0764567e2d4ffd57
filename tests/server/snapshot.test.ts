// First sync: open tickets first, then recently closed ones, newest first, in pages; the seq to
// pull from afterwards; a unit gets only its own; an old closed ticket is left for on demand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'
import { ticketUnits } from '../../src/server/store/rows'
import type { Ticket } from '../../src/shared/ticket'
import { SNAPSHOT_PAGE_MAX } from '../../src/shared/sync'

const DAY = 86_400_000

describe.each(await testEngines())('first-sync snapshot on %s', (engine) => {
  let t: TestServer
  let clock = Date.parse('2026-11-23T01:00:00Z')
  const ids: Record<string, string> = {}
  let agent: string
  let dispatcher: string

  const push = async (token: string, name: string, args: unknown) => {
    const r = await t.api('POST', '/api/v1/sync/push', token, {
      clientId: uuid(),
      mutations: [mutation(1, name, args)],
    })
    expect(r.body.results?.[0], `${name}: ${JSON.stringify(r.body)}`).toMatchObject({
      status: 'ok',
    })
  }
  const create = async (key: string) => {
    const a = createArgs()
    ids[key] = a.ticket.id
    await push(agent, 'ticket.create', a)
    clock += 60_000
  }

  beforeAll(async () => {
    t = await startTestServer(engine, { now: () => clock })
    agent = await t.login('agent1')
    dispatcher = await t.login('dispatcher1')
    // Closed long ago: answered on the call 100 days before the others.
    clock -= 100 * DAY
    await create('oldClosed')
    await push(agent, 'ticket.answer', { ticketId: ids.oldClosed, text: '已解答' })
    clock += 100 * DAY
    await create('recentClosed')
    await push(agent, 'ticket.answer', { ticketId: ids.recentClosed, text: '已解答' })
    clock += 60_000
    for (const k of ['open1', 'open2', 'open3']) await create(k)
    await push(dispatcher, 'ticket.dispatch', { ticketId: ids.open2, unit: 'CITY-UM' })
    clock += 60_000
  })
  afterAll(() => t?.close())

  async function readAll(token: string, limit: number) {
    const pages: Json[] = []
    let r = await t.api('GET', `/api/v1/sync/snapshot?limit=${limit}`, token)
    expect(r.status).toBe(200)
    pages.push(r.body)
    while (r.body.next) {
      r = await t.api(
        'GET',
        `/api/v1/sync/snapshot?seq=${pages[0].seq}&after=${encodeURIComponent(r.body.next)}&limit=${limit}`,
        token,
      )
      expect(r.status).toBe(200)
      pages.push(r.body)
    }
    return pages
  }

  it('sends open tickets first, newest first, then recent closed ones, in pages', async () => {
    const pages = await readAll(dispatcher, 2)
    expect(pages.length).toBe(2)
    expect(pages[0].total).toBe(4)
    // The three open ones come first: after them the console has its work (issue 18).
    expect(pages[0].open).toBe(3)
    expect(pages[1].total).toBeNull()
    expect(pages[1].open).toBeNull()
    const order = pages.flatMap((p) => p.tickets.map((x: Json) => x.id))
    // open2 was dispatched last, so it is the newest open ticket
    expect(order).toEqual([ids.open2, ids.open3, ids.open1, ids.recentClosed])
    expect(order).not.toContain(ids.oldClosed)
    const events = pages.flatMap((p) => p.events)
    expect(events.filter((e: Json) => e.ticketId === ids.open2).map((e: Json) => e.type)).toEqual([
      'created',
      'dispatched',
    ])
  })

  it('continues by pulling from its seq without missing a later change', async () => {
    const pages = await readAll(dispatcher, 100)
    const seq = pages[0].seq
    await create('after')
    const r = await t.api('GET', `/api/v1/sync/pull?cursor=${seq}`, dispatcher)
    expect(r.body.tickets.map((x: Json) => x.id)).toEqual([ids.after])
  })

  it("gives a unit only its own unit's tickets", async () => {
    const unit = await t.login('unit-CITY-UM')
    const pages = await readAll(unit, 10)
    expect([pages[0].total, pages[0].open]).toEqual([1, 1])
    expect(pages.flatMap((p) => p.tickets.map((x: Json) => x.id))).toEqual([ids.open2])
  })

  it('serves pages of up to SNAPSHOT_PAGE_MAX tickets and says so on its first page', async () => {
    // Issue 18: a console writes larger pages faster (fewer commits); it learns the server's
    // bound from the first page, so an older server (no `maxLimit`) is never asked for more.
    const first = await t.api('GET', `/api/v1/sync/snapshot?limit=${SNAPSHOT_PAGE_MAX}`, dispatcher)
    expect(first.status).toBe(200)
    expect(first.body.maxLimit).toBe(SNAPSHOT_PAGE_MAX)
    const next = await t.api(
      'GET',
      `/api/v1/sync/snapshot?limit=1&seq=${first.body.seq}&after=${encodeURIComponent(
        (await t.api('GET', '/api/v1/sync/snapshot?limit=1', dispatcher)).body.next,
      )}`,
      dispatcher,
    )
    expect(next.body.maxLimit).toBeUndefined()
    const over = await t.api(
      'GET',
      `/api/v1/sync/snapshot?limit=${SNAPSHOT_PAGE_MAX + 1}`,
      dispatcher,
    )
    expect(over.status).toBe(400)
  })

  it('names a bad page position', async () => {
    const r = await t.api('GET', '/api/v1/sync/snapshot?seq=1&after=garbage', dispatcher)
    expect(r.status).toBe(400)
    expect(r.body.error).toMatchObject({ field: 'after', code: 'invalid_position' })
  })

  it("follows a ticket's units as they change: dispatched to the unit, recalled from it", async () => {
    // On PostgreSQL a unit's pages come from ticket_units (migration 17), kept by a trigger.
    await push(dispatcher, 'ticket.dispatch', { ticketId: ids.open1, unit: 'CITY-UM' })
    clock += 60_000
    await push(dispatcher, 'ticket.dispatch', { ticketId: ids.open3, unit: 'CITY-UM' })
    clock += 60_000
    await push(dispatcher, 'ticket.recall', { ticketId: ids.open1, reason: '派错单位' })
    clock += 60_000
    const all: Json[] = (await readAll(dispatcher, 100)).flatMap((p) => p.tickets)
    const own = all.filter((x) => ticketUnits(x as Ticket).includes('CITY-UM'))
    expect(own.map((x) => x.id)).toContain(ids.open3)
    expect(own.map((x) => x.id)).not.toContain(ids.open1)
    const pages = await readAll(await t.login('unit-CITY-UM'), 1)
    expect(pages.flatMap((p) => p.tickets.map((x: Json) => x.id))).toEqual(own.map((x) => x.id))
    expect(pages[0].total).toBe(own.length)
    expect(pages[0].open).toBe(own.length)
  })
})

describe.each(await testEngines())('change-log retention on %s', (engine) => {
  let t: TestServer
  afterAll(() => t?.close())

  it('refuses a pull from below the kept change log as stale, and serves one above it', async () => {
    t = await startTestServer(engine)
    const agent = await t.login('agent1')
    const dispatcher = await t.login('dispatcher1')
    const client = uuid()
    for (let i = 1; i <= 3; i++)
      await t.api('POST', '/api/v1/sync/push', agent, {
        clientId: client,
        mutations: [mutation(i, 'ticket.create', createArgs())],
      })
    const before = (await t.api('GET', '/api/v1/sync/pull?cursor=0', dispatcher)).body.cursor
    const floor = await t.store.pruneChangeLog(new Date(Date.now() + 60_000).toISOString())
    expect(floor).toBe(before + 1)
    const stale = await t.api('GET', '/api/v1/sync/pull?cursor=1', dispatcher)
    expect(stale.status).toBe(410)
    expect(stale.body.error).toMatchObject({ code: 'cursor_stale', field: 'cursor' })
    const fine = await t.api('GET', `/api/v1/sync/pull?cursor=${before}`, dispatcher)
    expect(fine.status).toBe(200)
    // The snapshot still has everything.
    const snap = await t.api('GET', '/api/v1/sync/snapshot', dispatcher)
    expect(snap.body.total).toBe(3)
  })
})

describe.each(await testEngines())('acknowledging mutations on %s', (engine) => {
  let t: TestServer
  afterAll(() => t?.close())

  it("acknowledges a console's mutations only on the page that delivers their effects", async () => {
    t = await startTestServer(engine)
    const agent = await t.login('agent1')
    const client = uuid()
    const start = (await t.api('GET', '/api/v1/sync/pull?cursor=0', agent)).body.cursor
    await t.api('POST', '/api/v1/sync/push', agent, {
      clientId: client,
      mutations: [1, 2, 3].map((i) => mutation(i, 'ticket.create', createArgs())),
    })
    const page = (cursor: number) =>
      t.api('GET', `/api/v1/sync/pull?cursor=${cursor}&limit=1&clientId=${client}`, agent)
    const first = await page(start)
    expect(first.body).toMatchObject({ hasMore: true, lastMutationId: null })
    const second = await page(first.body.cursor)
    const third = await page(second.body.cursor)
    expect(third.body).toMatchObject({ hasMore: false, lastMutationId: 3 })
  })
})
