// Automatic urging and supervision (DESIGN.md §3, issue 6): once a working day of the city's
// calendar from 09:00 city time, as the system, seen by consoles through pull and pokes, scoped
// to units, and once only — across repeated calls and two servers on one database.
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { buildServer } from '../../src/server/app'
import { autoUrgeConfig } from '../../src/server/jobs/config'
import { overdueAt, urgeText } from '../../src/server/jobs/overdue'
import { WorkCalendar } from '../../src/shared/calendar'
import type { Ticket } from '../../src/shared/ticket'
import { Store } from '../../src/server/store'
import { reference, startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const DAY = 86_400_000
/** An instant from the city's wall-clock time (Asia/Shanghai, UTC+8, no daylight saving). */
const at = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+08:00`)

describe.each(await testEngines())('automatic urging on %s', (engine) => {
  let t: TestServer
  let clock = at('2026-09-07 10:00') // a Monday
  const tokens: Record<string, string> = {}
  const ids: Record<string, string> = {}
  const cursors: Record<string, number> = {}
  const clients: Record<string, { id: string; n: number }> = {}

  const push = async (who: string, name: string, args: Json) => {
    const c = (clients[who] ??= { id: uuid(), n: 0 })
    const r = await t.api('POST', '/api/v1/sync/push', tokens[who], {
      clientId: c.id,
      mutations: [mutation(++c.n, name, args)],
    })
    expect(r.body.results?.[0], `${name}: ${JSON.stringify(r.body)}`).toMatchObject({
      status: 'ok',
    })
  }
  /** A complaint (5 working days to reply) dispatched now to `unit`, signed by it unless not. */
  const dispatched = async (key: string, unit: string, sign = true) => {
    const a = createArgs({ kind: 'complaint' })
    ids[key] = a.ticket.id
    await push('agent', 'ticket.create', a)
    await push('dispatcher', 'ticket.dispatch', { ticketId: a.ticket.id, unit })
    if (sign) await push(unit, 'ticket.sign', { ticketId: a.ticket.id })
  }
  /** What `who` pulls since its last pull. */
  const pull = async (who: string) => {
    const r = await t.api('GET', `/api/v1/sync/pull?cursor=${cursors[who] ?? 0}`, tokens[who])
    expect(r.status).toBe(200)
    cursors[who] = r.body.cursor
    return r.body as { tickets: Json[]; events: Json[] }
  }
  const byId = (xs: Json[]) => new Map(xs.map((x) => [x.id, x]))
  const run = async (local: string) => {
    clock = at(local)
    return t.server.runAutoUrge(clock)
  }
  /** Every urge and supervision on the tickets so far, as a supervisor's fresh console sees them. */
  const history = async () => {
    const r = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=1000', tokens.supervisor)
    const auto = r.body.events.filter((e: Json) => e.actor.role === 'system')
    const of = (key: string, type: string) =>
      auto.filter((e: Json) => e.ticketId === ids[key] && e.type === type).length
    return { of, tickets: byId(r.body.tickets) }
  }

  beforeAll(async () => {
    t = await startTestServer(engine, { now: () => clock, sessionTtlMs: 400 * DAY })
    const logins = {
      agent: 'agent1',
      dispatcher: 'dispatcher1',
      supervisor: 'supervisor1',
      'CITY-UM': 'unit-CITY-UM',
      'CITY-EE': 'unit-CITY-EE',
    }
    for (const [who, username] of Object.entries(logins)) tokens[who] = await t.login(username)
    await dispatched('old', 'CITY-UM')
    await dispatched('ee', 'CITY-EE')
    await dispatched('done', 'CITY-UM')
    await push('CITY-UM', 'ticket.reply', { ticketId: ids.done, text: '已处理', resolved: true })
    clock = at('2026-09-10 10:00')
    await dispatched('soon', 'CITY-UM')
    await dispatched('unsigned', 'CITY-UM', false)
    for (const who of ['dispatcher', 'CITY-UM', 'CITY-EE']) await pull(who)
  })
  afterAll(() => t?.close())

  it('has the deadlines the scenario counts from', async () => {
    const { tickets } = await history()
    // Five working days from Monday 7 September; the sign-by one working day from Thursday.
    expect(tickets.get(ids.old).dueAt).toBe(new Date(at('2026-09-14 10:00')).toISOString())
    expect(tickets.get(ids.soon).dueAt).toBe(new Date(at('2026-09-17 10:00')).toISOString())
    expect(tickets.get(ids.unsigned).signBy).toBe(new Date(at('2026-09-11 10:00')).toISOString())
  })

  it('does nothing before 09:00, even with tickets overdue', async () => {
    expect(await run('2026-09-15 08:59')).toEqual({
      day: '2026-09-15',
      ran: false,
      urged: 0,
      supervised: 0,
      reason: 'too_early',
    })
    expect((await pull('dispatcher')).events).toEqual([])
  })

  it('urges each overdue ticket once at 09:05 as the system, and consoles pull it', async () => {
    const live = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/live`)
    const pokes: number[] = []
    live.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; seq: number }
      if (m.type === 'poke') pokes.push(m.seq)
    })
    await once(live, 'open')
    live.send(JSON.stringify({ type: 'auth', token: tokens.dispatcher }))
    await new Promise((r) => setTimeout(r, 100))

    expect(await run('2026-09-15 09:05')).toEqual({
      day: '2026-09-15',
      ran: true,
      urged: 3,
      supervised: 0,
    })
    const seen = await pull('dispatcher')
    const tickets = byId(seen.tickets)
    expect([...tickets.keys()].sort()).toEqual([ids.old, ids.ee, ids.unsigned].sort())
    expect(tickets.get(ids.old).counts.urges).toBe(1)
    expect(seen.events).toHaveLength(3)
    const texts = new Map(seen.events.map((e: Json) => [e.ticketId, e.data.text]))
    expect(texts.get(ids.old)).toBe('系统自动催办：已超时 1 个工作日')
    expect(texts.get(ids.ee)).toBe('系统自动催办：已超时 1 个工作日')
    expect(texts.get(ids.unsigned)).toBe('系统自动催办：超时未签收，已超时 2 个工作日')
    for (const e of seen.events)
      expect(e).toMatchObject({
        type: 'urged',
        at: new Date(clock).toISOString(),
        actor: { role: 'system', userId: 'system', name: '系统自动催办', unit: null },
        data: { count: 1 },
      })

    // The live console is poked up to the new changes, so it pulls without waiting.
    for (let i = 0; i < 100 && !pokes.some((s) => s >= cursors.dispatcher!); i++)
      await new Promise((r) => setTimeout(r, 20))
    expect(Math.max(0, ...pokes)).toBeGreaterThanOrEqual(cursors.dispatcher!)
    live.close()

    // Each unit pulls the urges of its own tickets only.
    const um = await pull('CITY-UM')
    expect(um.tickets.map((x) => x.id).sort()).toEqual([ids.old, ids.unsigned].sort())
    expect(um.events.every((e) => [ids.old, ids.unsigned].includes(e.ticketId))).toBe(true)
    expect(um.events.filter((e) => e.type === 'urged')).toHaveLength(2)
    const ee = await pull('CITY-EE')
    expect(ee.tickets.map((x) => x.id)).toEqual([ids.ee])
    expect(ee.events.filter((e) => e.type === 'urged')).toHaveLength(1)
  })

  it('runs once a day: a later call the same day does nothing', async () => {
    expect(await run('2026-09-15 16:00')).toMatchObject({ ran: false, reason: 'already_ran' })
    expect(await pull('dispatcher')).toMatchObject({ tickets: [], events: [] })
  })

  it('skips weekends and holidays, and works on swapped working days', async () => {
    expect(await run('2026-09-19 09:05')).toMatchObject({ ran: false, reason: 'not_working_day' })
    // Sunday 20 September is worked (National Day swap): five working days past the due date
    // for old and ee (15–18, 20), six past the sign-by for unsigned: supervision, once.
    expect(await run('2026-09-20 09:05')).toEqual({
      day: '2026-09-20',
      ran: true,
      urged: 4,
      supervised: 3,
    })
    const seen = await pull('dispatcher')
    const supervised = seen.events.filter((e) => e.type === 'supervised')
    expect(supervised.map((e) => e.ticketId).sort()).toEqual([ids.old, ids.ee, ids.unsigned].sort())
    expect(supervised.find((e) => e.ticketId === ids.old)).toMatchObject({
      actor: { role: 'system', name: '系统自动督办' },
      data: { text: '系统自动督办：已超时 5 个工作日，已达 5 个工作日督办标准' },
    })
    expect(byId(seen.tickets).get(ids.old).supervised).toBe(true)

    // The next working day: urged again, not supervised again.
    expect(await run('2026-09-21 09:05')).toMatchObject({ ran: true, urged: 4, supervised: 0 })
    // National Day is a holiday; Saturday 10 October is worked instead.
    expect(await run('2026-10-01 09:05')).toMatchObject({ ran: false, reason: 'not_working_day' })
    expect(await run('2026-10-10 09:05')).toEqual({
      day: '2026-10-10',
      ran: true,
      urged: 4,
      supervised: 1,
    })
    expect(await run('2026-10-17 09:05')).toMatchObject({ ran: false, reason: 'not_working_day' })

    const h = await history()
    expect(h.of('old', 'urged')).toBe(4)
    expect(h.of('old', 'supervised')).toBe(1)
    expect(h.of('soon', 'urged')).toBe(3)
    expect(h.of('soon', 'supervised')).toBe(1)
    expect(h.of('done', 'urged')).toBe(0)
    expect(h.tickets.get(ids.old).counts.urges).toBe(4)
    expect(h.tickets.get(ids.soon).counts.urges).toBe(3)
  })

  it('resumes a run whose process died, without urging anything twice', async () => {
    const day = '2026-10-12'
    clock = at(`${day} 09:05`)
    await pull('dispatcher')
    // A process took the day at 09:00, urged one ticket, and died.
    expect(await t.store.jobs.claim('auto-urge', day, 'dead', iso(at(`${day} 09:00`)), '')).toBe(
      'started',
    )
    await t.store.mutate(async (tx) => {
      expect(await tx.claimJobItem('auto-urge', day, ids.old!)).toBe(true)
    })
    // Its heartbeat is five minutes old: still taken to be alive.
    expect(await t.server.runAutoUrge(clock)).toMatchObject({ ran: false, reason: 'already_ran' })
    clock = at(`${day} 09:15`)
    expect(await t.server.runAutoUrge(clock)).toEqual({
      day,
      ran: true,
      urged: 3,
      supervised: 0,
    })
    expect((await history()).of('old', 'urged')).toBe(4)
    const row = await t.store.jobs.run('auto-urge', day)
    expect(row).toMatchObject({ finishedAt: expect.any(String), result: { urged: 3, overdue: 4 } })
    expect((await pull('dispatcher')).events.filter((e) => e.type === 'urged')).toHaveLength(3)
  })

  it('runs once when two servers on one database try at the same moment', async () => {
    const day = '2026-10-13'
    clock = at(`${day} 09:01`)
    // On PostgreSQL the second server has its own connections, as another process would; an
    // SQLite file has one server, but a second job instance over it must still step aside.
    const other = t.databaseUrl ? await Store.open({ databaseUrl: t.databaseUrl }) : null
    const second = await buildServer({ store: other ?? t.store, now: () => clock })
    try {
      const results = await Promise.all([
        t.server.runAutoUrge(clock),
        second.runAutoUrge(clock),
        t.server.runAutoUrge(clock),
      ])
      expect(results.filter((r) => r.ran)).toHaveLength(1)
      expect(results.find((r) => r.ran)).toMatchObject({ urged: 4 })
      const seen = await pull('dispatcher')
      expect(seen.events.filter((e) => e.type === 'urged')).toHaveLength(4)
    } finally {
      await second.close()
      await other?.close()
    }
  })

  it('runs by itself on a timer when enabled, and stops with the server', async () => {
    clock = at('2026-10-14 09:30')
    const timed = await buildServer({
      store: t.store,
      now: () => clock,
      autoUrge: { enabled: true, checkEveryMs: 20 },
    })
    try {
      const seen: Json[] = []
      for (let i = 0; i < 200 && seen.length < 4; i++) {
        await new Promise((r) => setTimeout(r, 25))
        seen.push(...(await pull('dispatcher')).events)
      }
      expect(seen.filter((e) => e.type === 'urged')).toHaveLength(4)
    } finally {
      await timed.close()
    }
    expect(await t.store.jobs.run('auto-urge', '2026-10-14')).toMatchObject({
      result: { urged: 4 },
    })
    // What earlier days' runs did is forgotten once a later day's run is done.
    const forgotten = await t.store.mutate((tx) =>
      tx.claimJobItem('auto-urge', '2026-10-12', ids.old!),
    )
    expect(forgotten).toBe(true)
  })
})

