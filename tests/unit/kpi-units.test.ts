// Unit figures and scores (issue 17) on a hand-built December 2026 (UTC), judged on 12-20. Every
// expected figure was counted by hand; the working is beside each assignment.
import { describe, expect, it } from 'vitest'
import { computeKpis } from '../../src/shared/kpi'
import {
  DEFAULT_SCORING,
  scoreUnits,
  scoringSchema,
  type Scoring,
} from '../../src/shared/kpi-score'
import {
  assignmentsOf,
  centreFigures,
  exemptionsIn,
  unitFigures,
  type Assignment,
  type Callback,
  type KpiInput,
  type Mark,
} from '../../src/shared/kpi-units'
import type { Ticket, TimelineEvent } from '../../src/shared/ticket'

const ms = (s: string) => Date.parse(`2026-${s.replace(' ', 'T')}:00.000Z`)
const period = { from: ms('12-01 00:00'), to: Date.parse('2027-01-01T00:00:00.000Z') }
const opts = { period, now: ms('12-20 00:00'), contactWithinHours: 24 }

function a(id: string, unit: string, o: Partial<Record<keyof Assignment, unknown>>): Assignment {
  const t = (k: string) =>
    typeof o[k as keyof Assignment] === 'string' ? ms(o[k as keyof Assignment] as string) : null
  return {
    ticketId: id,
    number: `202612${id}`,
    unit,
    level: 'city',
    dispatchedAt: t('dispatchedAt'),
    signBy: t('signBy'),
    signedAt: t('signedAt'),
    contactedAt: t('contactedAt'),
    due: t('due'),
    completedAt: t('completedAt'),
    exemption: (o.exemption as Assignment['exemption']) ?? null,
  }
}
const cb = (id: string, unit: string, at: string, o: Partial<Callback> = {}): Callback => ({
  ticketId: id,
  unit,
  level: 'city',
  at: ms(at),
  satisfaction: 'satisfied',
  resolved: true,
  exempt: false,
  ...o,
})
const mark = (id: string, unit: string, at: string, kind: Mark['kind'], exempt = false): Mark => ({
  ticketId: id,
  unit,
  level: 'city',
  at: ms(at),
  kind,
  exempt,
})
const EXEMPT = {
  reason: 'historical_issue' as const,
  text: '2015 年遗留',
  at: '2026-12-06T00:00:00.000Z',
  by: 'u-sup1',
}

const input: KpiInput = {
  assignments: [
    // a1: signed in time, contacted within 24 h, completed before due: good on all three.
    a('a1', 'A', {
      dispatchedAt: '12-02 01:00',
      signBy: '12-02 02:00',
      signedAt: '12-02 01:30',
      contactedAt: '12-02 05:00',
      due: '12-05 00:00',
      completedAt: '12-04 00:00',
    }),
    // a2: signed late → signing ✗, response ✗; completed after due → completion ✗.
    a('a2', 'A', {
      dispatchedAt: '12-03 00:00',
      signBy: '12-03 01:00',
      signedAt: '12-03 03:00',
      contactedAt: '12-03 04:00',
      due: '12-08 00:00',
      completedAt: '12-09 00:00',
    }),
    // a3: signed in time but contacted after 24 h → response ✗; due 12-15, still open on 12-20:
    // overdue, and counts AGAINST completion (today's definition never sees it).
    a('a3', 'A', {
      dispatchedAt: '12-10 00:00',
      signBy: '12-10 01:00',
      signedAt: '12-10 00:30',
      contactedAt: '12-12 00:00',
      due: '12-15 00:00',
    }),
    // a4: signed; never contacted and 24 h are past → response ✗; due 12-25, open: not judged yet.
    a('a4', 'A', {
      dispatchedAt: '12-18 00:00',
      signBy: '12-18 01:00',
      signedAt: '12-18 00:10',
      due: '12-25 00:00',
    }),
    // a5: exempt — would be late everywhere; out of A's figures, counted as exempt.
    a('a5', 'A', {
      dispatchedAt: '12-05 00:00',
      signBy: '12-05 01:00',
      signedAt: '12-06 00:00',
      due: '12-10 00:00',
      exemption: EXEMPT,
    }),
    // a6: sign-by in November (not judged for signing or response here), due in December, on time.
    a('a6', 'A', {
      dispatchedAt: '11-30 00:00',
      signBy: '11-30 01:00',
      signedAt: '11-30 00:20',
      due: '12-03 00:00',
      completedAt: '12-02 00:00',
    }),
    // b1: all good.
    a('b1', 'B', {
      dispatchedAt: '12-04 00:00',
      signBy: '12-04 01:00',
      signedAt: '12-04 00:05',
      contactedAt: '12-04 02:00',
      due: '12-09 00:00',
      completedAt: '12-08 00:00',
    }),
    // b2: not yet due to sign (sign-by after now) and unsigned: judged for nothing.
    a('b2', 'B', { dispatchedAt: '12-19 23:00', signBy: '12-20 06:00', due: '12-26 00:00' }),
  ],
  callbacks: [
    cb('a1', 'A', '12-05 00:00'),
    cb('a2', 'A', '12-10 00:00', { satisfaction: 'basically_satisfied', resolved: false }),
    // Rated by an older console that did not ask "resolved": in satisfaction, not in resolution.
    cb('a7', 'A', '12-11 00:00', { satisfaction: 'unsatisfied', resolved: null }),
    cb('a8', 'A', '11-28 00:00', { satisfaction: 'unsatisfied', resolved: false }), // November
    cb('a5', 'A', '12-12 00:00', { satisfaction: 'unsatisfied', resolved: false, exempt: true }),
    cb('b1', 'B', '12-09 00:00'),
    cb('c1', 'C', '12-09 00:00', { resolved: null }),
    cb('c2', 'C', '12-10 00:00', { satisfaction: 'unsatisfied', resolved: null }),
  ],
  marks: [
    mark('a2', 'A', '12-09 00:00', 'urged'),
    mark('a3', 'A', '12-16 00:00', 'supervised'),
    mark('a3', 'A', '12-07 00:00', 'return_rejected'),
    mark('a5', 'A', '12-08 00:00', 'supervised', true),
  ],
}

