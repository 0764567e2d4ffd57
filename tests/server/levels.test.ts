// Issue 16 on both engines: a ticket's full multi-level life pushed from four consoles (city
// dispatcher, Jingkou sub-centre, two street offices, a community), scoping at every level of
// pull, snapshot and search, the chain's rows for per-level figures, and older tickets' chains.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connect } from '../../src/server/store/db'
import { migrate } from '../../src/server/store/migrate'
import { ticketRow } from '../../src/server/store/rows'
import { Store } from '../../src/server/store'
import { inState } from '../helpers/workflow'
import { seedLevelTickets } from '../../src/server/demo/levels'
import { assignmentsOf, completedOnTime } from '../../src/shared/kpi-units'
import type { Ticket } from '../../src/shared/ticket'
import {
  reference,
  scratchDatabase,
  startTestServer,
  testEngines,
  type Json,
  type TestServer,
} from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const WHO = {
  city: 'dispatcher1',
  agent: 'agent1',
  centre: 'unit-JK-CENTER',
  street: 'unit-JK-ZDL',
  street2: 'unit-JK-DSK',
  community: 'unit-JK-ZDL-HJN',
  otherCentre: 'unit-RZ-CENTER',
  bureau: 'unit-JK-UM',
} as const
type Who = keyof typeof WHO