const iso = (ms: number) => new Date(ms).toISOString()

describe('the auto-urge setting', () => {
  it('comes from flags, else the environment, else 09:00 and on', () => {
    expect(autoUrgeConfig({}, {})).toMatchObject({ enabled: true, atLocalTime: '09:00' })
    expect(autoUrgeConfig({}, { AUTO_URGE_AT: '08:30', AUTO_URGE: 'off' })).toMatchObject({
      enabled: false,
      atLocalTime: '08:30',
    })
    expect(autoUrgeConfig({ at: '10:15', off: true }, { AUTO_URGE_AT: '08:30' })).toMatchObject({
      enabled: false,
      atLocalTime: '10:15',
    })
    expect(() => autoUrgeConfig({ at: '9am' }, {})).toThrow(/HH:MM/)
  })
})

describe('how overdue a ticket is', () => {
  const ticket = (over: Partial<Ticket>) =>
    ({
      status: 'in_progress',
      dispatchedAt: '2026-11-20T01:00:00.000Z',
      signedAt: '2026-11-20T02:00:00.000Z',
      signBy: '2026-11-23T01:00:00.000Z',
      dueAt: null,
      ...over,
    }) as Ticket
  const due = (local: string) => new Date(at(local)).toISOString()

  it('counts working days begun since the deadline, and only for urgeable tickets', async () => {
    const cal = new WorkCalendar((await reference()).calendar)
    const now = at('2026-11-30 09:05') // a Monday
    const dueToday = overdueAt(ticket({ dueAt: due('2026-11-30 08:00') }), now, cal)
    expect(dueToday).toMatchObject({ deadline: 'due', workingDays: 0 })
    expect(urgeText(dueToday!)).toBe('系统自动催办：已超时，不足 1 个工作日')
    // Due on Friday at 17:00: one working day over on Monday morning (the weekend does not count).
    expect(overdueAt(ticket({ dueAt: due('2026-11-27 17:00') }), now, cal)?.workingDays).toBe(1)
    expect(overdueAt(ticket({ dueAt: due('2026-11-30 10:00') }), now, cal)).toBeNull()
    for (const status of ['replied', 'return_requested', 'closed'] as const)
      expect(overdueAt(ticket({ status, dueAt: due('2026-11-20 10:00') }), now, cal)).toBeNull()
    // Unsigned past its sign-by: overdue from the sign-by, though the due time is still ahead.
    const unsigned = ticket({
      status: 'dispatched',
      signedAt: null,
      dueAt: due('2026-12-04 10:00'),
    })
    expect(overdueAt(unsigned, now, cal)).toMatchObject({ deadline: 'signBy', workingDays: 5 })
  })
})
