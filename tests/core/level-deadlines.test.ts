// Issue 16: deadlines at the unit's own level. A street office sees a ticket its sub-centre passed
// down; its queue's sign-by and due, the 即将超时 / 已超时 views, the sort by due and the overdue
// alert follow ITS assignment of the chain, not the city's level-1 deadlines — and the city and
// the sub-centre keep theirs. A real cache (better-sqlite3) throughout.
import { describe, expect, it } from 'vitest'
import { queueQuerySchema, type QueueFilter, type TicketRow } from '../../src/shared/api'
import type { Alert } from '../../src/shared/alerts'
import { assignmentOf, chainOf } from '../../src/shared/assignments'
import type { Ticket } from '../../src/shared/ticket'
import { AlertWatcher } from '../../src/core/alerts'
import type { LocalStore, Viewer } from '../../src/core/db'
import { actors, ctx, inChain, step } from '../helpers/workflow'
import { dispatcherViewer, openStore, page, unitViewer } from './helpers'

const MIN = 60_000
const centreViewer: Viewer = { userId: 'u-jkc', role: 'unit', unit: 'JK-CENTER' }
const q = (filter: QueueFilter, sort?: { column: 'dueAt'; dir: 'asc' | 'desc' }) =>
  queueQuerySchema.parse({ filter, ...(sort ? { sort } : {}) })
const own = (t: Ticket, unit: string) => assignmentOf(chainOf(t), unit)!
const rowOf = (s: LocalStore, v: Viewer, id: string, now: number): TicketRow =>
  s.queue(q({ view: 'all' }), v, now).rows.find((r) => r.id === id)!
const ids = (s: LocalStore, v: Viewer, filter: QueueFilter, now: number) =>
  s.queue(q(filter), v, now).rows.map((r) => r.id)

