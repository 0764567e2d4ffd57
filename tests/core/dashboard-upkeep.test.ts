// The dashboard's facts and per-day sums (migration 3) are kept by triggers through every way the
// cache changes — pulls, local actions and their rebase, removals, a reset, snapshot pages, a bulk
// load — and always equal what a rebuild from the tickets and events makes. A cache filled before
// migration 3 is migrated in place, its figures intact.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { computeDashboard } from '../../src/core/dashboard'
import { LocalStore } from '../../src/core/db'
import { rebuildKpiTables } from '../../src/core/db/migrations/0003-dashboard'
import { computeKpis } from '../../src/shared/kpi'
import type { Action } from '../../src/shared/actions'
import type { TimelineEvent } from '../../src/shared/ticket'
import { calendarData } from '../helpers/calendar'
import { actors, ctx, draft, T0 } from '../helpers/workflow'
import { NOW, PERIOD, data } from './dashboard-data'
import { act, openStore, page, tempDir } from './helpers'

const MIN = 60_000

function tables(store: LocalStore) {
  const all = (sql: string) => store.db.prepare(sql).all()
  return {
    facts: all('SELECT * FROM kpi_facts ORDER BY ticket_id, version'),
    days: all('SELECT * FROM kpi_days WHERE n <> 0 ORDER BY day, kind, district, company'),
    received: all('SELECT * FROM kpi_received WHERE n <> 0 ORDER BY day, district'),
  }
}

/** What the triggers kept equals a rebuild; returns how many facts there are. */
function keptAsRebuilt(store: LocalStore): number {
  const kept = tables(store)
  store.db.transaction(() => rebuildKpiTables(store.db)).immediate()
  expect(kept).toEqual(tables(store))
  return kept.facts.length
}

/** The dashboard's KPIs equal computeKpis on all the cache holds. */
function figuresRight(store: LocalStore): void {
  const d = computeDashboard(store.dashboard(), {
    period: PERIOD,
    unit: null,
    district: null,
    viewer: { userId: 'u-sup1', role: 'supervisor', unit: null },
    now: NOW,
    reference: { calendar: calendarData },
  })
  const want = computeKpis(data.tickets, data.events, {
    period: PERIOD,
    now: NOW,
    atRiskFraction: 0.2,
  })
  expect(d.kpis.current.counts).toEqual(want.counts)
  expect(d.kpis.current.onTimeRate).toEqual(want.onTimeRate)
  expect(d.kpis.current.reopenRate).toEqual(want.reopenRate)
  expect(d.kpis.backlog).toEqual(want.backlog)
}

