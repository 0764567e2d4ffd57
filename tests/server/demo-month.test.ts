// The demo data makes a plausible month for the bulletin (issue 17): most units above 95 %, a
// few below the thresholds, some exemptions, some citizens contacted late. Seeded on the server
// (SQLite), pulled as the supervisor's console pulls it, and put through the bulletin's functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoTickets } from '../../src/server/demo/tickets'
import { loadReferenceData } from '../../src/server/reference-files'
import { buildBulletin, bulletinSpans, type Bulletin } from '../../src/shared/bulletin'
import { WorkCalendar } from '../../src/shared/calendar'
import { citySpans } from '../../src/shared/dashboard'
import type { Ticket, TimelineEvent } from '../../src/shared/ticket'
import { fullPull } from '../reliability/authz-world'
import { startTestServer, type TestServer } from './helpers'

describe('the demo month', { timeout: 120_000 }, () => {
  let t: TestServer
  let b: Bulletin
  beforeAll(async () => {
    t = await startTestServer('sqlite')
    const ref = await loadReferenceData()
    const now = Date.now()
    await seedDemoTickets(t.store, ref, { count: 6000, seed: 12345, days: 75, nowMs: now })
    const all = await fullPull(t, await t.login('supervisor1'))
    const tickets = [...all.tickets.values()] as Ticket[]
    const events = all.events as TimelineEvent[]
    const cal = new WorkCalendar(ref.calendar)
    // Last month, whole: the bulletin a supervisor sends at the start of a month.
    const thisMonth = citySpans(cal, now).month
    const lastMonth = citySpans(cal, thisMonth.from - 1).month
    const s = bulletinSpans(cal, lastMonth)
    const input = (period: { from: number; to: number }) => ({ period, tickets, events })
    b = buildBulletin(input(s.period), input(s.lastMonth), input(s.lastYear), ref, now)
  }, 120_000)
  afterAll(() => t?.close())

  it('most units score well, a few fall below the thresholds', () => {
    const units = b.groups.flatMap((g) => g.units).filter((u) => u.score != null)
    expect(units.length).toBeGreaterThan(20)
    const satisfied = units.filter((u) => (u.figures.satisfaction.rate ?? 1) >= 0.95).length
    expect(satisfied / units.length).toBeGreaterThan(0.6)
    expect(b.below.length).toBeGreaterThan(0)
    // A few: under a fifth of the units scored.
    expect(b.below.length).toBeLessThan(units.length / 5)
    expect(b.current.satisfaction.rate!).toBeGreaterThan(0.95)
    expect(b.current.resolution.rate!).toBeGreaterThan(0.9)
  })

  it('has exemptions, late contacts and urged tickets to list', () => {
    expect(b.exemptions.length).toBeGreaterThan(0)
    expect(b.current.exempt).toBe(b.exemptions.length)
    // Some contacted late (or never): the response rate is below on-time signing.
    expect(b.current.response.rate!).toBeLessThan(b.current.signing.rate!)
    expect(b.current.response.rate!).toBeGreaterThan(0.8)
    expect(b.mostUrged.length).toBeGreaterThan(0)
    expect(b.hotTopics.length).toBeGreaterThan(3)
    expect(b.current.received).toBeGreaterThan(1000)
  })
})