describe('deadlines at the unit’s own level', () => {
  it('gives a street its own sign-by and due, views and colour; the levels above keep theirs', () => {
    const run = inChain('down')
    const t = run.ticket
    const street = own(t, 'JK-ZDL')
    const top = own(t, 'JK-CENTER')
    // The street's deadlines are inside the sub-centre's, and not the same.
    expect(Date.parse(street.dueAt)).toBeLessThan(Date.parse(top.dueAt))
    const store = openStore()
    store.applyPull(page({ tickets: [t] }), ctx)
    const now = run.now + MIN
    const row = rowOf(store, unitViewer, t.id, now)
    expect(row).toMatchObject({
      signBy: street.signBy,
      dueAt: street.dueAt,
      dispatchedAt: street.at,
    })
    expect(row.own).toEqual({ level: 2, signed: false })
    const city = rowOf(store, dispatcherViewer, t.id, now)
    expect(city).toMatchObject({ signBy: t.signBy, dueAt: t.dueAt })
    expect(city.own).toBeUndefined()
    expect(rowOf(store, centreViewer, t.id, now)).toMatchObject({ dueAt: t.dueAt })
    // The export of the street's view gives its deadlines too, the city's export the city's.
    const exported = (v: Viewer) => {
      const c = store.exportCursor(q({ view: 'all' }), v, now)
      try {
        return c.next(10)[0]!
      } finally {
        c.close()
      }
    }
    expect(exported(unitViewer)).toMatchObject({
      sign_by: Date.parse(street.signBy),
      due_at: Date.parse(street.dueAt),
    })
    expect(exported(dispatcherViewer)).toMatchObject({ due_at: Date.parse(t.dueAt!) })

    // Just past the street's sign-by: overdue for the street only (the centre signed in time).
    const late = Date.parse(street.signBy) + MIN
    expect(Date.parse(t.dueAt!)).toBeGreaterThan(late)
    expect(ids(store, unitViewer, { view: 'overdue' }, late)).toEqual([t.id])
    expect(rowOf(store, unitViewer, t.id, late).deadlineState).toBe('overdue')
    expect(ids(store, unitViewer, { deadline: ['overdue'] }, late)).toEqual([t.id])
    expect(store.counts(['overdue'], unitViewer, late).overdue).toBe(1)
    expect(ids(store, dispatcherViewer, { view: 'overdue' }, late)).toEqual([])
    expect(ids(store, centreViewer, { view: 'overdue' }, late)).toEqual([])
    expect(rowOf(store, dispatcherViewer, t.id, late).deadlineState).not.toBe('overdue')

    // Signed: its clock is its due now; at risk before the city's is.
    const signed = step(run, { name: 'ticket.sign', args: { ticketId: t.id } }, actors.unit)
    store.applyPull(page({ cursor: 2, tickets: [signed.ticket] }), ctx)
    const s2 = own(signed.ticket, 'JK-ZDL')
    const span = Date.parse(s2.dueAt) - Date.parse(s2.at)
    const risky = Date.parse(s2.dueAt) - span * 0.1
    expect(rowOf(store, unitViewer, t.id, risky)).toMatchObject({
      deadlineState: 'at_risk',
      own: { level: 2, signed: true },
    })
    expect(ids(store, unitViewer, { view: 'at_risk' }, risky)).toEqual([t.id])
    expect(ids(store, dispatcherViewer, { view: 'at_risk' }, risky)).toEqual([])
    expect(ids(store, dispatcherViewer, { view: 'overdue' }, risky)).toEqual([])
  })

  it('sorts a unit’s queue by its own due, and ends its clock when it replied', () => {
    // Two chains: B's street is due after A's street, while B's city due is before A's.
    const a = inChain('down')
    const b = inChain('down')
    const shift = (iso: string, minutes: number) =>
      new Date(Date.parse(iso) + minutes * MIN).toISOString()
    const cityDue = shift(a.ticket.dueAt!, -60)
    const bt: Ticket = {
      ...b.ticket,
      dueAt: cityDue,
      assignments: b.ticket.assignments!.map((x) =>
        x.unit === 'JK-ZDL'
          ? { ...x, dueAt: shift(own(a.ticket, 'JK-ZDL').dueAt, 30) }
          : x.level === 1
            ? { ...x, dueAt: cityDue }
            : x,
      ),
    }
    const store = openStore()
    store.applyPull(page({ tickets: [a.ticket, bt] }), ctx)
    const now = a.now + MIN
    const sorted = (v: Viewer) =>
      store.queue(q({ view: 'all' }, { column: 'dueAt', dir: 'asc' }), v, now).rows.map((r) => r.id)
    expect(sorted(unitViewer)).toEqual([a.ticket.id, bt.id])
    expect(sorted(dispatcherViewer)).toEqual([bt.id, a.ticket.id])

    // The street replied (waiting for the centre's review): its own clock has stopped.
    const replied = inChain('replied')
    store.applyPull(page({ cursor: 2, tickets: [replied.ticket] }), ctx)
    const after = Date.parse(own(replied.ticket, 'JK-ZDL').dueAt) + MIN
    expect(rowOf(store, unitViewer, replied.ticket.id, after).deadlineState).toBe('none')
    expect(ids(store, unitViewer, { view: 'overdue' }, after)).not.toContain(replied.ticket.id)
  })

  it('raises the overdue alert at the street’s own sign-by, as a missed signing', () => {
    const run = inChain('down')
    const t = run.ticket
    const street = own(t, 'JK-ZDL')
    const store = openStore()
    store.applyPull(page({ tickets: [t] }), ctx)
    let now = Date.parse(street.signBy) - 30 * MIN
    const emitted: Alert[] = []
    const watcher = new AlertWatcher(
      {
        store,
        session: () =>
          ({
            user: { id: 'u-zdl', role: 'unit', unit: 'JK-ZDL', name: '正东路街道' },
          }) as never,
        emit: (a) => emitted.push(a),
      },
      { now: () => now },
    )
    watcher.loggedIn('u-zdl')
    watcher.check()
    expect(emitted).toEqual([])
    now = Date.parse(street.signBy) + MIN
    watcher.check()
    expect(emitted.filter((a) => a.kind === 'overdue').map((a) => a.ticketId)).toEqual([t.id])
    expect(emitted[0]!.id).toBe(
      `overdue:${t.id}:${new Date(Date.parse(street.signBy)).toISOString()}`,
    )
    watcher.stop()
  })

  it('reads a ticket into the unit figures of the period its street link falls due in', () => {
    // Passed down long before, untouched since: only the street's own due lies in the period
    // (the bulletin's on-time completion must count it against the street).
    const run = inChain('down')
    const t = run.ticket
    const due = Date.parse(own(t, 'JK-ZDL').dueAt)
    const store = openStore()
    store.applyPull(page({ tickets: [t], events: run.events }), ctx)
    const span = { from: due - MIN, to: due + MIN }
    for (const at of [t.createdAt, t.signBy, t.dueAt, ...run.events.map((e) => e.at)])
      expect(at == null || Date.parse(at) < span.from || Date.parse(at) >= span.to).toBe(true)
    expect(store.unitKpiInput(span.from, span.to).tickets.map((x) => x.id)).toEqual([t.id])
    expect(store.unitKpiInput(due + 2 * MIN, due + 3 * MIN).tickets).toEqual([])
  })
})
