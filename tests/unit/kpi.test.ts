// KPI calculators on a hand-built month: 13 tickets and their timelines, November 2026, all in
// UTC. Every expected figure below was counted by hand from the data; the working is in the comments.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compareToPrevious,
  computeBacklog,
  computeKpis,
  previousPeriod,
} from '../../src/shared/kpi'
import type { KpiOptions, KpiReport, PeriodKpis, Ratio } from '../../src/shared/kpi'
import { CHANNELS, EVENT_TYPES, SATISFACTIONS, STATUSES } from '../../src/shared/ticket'
import type { EventType, Status, Ticket, TimelineEvent } from '../../src/shared/ticket'

/** `'11-10 06:00'` → `'2026-11-10T06:00:00.000Z'`. */
const iso = (s: string) => `2026-${s.replace(' ', 'T')}:00.000Z`
const ms = (s: string) => Date.parse(iso(s))

function ticket(id: string, created: string, o: Partial<Ticket> = {}): Ticket {
  return {
    id,
    number: null,
    channel: 'phone',
    kind: 'complaint',
    category: '0101',
    urgency: 'normal',
    caller: {
      name: '张三',
      phone: '13800000000',
      anonymous: false,
      company: null,
      callbackConsent: true,
    },
    description: '路灯不亮',
    location: {
      address: '人民路 1 号',
      district: '321102',
      street: null,
      community: null,
      lat: null,
      lng: null,
    },
    status: 'new',
    unit: null,
    coUnits: [],
    instructions: null,
    dispatchedAt: null,
    signedAt: null,
    signBy: null,
    dueAt: null,
    extension: { state: 'none', requestedUntil: null, reason: null, originalDueAt: null },
    returnRequest: null,
    counts: { returns: 0, urges: 0, reopens: 0, extensions: 0 },
    completedAt: null,
    closedAt: null,
    resolution: null,
    satisfaction: null,
    supervised: false,
    duplicateOf: null,
    needsReview: false,
    createdBy: 'agent-1',
    createdAt: iso(created),
    updatedAt: iso(created),
    version: 1,
    ...o,
  }
}

type Step = [type: EventType, at: string, to: Status, data?: Record<string, unknown>]

/** The ticket's timeline: `created` at createdAt, then the steps, versions counted from 1. */
function timeline(t: Ticket, steps: Step[]): TimelineEvent[] {
  let from: Status | null = null
  const all: Step[] = [['created', t.createdAt.slice(5, 16).replace('T', ' '), 'new'], ...steps]
  return all.map(([type, at, to, data = {}], i) => {
    const ev: TimelineEvent = {
      id: `${t.id}/${i + 1}`,
      ticketId: t.id,
      type,
      version: i + 1,
      at: iso(at),
      actor: { userId: 'u1', role: 'dispatcher', unit: null, name: null, consoleId: null },
      from,
      to,
      data,
    }
    from = to
    return ev
  })
}

const replied = (at: string) => ({
  kind: 'replied' as const,
  text: '已处理',
  resolved: true,
  at: iso(at),
  by: 'unit',
})

// ---- the data: the period is [11-10, 11-20), now = 11-20 00:00, previous period [10-31, 11-10)

