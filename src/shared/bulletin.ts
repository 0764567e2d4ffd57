// 月度通报 (issue 17): the monthly bulletin a centre sends — headline figures against last month
// and last year, units scored and ranked within their group, units below the thresholds, the
// most urged and supervised tickets, hot topics and the exemptions. Built here from the same
// functions the dashboard uses (kpi.ts for received, direct answers and handling time;
// kpi-units.ts for the unit figures; kpi-score.ts for scores), so the two never disagree.
import { z } from 'zod'
import { isoTime } from './actions'
import { computeKpis, type MeanDays, type Period, type Ratio } from './kpi'
import { DEFAULT_SCORING, scoreUnits, type Scoring, type UnitScore } from './kpi-score'
import {
  assignmentsOf,
  centreFigures,
  exemptionsIn,
  unitFigures,
  type Exemption,
  type UnitFigures,
  type UnitTypeOf,
} from './kpi-units'
import type { LocalDate, WorkCalendar } from './calendar'
import type { ReferenceData } from './reference'
import type { Ticket, TimelineEvent } from './ticket'

const span = z.object({ from: isoTime, to: isoTime })
export const bulletinArgsSchema = z.object({
  period: span,
  /** Last month and the same month last year; the screens draw them on the city's calendar. */
  lastMonth: span,
  lastYear: span,
})
export type BulletinArgs = z.input<typeof bulletinArgsSchema>

export const TOP_URGED = 10
export const TOP_TOPICS = 10

/** The centre's headline figures for one period. */
export interface Headline {
  period: { from: string; to: string }
  received: number
  /** 直办率: answered on the call / received (kpi.ts' firstCallResolutionRate). */
  directAnswer: Ratio
  signing: Ratio
  completion: Ratio
  response: Ratio
  resolution: Ratio
  satisfaction: Ratio
  avgHandlingDays: MeanDays
  avgCompanyHandlingDays: MeanDays
  overdue: number
  exempt: number
  /** The tickets behind the centre's figures (this period's drill-downs in the console). */
  tickets?: {
    signing: string[]
    completion: string[]
    response: string[]
    callbacks: string[]
    overdue: string[]
    exempt: string[]
  }
}

export interface BulletinTicket {
  ticketId: string
  number: string | null
  unit: string | null
  category: string
  urged: number
  supervised: boolean
}

export interface BulletinExemption {
  ticketId: string
  number: string | null
  unit: string
  exemption: Exemption
}

export interface Bulletin {
  scoringLabel: string
  current: Headline
  lastMonth: Headline
  lastYear: Headline
  groups: Array<{ code: string; name: string; nameEn: string; units: UnitScore[] }>
  /** Units under their group's score threshold or below the rate threshold on any rate. */
  below: UnitScore[]
  mostUrged: BulletinTicket[]
  /** Top-level categories by tickets received, with last month's count. */
  hotTopics: Array<{ category: string; current: number; lastMonth: number }>
  exemptions: BulletinExemption[]
}

export interface PeriodInput {
  period: Period
  tickets: Ticket[]
  events: TimelineEvent[]
}

interface Computed {
  headline: Headline
  units: UnitFigures[]
  input: PeriodInput
}

const iso = (ms: number) => new Date(ms).toISOString()

function compute(
  p: PeriodInput,
  now: number,
  contactWithinHours: number,
  typeOf: UnitTypeOf,
): Computed {
  const k = computeKpis(p.tickets, p.events, { period: p.period, now, atRiskFraction: 0.2 })
  const a = assignmentsOf(p.tickets, p.events, typeOf)
  const o = { period: p.period, now, contactWithinHours }
  const c = centreFigures(a, o)
  return {
    headline: {
      period: { from: iso(p.period.from), to: iso(p.period.to) },
      received: k.counts.received,
      directAnswer: k.firstCallResolutionRate,
      signing: c.signing,
      completion: c.completion,
      response: c.response,
      resolution: c.resolution,
      satisfaction: c.satisfaction,
      avgHandlingDays: k.avgHandlingDays,
      avgCompanyHandlingDays: k.avgCompanyHandlingDays,
      overdue: c.overdue,
      // Exempt tickets of the period, whether or not anything of theirs was judged yet.
      exempt: exemptionsIn(a, p.period).length,
      tickets: {
        signing: c.tickets.signing,
        completion: c.tickets.completion,
        response: c.tickets.response,
        callbacks: c.tickets.callbacks,
        overdue: c.overdueTickets,
        exempt: exemptionsIn(a, p.period).map((x) => x.ticketId),
      },
    },
    units: unitFigures(a, o),
    input: p,
  }
}

