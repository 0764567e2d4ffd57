// Unit figures as 12345 centres publish them (issue 17): on-time signing, on-time completion, the
// three rates (response, resolution, satisfaction), exemptions. Each definition lives here once;
// the dashboard, the monthly bulletin and the server read these functions. Sources, per figure:
// - 及时签收率: Lianyungang 12345 考核办法 — assignments whose sign-by fell in the period, the
//   share signed by it; 0 points below 80 % (the `zeroBelow` of kpi-score.ts).
// - 按时办结率: the 应办结 base of the provincial 12345 考核 (Jiangsu, Shandong): dispatched tickets
//   DUE in the period, the share completed by their due. An overdue open ticket counts against;
//   a ticket not yet due and still open is not judged yet. Direct answers have no assignment and
//   are reported apart as the direct-answer rate (直办率, kpi.ts), never mixed in.
// - 响应率 / 解决率 / 满意率 (三率): Beijing 接诉即办 考评 — response: signed in time and the citizen
//   contacted (联系来电人) within the configured hours of dispatch; resolution: the citizen's
//   "resolved" at the callback; satisfaction: (satisfied + basically) / rated callbacks.
// - 不纳入考核: Beijing's and Lianyungang's exemption lists — a supervisor takes a ticket out of
//   the unit's scores with a reason; it stays in the centre's received count and is listed.
//
// The figures are computed over ASSIGNMENTS, not tickets: today one per ticket (its current unit,
// level 'city'), built by assignmentsOf(); the dispatch-levels work (#16) feeds one per link of the
// chain (city → sub-centre → street → community) with its own sign-by and due, and every function
// here then answers per unit AND level without change.
import { ratio, type Ratio, type SatisfactionRatio } from './kpi'
import type { Exemption, Satisfaction, Ticket, TimelineEvent } from './ticket'
import type { Period } from './kpi'

export const LEVELS = ['city', 'subcentre', 'street', 'community'] as const
export type Level = (typeof LEVELS)[number]

export { EXEMPTION_REASONS } from './ticket'
export type { Exemption, ExemptionReason } from './ticket'

/** One unit's part in a ticket at one level: what the figures judge. Times in ms. */
export interface Assignment {
  ticketId: string
  number: string | null
  unit: string
  level: Level
  dispatchedAt: number | null
  signBy: number | null
  signedAt: number | null
  /** The unit contacted the citizen (联系来电人). */
  contactedAt: number | null
  due: number | null
  completedAt: number | null
  exemption: Exemption | null
}

/** A callback (回访) of a unit's reply: rated by the citizen at `at`. */
export interface Callback {
  ticketId: string
  unit: string
  level: Level
  at: number
  satisfaction: Satisfaction | null
  /** The citizen says the problem is solved; null when not asked (callbacks before issue 17). */
  resolved: boolean | null
  exempt: boolean
}

/** Urges, supervision and refused returns against a unit in the period (deductions). */
export interface Mark {
  ticketId: string
  unit: string
  level: Level
  at: number
  kind: 'urged' | 'supervised' | 'return_rejected'
  exempt: boolean
}

export interface KpiInput {
  assignments: Assignment[]
  callbacks: Callback[]
  marks: Mark[]
}

const ms = (s: string | null | undefined): number | null => {
  if (s == null) return null
  const v = Date.parse(s)
  return Number.isNaN(v) ? null : v
}

/**
 * Today's tickets as assignments (one each: the current unit, level 'city'), callbacks and marks.
 * Events are needed for callbacks and marks (each judged by the unit it was about then) and for
 * the contact time of tickets synced before the ticket carried it.
 */