// T01: received at exactly `from`; replied on time (11-14 ≤ due 11-15), 4 days; callback satisfied.
const t01 = ticket('T01', '11-10 00:00', {
  status: 'closed',
  unit: 'UA',
  dispatchedAt: iso('11-10 01:00'),
  signedAt: iso('11-10 02:00'),
  dueAt: iso('11-15 00:00'),
  completedAt: iso('11-14 00:00'),
  closedAt: iso('11-15 00:00'),
  resolution: replied('11-14 00:00'),
  satisfaction: 'satisfied',
})
// T02: created at exactly `to` (= now): not received; backlog new, unassigned, age 0.
const t02 = ticket('T02', '11-20 00:00')
// T03: received before the period; dispatched 11-09 (previous), return approved 11-10 01:00 (in
// the period, but of a dispatch made before it), re-dispatched 11-10 02:00; replied late 11-13
// (due 11-12), 3.5 days after creation; callback basically satisfied.
const t03 = ticket('T03', '11-09 12:00', {
  category: '0201',
  status: 'closed',
  unit: 'UB',
  dispatchedAt: iso('11-10 02:00'),
  signedAt: iso('11-10 03:00'),
  dueAt: iso('11-12 00:00'),
  completedAt: iso('11-13 00:00'),
  closedAt: iso('11-14 00:00'),
  resolution: replied('11-13 00:00'),
  satisfaction: 'basically_satisfied',
  counts: { returns: 1, urges: 0, reopens: 0, extensions: 0 },
})
// T04: answered on the call 6 h after creation (0.25 days), no due time: on time; first-call.
const t04 = ticket('T04', '11-11 00:00', {
  kind: 'consultation',
  category: '0301',
  status: 'closed',
  completedAt: iso('11-11 06:00'),
  closedAt: iso('11-11 06:00'),
  resolution: { ...replied('11-11 06:00'), kind: 'answered' },
})
// T05: company request by channel. Replied 11-16, late against the due it had then (event data
// 11-15; its current due 11-20 would call it on time), 4 days; callback unsatisfied; redone 11-17;
// replied again 11-18 on time (data due 11-20), 6 days. Now replied: backlog UA, age 8.
const t05 = ticket('T05', '11-12 00:00', {
  channel: 'enterprise',
  category: '0501',
  status: 'replied',
  unit: 'UA',
  dispatchedAt: iso('11-17 00:00'),
  signedAt: iso('11-17 01:00'),
  dueAt: iso('11-20 00:00'),
  completedAt: iso('11-18 00:00'),
  resolution: replied('11-18 00:00'),
  counts: { returns: 0, urges: 0, reopens: 1, extensions: 0 },
})
// T06: company request by category 1301; replied 11-15, due 11-16 (ticket's, no event data),
// 2 days. Now replied: backlog UC, age 7.
const t06 = ticket('T06', '11-13 00:00', {
  channel: 'web',
  category: '1301',
  status: 'replied',
  unit: 'UC',
  dispatchedAt: iso('11-13 00:00'),
  signedAt: iso('11-13 01:00'),
  dueAt: iso('11-16 00:00'),
  completedAt: iso('11-15 00:00'),
  resolution: replied('11-15 00:00'),
})
// T07: dispatched 11-14 to UB, return approved 11-15 (a return of a dispatch in the period),
// re-dispatched to UC 11-15 06:00, due 11-20 06:00: at now 6 h of 120 h left (5 % < 20 %): at risk.
const t07 = ticket('T07', '11-14 00:00', {
  status: 'in_progress',
  unit: 'UC',
  dispatchedAt: iso('11-15 06:00'),
  signedAt: iso('11-15 07:00'),
  dueAt: iso('11-20 06:00'),
  counts: { returns: 1, urges: 0, reopens: 0, extensions: 0 },
})
// T08: received in the previous period, in progress, due 11-12: overdue now; age 15 days.
const t08 = ticket('T08', '11-05 00:00', {
  category: '0201',
  status: 'in_progress',
  unit: 'UA',
  dispatchedAt: iso('11-05 00:00'),
  signedAt: iso('11-05 01:00'),
  dueAt: iso('11-12 00:00'),
  counts: { returns: 0, urges: 1, reopens: 0, extensions: 0 },
})
// T09: all in the previous period: replied 11-06 (due 11-07), 4 days; callback 11-08 satisfied.
const t09 = ticket('T09', '11-02 00:00', {
  status: 'closed',
  unit: 'UB',
  dispatchedAt: iso('11-02 00:00'),
  signedAt: iso('11-02 01:00'),
  dueAt: iso('11-07 00:00'),
  completedAt: iso('11-06 00:00'),
  closedAt: iso('11-08 00:00'),
  resolution: replied('11-06 00:00'),
  satisfaction: 'satisfied',
})
// T10: received, then cancelled: not in the backlog.
const t10 = ticket('T10', '11-16 00:00', { status: 'cancelled', closedAt: iso('11-16 01:00') })
// T11: received, new, unassigned, age 1.5 days.
const t11 = ticket('T11', '11-18 12:00', { category: '0201' })
// T12: received, dispatched to UA and not signed; age exactly 3 days; sign-by 1 of 4 days left,
// due 4 of 7 days left: ok.
const t12 = ticket('T12', '11-17 00:00', {
  status: 'dispatched',
  unit: 'UA',
  dispatchedAt: iso('11-17 00:00'),
  signBy: iso('11-21 00:00'),
  dueAt: iso('11-24 00:00'),
})
// T13: previous period, answered on the call 12 h after creation (0.5 days).
const t13 = ticket('T13', '11-08 00:00', {
  kind: 'consultation',
  category: '0301',
  status: 'closed',
  completedAt: iso('11-08 12:00'),
  closedAt: iso('11-08 12:00'),
  resolution: { ...replied('11-08 12:00'), kind: 'answered' },
})

