// A demo started at any hour of any day has calls waiting for a dispatcher: the dispatcher's first
// screen is never an empty queue. Found in CI on a Sunday night (04:35 in Zhenjiang): 50 demo
// stories, none of them waiting, because units and dispatchers only act in working hours and every
// young story had been carried on to a finish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seedDemoTickets } from '../../src/server/demo/tickets'
import { loadReferenceData } from '../../src/server/reference-files'
import type { ReferenceData } from '../../src/shared/reference'
import type { Ticket } from '../../src/shared/ticket'
import { fullPull } from '../reliability/authz-world'
import { startTestServer, type TestServer } from './helpers'

// Zhenjiang is UTC+8: Monday 04:35, Monday 10:00, Saturday 15:00, Wednesday 23:50.
const HOURS = [
  '2026-12-06T20:35:00Z',
  '2026-12-07T02:00:00Z',
  '2026-12-12T07:00:00Z',
  '2026-12-09T15:50:00Z',
]

describe('the demo queue', { timeout: 120_000 }, () => {
  let ref: ReferenceData
  beforeAll(async () => {
    ref = await loadReferenceData()
  })
  const servers: TestServer[] = []
  afterAll(async () => {
    for (const t of servers) await t.close()
  })

  it.each(HOURS)('has calls waiting for dispatch when started at %s', async (iso) => {
    const t = await startTestServer('sqlite')
    servers.push(t)
    const nowMs = Date.parse(iso)
    await seedDemoTickets(t.store, ref, { count: 50, nowMs })
    const all = await fullPull(t, await t.login('dispatcher1'))
    const tickets = [...all.tickets.values()] as Ticket[]
    expect(tickets.length).toBe(50)
    const waiting = tickets.filter((x) => x.status === 'new')
    expect(waiting.length).toBeGreaterThanOrEqual(3)
    // This hour's calls: taken in the last hour, nothing done to them yet.
    expect(waiting.some((x) => nowMs - Date.parse(x.createdAt) <= 60 * 60_000)).toBe(true)
  })
})
