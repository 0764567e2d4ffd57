// Issue 19 on a real server, both engines: the calendar holds 2026 only and "now" is the last
// Monday of 2026. The horizon shows in /healthz, /metrics and the log; a ticket whose five working
// days run into 2027 gets a provisional due time; automatic urging rests on 2027's provisional
// holidays; entering the year (made up for the test: no official 2027 notice is in the repository)
// is checked, moves the open ticket's due time with one timeline entry, reaches consoles by pull,
// and a recount cut short is finished by the next day's check.
import { Writable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const DAY = 86_400_000
/** An instant from the city's wall-clock time (Asia/Shanghai, UTC+8). */
const at = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+08:00`)
const iso = (local: string) => new Date(at(local)).toISOString()

/** A notice for 2027 made up for this test: New Year's Day off from Friday 1 to Monday 4. */
const NOTICE_2027 = {
  holidays: [
    {
      name: '元旦',
      nameEn: "New Year's Day",
      dates: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'],
    },
  ],
  workdays: [],
}

describe.each(await testEngines())('the working calendar on %s', (engine) => {
  let t: TestServer
  let clock = at('2026-12-28 08:50') // a Monday
  const log: Json[] = []
  const tokens: Record<string, string> = {}
  let client = { id: uuid(), n: 0 }
  let ticketId = ''
  let cursor = 0

  const push = async (token: string, name: string, args: Json) => {
    const r = await t.api('POST', '/api/v1/sync/push', token, {
      clientId: client.id,
      mutations: [mutation(++client.n, name, args)],
    })
    expect(r.body.results?.[0], `${name}: ${JSON.stringify(r.body)}`).toMatchObject({
      status: 'ok',
    })
  }
  /** A complaint logged at 08:50 and dispatched at 09:00 of the day `local` names. */
  const dispatched = async (day: string) => {
    clock = at(`${day} 08:50`)
    const a = createArgs({ kind: 'complaint' })
    await push(tokens.agent!, 'ticket.create', a)
    clock = at(`${day} 09:00`)
    await push(tokens.dispatcher!, 'ticket.dispatch', { ticketId: a.ticket.id, unit: 'CITY-UM' })
    return a.ticket.id as string
  }
  const pull = async () => {
    const r = await t.api('GET', `/api/v1/sync/pull?cursor=${cursor}`, tokens.dispatcher)
    cursor = r.body.cursor
    return r.body as { tickets: Json[]; events: Json[]; reference: Json }
  }
  const timeline = async (id: string) => {
    const r = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=1000', tokens.supervisor)
    return (r.body.events as Json[]).filter((e) => e.ticketId === id)
  }

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n')) if (line) log.push(JSON.parse(line))
        done()
      },
    })
    t = await startTestServer(engine, {
      now: () => clock,
      sessionTtlMs: 400 * DAY,
      logger: { level: 'info', stream },
    })
    for (const who of ['agent1', 'dispatcher1', 'supervisor1', 'admin1'])
      tokens[who.replace(/\d$/, '')] = await t.login(who)
    ticketId = await dispatched('2026-12-28')
    clock = at('2026-12-28 10:00')
  })
  afterAll(() => t?.close())

  it('says how far the calendar reaches in /healthz and /metrics', async () => {
    const health = await t.api('GET', '/healthz')
    expect(health.status).toBe(200)
    expect(health.body.calendar).toEqual({
      coveredUntil: '2026-12-31',
      daysLeft: 3,
      state: 'warning',
    })
    const metrics = await t.api('GET', '/metrics', tokens.admin)
    expect(metrics.body).toMatch(/^hotline_calendar_days_left 3$/m)
    expect(metrics.body).toMatch(/^hotline_calendar_covered_until_year 2026$/m)
  })

  it('warns in the log once a day, with what to do', async () => {
    const h = await t.server.checkCalendar(at('2026-12-28 10:00'))
    expect(h?.state).toBe('warning')
    expect(await t.server.checkCalendar(at('2026-12-28 15:00'))).toBeNull()
    const warnings = log.filter((l) => l.job === 'calendar-watch' && l.level === 40)
    expect(warnings).toHaveLength(1)
    expect(warnings[0].msg).toContain('end on 2026-12-31 (3 days left)')
    expect(warnings[0].msg).toContain('PUT /api/v1/admin/calendar/years/2027')
    expect(await t.server.checkCalendar(at('2026-12-29 09:00'))).not.toBeNull()
  })

  it('counts a due time into 2027 on the provisional holidays, and marks it', async () => {
    const { tickets } = await pull()
    const tk = tickets.find((x) => x.id === ticketId)
    // Mon 09:00 → 5 working days: 28–31 December, 1 January off, Mon 4, Tue 5 at 09:00.
    expect(tk.dueAt).toBe(iso('2027-01-05 09:00'))
    expect(tk.deadlinesProvisional).toBe(true)
    const dispatch = (await timeline(ticketId)).find((e) => e.type === 'dispatched')
    expect(dispatch.data).toMatchObject({ provisional: true, dueAt: iso('2027-01-05 09:00') })
  })

  it('lists the assumed 2027 for admins', async () => {
    const r = await t.api('GET', '/api/v1/admin/calendar', tokens.admin)
    expect(r.status).toBe(200)
    expect(r.body.horizon).toMatchObject({ coveredUntil: '2026-12-31', firstProvisionalYear: 2027 })
    const spring = r.body.provisionalYears['2027'].holidays.find((h: Json) => h.name === '春节')
    expect(spring.dates[0]).toBe('2027-02-05')
    expect((await t.api('GET', '/api/v1/admin/calendar', tokens.supervisor)).status).toBe(403)
  })

  it('does not urge on a provisional holiday', async () => {
    expect(await t.server.runAutoUrge(at('2027-01-01 10:00'))).toMatchObject({
      ran: false,
      reason: 'not_working_day',
    })
    expect(await t.server.runAutoUrge(at('2027-02-08 10:00'))).toMatchObject({
      ran: false,
      reason: 'not_working_day',
    })
  })

  it('refuses a year with a wrong day, naming it, and keeps the calendar', async () => {
    const before = (await t.api('GET', '/api/v1/admin/calendar', tokens.admin)).body.version
    const r = await t.api('PUT', '/api/v1/admin/calendar/years/2027', tokens.admin, {
      ...NOTICE_2027,
      workdays: [{ name: '调休上班', nameEn: 'Swapped', dates: ['2027-01-06'] }],
    })
    expect(r.status).toBe(400)
    expect(r.body.error.field).toBe('workdays.0.dates.0')
    expect(r.body.error.localized.zh).toContain('2027-01-06 是星期三：调休上班日只能是周末')
    const outside = await t.api('PUT', '/api/v1/admin/calendar/years/2027', tokens.admin, {
      holidays: [{ name: '元旦', nameEn: 'New Year', dates: ['2028-01-01'] }],
      workdays: [],
    })
    expect(outside.status).toBe(400)
    expect(outside.body.error.localized.en).toContain('2028-01-01 is not in 2027')
    const notYear = await t.api('PUT', '/api/v1/admin/calendar/years/27', tokens.admin, NOTICE_2027)
    expect([notYear.status, notYear.body.error.field]).toEqual([400, 'year'])
    expect((await t.api('GET', '/api/v1/admin/calendar', tokens.admin)).body.version).toBe(before)
    const unit = await t.login('unit-CITY-UM')
    expect(
      (await t.api('PUT', '/api/v1/admin/calendar/years/2027', unit, NOTICE_2027)).status,
    ).toBe(403)
  })

  it('enters the year in one step: the open due time moves once, and consoles get both', async () => {
    await pull()
    const r = await t.api('PUT', '/api/v1/admin/calendar/years/2027', tokens.admin, NOTICE_2027)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.rescheduled).toBe(1)
    expect(r.body.horizon).toMatchObject({ coveredUntil: '2027-12-31', state: 'ok' })

    const { tickets, events, reference: ref } = await pull()
    expect(ref.calendar.years['2027']).toEqual(NOTICE_2027)
    const tk = tickets.find((x) => x.id === ticketId)
    // 4 January is off now too: Tue 5 and Wed 6 at 09:00.
    expect(tk.dueAt).toBe(iso('2027-01-06 09:00'))
    expect(tk.deadlinesProvisional).toBe(false)
    const recount = events.filter((e) => e.ticketId === ticketId)
    expect(recount).toHaveLength(1)
    expect(recount[0]).toMatchObject({
      type: 'rescheduled',
      actor: { role: 'system' },
      data: {
        dueAt: { from: iso('2027-01-05 09:00'), to: iso('2027-01-06 09:00') },
        provisional: false,
      },
    })
    expect(recount[0].data.reason).toContain('2027')

    // The same notice again: a new reference version, no second line on the timeline.
    const again = await t.api('PUT', '/api/v1/admin/calendar/years/2027', tokens.admin, NOTICE_2027)
    expect([again.status, again.body.rescheduled]).toEqual([200, 0])
    expect((await timeline(ticketId)).filter((e) => e.type === 'rescheduled')).toHaveLength(1)
    const health = await t.api('GET', '/healthz')
    expect(health.body.calendar).toMatchObject({ coveredUntil: '2027-12-31', state: 'ok' })
  })

  it('finishes a recount cut short at the next day’s check', async () => {
    // A ticket counted on provisional 2028, then 2028 stored without a recount (as when the
    // process that entered it died mid-way).
    const late = await dispatched('2027-12-27')
    const before = (await pull()).tickets.find((x) => x.id === late)
    expect(before.deadlinesProvisional).toBe(true)
    expect(before.dueAt).toBe(iso('2028-01-04 09:00'))
    await t.store.changeReference(null, (cur) => ({
      ...cur.data,
      calendar: {
        ...cur.data.calendar,
        years: {
          ...cur.data.calendar.years,
          // Made up: New Year's Day 2028 (a Saturday) made up on Monday 3 January, and Tuesday 4
          // off as well.
          '2028': {
            holidays: [
              {
                name: '元旦',
                nameEn: 'New Year',
                dates: ['2028-01-01', '2028-01-03', '2028-01-04'],
              },
            ],
            workdays: [],
          },
        },
      },
    }))
    expect(await t.server.checkCalendar(at('2027-12-28 09:00'))).not.toBeNull()
    const after = (await pull()).tickets.find((x) => x.id === late)
    // Mon 27 09:00 to Fri 31: 2,220 of 2,250 minutes; 3 and 4 January off: Wed 5 at 09:00.
    expect(after.dueAt).toBe(iso('2028-01-05 09:00'))
    expect(after.deadlinesProvisional).toBe(false)
    client = { id: uuid(), n: 0 }
  })
})