const tickets = [t01, t02, t03, t04, t05, t06, t07, t08, t09, t10, t11, t12, t13]
const events: TimelineEvent[] = [
  ...timeline(t01, [
    ['dispatched', '11-10 01:00', 'dispatched', { unit: 'UA', dueAt: iso('11-15 00:00') }],
    ['signed', '11-10 02:00', 'in_progress'],
    ['replied', '11-14 00:00', 'replied'],
    ['called_back', '11-15 00:00', 'closed', { satisfaction: 'satisfied' }],
  ]),
  ...timeline(t02, []),
  ...timeline(t03, [
    ['dispatched', '11-09 13:00', 'dispatched', { unit: 'UA' }],
    ['return_requested', '11-09 20:00', 'return_requested', { reason: '非本单位职责' }],
    ['return_approved', '11-10 01:00', 'new'],
    ['dispatched', '11-10 02:00', 'dispatched', { unit: 'UB' }],
    ['signed', '11-10 03:00', 'in_progress'],
    ['replied', '11-13 00:00', 'replied'],
    ['called_back', '11-14 00:00', 'closed', { satisfaction: 'basically_satisfied' }],
  ]),
  ...timeline(t04, [['answered', '11-11 06:00', 'closed']]),
  ...timeline(t05, [
    ['dispatched', '11-12 00:00', 'dispatched', { unit: 'UA', dueAt: iso('11-15 00:00') }],
    ['signed', '11-12 01:00', 'in_progress'],
    ['replied', '11-16 00:00', 'replied', { dueAt: iso('11-15 00:00') }],
    ['called_back', '11-16 12:00', 'closed', { satisfaction: 'unsatisfied' }],
    ['redone', '11-17 00:00', 'dispatched', { unit: 'UA', dueAt: iso('11-20 00:00') }],
    ['signed', '11-17 01:00', 'in_progress'],
    ['replied', '11-18 00:00', 'replied', { dueAt: iso('11-20 00:00') }],
  ]),
  ...timeline(t06, [
    ['dispatched', '11-13 00:00', 'dispatched', { unit: 'UC' }],
    ['signed', '11-13 01:00', 'in_progress'],
    ['replied', '11-15 00:00', 'replied'],
  ]),
  ...timeline(t07, [
    ['dispatched', '11-14 00:00', 'dispatched', { unit: 'UB' }],
    ['return_requested', '11-14 12:00', 'return_requested', { reason: '非本单位职责' }],
    ['return_approved', '11-15 00:00', 'new'],
    ['dispatched', '11-15 06:00', 'dispatched', { unit: 'UC' }],
    ['signed', '11-15 07:00', 'in_progress'],
  ]),
  ...timeline(t08, [
    ['dispatched', '11-05 00:00', 'dispatched', { unit: 'UA' }],
    ['signed', '11-05 01:00', 'in_progress'],
    ['urged', '11-13 00:00', 'in_progress'],
  ]),
  ...timeline(t09, [
    ['dispatched', '11-02 00:00', 'dispatched', { unit: 'UB' }],
    ['signed', '11-02 01:00', 'in_progress'],
    ['replied', '11-06 00:00', 'replied'],
    ['called_back', '11-08 00:00', 'closed', { satisfaction: 'satisfied' }],
  ]),
  ...timeline(t10, [['cancelled', '11-16 01:00', 'cancelled']]),
  ...timeline(t11, []),
  ...timeline(t12, [['dispatched', '11-17 00:00', 'dispatched', { unit: 'UA' }]]),
  ...timeline(t13, [['answered', '11-08 12:00', 'closed']]),
]
// Shuffled on purpose: the calculators may not rely on event order.
events.reverse()

const options: KpiOptions = {
  period: { from: ms('11-10 00:00'), to: ms('11-20 00:00') },
  now: ms('11-20 00:00'),
  atRiskFraction: 0.2,
  timeZone: 'Asia/Shanghai',
}