const byUnit = () => new Map(unitFigures(input, opts).map((f) => [f.unit, f]))
const rate = (r: { numerator: number; denominator: number }) => [r.numerator, r.denominator]

describe('unit figures', () => {
  it('on-time signing: sign-by in the period, signed by it', () => {
    const A = byUnit().get('A')!
    // a1 ✓, a2 ✗, a3 ✓, a4 ✓ (a5 exempt, a6 November).
    expect(rate(A.signing)).toEqual([3, 4])
    expect(A.signing.rate).toBe(0.75)
    // b1 ✓; b2's sign-by is after "now" and it is unsigned: not judged yet.
    expect(rate(byUnit().get('B')!.signing)).toEqual([1, 1])
  })

  it('on-time completion: due in the period; an overdue open ticket counts against', () => {
    const A = byUnit().get('A')!
    // a1 ✓, a2 ✗ (late), a3 ✗ (open past due), a6 ✓; a4 is due after now and open: not judged.
    expect(rate(A.completion)).toEqual([2, 4])
    expect(A.overdue).toBe(2)
    expect(A.overdueTickets.sort()).toEqual(['a2', 'a3'])
  })

  it('response: signed in time and the citizen contacted within the configured hours', () => {
    // a1 ✓, a2 ✗ (signed late), a3 ✗ (contact after 24 h), a4 ✗ (24 h past, no contact).
    expect(rate(byUnit().get('A')!.response)).toEqual([1, 4])
    // With 72 hours allowed, a3's contact on day 2 is in time, and a4 (dispatched 12-18) still has
    // until 12-21 to call: not judged yet.
    const lenient = new Map(
      unitFigures(input, { ...opts, contactWithinHours: 72 }).map((f) => [f.unit, f]),
    )
    expect(rate(lenient.get('A')!.response)).toEqual([2, 3])
  })

  it('resolution and satisfaction come from the callbacks in the period', () => {
    const A = byUnit().get('A')!
    // Resolution: a1 yes, a2 no; a7 was not asked; a8 is November; a5 exempt.
    expect(rate(A.resolution)).toEqual([1, 2])
    // Satisfaction: satisfied a1 + basically a2 over a1, a2, a7.
    expect(rate(A.satisfaction)).toEqual([2, 3])
    expect([
      A.satisfaction.satisfied,
      A.satisfaction.basicallySatisfied,
      A.satisfaction.unsatisfied,
    ]).toEqual([1, 1, 1])
    expect(byUnit().get('C')!.resolution.rate).toBeNull()
  })

  it('exempt tickets leave the unit figures but are counted and listed', () => {
    const A = byUnit().get('A')!
    expect(A.exempt).toBe(2) // a5's assignment and a5's callback
    expect(A.supervised).toBe(1) // a3's; a5's supervision is exempt
    expect(A.urged).toBe(1)
    expect(A.returnsRejected).toBe(1)
    expect(exemptionsIn(input, period).map((x) => x.ticketId)).toEqual(['a5'])
  })

  it('the centre line adds every unit up', () => {
    const c = centreFigures(input, opts)
    expect(rate(c.signing)).toEqual([4, 5])
    expect(rate(c.completion)).toEqual([3, 5])
    expect(rate(c.response)).toEqual([2, 5])
    expect(rate(c.satisfaction)).toEqual([4, 6])
  })
})

