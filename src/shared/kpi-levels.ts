// Figures per unit and level of the chain (issue 16) for the period report (各层级办理情况): the
// unit figures of kpi-units.ts — on-time signing and completion of each link, as the README
// defines them once — with how long tickets waited at each level and what was recalled or
// re-routed away (counted apart: a recalled link counts against neither unit), and recalls and
// re-routes per dispatcher. Each figure carries the tickets behind it.
import { LEVELS, assignmentsOf, unitFigures, type UnitFigures, type UnitTypeOf } from './kpi-units'
import type { TimelineEvent, Ticket } from './ticket'

/** One unit at one level: its figures, with the tickets behind each (`tickets`). */
export type LevelFigure = UnitFigures

export interface DispatcherFigure {
  userId: string
  name: string | null
  /** The dispatching unit; null for the city centre's own dispatchers. */
  unit: string | null
  recalls: number
  reroutes: number
  tickets: string[]
}

const inPeriod = (iso: string, p: { from: number; to: number }) => {
  const ms = Date.parse(iso)
  return ms >= p.from && ms < p.to
}

export function levelFigures(
  tickets: readonly Ticket[],
  events: readonly TimelineEvent[],
  opts: {
    period: { from: number; to: number }
    now: number
    /** The reference data's unit types: they name each link's level. */
    typeOf?: UnitTypeOf
    /** The scoring edition's contact time (响应), 48 hours by default. */
    contactWithinHours?: number
  },
): { levels: LevelFigure[]; dispatchers: DispatcherFigure[] } {
  const { period } = opts
  const input = assignmentsOf(tickets, events, opts.typeOf)
  const levels = unitFigures(input, {
    period,
    now: opts.now,
    contactWithinHours: opts.contactWithinHours ?? 48,
  }).sort(
    (a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || a.unit.localeCompare(b.unit),
  )
  const note = (list: string[], id: string) => {
    if (!list.includes(id)) list.push(id)
  }
  const byActor = new Map<string, DispatcherFigure>()
  for (const e of events) {
    if (e.type !== 'recalled' && e.type !== 'rerouted') continue
    if (!inPeriod(e.at, period)) continue
    let d = byActor.get(e.actor.userId)
    if (!d) {
      d = {
        userId: e.actor.userId,
        name: e.actor.name,
        unit: e.actor.unit,
        recalls: 0,
        reroutes: 0,
        tickets: [],
      }
      byActor.set(e.actor.userId, d)
    }
    if (e.type === 'recalled') d.recalls++
    else d.reroutes++
    note(d.tickets, e.ticketId)
  }
  const dispatchers = [...byActor.values()].sort(
    (a, b) => b.recalls + b.reroutes - (a.recalls + a.reroutes) || a.userId.localeCompare(b.userId),
  )
  return { levels, dispatchers }
}
