// The other reads: caller history, duplicate candidates, units by history, KPI input, reference
// data, deadline views for unit staff.
import { describe, expect, it } from 'vitest'
import { queueQuerySchema } from '../../src/shared/api'
import type { Ticket } from '../../src/shared/ticket'
import { actors, created, ctx, draft, inState, T0 } from '../helpers/workflow'
import { calendarData, deadlineRules } from '../helpers/calendar'
import { act, openStore, page, unitViewer } from './helpers'

const DAY = 86_400_000
const at = (t: Ticket, minutes: number, patch: Partial<Ticket> = {}): Ticket => ({
  ...t,
  createdAt: new Date(T0 + minutes * 60_000).toISOString(),
  ...patch,
})

describe('reads', () => {
  it('caller history: by normalized phone, newest first, masked', () => {
    const store = openStore()
    const a = at(created().ticket, 0)
    const b = at(created().ticket, 5)
    const c = at(created().ticket, 9, { caller: { ...a.caller, phone: '13900000000' } })
    store.applyPull(page({ tickets: [a, b, c] }), ctx)
    const rows = store.callerHistory('138-0000 0001', 10)
    expect(rows.map((r) => r.id)).toEqual([b.id, a.id])
    expect(rows[0]!.callerPhoneMasked).toBe('138****0001')
    expect(store.callerHistory('13800000001', 1)).toHaveLength(1)
  })

  it('duplicates: same place and words score high, with reasons; old closed ones are left out', () => {
    const store = openStore()
    const same = at(created().ticket, 0, { caller: { ...created().ticket.caller, phone: null } })
    const otherText = at(created().ticket, 1, {
      description: '要求补办居住证，咨询所需材料',
      location: { ...same.location, address: '润州区中山西路12号' },
      caller: { ...same.caller, phone: null },
    })
    const closedOld = at(inState('closed').ticket, -60 * 24 * 40)
    const sameCaller = at(created().ticket, 2, {
      description: '咨询公积金提取',
      location: { ...same.location, address: '丹徒区谷阳大道1号' },
    })
    store.applyPull(page({ tickets: [same, otherText, closedOld, sameCaller] }), ctx)
    const found = store.duplicates(
      {
        category: '0301',
        description: '正东路88号饭店晚上噪音扰民',
        address: '京口区正东路88号',
        district: '321102',
        limit: 8,
      },
      T0 + DAY,
    )
    expect(found.map((f) => f.row.id)).toEqual([same.id])
    expect(found[0]!.reasons).toEqual(['category', 'address', 'text'])
    expect(found[0]!.score).toBeGreaterThan(0.5)
    const byPhone = store.duplicates(
      { description: '', address: '', phone: '13800000001', limit: 8 },
      T0 + DAY,
    )
    expect(byPhone.map((f) => [f.row.id, f.reasons])).toEqual([[sameCaller.id, ['phone']]])
    expect(
      store.duplicates(
        {
          excludeId: same.id,
          category: '0301',
          description: '噪音扰民',
          address: '京口区正东路88号',
          limit: 8,
        },
        T0 + DAY,
      ),
    ).toEqual([])
  })

  it('units by history: the units that handled the category (and district), most first', () => {
    const store = openStore()
    const base = inState('in_progress').ticket
    const mk = (unit: string, district: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ...at(created().ticket, i + n * 10),
        unit,
        location: { ...base.location, district },
      }))
    store.applyPull(
      page({
        tickets: [
          ...mk('JK-ZDL', '321102', 3),
          ...mk('CITY-UM', '321102', 1),
          ...mk('CITY-UM', '321111', 4),
        ],
      }),
      ctx,
    )
    expect(store.unitsByHistory('0301', null, 5)).toEqual([
      { code: 'CITY-UM', count: 5 },
      { code: 'JK-ZDL', count: 3 },
    ])
    expect(store.unitsByHistory('0301', '321102', 1)).toEqual([{ code: 'JK-ZDL', count: 3 }])
  })

  it('KPI input: tickets created, completed, with events in the period or open, and their events', () => {
    const store = openStore()
    const open = inState('in_progress')
    const old = inState('closed')
    const moved = { ...old.ticket, id: '0190f5c2-0000-7000-8000-aaaaaaaaaaaa' }
    const oldTicket = at(moved, -60 * 24 * 60, {
      completedAt: new Date(T0 - 50 * DAY).toISOString(),
    })
    store.applyPull(page({ tickets: [open.ticket, oldTicket], events: open.events }), ctx)
    const period = store.kpiInput(T0, T0 + DAY)
    expect(period.tickets.map((t) => t.id)).toEqual([open.ticket.id])
    expect(period.events.map((e) => e.type)).toEqual(open.events.map((e) => e.type))
    expect(
      store
        .kpiInput(T0 - 51 * DAY, T0 - 49 * DAY)
        .tickets.map((t) => t.id)
        .sort(),
    ).toEqual([open.ticket.id, moved.id].sort())
  })

  it('stores reference data and follows its at-risk fraction', () => {
    const store = openStore()
    expect(store.reference()).toBeNull()
    const run = inState('dispatched')
    store.applyPull(page({ tickets: [run.ticket] }), ctx)
    const due = Date.parse(run.ticket.signBy!)
    const start = Date.parse(run.ticket.dispatchedAt!)
    const when = due - (due - start) * 0.3 // 30 % left: ok at 0.2, at risk at 0.5
    const view = queueQuerySchema.parse({ filter: { view: 'at_risk' } })
    expect(store.queue(view, unitViewer, when).total).toBe(0)
    const reference = {
      districts: [],
      categories: [],
      units: [],
      routing: [],
      deadlines: { ...deadlineRules, atRiskFraction: 0.5 },
      calendar: calendarData,
      version: 3,
    }
    const out = store.applyPull(page({ cursor: 2, reference }), ctx)
    expect(out.referenceChanged).toBe(true)
    expect(store.reference()?.version).toBe(3)
    expect(store.queue(view, unitViewer, when).total).toBe(1)
    expect(store.counts(['at_risk', 'mine', 'all'], unitViewer, when)).toEqual({
      at_risk: 1,
      mine: 1,
      all: 1,
    })
  })

  it('pending flag and provisional number on rows made here', () => {
    const store = openStore()
    const d = draft()
    act(store, { name: 'ticket.create', args: { ticket: d } }, actors.agent, T0)
    const [row] = store.search('噪音', 5)
    expect(row).toMatchObject({ id: d.id, pending: true, provisional: true })
    expect(store.ticket('0190f5c2-0000-7000-8000-ffffffffffff')).toBeNull()
  })
})