describe('unit scores', () => {
  const types: Record<string, 'street' | 'bureau'> = { A: 'street', B: 'bureau', C: 'bureau' }
  const typeOf = (u: string) => types[u] ?? null

  it('weights the three rates, deducts, and ranks within the group', () => {
    const s = scoreUnits(unitFigures(input, opts), typeOf, DEFAULT_SCORING)
    const A = s.find((x) => x.unit === 'A')!
    // 100 × (0.30 × 1/4 + 0.35 × 1/2 + 0.35 × 2/3) = 48.333…; deductions: 2 overdue × 0.5 +
    // 1 refused return × 0.5 + 1 supervision × 1 = 2.5 → 45.83.
    expect(A.base).toBeCloseTo(48.3333, 3)
    expect(A.deduction).toBe(2.5)
    expect(A.score).toBe(45.83)
    expect(A.group).toBe('districts')
    expect(A.rank).toBe(1)
    // Its figures rest on 11 judged tickets and callbacks: under the default minBase (20) it is
    // scored and ranked but not named below the thresholds; with minBase 0 it is, on everything.
    expect(A.below).toEqual([])
    const strict = DEFAULT_SCORING.groups.map((g) => ({
      ...g,
      thresholds: { ...g.thresholds, minBase: 0 },
    }))
    const all = scoreUnits(unitFigures(input, opts), typeOf, { ...DEFAULT_SCORING, groups: strict })
    expect(all.find((x) => x.unit === 'A')!.below).toEqual([
      'signing',
      'completion',
      'response',
      'resolution',
      'satisfaction',
      'score',
    ])
    // Bureaus: B 100 (all rates 1), C only has satisfaction (1/2) → 50; B first.
    const bureaus = s.filter((x) => x.group === 'bureaus').map((x) => [x.unit, x.score, x.rank])
    expect(bureaus).toEqual([
      ['B', 100, 1],
      ['C', 50, 2],
    ])
  })

  it('a rate below its zeroBelow scores nothing for its part (Lianyungang: signing < 80 %)', () => {
    const g = DEFAULT_SCORING.groups[0]!
    const scoring: Scoring = scoringSchema.parse({
      ...DEFAULT_SCORING,
      groups: [
        {
          ...g,
          weights: {
            signing: 0.2,
            completion: 0,
            response: 0.2,
            resolution: 0.3,
            satisfaction: 0.3,
          },
          deductions: { overdue: 0, unjustifiedReturn: 0, supervised: 0 },
        },
      ],
    })
    const A = scoreUnits(unitFigures(input, opts), typeOf, scoring).find((x) => x.unit === 'A')!
    // signing 0.75 < 0.8 → 0; 100 × (0 + 0.2 × 0.25 + 0.3 × 0.5 + 0.3 × 2/3) = 40.
    expect(A.score).toBe(40)
  })

  it('refuses weights that do not add up to 1 and a type in two groups', () => {
    const g = DEFAULT_SCORING.groups[0]!
    const bad = scoringSchema.safeParse({
      ...DEFAULT_SCORING,
      groups: [
        { ...g, weights: { ...g.weights, response: 0.5 } },
        { ...g, code: 'again' },
      ],
    })
    expect(bad.success).toBe(false)
    const messages = bad.error!.issues.map((i) => i.message).join(' | ')
    expect(messages).toMatch(/add up to 1/)
    expect(messages).toMatch(/in two groups/)
  })
})

// --- From today's tickets, and what today's definitions get wrong -------------------------------