describe('computeKpis on the hand-built month', () => {
  const r = computeKpis(tickets, events, options)

  it('counts received tickets by createdAt, [from, to)', () => {
    // T01 (at from), T04, T05, T06, T07, T10, T11, T12; not T02 (at to), T03, T08, T09, T13
    expect(r.counts.received).toBe(8)
  })

  it('counts the period events', () => {
    expect(r.counts).toEqual({
      received: 8,
      completions: 6, // replies T01, T03, T05 ×2, T06; answered T04
      dispatches: 7, // T01, T03 (11-10), T05, T06, T07 ×2, T12
      returnsApproved: 2, // T03 (of the 11-09 dispatch), T07
      redos: 1, // T05
      callbacks: 3, // T01, T03, T05 (T09's is in the previous period)
    })
  })

  it('on-time completion (应办结): dispatched tickets due in the period, overdue open ones against', () => {
    // Due in [11-10, 11-20): T01 (replied 11-14, due 11-15) on time; T03 (11-13 > 11-12) late;
    // T06 (11-15 ≤ 11-16) on time; T08 (due 11-12, still open at now) late. Not in it: T04
    // (answered on the call: a direct answer), T05 (due 11-20, at `to`), T07 (11-20 06:00),
    // T09 (11-07), T12 (11-24). The old definition (completions on time / completions) gave 4/6.
    expect(r.onTimeRate.numerator).toBe(2)
    expect(r.onTimeRate.denominator).toBe(4)
    expect(r.onTimeRate.rate).toBe(0.5)
  })

  it('satisfaction rate over callbacks rated in the period', () => {
    expect(r.satisfactionRate.numerator).toBe(2)
    expect(r.satisfactionRate.denominator).toBe(3)
    expect(r.satisfactionRate.rate).toBeCloseTo(0.666667, 5)
    expect(r.satisfactionRate).toMatchObject({
      satisfied: 1,
      basicallySatisfied: 1,
      unsatisfied: 1,
    })
  })

  it('average handling time, overall and for company requests', () => {
    // 4 (T01) + 3.5 (T03) + 0.25 (T04) + 4 + 6 (T05) + 2 (T06) = 19.75 over 6
    expect(r.avgHandlingDays.totalDays).toBeCloseTo(19.75, 9)
    expect(r.avgHandlingDays.count).toBe(6)
    expect(r.avgHandlingDays.mean).toBeCloseTo(3.291667, 5)
    // company: T05 (enterprise) 4 + 6, T06 (category 1301) 2 = 12 over 3
    expect(r.avgCompanyHandlingDays).toEqual({ totalDays: 12, count: 3, mean: 4 })
  })

  it('return rate counts returns of dispatches made in the period', () => {
    // T07's return; T03's returned a dispatch of 11-09, before the period
    expect(r.returnRate.numerator).toBe(1)
    expect(r.returnRate.denominator).toBe(7)
    expect(r.returnRate.rate).toBeCloseTo(0.142857, 5)
  })

  it('reopen rate: redos of completions in the period / completions', () => {
    expect(r.reopenRate.numerator).toBe(1)
    expect(r.reopenRate.denominator).toBe(6)
    expect(r.reopenRate.rate).toBeCloseTo(0.166667, 5)
  })

  it('first-call resolution rate: received and answered on the call / received', () => {
    expect(r.firstCallResolutionRate).toEqual({ numerator: 1, denominator: 8, rate: 0.125 })
  })

  it('backlog at now by status, unit, category and age, with overdue and at-risk', () => {
    // open: T02, T05, T06, T07, T08, T11, T12
    expect(r.backlog).toEqual({
      at: ms('11-20 00:00'),
      total: 7,
      byStatus: { new: 2, dispatched: 1, in_progress: 2, return_requested: 0, replied: 2 },
      byUnit: { UA: 3, UC: 2 }, // UA: T05, T08, T12; UC: T06, T07
      unassigned: 2, // T02, T11
      byCategory: { '0101': 3, '0201': 2, '0501': 1, '1301': 1 },
      // T02 0; T11 1.5; T12 exactly 3; T05 8, T06 7, T07 6; T08 15
      byAge: { lt1: 1, '1to3': 1, '3to5': 1, '5to10': 3, ge10: 1 },
      overdue: 1, // T08
      atRisk: 1, // T07
    })
  })

  it('echoes the options and is plain data', () => {
    expect(r.period).toEqual(options.period)
    expect(r.now).toBe(options.now)
    expect(r.atRiskFraction).toBe(0.2)
    expect(r.timeZone).toBe('Asia/Shanghai')
    expect(r.ignoredEvents).toBe(0)
    expect(JSON.parse(JSON.stringify(r))).toEqual(r)
  })

  it('gives the same answer from one-shot generators', () => {
    function* gen<T>(xs: T[]) {
      yield* xs
    }
    expect(computeKpis(gen(tickets), gen(events), options)).toEqual(r)
  })

  it('computeBacklog alone agrees', () => {
    expect(computeBacklog(tickets, options.now, 0.2)).toEqual(r.backlog)
  })
})