describe.each(await testEngines())('dispatch levels on %s', (engine) => {
  let t: TestServer
  const tokens = {} as Record<Who, string>
  const consoles = {} as Record<Who, { id: string; next: number }>
  beforeAll(async () => {
    t = await startTestServer(engine)
    for (const [k, name] of Object.entries(WHO)) {
      tokens[k as Who] = await t.login(name)
      consoles[k as Who] = { id: uuid(), next: 1 }
    }
  })
  afterAll(() => t?.close())

  /** One mutation from one console; its stored result. */
  const push = async (who: Who, name: string, args: Json) => {
    const c = consoles[who]
    const r = await t.api('POST', '/api/v1/sync/push', tokens[who], {
      clientId: c.id,
      mutations: [mutation(c.next++, name, args)],
    })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r.body.results[0] as { status: string; code?: string }
  }
  const ok = async (who: Who, name: string, args: Json) =>
    expect(await push(who, name, args), `${who} ${name}`).toMatchObject({ status: 'ok' })
  /** What each unit's pull from the start holds of the ticket (or null when not sent). */
  const seen = async (who: Who, id: string) => {
    const r = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=2000', tokens[who])
    return (r.body.tickets as Json[]).find((x) => x.id === id) ?? null
  }

  it('travels city → district → street → community and back, each level seeing its part', async () => {
    const args = createArgs()
    const id = args.ticket.id
    await ok('agent', 'ticket.create', args)
    await ok('city', 'ticket.dispatch', {
      ticketId: id,
      unit: 'JK-CENTER',
      instructions: '请分中心办理',
    })
    expect(await seen('centre', id)).toMatchObject({ status: 'dispatched', unit: 'JK-CENTER' })
    expect(await seen('street', id)).toBeNull()
    await ok('centre', 'ticket.sign', { ticketId: id })
    // A sub-centre dispatches only to its own district's units.
    expect(
      await push('centre', 'ticket.dispatchDown', { ticketId: id, unit: 'RZ-BTL' }),
    ).toMatchObject({ status: 'rejected', code: 'not_below' })
    await ok('centre', 'ticket.dispatchDown', {
      ticketId: id,
      unit: 'JK-ZDL',
      assisting: ['JK-UM'],
      instructions: '请正东路街道核实',
    })
    const atStreet = await seen('street', id)
    expect(atStreet.assignments.map((a: Json) => [a.level, a.unit, a.role])).toEqual([
      [1, 'JK-CENTER', 'lead'],
      [2, 'JK-ZDL', 'lead'],
      [2, 'JK-UM', 'assist'],
    ])
    expect(await seen('bureau', id)).not.toBeNull()
    expect(await seen('otherCentre', id)).toBeNull()
    expect(await seen('community', id)).toBeNull()

    // The street asks to return; the city cannot rule on it; the sub-centre re-routes.
    await ok('street', 'ticket.requestReturn', { ticketId: id, reason: '不在本街道辖区' })
    expect(
      await push('city', 'ticket.decideReturn', { ticketId: id, approve: true }),
    ).toMatchObject({ status: 'rejected', code: 'invalid_state' })
    await ok('centre', 'ticket.reroute', {
      ticketId: id,
      unit: 'JK-DSK',
      reason: '属大市口街道辖区',
    })
    expect(await seen('street', id)).toBeNull()
    expect(await seen('bureau', id)).toBeNull()
    expect(await seen('street2', id)).toMatchObject({ status: 'in_progress' })

    // The new street signs and passes it to… its own community only: JK-ZDL-HJN is not its.
    await ok('street2', 'ticket.sign', { ticketId: id })
    expect(
      await push('street2', 'ticket.dispatchDown', { ticketId: id, unit: 'JK-ZDL-HJN' }),
    ).toMatchObject({ status: 'rejected', code: 'not_below' })
    // A unit outside the chain is refused whatever it tries.
    expect(
      await push('street', 'ticket.reply', { ticketId: id, text: '已办', resolved: true }),
    ).toMatchObject({ status: 'rejected', code: 'not_your_unit' })

    // The street replies; the sub-centre approves; the city's agent calls back.
    await ok('street2', 'ticket.reply', { ticketId: id, text: '已清理占道摊点', resolved: true })
    expect((await seen('centre', id)).status).toBe('in_progress')
    await ok('centre', 'ticket.reviewReply', { ticketId: id, approve: true })
    expect(await seen('agent', id)).toMatchObject({
      status: 'replied',
      resolution: { text: '已清理占道摊点' },
    })
    await ok('agent', 'ticket.callback', { ticketId: id, satisfaction: 'satisfied' })
    const done = await seen('centre', id)
    expect(done.status).toBe('closed')

    // The chain's rows, per unit and level: the re-route is there, with who did it.
    const rows = await t.store.assignments({ ticketId: id })
    expect(rows.map((r) => [r.level, r.unit, r.state, r.by_unit])).toEqual([
      [1, 'JK-CENTER', 'replied', null],
      [2, 'JK-ZDL', 'recalled', 'JK-CENTER'],
      [2, 'JK-UM', 'recalled', 'JK-CENTER'],
      [2, 'JK-DSK', 'replied', 'JK-CENTER'],
    ])
    expect(rows.find((r) => r.unit === 'JK-DSK')).toMatchObject({
      on_time: 1,
      parent_unit: 'JK-CENTER',
    })
    const atLevel2 = await t.store.assignments({ unit: 'JK-DSK', level: 2 })
    expect(atLevel2.map((r) => r.ticket_id)).toContain(id)
    // The same links, times and on-time verdicts as the unit figures build from the ticket
    // (kpi-assignments.ts, kpi-judge.ts): server and consoles count the same assignments.
    const when = (v: unknown) => (v == null ? null : new Date(v as string | Date).getTime())
    const links = assignmentsOf([done as unknown as Ticket], []).assignments
    expect(
      rows.map((r) => [
        r.level,
        r.unit,
        when(r.sign_by),
        when(r.due_at),
        r.on_time == null ? null : Number(r.on_time),
      ]),
    ).toEqual(
      links.map((a) => [
        a.chainLevel,
        a.unit,
        a.signBy,
        a.due,
        a.completedAt == null ? null : completedOnTime(a) ? 1 : 0,
      ]),
    )
    expect(links.map((a) => a.ended ?? null)).toEqual([null, 'recalled', 'recalled', null])

    // The timeline tells the whole story to every level that still sees the ticket.
    const r = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=2000', tokens.street2)
    const types = (r.body.events as Json[]).filter((e) => e.ticketId === id).map((e) => e.type)
    expect(types).toEqual([
      'created',
      'dispatched',
      'signed',
      'dispatched_down',
      'level_return_requested',
      'rerouted',
      'level_signed',
      'level_replied',
      'replied',
      'called_back',
    ])
  })

  it('a community sees only its own; its street and sub-centre see it too; search agrees', async () => {
    const words = `井盖缺失${uuid().slice(0, 6)}`
    const args = createArgs({ description: `${words}，夜间危险` })
    const id = args.ticket.id
    await ok('agent', 'ticket.create', args)
    await ok('city', 'ticket.dispatch', { ticketId: id, unit: 'JK-CENTER' })
    await ok('centre', 'ticket.sign', { ticketId: id })
    await ok('centre', 'ticket.dispatchDown', { ticketId: id, unit: 'JK-ZDL' })
    await ok('street', 'ticket.sign', { ticketId: id })
    await ok('street', 'ticket.dispatchDown', { ticketId: id, unit: 'JK-ZDL-HJN' })
    const search = async (who: Who) =>
      (
        await t.api('GET', `/api/v1/tickets/search?q=${encodeURIComponent(words)}`, tokens[who])
      ).body.rows.map((x: Json) => x.id)
    const snapshot = async (who: Who) =>
      (await t.api('GET', '/api/v1/sync/snapshot?limit=2000', tokens[who])).body.tickets.map(
        (x: Json) => x.id,
      )
    for (const who of ['centre', 'street', 'community'] as const) {
      expect(await seen(who, id), who).not.toBeNull()
      expect(await search(who), who).toEqual([id])
      expect(await snapshot(who), who).toContain(id)
    }
    for (const who of ['street2', 'otherCentre', 'bureau'] as const) {
      expect(await seen(who, id), who).toBeNull()
      expect(await search(who), who).toEqual([])
      expect(await snapshot(who), who).not.toContain(id)
    }
    // The city recalls the whole chain: every level below loses it at once.
    await ok('city', 'ticket.recall', { ticketId: id, reason: '派错区' })
    for (const who of ['centre', 'street', 'community'] as const)
      expect(await seen(who, id), who).toBeNull()
    expect((await seen('agent', id)).status).toBe('new')
  })
})