const base = (id: string, o: Partial<Ticket>): Ticket =>
  ({
    id,
    number: null,
    channel: 'phone',
    kind: 'complaint',
    category: '0101',
    urgency: 'normal',
    caller: { name: null, phone: null, anonymous: true, company: null, callbackConsent: true },
    description: '噪音',
    location: {
      address: '人民路 1 号',
      district: null,
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
    createdBy: 'u',
    createdAt: '2026-12-02T00:00:00.000Z',
    updatedAt: '2026-12-02T00:00:00.000Z',
    version: 1,
    ...o,
  }) as Ticket
const at = (s: string) => `2026-${s.replace(' ', 'T')}:00.000Z`
const ev = (
  t: Ticket,
  n: number,
  type: TimelineEvent['type'],
  when: string,
  data = {},
): TimelineEvent => ({
  id: `${t.id}/${n}`,
  ticketId: t.id,
  type,
  version: n,
  at: at(when),
  actor: { userId: 'u', role: 'unit', unit: t.unit, name: null, consoleId: null },
  from: null,
  to: t.status,
  data,
})

describe('from tickets (assignmentsOf), and the dashboard tile that reads the same definition', () => {
  const dispatched = {
    unit: 'A',
    dispatchedAt: at('12-02 01:00'),
    signBy: at('12-02 02:00'),
    signedAt: at('12-02 01:10'),
  }
  // t1: replied on time, called back satisfied and resolved.
  const t1 = base('t1', {
    ...dispatched,
    status: 'closed',
    dueAt: at('12-05 00:00'),
    completedAt: at('12-04 00:00'),
    contactedAt: at('12-02 03:00'),
    resolution: { kind: 'replied', text: '已修', resolved: true, at: at('12-04 00:00'), by: 'u' },
  })
  // t2: due 12-10 and still open on 12-20: overdue.
  const t2 = base('t2', { ...dispatched, status: 'in_progress', dueAt: at('12-10 00:00') })
  // t3: answered on the call: a direct answer, no unit.
  const t3 = base('t3', {
    status: 'closed',
    completedAt: at('12-02 00:05'),
    resolution: {
      kind: 'answered',
      text: '已解答',
      resolved: true,
      at: at('12-02 00:05'),
      by: 'u',
    },
  })
  // t4: exempt, replied late.
  const t4 = base('t4', {
    ...dispatched,
    status: 'replied',
    dueAt: at('12-06 00:00'),
    completedAt: at('12-08 00:00'),
    resolution: { kind: 'replied', text: '说明', resolved: false, at: at('12-08 00:00'), by: 'u' },
    exemption: EXEMPT,
  })
  const tickets = [t1, t2, t3, t4]
  const events = [
    ev(t1, 5, 'replied', '12-04 00:00', { dueAt: t1.dueAt }),
    ev(t1, 6, 'called_back', '12-05 00:00', {
      satisfaction: 'satisfied',
      resolved: true,
      unit: 'A',
    }),
    ev(t3, 2, 'answered', '12-02 00:05', { dueAt: null }),
    ev(t4, 5, 'replied', '12-08 00:00', { dueAt: t4.dueAt }),
    ev(t2, 5, 'urged', '12-12 00:00'),
  ]

  it('builds one assignment per dispatched ticket, with the callback and the marks', () => {
    const k = assignmentsOf(tickets, events)
    expect(k.assignments.map((x) => x.ticketId)).toEqual(['t1', 't2', 't4'])
    expect(k.callbacks).toHaveLength(1)
    expect(k.callbacks[0]!.resolved).toBe(true)
    expect(k.marks.map((m) => m.kind)).toEqual(['urged'])
  })

  it('an overdue open ticket lowers on-time completion; a direct answer is not in it', () => {
    const A = unitFigures(assignmentsOf(tickets, events), opts).find((f) => f.unit === 'A')!
    // t1 on time, t2 open past due; t3 is a direct answer (no assignment), t4 exempt.
    expect(rate(A.completion)).toEqual([1, 2])
    // The old dashboard definition (completions in the period on time / completions) gave 2/3:
    // t1 ✓, t3 ✓ (no due time counted as on time), t4 ✗, and t2 never appeared. The dashboard's
    // tile (computeKpis) now reads the same definition as the centre's line: 1/2.
    const k = computeKpis(tickets, events, { period, now: opts.now, atRiskFraction: 0.2 })
    expect(rate(k.onTimeRate)).toEqual([1, 2])
    expect(rate(centreFigures(assignmentsOf(tickets, events), opts).completion)).toEqual([1, 2])
  })

  it('an exempt ticket is out of the unit figures but in the centre received count', () => {
    const A = unitFigures(assignmentsOf(tickets, events), opts).find((f) => f.unit === 'A')!
    expect(A.exempt).toBe(1)
    const old = computeKpis(tickets, events, { period, now: opts.now, atRiskFraction: 0.2 })
    expect(old.counts.received).toBe(4)
    // The direct-answer rate stays apart: 1 of 4 received.
    expect(rate(old.firstCallResolutionRate)).toEqual([1, 4])
  })
})
