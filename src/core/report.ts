// 'report.units': the period report's ranking of units and each unit's scorecard — the KPIs of
// src/shared/kpi.ts computed per unit over the tickets it handled (its main unit), with its
// backlog now and how often it was urged or supervised in the period (automatic urging counts
// here). Computed from the local cache; a unit's console holds only its own tickets, so a unit
// sees its own scorecard.
import type { ApiHandlers, UnitScore } from '../shared/api'
import { computeKpis } from '../shared/kpi'
import { levelFigures } from '../shared/kpi-levels'
import type { Ticket, TimelineEvent } from '../shared/ticket'
import type { LocalStoreApi } from './db/types'
import { notLoggedIn, notReady } from './failures'
import type { ReferenceCache } from './reference-cache'
import type { StoredSession } from './session'
import { ApiFailure } from '../shared/api'

export function reportHandlers(deps: {
  store: LocalStoreApi
  references: ReferenceCache
  session(): StoredSession | null
  now?: () => number
}): Pick<ApiHandlers, 'report.units' | 'report.levels'> {
  const now = deps.now ?? Date.now
  return {
    'report.levels': ({ from, to, unit, district }) => {
      if (!deps.session()) throw notLoggedIn()
      const fromMs = Date.parse(from)
      const toMs = Date.parse(to)
      if (!(toMs > fromMs))
        throw new ApiFailure(
          'invalid_input',
          { zh: '结束时间必须晚于开始时间', en: 'The end must be after the start' },
          'to',
        )
      // The cache holds only what this console may see: a unit gets its own levels.
      const all = deps.store.kpiInput(fromMs, toMs)
      // The dashboard's filters: tickets located in the districts; rows of the units.
      const tickets = district
        ? all.tickets.filter((t) => t.location.district && district.includes(t.location.district))
        : all.tickets
      const events = all.events
      const ref = deps.references.get()?.data
      const types = new Map(ref?.units.map((u) => [u.code, u.type]) ?? [])
      const out = levelFigures(tickets, events, {
        period: { from: fromMs, to: toMs },
        now: now(),
        typeOf: (u) => types.get(u) ?? null,
        contactWithinHours: ref?.scoring?.contactWithinHours,
      })
      if (!unit) return out
      return { ...out, levels: out.levels.filter((l) => unit.includes(l.unit)) }
    },
    'report.units': ({ from, to }) => {
      if (!deps.session()) throw notLoggedIn()
      const ref = deps.references.get()
      if (!ref) throw notReady()
      const fromMs = Date.parse(from)
      const toMs = Date.parse(to)
      if (!(toMs > fromMs))
        throw new ApiFailure(
          'invalid_input',
          { zh: '结束时间必须晚于开始时间', en: 'The end must be after the start' },
          'to',
        )
      const { tickets, events } = deps.store.kpiInput(fromMs, toMs)
      const byUnit = new Map<string, { tickets: Ticket[]; events: TimelineEvent[] }>()
      const unitOf = new Map<string, string>()
      for (const t of tickets) {
        if (!t.unit) continue
        unitOf.set(t.id, t.unit)
        const g = byUnit.get(t.unit) ?? { tickets: [], events: [] }
        g.tickets.push(t)
        byUnit.set(t.unit, g)
      }
      const urges = new Map<string, { urged: number; supervised: number }>()
      for (const e of events) {
        const unit = unitOf.get(e.ticketId)
        if (!unit) continue
        byUnit.get(unit)!.events.push(e)
        const at = Date.parse(e.at)
        if (at < fromMs || at >= toMs) continue
        if (e.type !== 'urged' && e.type !== 'supervised') continue
        const u = urges.get(unit) ?? { urged: 0, supervised: 0 }
        if (e.type === 'urged') u.urged++
        else u.supervised++
        urges.set(unit, u)
      }
      const nowMs = now()
      const scores: UnitScore[] = []
      for (const [unit, g] of byUnit) {
        const k = computeKpis(g.tickets, g.events, {
          period: { from: fromMs, to: toMs },
          now: nowMs,
          atRiskFraction: ref.data.deadlines.atRiskFraction,
          timeZone: ref.data.calendar.timeZone,
        })
        const { backlog, ...period } = k
        if (
          period.counts.dispatches === 0 &&
          period.counts.completions === 0 &&
          backlog.total === 0
        )
          continue
        scores.push({
          unit,
          kpis: period,
          open: backlog.total,
          overdue: backlog.overdue,
          urged: urges.get(unit)?.urged ?? 0,
          supervised: urges.get(unit)?.supervised ?? 0,
        })
      }
      // Best first: on time, then satisfied, then fewer overdue; units with nothing rated last.
      const rate = (r: number | null) => (r == null ? -1 : r)
      return scores.sort(
        (a, b) =>
          rate(b.kpis.onTimeRate.rate) - rate(a.kpis.onTimeRate.rate) ||
          rate(b.kpis.satisfactionRate.rate) - rate(a.kpis.satisfactionRate.rate) ||
          a.overdue - b.overdue ||
          a.unit.localeCompare(b.unit),
      )
    },
  }
}