describe.each(await testEngines())('the chain of older tickets on %s', (engine) => {
  it('migration 14 gives tickets dispatched before it a one-level chain', async () => {
    const scratch = await scratchDatabase(engine)
    const conn = connect(scratch.options)
    try {
      await migrate(conn.db, engine, 12)
      const { assignments: _none, ...old } = inState('in_progress').ticket
      const fresh = inState('new').ticket
      await conn.db
        .insertInto('tickets')
        .values([ticketRow(old, 1), { ...ticketRow(fresh, 2), number: 'x2' }])
        .execute()
    } finally {
      await conn.close()
    }
    const store = await Store.open(scratch.options)
    try {
      const rows = await store.assignments({ unit: 'JK-ZDL' })
      expect(rows).toHaveLength(1)
      const { assignments: _none, ...old } = inState('in_progress').ticket
      expect(rows[0]).toMatchObject({ level: 1, role: 'lead', state: 'signed', due_at: old.dueAt })
    } finally {
      await store.close()
      await scratch.drop()
    }
  })
})

describe.each(await testEngines())('demo tickets through the sub-centres on %s', (engine) => {
  it('go two and three levels down, some re-routed or recalled, some with assisting parts', async () => {
    const t = await startTestServer(engine)
    try {
      const ref = await reference()
      const n = await seedLevelTickets(t.store, ref, { count: 120, seed: 16 })
      expect(n).toBeGreaterThan(100)
      const token = await t.login('supervisor1')
      const r = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=2000', token)
      const tickets = (r.body.tickets as Json[]).filter((x) => /^\d{8}9\d{5}$/.test(x.number))
      expect(tickets.length).toBe(n)
      const chains = tickets.map((x) => x.assignments as Json[])
      const has = (f: (a: Json) => boolean) => chains.filter((c) => c?.some(f)).length
      expect(has((a) => a.level === 2)).toBeGreaterThan(40)
      expect(has((a) => a.level === 3)).toBeGreaterThan(3)
      expect(has((a) => a.role === 'assist' && a.state === 'replied')).toBeGreaterThan(3)
      expect(has((a) => a.state === 'recalled')).toBeGreaterThan(3)
      expect(tickets.some((x) => x.status === 'closed')).toBe(true)
      expect(tickets.some((x) => x.status === 'in_progress')).toBe(true)
      // Each sub-centre's staff see their district's; the chain's rows are stored for figures.
      const jk = await t.login('unit-JK-CENTER')
      const seen = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=2000', jk)
      for (const x of seen.body.tickets as Json[]) expect(x.location.district).toBe('321102')
      expect((await t.store.assignments({ unit: 'JK-CENTER', level: 1 })).length).toBe(
        (seen.body.tickets as Json[]).filter((x) =>
          (x.assignments as Json[]).some((a) => a.unit === 'JK-CENTER'),
        ).length,
      )
    } finally {
      await t.close()
    }
  })
})