const topLevel = (code: string) => code.slice(0, 2)

function topics(p: PeriodInput): Map<string, number> {
  const n = new Map<string, number>()
  for (const t of p.tickets) {
    const c = Date.parse(t.createdAt)
    if (c < p.period.from || c >= p.period.to) continue
    n.set(topLevel(t.category), (n.get(topLevel(t.category)) ?? 0) + 1)
  }
  return n
}

/** The bulletin for `current`, compared with `lastMonth` and `lastYear`. */
export function buildBulletin(
  current: PeriodInput,
  lastMonth: PeriodInput,
  lastYear: PeriodInput,
  ref: Pick<ReferenceData, 'units' | 'scoring'>,
  now: number,
): Bulletin {
  const scoring: Scoring = ref.scoring ?? DEFAULT_SCORING
  const h = scoring.contactWithinHours
  const types = new Map(ref.units.map((u) => [u.code, u.type]))
  const typeOf = (u: string) => types.get(u) ?? null
  const cur = compute(current, now, h, typeOf)
  const scores = scoreUnits(cur.units, (u) => types.get(u) ?? null, scoring)
  // Most urged and supervised: urges in the period per ticket, supervised ones first among equals.
  const urged = new Map<string, { urged: number; supervised: boolean }>()
  for (const e of current.events) {
    if (e.type !== 'urged' && e.type !== 'supervised') continue
    const at = Date.parse(e.at)
    if (at < current.period.from || at >= current.period.to) continue
    const u = urged.get(e.ticketId) ?? { urged: 0, supervised: false }
    if (e.type === 'urged') u.urged++
    else u.supervised = true
    urged.set(e.ticketId, u)
  }
  const byId = new Map(current.tickets.map((t) => [t.id, t]))
  const mostUrged = [...urged]
    .filter(([id]) => byId.has(id))
    .sort(
      ([a, x], [b, y]) =>
        y.urged - x.urged || Number(y.supervised) - Number(x.supervised) || (a < b ? -1 : 1),
    )
    .slice(0, TOP_URGED)
    .map(([id, u]) => {
      const t = byId.get(id)!
      return { ticketId: id, number: t.number, unit: t.unit, category: t.category, ...u }
    })
  const now1 = topics(current)
  const before = topics(lastMonth)
  const hotTopics = [...now1]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .slice(0, TOP_TOPICS)
    .map(([category, n]) => ({ category, current: n, lastMonth: before.get(category) ?? 0 }))
  const exemptions = exemptionsIn(assignmentsOf(current.tickets, []), current.period).map((a) => ({
    ticketId: a.ticketId,
    number: a.number,
    unit: a.unit,
    exemption: a.exemption!,
  }))
  return {
    scoringLabel: scoring.label,
    current: cur.headline,
    lastMonth: compute(lastMonth, now, h, typeOf).headline,
    lastYear: compute(lastYear, now, h, typeOf).headline,
    groups: scoring.groups.map((g) => ({
      code: g.code,
      name: g.name,
      nameEn: g.nameEn,
      units: scores.filter((s) => s.group === g.code),
    })),
    below: scores.filter((s) => s.below.length > 0),
    mostUrged,
    hotTopics,
    exemptions,
  }
}

/** A local date `months` months earlier (or later), the day clamped to the month's length. */
function shiftMonths(d: LocalDate, months: number): LocalDate {
  const index = d.y * 12 + (d.m - 1) + months
  const y = Math.floor(index / 12)
  const m = (index % 12) + 1
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return { y, m, d: Math.min(d.d, last) }
}

/**
 * The spans a bulletin compares `period` with, on the city's calendar: the same stretch one
 * month earlier (环比) and one year earlier (同比). A whole month gives whole months.
 */
export function bulletinSpans(
  cal: WorkCalendar,
  period: Period,
): { period: Period; lastMonth: Period; lastYear: Period } {
  const shift = (ms: number, months: number) => {
    const l = cal.local(ms)
    return cal.instant(shiftMonths(l, months), l.minute)
  }
  return {
    period,
    lastMonth: { from: shift(period.from, -1), to: shift(period.to, -1) },
    lastYear: { from: shift(period.from, -12), to: shift(period.to, -12) },
  }
}
