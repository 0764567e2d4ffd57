// Citizens' phone numbers on the wire (issue 7), on both engines: a unit's pull, snapshot and
// search carry the full number only on its own tickets whose caller is not anonymous; an admin's
// never do (nor do edits of the caller on the timeline); a search cannot be used to find out whose
// number it is. A recorded view (`ticket.viewPhone`) by someone who may not see is refused and
// leaves no event; an allowed one leaves exactly one, seen by other users' pulls, even when the
// same push is repeated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

/** Numbers that appear nowhere else, so a body that contains one has leaked it. */
const NAMED = '13911112222'
const ANON = '13733334444'
const CO_UNIT = '13655556666'
const OTHER = '13577778888'
const EDITED = '15899990000'
const masked = (p: string) => `${p.slice(0, 3)}****${p.slice(-4)}`

describe.each(await testEngines())('phone numbers by role on %s', (engine) => {
  let t: TestServer
  const tokens: Record<string, string> = {}
  const named = createArgs({ caller: { name: '钱先生', phone: NAMED, anonymous: false } })
  const anon = createArgs({ caller: { name: '赵女士', phone: ANON, anonymous: true } })
  const coUnit = createArgs({ caller: { name: '孙先生', phone: CO_UNIT, anonymous: false } })
  const other = createArgs({ caller: { name: '李女士', phone: OTHER, anonymous: false } })
  const dispatcherClient = uuid()
  let mid = 0
  const push = (token: string, clientId: string, ms: unknown[]) =>
    t.api('POST', '/api/v1/sync/push', token, { clientId, mutations: ms })
  const pull = (token: string, cursor = 0) =>
    t.api('GET', `/api/v1/sync/pull?cursor=${cursor}`, token)
  const snapshot = (token: string) => t.api('GET', '/api/v1/sync/snapshot?limit=2000', token)
  const search = (token: string, q: string) =>
    t.api('GET', `/api/v1/tickets/search?q=${encodeURIComponent(q)}`, token)
  const callerOf = (body: Json, id: string) =>
    body.tickets.find((x: { id: string }) => x.id === id)?.caller

  beforeAll(async () => {
    t = await startTestServer(engine)
    for (const [k, name] of Object.entries({
      agent: 'agent1',
      dispatcher: 'dispatcher1',
      supervisor: 'supervisor1',
      admin: 'admin1',
      unit: 'unit-CITY-UM',
    }))
      tokens[k] = await t.login(name)
    const r = await push(tokens.dispatcher!, dispatcherClient, [
      mutation(++mid, 'ticket.create', named),
      mutation(++mid, 'ticket.create', anon),
      mutation(++mid, 'ticket.create', coUnit),
      mutation(++mid, 'ticket.create', other),
      mutation(++mid, 'ticket.dispatch', { ticketId: named.ticket.id, unit: 'CITY-UM' }),
      mutation(++mid, 'ticket.dispatch', { ticketId: anon.ticket.id, unit: 'CITY-UM' }),
      mutation(++mid, 'ticket.dispatch', {
        ticketId: coUnit.ticket.id,
        unit: 'CITY-EE',
        coUnits: ['CITY-UM'],
      }),
      mutation(++mid, 'ticket.dispatch', { ticketId: other.ticket.id, unit: 'CITY-EE' }),
      // An edit of the anonymous caller's number: the old and new numbers are on the timeline.
      mutation(++mid, 'ticket.update', {
        ticketId: anon.ticket.id,
        patch: { caller: { name: '赵女士', phone: EDITED, anonymous: true } },
      }),
    ])
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(Array(mid).fill('ok'))
  })
  afterAll(() => t?.close())

  it('sends a unit full numbers only on its own named callers’ tickets', async () => {
    for (const res of [await pull(tokens.unit!), await snapshot(tokens.unit!)]) {
      expect(res.status).toBe(200)
      const ids = res.body.tickets.map((x: { id: string }) => x.id).sort()
      expect(ids).toEqual([named.ticket.id, anon.ticket.id, coUnit.ticket.id].sort())
      expect(callerOf(res.body, named.ticket.id)).toMatchObject({ phone: NAMED, name: '钱先生' })
      expect(callerOf(res.body, anon.ticket.id)).toMatchObject({
        phone: masked(EDITED),
        name: null,
        anonymous: true,
      })
      // A co-unit helps, but does not hold the caller's number.
      expect(callerOf(res.body, coUnit.ticket.id)).toMatchObject({ phone: masked(CO_UNIT) })
      const text = JSON.stringify(res.body)
      for (const leak of [ANON, EDITED, CO_UNIT, OTHER, '赵女士']) expect(text).not.toContain(leak)
      // The edit is on the unit's timeline, with the numbers masked.
      const edit = res.body.events.find(
        (e: Json) => e.ticketId === anon.ticket.id && e.type === 'updated',
      )
      expect(edit.data.changes.caller).toMatchObject({
        from: { phone: masked(ANON) },
        to: { phone: masked(EDITED) },
      })
    }
  })

  it('sends an admin no full number at all', async () => {
    for (const res of [await pull(tokens.admin!), await snapshot(tokens.admin!)]) {
      expect(res.status).toBe(200)
      expect(res.body.tickets.length).toBeGreaterThanOrEqual(4)
      const text = JSON.stringify(res.body)
      for (const leak of [NAMED, ANON, EDITED, CO_UNIT, OTHER]) expect(text).not.toContain(leak)
      expect(callerOf(res.body, other.ticket.id)).toMatchObject({ phone: masked(OTHER) })
    }
    // Agents and dispatchers get them, as before.
    const agent = await pull(tokens.agent!)
    expect(callerOf(agent.body, anon.ticket.id)).toMatchObject({ phone: EDITED, name: '赵女士' })
  })

  it('finds by number only where the number may be seen, and lists rows masked', async () => {
    const own = await search(tokens.unit!, NAMED)
    expect(own.body.rows.map((r: Json) => r.id)).toEqual([named.ticket.id])
    expect(own.body.rows[0].callerPhoneMasked).toBe(masked(NAMED))
    // By the anonymous caller's number or name: nothing; by the address: found, masked, unnamed.
    expect((await search(tokens.unit!, EDITED)).body.rows).toEqual([])
    expect((await search(tokens.unit!, '赵女士')).body.rows).toEqual([])
    expect((await search(tokens.admin!, NAMED)).body.rows).toEqual([])
    const byText = await search(tokens.unit!, anon.ticket.description)
    expect(byText.body.rows).toHaveLength(1)
    expect(byText.body.rows[0]).toMatchObject({
      callerPhoneMasked: masked(EDITED),
      callerName: null,
    })
    expect(JSON.stringify(byText.body)).not.toContain(EDITED)
    // Masked for everyone in lists, agents too; their searches by number still work.
    const agent = await search(tokens.agent!, EDITED)
    expect(agent.body.rows.map((r: Json) => r.callerPhoneMasked)).toEqual([masked(EDITED)])
  })

  it('refuses a view by whoever may not see, and records an allowed one once', async () => {
    const viewsOf = async (id: string) =>
      (await pull(tokens.supervisor!)).body.events.filter(
        (e: Json) => e.ticketId === id && e.type === 'phone_viewed',
      )
    const unitClient = uuid()
    const refused = await push(tokens.unit!, unitClient, [
      mutation(1, 'ticket.viewPhone', { ticketId: anon.ticket.id }),
      mutation(2, 'ticket.viewPhone', { ticketId: coUnit.ticket.id }),
    ])
    expect(refused.body.results).toMatchObject([
      { status: 'rejected', code: 'anonymous_caller' },
      { status: 'rejected', code: 'not_your_unit' },
    ])
    const byAdmin = await push(tokens.admin!, uuid(), [
      mutation(1, 'ticket.viewPhone', { ticketId: named.ticket.id }),
    ])
    expect(byAdmin.body.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' })
    expect(await viewsOf(anon.ticket.id)).toEqual([])
    expect(await viewsOf(coUnit.ticket.id)).toEqual([])
    expect(await viewsOf(named.ticket.id)).toEqual([])

    // An agent's view, pushed twice (a retry after a lost answer): one event for everyone.
    const before = (await pull(tokens.supervisor!)).body
    const version = before.tickets.find((x: Json) => x.id === anon.ticket.id).version
    const agentClient = uuid()
    const view = mutation(1, 'ticket.viewPhone', { ticketId: anon.ticket.id, via: 'callback' })
    for (let i = 0; i < 2; i++)
      expect((await push(tokens.agent!, agentClient, [view])).body.results[0].status).toBe('ok')
    const views = await viewsOf(anon.ticket.id)
    expect(views).toHaveLength(1)
    expect(views[0]).toMatchObject({
      data: { via: 'callback' },
      from: 'dispatched',
      to: 'dispatched',
      actor: { role: 'agent', name: '王芳（话务员）' },
    })
    const after = (await pull(tokens.supervisor!, before.cursor)).body
    const ticket = after.tickets.find((x: Json) => x.id === anon.ticket.id)
    expect(ticket).toMatchObject({ status: 'dispatched', version: version + 1 })
    // The unit sees that the number was viewed, still without the number.
    const unitView = await pull(tokens.unit!)
    expect(
      unitView.body.events
        .filter((e: Json) => e.type === 'phone_viewed')
        .map((e: Json) => e.ticketId),
    ).toEqual([anon.ticket.id])
    expect(JSON.stringify(unitView.body)).not.toContain(EDITED)
    // The unit's own named caller: allowed, recorded.
    const own = await push(tokens.unit!, unitClient, [
      mutation(3, 'ticket.viewPhone', { ticketId: named.ticket.id }),
    ])
    expect(own.body.results[0].status).toBe('ok')
    expect(await viewsOf(named.ticket.id)).toHaveLength(1)
  })
})