export function assignmentsOf(
  tickets: Iterable<Ticket>,
  events: Iterable<TimelineEvent>,
): KpiInput {
  const out: KpiInput = { assignments: [], callbacks: [], marks: [] }
  const byId = new Map<string, Ticket>()
  for (const t of tickets) {
    byId.set(t.id, t)
    if (!t.unit || !t.dispatchedAt) continue
    out.assignments.push({
      ticketId: t.id,
      number: t.number,
      unit: t.unit,
      level: 'city',
      dispatchedAt: ms(t.dispatchedAt),
      signBy: ms(t.signBy),
      signedAt: ms(t.signedAt),
      contactedAt: ms(t.contactedAt),
      due: ms(t.dueAt),
      completedAt: t.resolution?.kind === 'replied' ? ms(t.completedAt) : null,
      exemption: t.exemption ?? null,
    })
  }
  for (const e of events) {
    const t = byId.get(e.ticketId)
    if (!t) continue
    const unit = typeof e.data.unit === 'string' ? e.data.unit : t.unit
    if (!unit) continue
    const at = Date.parse(e.at)
    const exempt = t.exemption != null
    if (e.type === 'called_back') {
      const s = e.data.satisfaction
      out.callbacks.push({
        ticketId: t.id,
        unit,
        level: 'city',
        at,
        satisfaction: typeof s === 'string' ? (s as Satisfaction) : null,
        resolved: typeof e.data.resolved === 'boolean' ? e.data.resolved : null,
        exempt,
      })
    } else if (e.type === 'urged' || e.type === 'supervised' || e.type === 'return_rejected') {
      out.marks.push({ ticketId: t.id, unit, level: 'city', at, kind: e.type, exempt })
    }
  }
  return out
}

export interface UnitFigureOptions {
  period: Period
  /** Judged as of this moment: what is not yet due and not yet done is left out. */
  now: number
  /** A unit must contact the citizen within this many hours of dispatch (响应). */
  contactWithinHours: number
}

export interface UnitFigures {
  unit: string
  level: Level
  /** 及时签收率. */
  signing: Ratio
  /** 按时办结率 (应办结 base). */
  completion: Ratio
  /** 响应率. */
  response: Ratio
  /** 解决率 (callbacks that asked). */
  resolution: Ratio
  /** 满意率. */
  satisfaction: SatisfactionRatio
  /** Due in the period and completed late, or still open past due. */
  overdue: number
  urged: number
  supervised: number
  returnsRejected: number
  /** Assignments or callbacks in the period left out as exempt (不纳入考核). */
  exempt: number
  /** The tickets behind `completion` that were late (for drill-down and the bulletin). */
  overdueTickets: string[]
}

const inP = (p: Period, t: number | null): t is number => t != null && t >= p.from && t < p.to

/** Judged for signing: sign-by in the period, and signed or past sign-by by `now`. */
export function judgedSigning(a: Assignment, o: UnitFigureOptions): boolean {
  return inP(o.period, a.signBy) && (a.signedAt != null || a.signBy <= o.now)
}
export const signedOnTime = (a: Assignment): boolean =>
  a.signedAt != null && a.signBy != null && a.signedAt <= a.signBy

/** Judged for completion (应办结): due in the period, and completed or past due by `now`. */
export function judgedCompletion(a: Assignment, o: UnitFigureOptions): boolean {
  return inP(o.period, a.due) && (a.completedAt != null || a.due <= o.now)
}
export const completedOnTime = (a: Assignment): boolean =>
  a.completedAt != null && a.due != null && a.completedAt <= a.due

/** The moment the citizen should have been contacted by. */
export const contactBy = (a: Assignment, hours: number): number | null =>
  a.dispatchedAt == null ? null : a.dispatchedAt + hours * 3_600_000

/** Judged for response: sign-by in the period, and both done or both deadlines past. */
export function judgedResponse(a: Assignment, o: UnitFigureOptions): boolean {
  if (!inP(o.period, a.signBy)) return false
  const by = contactBy(a, o.contactWithinHours) ?? a.signBy
  const done = a.signedAt != null && a.contactedAt != null
  return done || Math.max(by, a.signBy) <= o.now
}
export function respondedInTime(a: Assignment, hours: number): boolean {
  const by = contactBy(a, hours)
  return signedOnTime(a) && a.contactedAt != null && by != null && a.contactedAt <= by
}

const key = (unit: string, level: Level) => `${level}\u0000${unit}`