describe('edge cases', () => {
  const nullRates = (p: PeriodKpis) => [
    p.onTimeRate.rate,
    p.satisfactionRate.rate,
    p.avgHandlingDays.mean,
    p.avgCompanyHandlingDays.mean,
    p.returnRate.rate,
    p.reopenRate.rate,
    p.firstCallResolutionRate.rate,
  ]

  it('an empty period gives nulls, not NaN', () => {
    const empty = { ...options, period: { from: ms('11-15 00:00'), to: ms('11-15 00:00') } }
    const r = computeKpis(tickets, events, empty)
    expect(nullRates(r)).toEqual([null, null, null, null, null, null, null])
    expect(r.counts).toEqual({
      received: 0,
      completions: 0,
      dispatches: 0,
      returnsApproved: 0,
      redos: 0,
      callbacks: 0,
    })
    expect(r.onTimeRate).toEqual({ numerator: 0, denominator: 0, rate: null })
    expect(JSON.stringify(r)).not.toMatch(/NaN|Infinity/)
  })

  it('no data at all gives nulls and a zero backlog with every key', () => {
    const r = computeKpis([], [], options)
    expect(nullRates(r)).toEqual([null, null, null, null, null, null, null])
    expect(r.backlog).toEqual({
      at: options.now,
      total: 0,
      byStatus: { new: 0, dispatched: 0, in_progress: 0, return_requested: 0, replied: 0 },
      byUnit: {},
      unassigned: 0,
      byCategory: {},
      byAge: { lt1: 0, '1to3': 0, '3to5': 0, '5to10': 0, ge10: 0 },
      overdue: 0,
      atRisk: 0,
    })
  })

  it('a completion exactly at its due time is on time; events at `to` are outside', () => {
    const t = ticket('E1', '11-10 00:00', {
      dueAt: iso('11-12 00:00'),
      status: 'replied',
      unit: 'UA',
      dispatchedAt: iso('11-10 00:00'),
      completedAt: iso('11-12 00:00'),
    })
    const ev = timeline(t, [
      ['dispatched', '11-10 00:00', 'dispatched'],
      ['signed', '11-10 01:00', 'in_progress'],
      ['replied', '11-12 00:00', 'replied'],
    ])
    const r = computeKpis([t], ev, {
      ...options,
      period: { from: ms('11-10 00:00'), to: ms('11-12 00:00') },
    })
    expect(r.counts.completions).toBe(0)
    // Due at `to`: not due in that period.
    expect(r.onTimeRate.denominator).toBe(0)
    const r2 = computeKpis([t], ev, options)
    expect(r2.onTimeRate).toEqual({ numerator: 1, denominator: 1, rate: 1 })
  })

  it('a redo of a completion made before the period is counted, but not in the reopen rate', () => {
    const t = ticket('E2', '11-01 00:00', { status: 'dispatched', unit: 'UA' })
    const ev = timeline(t, [
      ['dispatched', '11-01 01:00', 'dispatched'],
      ['replied', '11-05 00:00', 'replied'],
      ['called_back', '11-09 00:00', 'closed', { satisfaction: 'unsatisfied' }],
      ['redone', '11-10 09:00', 'dispatched'],
    ])
    const r = computeKpis([t], ev, options)
    expect(r.counts.redos).toBe(1)
    expect(r.reopenRate).toEqual({ numerator: 0, denominator: 0, rate: null })
  })

  it('first-call resolution also from an answered event, even after the period, once', () => {
    // status no longer shows it (closed, resolution dropped), answered twice in bad data
    const t = ticket('E3', '11-19 23:00', { status: 'closed' })
    const ev = timeline(t, [
      ['answered', '11-20 01:00', 'closed'],
      ['answered', '11-20 02:00', 'closed'],
    ])
    const r = computeKpis([t], ev, options)
    expect(r.firstCallResolutionRate).toEqual({ numerator: 1, denominator: 1, rate: 1 })
  })

  it('ignores events of tickets not given, and counts them', () => {
    const ghost = timeline(ticket('GHOST', '11-11 00:00'), [
      ['dispatched', '11-11 01:00', 'dispatched'],
    ])
    const r = computeKpis(tickets, [...events, ...ghost], options)
    expect(r.ignoredEvents).toBe(1) // the dispatch; `created` counts in no KPI
    expect(r.counts.dispatches).toBe(7)
  })

  it('refuses a period that ends before it starts', () => {
    expect(() => computeKpis([], [], { ...options, period: { from: 10, to: 5 } })).toThrow(
      RangeError,
    )
  })
})

