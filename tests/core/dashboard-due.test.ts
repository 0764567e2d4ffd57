// The dashboard's 按时办结率 (应办结) over the cache against the shared definition (issue 17): the
// tile's SQL (due-sql.ts), its drill-downs in the queue, computeKpis and the centre's line of the
// unit figures (centreFigures) give the same tickets — with an exempt ticket, which leaves the
// rate and comes back when the exemption is withdrawn, and a cache migrated from before the
// exemption column (migration 6) filling it from the tickets' JSON.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeDashboard } from '../../src/core/dashboard'
import type { ReferenceCache } from '../../src/core/reference-cache'
import { reportHandlers } from '../../src/core/report'
import type { LocalStore, Viewer } from '../../src/core/db'
import { apiArgs, queueQuerySchema, type QueueFilter } from '../../src/shared/api'
import { computeKpis } from '../../src/shared/kpi'
import { assignmentsOf, centreFigures } from '../../src/shared/kpi-units'
import type { Ticket } from '../../src/shared/ticket'
import { calendarData } from '../helpers/calendar'
import { ctx } from '../helpers/workflow'
import { A, D2, NOW, PERIOD, data } from './dashboard-data'
import { openStore, page, tempDir } from './helpers'

const supervisor: Viewer = { userId: 'u-sup1', role: 'supervisor', unit: null }
const EXEMPT = {
  reason: 'historical_issue' as const,
  text: '历史遗留',
  at: new Date(PERIOD.from).toISOString(),
  by: 'u-sup1',
}
// Ticket 2 (replied late, due in the week) and ticket 7 (open past due) exempt.
const exempted = (t: Ticket, i: number): Ticket =>
  i === 1 || i === 6 ? { ...t, exemption: EXEMPT, version: t.version + 1 } : t
const tickets = data.tickets.map(exempted)

const tile = (store: LocalStore) =>
  computeDashboard(store.dashboard(), {
    period: PERIOD,
    unit: null,
    district: null,
    viewer: supervisor,
    now: NOW,
    reference: { calendar: calendarData },
  }).tiles.onTimeRate.current
const ids = (store: LocalStore, filter: QueueFilter) =>
  store
    .queue(queueQuerySchema.parse({ filter, limit: 500 }), supervisor, NOW)
    .rows.map((r) => data.tickets.findIndex((t) => t.id === r.id) + 1)
    .sort((a, b) => a - b)

describe('按时办结率 over the cache', () => {
  it('leaves exempt tickets out: the tile, its drill-downs, computeKpis and the centre agree', () => {
    const store = openStore()
    store.applyPull(page({ tickets, events: data.events }), ctx)
    const t = tile(store)
    // Without exemptions: on time 1, 5, 14, 15, 20, 21, 26; late 2, 6, 7, 16 (7/11). Exempt 2, 7.
    expect([t.numerator.count, t.denominator.count, t.late.count]).toEqual([7, 9, 2])
    expect(ids(store, t.numerator.filter)).toEqual([1, 5, 14, 15, 20, 21, 26])
    expect(ids(store, t.late.filter)).toEqual([6, 16])
    expect(ids(store, t.denominator.filter)).toEqual([1, 5, 6, 14, 15, 16, 20, 21, 26])
    const k = computeKpis(tickets, data.events, { period: PERIOD, now: NOW, atRiskFraction: 0.2 })
    expect(k.onTimeRate).toMatchObject({ numerator: 7, denominator: 9 })
    const c = centreFigures(assignmentsOf(tickets, data.events), {
      period: PERIOD,
      now: NOW,
      contactWithinHours: 48,
    })
    expect(c.completion).toMatchObject({ numerator: 7, denominator: 9 })
    expect(
      c.tickets.completion
        .map((id) => data.tickets.findIndex((x) => x.id === id) + 1)
        .sort((a, b) => a - b),
    ).toEqual([1, 5, 6, 14, 15, 16, 20, 21, 26])
    // The exemption withdrawn (a newer version pulled): both count again.
    const back = tickets.map((x, i) =>
      i === 1 || i === 6 ? { ...x, exemption: null, version: x.version + 1 } : x,
    )
    store.applyPull(page({ tickets: back, events: [] }), ctx)
    const u = tile(store)
    expect([u.numerator.count, u.denominator.count]).toEqual([7, 11])
    expect(ids(store, u.late.filter)).toEqual([2, 6, 7, 16])
  })

  it('a cache from before migration 6 gets the exemption column from its JSON', () => {
    const dir = tempDir()
    const before = openStore(dir)
    before.applyPull(page({ tickets, events: data.events }), ctx)
    before.close()
    const db = new Database(join(dir, 'console.db'))
    db.exec(`ALTER TABLE tickets DROP COLUMN exempt; DROP TABLE own_deadlines;
      DROP TRIGGER own_deadlines_ad; ALTER TABLE tickets DROP COLUMN to_pass;
      DELETE FROM schema_migrations WHERE version >= 6`)
    db.close()
    const store = openStore(dir)
    expect(store.migration).toEqual({ from: 5, to: 7, rebuilt: false })
    const n = store.db.prepare('SELECT count(*) AS n FROM tickets WHERE exempt = 1').get()
    expect(n).toEqual({ n: 2 })
    expect(tile(store).denominator.count).toBe(9)
  })

  it("the per-level figures ('report.levels') follow the dashboard's unit and district filters", () => {
    const store = openStore()
    store.applyPull(page({ tickets, events: data.events }), ctx)
    const references = {
      get: () => ({ data: { units: [], scoring: null } }),
    } as unknown as ReferenceCache
    const user = { id: 'u-sup1', username: 'chen', displayName: '陈班长', role: 'supervisor' }
    const session = { token: 't', serverUrl: 'http://x', user, expiresAt: null }
    const h = reportHandlers({ store, references, session: () => session as never, now: () => NOW })
    const call = (more: object) =>
      h['report.levels'](
        apiArgs['report.levels'].parse({
          from: new Date(PERIOD.from).toISOString(),
          to: new Date(PERIOD.to).toISOString(),
          ...more,
        }),
      ) as Awaited<ReturnType<(typeof h)['report.levels']>>
    const all = call({})
    expect(new Set(all.levels.map((l) => l.unit)).size).toBeGreaterThan(1)
    const a = call({ unit: [A] })
    expect(a.levels.map((l) => l.unit)).toEqual([A])
    expect(a.levels).toEqual(all.levels.filter((l) => l.unit === A))
    // Unit A at the city's level: due in the week 1, 14, 15 on time, 16 late (2 and 7 exempt).
    expect(a.levels[0]!.completion).toMatchObject({ numerator: 3, denominator: 4 })
    const d2 = call({ district: [D2] })
    const inD2 = new Set(data.tickets.filter((t) => t.location.district === D2).map((t) => t.id))
    const listed = d2.levels.flatMap((l) => Object.values(l.tickets).flat())
    expect(listed.length).toBeGreaterThan(0)
    expect(listed.every((id) => inD2.has(id))).toBe(true)
  })
})