/** The figures of every unit (and level) with anything to judge in the period. */
export function unitFigures(input: KpiInput, o: UnitFigureOptions): UnitFigures[] {
  const acc = new Map<
    string,
    {
      unit: string
      level: Level
      sign: [number, number]
      done: [number, number]
      resp: [number, number]
      res: [number, number]
      sat: [number, number, number]
      urged: number
      supervised: number
      rejected: number
      exempt: number
      late: string[]
    }
  >()
  const get = (unit: string, level: Level) => {
    const k = key(unit, level)
    let a = acc.get(k)
    if (!a) {
      a = {
        unit,
        level,
        sign: [0, 0],
        done: [0, 0],
        resp: [0, 0],
        res: [0, 0],
        sat: [0, 0, 0],
        urged: 0,
        supervised: 0,
        rejected: 0,
        exempt: 0,
        late: [],
      }
      acc.set(k, a)
    }
    return a
  }
  for (const a of input.assignments) {
    const s = judgedSigning(a, o)
    const c = judgedCompletion(a, o)
    const r = judgedResponse(a, o)
    if (!s && !c && !r) continue
    const u = get(a.unit, a.level)
    if (a.exemption) {
      u.exempt++
      continue
    }
    if (s) {
      u.sign[1]++
      if (signedOnTime(a)) u.sign[0]++
    }
    if (c) {
      u.done[1]++
      if (completedOnTime(a)) u.done[0]++
      else u.late.push(a.ticketId)
    }
    if (r) {
      u.resp[1]++
      if (respondedInTime(a, o.contactWithinHours)) u.resp[0]++
    }
  }
  for (const cb of input.callbacks) {
    if (!inP(o.period, cb.at)) continue
    const u = get(cb.unit, cb.level)
    if (cb.exempt) {
      u.exempt++
      continue
    }
    if (cb.resolved != null) {
      u.res[1]++
      if (cb.resolved) u.res[0]++
    }
    if (cb.satisfaction)
      u.sat[['satisfied', 'basically_satisfied', 'unsatisfied'].indexOf(cb.satisfaction)]!++
  }
  for (const m of input.marks) {
    if (!inP(o.period, m.at) || m.exempt) continue
    const u = get(m.unit, m.level)
    if (m.kind === 'urged') u.urged++
    else if (m.kind === 'supervised') u.supervised++
    else u.rejected++
  }
  return [...acc.values()].map((u) => ({
    unit: u.unit,
    level: u.level,
    signing: ratio(...u.sign),
    completion: ratio(...u.done),
    response: ratio(...u.resp),
    resolution: ratio(...u.res),
    satisfaction: {
      ...ratio(u.sat[0] + u.sat[1], u.sat[0] + u.sat[1] + u.sat[2]),
      satisfied: u.sat[0],
      basicallySatisfied: u.sat[1],
      unsatisfied: u.sat[2],
    },
    overdue: u.done[1] - u.done[0],
    urged: u.urged,
    supervised: u.supervised,
    returnsRejected: u.rejected,
    exempt: u.exempt,
    overdueTickets: u.late,
  }))
}

/** The same figures for all units together (the centre's line in the bulletin). */
export function centreFigures(input: KpiInput, o: UnitFigureOptions): UnitFigures {
  const all = <T extends { unit: string; level: Level }>(x: T): T => ({
    ...x,
    unit: '*',
    level: 'city',
  })
  const merged: KpiInput = {
    assignments: input.assignments.map(all),
    callbacks: input.callbacks.map(all),
    marks: input.marks.map(all),
  }
  return (
    unitFigures(merged, o)[0] ?? {
      unit: '*',
      level: 'city',
      signing: ratio(0, 0),
      completion: ratio(0, 0),
      response: ratio(0, 0),
      resolution: ratio(0, 0),
      satisfaction: { ...ratio(0, 0), satisfied: 0, basicallySatisfied: 0, unsatisfied: 0 },
      overdue: 0,
      urged: 0,
      supervised: 0,
      returnsRejected: 0,
      exempt: 0,
      overdueTickets: [],
    }
  )
}

/** Exempt assignments touching the period (by sign-by, due or the exemption itself), listed. */
export function exemptionsIn(input: KpiInput, p: Period): Assignment[] {
  return input.assignments.filter(
    (a) =>
      a.exemption != null &&
      (inP(p, a.signBy) || inP(p, a.due) || inP(p, Date.parse(a.exemption.at))),
  )
}