describe('compareToPrevious', () => {
  const c = compareToPrevious(tickets, events, options)

  it('takes the equally long period just before', () => {
    // ten days before 11-10
    expect(previousPeriod(options.period)).toEqual({
      from: ms('10-31 00:00'),
      to: ms('11-10 00:00'),
    })
    expect(c.previous.period).toEqual(previousPeriod(options.period))
    expect(c.current).toEqual(computeKpis(tickets, events, options))
  })

  it('computes the previous period by hand', () => {
    const p = c.previous
    // received T03, T08, T09, T13; completions T09 (on time), T13 (answered)
    expect(p.counts).toEqual({
      received: 4,
      completions: 2,
      dispatches: 3, // T03 11-09, T08, T09
      returnsApproved: 0,
      redos: 0,
      callbacks: 1, // T09
    })
    // Due in the previous period: T09 (due 11-07, replied 11-06) alone.
    expect(p.onTimeRate).toEqual({ numerator: 1, denominator: 1, rate: 1 })
    expect(p.satisfactionRate).toEqual({
      numerator: 1,
      denominator: 1,
      rate: 1,
      satisfied: 1,
      basicallySatisfied: 0,
      unsatisfied: 0,
    })
    expect(p.avgHandlingDays).toEqual({ totalDays: 4.5, count: 2, mean: 2.25 }) // 4 + 0.5
    expect(p.avgCompanyHandlingDays).toEqual({ totalDays: 0, count: 0, mean: null })
    expect(p.returnRate).toEqual({ numerator: 0, denominator: 3, rate: 0 })
    expect(p.reopenRate).toEqual({ numerator: 0, denominator: 2, rate: 0 })
    expect(p.firstCallResolutionRate).toEqual({ numerator: 1, denominator: 4, rate: 0.25 })
  })

  it('gives the change: differences for counts, fraction points for rates', () => {
    const d = c.change
    expect(d.counts).toEqual({
      received: 4,
      completions: 4,
      dispatches: 4,
      returnsApproved: 2,
      redos: 1,
      callbacks: 2,
    })
    expect(d.onTimeRate).toBe(-0.5) // 2/4 − 1
    expect(d.satisfactionRate).toBeCloseTo(-0.333333, 5) // 2/3 − 1
    expect(d.returnRate).toBeCloseTo(0.142857, 5) // 1/7 − 0
    expect(d.reopenRate).toBeCloseTo(0.166667, 5) // 1/6 − 0
    expect(d.firstCallResolutionRate).toBe(-0.125) // 1/8 − 1/4
    expect(d.avgHandlingDays).toBeCloseTo(1.041667, 5) // 3.291667 − 2.25
    expect(d.avgCompanyHandlingDays).toBeNull() // none before
  })
})

