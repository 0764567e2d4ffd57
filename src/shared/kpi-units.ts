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
// The figures are computed over ASSIGNMENTS, not tickets: one per link of the chain (city →
// sub-centre → street → community, kpi-assignments.ts) with its own sign-by and due, so every
// function here answers per unit AND level. A recalled link is judged for nothing (counted apart,
// `recalled`); a returned one for signing and response, not completion. The centre's line counts
// each ticket once: the city's own dispatch (the level-1 lead link, `top`).
import { ratio, type Ratio, type SatisfactionRatio } from './kpi'
import {
  judgedCompletion,
  judgedResponse,
  judgedSigning,
  completedOnTime,
  respondedInTime,
  signedOnTime,
} from './kpi-judge'
import type { Exemption, Satisfaction } from './ticket'
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
  /** Depth in the chain (1: dispatched by the city centre). */
  chainLevel?: number
  /** The city centre's own dispatch (level-1 lead): the ticket as the centre's line counts it. */
  top?: boolean
  /** Recalled or re-routed away (judged for nothing), or returned (not judged for completion). */
  ended?: 'recalled' | 'returned' | null
  /** When it was replied, returned or recalled. */
  endedAt?: number | null
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
  /** The city's own unit (level 1): the one callback the centre's line counts. */
  top?: boolean
}

/** Urges, supervision and refused returns against a unit in the period (deductions). */
export interface Mark {
  ticketId: string
  unit: string
  level: Level
  at: number
  kind: 'urged' | 'supervised' | 'return_rejected'
  exempt: boolean
  top?: boolean
}

export interface KpiInput {
  assignments: Assignment[]
  callbacks: Callback[]
  marks: Mark[]
}

export { assignmentsOf, levelsOf, type UnitTypeOf } from './kpi-assignments'
export {
  cityCompletion,
  completedOnTime,
  contactBy,
  judgedCompletion,
  judgedResponse,
  judgedSigning,
  respondedInTime,
  signedOnTime,
} from './kpi-judge'

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
  /** Its links recalled or re-routed away in the period (in no figure above). */
  recalled: number
  /** Mean hours its links stayed with it within the period (recalled ones aside). */
  meanHoursHeld: number | null
  /** The tickets behind each figure, for the drill-downs (each listed once per figure). */
  tickets: FigureTickets
}

export interface FigureTickets {
  signing: string[]
  lateSigning: string[]
  completion: string[]
  response: string[]
  lateResponse: string[]
  callbacks: string[]
  marks: string[]
  held: string[]
  recalled: string[]
  exempt: string[]
}
const noTickets = (): FigureTickets => ({
  signing: [],
  lateSigning: [],
  completion: [],
  response: [],
  lateResponse: [],
  callbacks: [],
  marks: [],
  held: [],
  recalled: [],
  exempt: [],
})

const inP = (p: Period, t: number | null): t is number => t != null && t >= p.from && t < p.to

const key = (unit: string, level: Level) => `${level}\u0000${unit}`