describe('dashboard upkeep', () => {
  it('pulls, local actions, their rebase, a removal and a reset keep facts as a rebuild makes them', () => {
    const store = openStore()
    store.applyPull(page({ tickets: data.tickets, events: data.events }), ctx)
    expect(keptAsRebuilt(store)).toBe(58)
    figuresRight(store)

    // A ticket taken through reply, unsatisfied callback, redo and reply again, all pending.
    const d = draft('0190f5c2-0000-7000-9000-00000000d001')
    const id = d.id
    let at = T0
    const doing = (action: Action, who: keyof typeof actors) =>
      act(store, action, actors[who], (at += 30 * MIN))
    doing({ name: 'ticket.create', args: { ticket: d } }, 'agent')
    doing(
      {
        name: 'ticket.dispatch',
        args: { ticketId: id, unit: 'JK-ZDL', coUnits: [], instructions: null },
      },
      'dispatcher',
    )
    doing({ name: 'ticket.sign', args: { ticketId: id } }, 'unit')
    doing({ name: 'ticket.reply', args: { ticketId: id, text: '已处理', resolved: true } }, 'unit')
    const cb = { ticketId: id, satisfaction: 'unsatisfied', text: null } as const
    doing({ name: 'ticket.callback', args: cb }, 'agent')
    doing({ name: 'ticket.redo', args: { ticketId: id, reason: '群众不满意' } }, 'dispatcher')
    doing({ name: 'ticket.sign', args: { ticketId: id } }, 'unit')
    const last = doing(
      { name: 'ticket.reply', args: { ticketId: id, text: '已整改', resolved: true } },
      'unit',
    )
    const facts = keptAsRebuilt(store)
    expect(facts).toBe(58 + 5)

    // The server took the first four; someone else's note came in between, so the callback the
    // console made as version 6 is the server's note there: the pending ones move up.
    const local = store.ticket(id)!
    const served = local.events.slice(0, 4)
    const note = { ...local.events[4]!, type: 'noted' as const, data: { text: '已电话联系' } }
    const after = { ...local.ticket, version: 5, status: 'replied' as const }
    store.applyPull(
      page({ cursor: 2, tickets: [after], events: [...served, note], lastMutationId: 4 }),
      ctx,
    )
    expect(store.ticket(id)!.events.map((e) => e.type)).toContain('noted')
    keptAsRebuilt(store)

    // Gone from the server (merged away elsewhere, say), then a fresh start.
    store.applyPull(page({ cursor: 3, removed: [data.tickets[0]!.id] }), ctx)
    keptAsRebuilt(store)
    store.resetServerState()
    expect(store.pending().at(-1)?.id).toBe(last.id)
    expect(keptAsRebuilt(store)).toBeGreaterThan(0)
  })

  it('snapshot pages set the triggers aside and rebuild once at the end; so does a bulk load', () => {
    const store = openStore()
    const half = data.tickets.length / 2
    const part = (from: number, to: number) => {
      const ids = new Set(data.tickets.slice(from, to).map((t) => t.id))
      return {
        tickets: data.tickets.slice(from, to),
        events: data.events.filter((e) => ids.has(e.ticketId)),
      }
    }
    store.applyPull(page({ cursor: 0, hasMore: true, ...part(0, half) }), ctx, { snapshot: true })
    expect(tables(store).facts).toEqual([])
    store.applyPull(page({ cursor: 9, ...part(half, data.tickets.length) }), ctx, {
      snapshot: true,
    })
    expect(keptAsRebuilt(store)).toBe(58)
    figuresRight(store)

    const bulk = openStore()
    bulk.bulkLoad([data.tickets])
    bulk.applyPull(page({ events: data.events }), ctx)
    expect(keptAsRebuilt(bulk)).toBe(58)
    figuresRight(bulk)
  })

  it('migrates a cache filled before migration 3 in place', () => {
    const dir = tempDir()
    const before = LocalStore.open(dir, { synchronous: 'normal' })
    before.applyPull(page({ cursor: 42, tickets: data.tickets, events: data.events }), ctx)
    before.close()
    // Back to version 2: what migration 3 adds, gone.
    const db = new Database(join(dir, 'console.db'))
    const added = db
      .prepare(
        `SELECT type, name FROM sqlite_master WHERE name LIKE 'kpi%' OR name IN
         ('tickets_place', 'tickets_category_district', 'tickets_created', 'tickets_open')
         ORDER BY type = 'table'`,
      )
      .all() as Array<{ type: string; name: string }>
    for (const o of added) db.exec(`DROP ${o.type.toUpperCase()} IF EXISTS "${o.name}"`)
    for (const c of ['place', 'company', 'answered'])
      db.exec(`ALTER TABLE tickets DROP COLUMN ${c}`)
    // And what came after it (the knowledge base, the chain's levels, own deadlines): version 2.
    for (const t of ['kb_text', 'kb_head', 'kb_body', 'kb_py', 'kb_usage', 'kb_entries'])
      db.exec(`DROP TABLE IF EXISTS ${t}`)
    for (const c of ['levels', 'waiting', 'exempt']) db.exec(`ALTER TABLE tickets DROP COLUMN ${c}`)
    db.exec('DROP TABLE own_deadlines; DROP TRIGGER own_deadlines_ad')
    db.exec('ALTER TABLE tickets DROP COLUMN to_pass')
    db.exec('DELETE FROM schema_migrations WHERE version >= 3')
    db.close()

    const store = openStore(dir)
    expect(store.migration).toEqual({ from: 2, to: 7, rebuilt: false })
    expect(store.getMeta('cursor')).toBe('42')
    const places = store.db
      .prepare('SELECT count(*) AS n FROM tickets WHERE place IS NOT NULL')
      .get() as { n: number }
    expect(places.n).toBe(30)
    expect(keptAsRebuilt(store)).toBe(58)
    figuresRight(store)
  })

  it('odd timelines count as computeKpis counts them: two returns of one dispatch pair once', () => {
    const store = openStore()
    const t7 = data.tickets[6]!
    const id = '0190f5c2-0000-7000-9000-00000000d002'
    const odd = { ...t7, id, unit: 'CITY-UM', coUnits: [], version: 5 }
    const ev = (version: number, type: TimelineEvent['type'], hour: number) => ({
      ...data.events.find((e) => e.ticketId === t7.id)!,
      id: `${id}/${version}`,
      ticketId: id,
      version,
      type,
      at: new Date(PERIOD.from + hour * 3_600_000).toISOString(),
      data: type === 'dispatched' ? { unit: 'CITY-UM' } : {},
    })
    // Dispatched once, returned twice (no new dispatch between); a redo with no completion.
    const events = [
      ev(1, 'created', 1),
      ev(2, 'dispatched', 2),
      ev(3, 'return_approved', 3),
      ev(4, 'return_approved', 4),
      ev(5, 'redone', 5),
    ]
    store.applyPull(
      page({ tickets: [...data.tickets, odd], events: [...data.events, ...events] }),
      ctx,
    )
    const d = computeDashboard(store.dashboard(), {
      period: PERIOD,
      unit: ['CITY-UM'],
      district: null,
      viewer: { userId: 'u-sup1', role: 'supervisor', unit: null },
      now: NOW,
      reference: { calendar: calendarData },
    })
    const want = computeKpis(
      [...data.tickets, odd].filter((t) => t.unit === 'CITY-UM'),
      [...data.events, ...events],
      { period: PERIOD, now: NOW, atRiskFraction: 0.2 },
    )
    expect(d.kpis.current.returnRate).toEqual(want.returnRate)
    expect(d.kpis.current.reopenRate).toEqual(want.reopenRate)
    // Unit B's dispatches: 5, 6, 10 and the odd ticket's; its two returns pair with one.
    expect(d.kpis.current.returnRate).toMatchObject({ numerator: 1, denominator: 4 })
    expect(d.kpis.current.counts.returnsApproved).toBe(2)
    expect(d.tiles.returnRate.current.numerator).toMatchObject({ count: 1, tickets: 1 })
    keptAsRebuilt(store)
  })
})
