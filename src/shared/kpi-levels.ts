// Figures per unit and level of the chain (issue 16; issue 17's KPIs build on them): on-time
// signing and on-time completion of each level's own assignments, how long tickets wait at each
// level, and recalls and re-routes per dispatcher — counted apart: a recalled assignment counts
// against neither unit's on-time figures. Each figure carries the tickets behind it.
import { chainOf, type Assignment } from './assignments'
import type { Ticket, TimelineEvent } from './ticket'

export interface LevelFigure {
  unit: string
  level: number
  /** Assignments whose sign-by fell in the period; those signed by it. */
  signDue: number
  signedOnTime: number
  /** Assignments (and assisting parts) due in the period, by now; those done by their due. */
  due: number
  doneOnTime: number
  /** Mean hours an assignment stayed at this unit and level within the period. */
  meanHoursHeld: number | null
  /** Its assignments recalled or re-routed away (not in the figures above). */
  recalled: number
  /** Tickets behind the figures; `late`: those signed or done late, or not at all. */
  tickets: string[]
  late: string[]
}

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
  opts: { period: { from: number; to: number }; now: number },
): { levels: LevelFigure[]; dispatchers: DispatcherFigure[] } {
  const { period, now } = opts
  const rows = new Map<string, LevelFigure & { heldMs: number; heldN: number }>()
  const row = (a: Assignment) => {
    const key = `${a.level}|${a.unit}`
    let r = rows.get(key)
    if (!r) {
      r = {
        unit: a.unit,
        level: a.level,
        signDue: 0,
        signedOnTime: 0,
        due: 0,
        doneOnTime: 0,
        meanHoursHeld: null,
        recalled: 0,
        tickets: [],
        late: [],
        heldMs: 0,
        heldN: 0,
      }
      rows.set(key, r)
    }
    return r
  }
  const note = (list: string[], id: string) => {
    if (!list.includes(id)) list.push(id)
  }
  for (const t of tickets)
    for (const a of chainOf(t)) {
      const r = row(a)
      if (a.state === 'recalled') {
        if (a.endedAt && inPeriod(a.endedAt, period)) {
          r.recalled++
          note(r.tickets, t.id)
        }
        continue
      }
      if (inPeriod(a.signBy, period) && Date.parse(a.signBy) <= now) {
        r.signDue++
        note(r.tickets, t.id)
        if (a.signedAt && Date.parse(a.signedAt) <= Date.parse(a.signBy)) r.signedOnTime++
        else note(r.late, t.id)
      }
      if (a.state !== 'returned' && inPeriod(a.dueAt, period) && Date.parse(a.dueAt) <= now) {
        r.due++
        note(r.tickets, t.id)
        if (a.reply && Date.parse(a.reply.at) <= Date.parse(a.dueAt)) r.doneOnTime++
        else note(r.late, t.id)
      }
      const start = Math.max(Date.parse(a.at), period.from)
      const end = Math.min(a.endedAt ? Date.parse(a.endedAt) : now, period.to, now)
      if (end > start) {
        r.heldMs += end - start
        r.heldN++
      }
    }
  const levels = [...rows.values()]
    .filter((r) => r.signDue || r.due || r.recalled || r.heldN)
    .map(({ heldMs, heldN, ...r }) => ({
      ...r,
      meanHoursHeld: heldN ? Math.round((heldMs / heldN / 3_600_000) * 10) / 10 : null,
    }))
    .sort((a, b) => a.level - b.level || a.unit.localeCompare(b.unit))

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