/** The figures of every unit (and level) with anything to judge in the period. */
export function unitFigures(input: KpiInput, o: UnitFigureOptions): UnitFigures[] {
  const acc = new Map<string, Acc>()
  const get = (unit: string, level: Level) => {
    const k = key(unit, level)
    let a = acc.get(k)
    if (!a) {
      a = { ...blank(), unit, level }
      acc.set(k, a)
    }
    return a
  }
  const note = (list: string[], id: string) => {
    if (!list.includes(id)) list.push(id)
  }
  const end = Math.min(o.period.to, o.now)
  for (const a of input.assignments) {
    if (a.ended === 'recalled') {
      if (inP(o.period, a.endedAt ?? null)) {
        const u = get(a.unit, a.level)
        u.recalled++
        note(u.tickets.recalled, a.ticketId)
      }
      continue
    }
    // Time held: from the dispatch to its end (or now), within the period.
    const from = Math.max(a.dispatchedAt ?? Infinity, o.period.from)
    const to = Math.min(a.endedAt ?? o.now, end)
    const s = judgedSigning(a, o)
    const c = a.ended !== 'returned' && judgedCompletion(a, o)
    const r = judgedResponse(a, o)
    if (!s && !c && !r && !(to > from)) continue
    const u = get(a.unit, a.level)
    if (to > from) {
      u.heldMs += to - from
      u.heldN++
      note(u.tickets.held, a.ticketId)
    }
    if (!s && !c && !r) continue
    if (a.exemption) {
      u.exempt++
      note(u.tickets.exempt, a.ticketId)
      continue
    }
    if (s) {
      u.sign[1]++
      note(u.tickets.signing, a.ticketId)
      if (signedOnTime(a)) u.sign[0]++
      else note(u.tickets.lateSigning, a.ticketId)
    }
    if (c) {
      u.done[1]++
      note(u.tickets.completion, a.ticketId)
      if (completedOnTime(a)) u.done[0]++
      else note(u.late, a.ticketId)
    }
    if (r) {
      u.resp[1]++
      note(u.tickets.response, a.ticketId)
      if (respondedInTime(a, o.contactWithinHours)) u.resp[0]++
      else note(u.tickets.lateResponse, a.ticketId)
    }
  }
  for (const cb of input.callbacks) {
    if (!inP(o.period, cb.at)) continue
    const u = get(cb.unit, cb.level)
    if (cb.exempt) {
      u.exempt++
      note(u.tickets.exempt, cb.ticketId)
      continue
    }
    if (cb.resolved != null) {
      u.res[1]++
      if (cb.resolved) u.res[0]++
    }
    if (cb.satisfaction)
      u.sat[['satisfied', 'basically_satisfied', 'unsatisfied'].indexOf(cb.satisfaction)]!++
    if (cb.resolved != null || cb.satisfaction) note(u.tickets.callbacks, cb.ticketId)
  }
  for (const m of input.marks) {
    if (!inP(o.period, m.at) || m.exempt) continue
    const u = get(m.unit, m.level)
    if (m.kind === 'urged') u.urged++
    else if (m.kind === 'supervised') u.supervised++
    else u.rejected++
    note(u.tickets.marks, m.ticketId)
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
    recalled: u.recalled,
    meanHoursHeld: u.heldN ? Math.round((u.heldMs / u.heldN / 3_600_000) * 10) / 10 : null,
    tickets: u.tickets,
  }))
}

interface Acc {
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
  recalled: number
  heldMs: number
  heldN: number
  tickets: FigureTickets
}
const blank = (): Omit<Acc, 'unit' | 'level'> => ({
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
  recalled: 0,
  heldMs: 0,
  heldN: 0,
  tickets: noTickets(),
})

/**
 * The same figures for all units together (the centre's line in the bulletin): each ticket once,
 * by the city centre's own dispatch (its level-1 link) and the callback of its reply; every urge,
 * supervision and refused return once, at whatever level it reached.
 */
export function centreFigures(input: KpiInput, o: UnitFigureOptions): UnitFigures {
  const all = <T extends { unit: string; level: Level }>(x: T): T => ({
    ...x,
    unit: '*',
    level: 'city',
  })
  const merged: KpiInput = {
    assignments: input.assignments.filter((a) => a.top !== false).map(all),
    callbacks: input.callbacks.filter((c) => c.top !== false).map(all),
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
      recalled: 0,
      meanHoursHeld: null,
      tickets: noTickets(),
    }
  )
}

/** Exempt tickets touching the period (by sign-by, due or the exemption itself), once each. */
export function exemptionsIn(input: KpiInput, p: Period): Assignment[] {
  const seen = new Set<string>()
  return input.assignments.filter((a) => {
    if (a.exemption == null || seen.has(a.ticketId)) return false
    const hit = inP(p, a.signBy) || inP(p, a.due) || inP(p, Date.parse(a.exemption.at))
    if (hit) seen.add(a.ticketId)
    return hit
  })
}