describe('properties on random data', () => {
  const BASE = ms('11-01 00:00')
  const HOUR = 3_600_000
  const hours = fc.integer({ min: 0, max: 24 * 40 })
  const isoAt = (h: number) => new Date(BASE + h * HOUR).toISOString()

  const ticketArb = fc.record({
    id: fc.integer({ min: 0, max: 19 }),
    created: hours,
    due: fc.option(hours),
    status: fc.constantFrom(...STATUSES),
    channel: fc.constantFrom(...CHANNELS),
    category: fc.constantFrom('0101', '0201', '1301', '130102'),
    unit: fc.option(fc.constantFrom('UA', 'UB')),
    answered: fc.boolean(),
  })
  const eventArb = fc.record({
    ticket: fc.integer({ min: 0, max: 24 }),
    type: fc.constantFrom(...EVENT_TYPES),
    at: hours,
    satisfaction: fc.option(fc.constantFrom(...SATISFACTIONS, 'bogus')),
    due: fc.option(fc.option(hours), { nil: undefined }), // absent, null or a time
  })

  const ratios = (p: PeriodKpis): Ratio[] => [
    p.onTimeRate,
    p.satisfactionRate,
    p.returnRate,
    p.reopenRate,
    p.firstCallResolutionRate,
  ]

  function checkReport(p: PeriodKpis) {
    for (const x of ratios(p)) {
      expect(x.numerator).toBeGreaterThanOrEqual(0)
      expect(x.numerator).toBeLessThanOrEqual(x.denominator)
      if (x.denominator === 0) expect(x.rate).toBeNull()
      else {
        expect(x.rate).toBe(x.numerator / x.denominator)
        expect(x.rate).toBeGreaterThanOrEqual(0)
        expect(x.rate).toBeLessThanOrEqual(1)
      }
    }
    for (const m of [p.avgHandlingDays, p.avgCompanyHandlingDays]) {
      expect(m.mean === null).toBe(m.count === 0)
    }
    expect(p.avgCompanyHandlingDays.count).toBeLessThanOrEqual(p.avgHandlingDays.count)
    expect(JSON.stringify(p)).not.toMatch(/NaN|Infinity/)
  }

  it('numerators never exceed denominators; rates stay within [0, 1]', () => {
    fc.assert(
      fc.property(
        fc.array(ticketArb, { maxLength: 25 }),
        fc.array(eventArb, { maxLength: 80 }),
        hours,
        fc.integer({ min: 0, max: 24 * 20 }),
        (ts, evs, from, length) => {
          const tickets = ts.map((t) =>
            ticket(`R${t.id}`, '11-01 00:00', {
              createdAt: isoAt(t.created),
              dueAt: t.due == null ? null : isoAt(t.due),
              dispatchedAt: t.due == null ? null : isoAt(t.created),
              status: t.status,
              channel: t.channel,
              category: t.category,
              unit: t.unit,
              resolution: t.answered
                ? { kind: 'answered', text: '', resolved: true, at: isoAt(t.created), by: 'a' }
                : null,
            }),
          )
          const events = evs.map((e, i): TimelineEvent => {
            const data: Record<string, unknown> = {}
            if (e.satisfaction != null) data.satisfaction = e.satisfaction
            if (e.due !== undefined) data.dueAt = e.due === null ? null : isoAt(e.due)
            return {
              id: `R${e.ticket}/${i}`,
              ticketId: `R${e.ticket}`,
              type: e.type,
              version: i,
              at: isoAt(e.at),
              actor: { userId: 'u', role: 'system', unit: null, name: null, consoleId: null },
              from: null,
              to: 'new',
              data,
            }
          })
          const opts: KpiOptions = {
            period: { from: BASE + from * HOUR, to: BASE + (from + length) * HOUR },
            now: BASE + 24 * 40 * HOUR,
            atRiskFraction: 0.2,
          }
          const c = compareToPrevious(tickets, events, opts)
          const report: KpiReport = c.current
          checkReport(report)
          checkReport(c.previous)
          expect(c.change.counts.received).toBe(report.counts.received - c.previous.counts.received)
          const b = report.backlog
          const sum = (o: Record<string, number | undefined>) =>
            Object.values(o).reduce<number>((a, n) => a + (n ?? 0), 0)
          expect(sum(b.byStatus)).toBe(b.total)
          expect(sum(b.byAge)).toBe(b.total)
          expect(sum(b.byCategory)).toBe(b.total)
          expect(sum(b.byUnit) + b.unassigned).toBe(b.total)
          expect(b.overdue + b.atRisk).toBeLessThanOrEqual(b.total)
        },
      ),
      { numRuns: 300 },
    )
  })
})
