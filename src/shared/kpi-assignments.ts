// The assignments the unit figures judge (kpi-units.ts), built from each ticket's chain of
// assignments (issue 16, assignments.ts): one per link — the city's dispatch, a sub-centre's
// dispatch down, a street's to its community, an assisting unit's part — each with that link's
// unit, level, sign-by, due, sign, contact and reply times. Callbacks and marks (urges,
// supervisions, refused returns) go to the link they concern. A ticket from before the chain
// reads as a one-level chain (chainOf), so it gives one assignment as it always did.
//
// The level (city, sub-centre, street, community) is the tier the unit works at: a sub-centre
// (unit type `centre`), a street office or town, a community or village; any other unit (a
// bureau, a utility …) is at the tier of whoever dispatched it — the city's when the city centre
// did, the district's (sub-centre level) when a sub-centre did.
import { chainOf, type Assignment as Link } from './assignments'
import type { Callback, KpiInput, Level, Mark } from './kpi-units'
import type { Satisfaction, Ticket, TimelineEvent } from './ticket'
import type { UnitType } from './unit-types'

export type UnitTypeOf = (unit: string) => UnitType | null | undefined

const ms = (s: string | null | undefined): number | null => {
  if (s == null) return null
  const v = Date.parse(s)
  return Number.isNaN(v) ? null : v
}

const TIER: Partial<Record<UnitType, Level>> = {
  centre: 'subcentre',
  street: 'street',
  town: 'street',
  community: 'community',
}

/** Each link's level, by its unit's type or else by the tier of the link that dispatched it. */
export function levelsOf(chain: readonly Link[], typeOf: UnitTypeOf): Map<string, Level> {
  const byId = new Map(chain.map((a) => [a.id, a]))
  const out = new Map<string, Level>()
  const of = (a: Link, depth = 0): Level => {
    const known = out.get(a.id)
    if (known) return known
    const t = typeOf(a.unit)
    const above = a.parent ?? (a.lead ? byId.get(a.lead)?.parent : null) ?? null
    const up = above ? byId.get(above) : undefined
    const level = (t && TIER[t]) || (a.level <= 1 || !up || depth > 10 ? 'city' : of(up, depth + 1))
    out.set(a.id, level)
    return level
  }
  for (const a of chain) of(a)
  return out
}

/** The level-1 link a link hangs from (itself at level 1). */
function rootOf(chain: readonly Link[], a: Link): Link {
  const byId = new Map(chain.map((x) => [x.id, x]))
  let cur = a
  for (let i = 0; i < 10 && cur.level > 1; i++) {
    const up = byId.get(cur.parent ?? cur.lead ?? '')
    if (!up) break
    cur = up
  }
  return cur
}

const isTop = (a: Link) => a.level === 1 && a.role === 'lead'
/** The ticket as the centre's line counts it: the city's current dispatch (a redo's old round aside). */
const isCityView = (a: Link) => isTop(a) && !a.superseded

/**
 * Tickets and their timelines as assignments, callbacks and marks. `typeOf` names each unit's
 * type (the reference data's); without it every unit is at the tier of its dispatcher.
 */
export function assignmentsOf(
  tickets: Iterable<Ticket>,
  events: Iterable<TimelineEvent>,
  typeOf: UnitTypeOf = () => null,
): KpiInput {
  const out: KpiInput = { assignments: [], callbacks: [], marks: [] }
  const byId = new Map<string, { t: Ticket; chain: Link[]; levels: Map<string, Level> }>()
  const evs = new Map<string, TimelineEvent[]>()
  for (const e of events) {
    const l = evs.get(e.ticketId) ?? []
    l.push(e)
    evs.set(e.ticketId, l)
  }
  for (const t of tickets) {
    const chain = chainOf(t)
    const levels = levelsOf(chain, typeOf)
    byId.set(t.id, { t, chain, levels })
    const contacts = (evs.get(t.id) ?? [])
      .filter((e) => e.type === 'contacted')
      .map((e) => Date.parse(e.at))
      .sort((a, b) => a - b)
    for (const a of chain) {
      const root = rootOf(chain, a)
      const from = Date.parse(root.at)
      const until = root.state === 'recalled' || root.state === 'returned' ? ms(root.endedAt) : null
      // The citizen contacted since the city's dispatch this link hangs from (once per dispatch).
      let contactedAt = contacts.find((c) => c >= from && (until == null || c <= until)) ?? null
      if (contactedAt == null && !contacts.length && isTop(root)) {
        const c = ms(t.contactedAt)
        if (c != null && c >= from) contactedAt = c
      }
      out.assignments.push({
        ticketId: t.id,
        number: t.number,
        unit: a.unit,
        level: levels.get(a.id)!,
        chainLevel: a.level,
        top: isCityView(a),
        dispatchedAt: ms(a.at),
        signBy: ms(a.signBy),
        signedAt: ms(a.signedAt),
        contactedAt,
        due: ms(a.dueAt),
        completedAt: ms(a.reply?.at),
        ended: a.state === 'recalled' || a.state === 'returned' ? a.state : null,
        endedAt: ms(a.endedAt),
        exemption: t.exemption ?? null,
      })
    }
  }
  for (const [ticketId, list] of evs) {
    const x = byId.get(ticketId)
    if (!x) continue
    const { t, chain, levels } = x
    const exempt = t.exemption != null
    const fallback = (unit: string | null) =>
      unit ? { unit, level: TIER[typeOf(unit) ?? 'other'] ?? 'city', top: true } : null
    const at = (a: Link) => ({ unit: a.unit, level: levels.get(a.id)!, top: isTop(a) })
    /** The latest link dispatched by T matching `pick`, not ended before T. */
    const heldAt = (T: number, pick: (a: Link) => boolean) => {
      let found: Link | undefined
      for (const a of chain) {
        if (!pick(a) || Date.parse(a.at) > T) continue
        const end = ms(a.endedAt)
        if (a.state !== 'replied' && end != null && end < T) continue
        if (!found || Date.parse(a.at) >= Date.parse(found.at)) found = a
      }
      return found
    }
    let prev = -Infinity
    for (const e of [...list].sort((a, b) => Date.parse(a.at) - Date.parse(b.at))) {
      const T = Date.parse(e.at)
      const d = e.data
      if (e.type === 'called_back') {
        // The reply called back: per level, the latest lead link that replied since the last
        // callback — the city's unit and every level below whose reply went up with it.
        const per = new Map<number, Link>()
        for (const a of chain) {
          const r = ms(a.reply?.at)
          if (a.role !== 'lead' || a.state !== 'replied' || r == null || r <= prev || r > T)
            continue
          const had = per.get(a.level)
          if (!had || r >= ms(had.reply!.at)!) per.set(a.level, a)
        }
        prev = T
        const s = d.satisfaction
        const base = {
          ticketId,
          at: T,
          satisfaction: typeof s === 'string' ? (s as Satisfaction) : null,
          resolved: typeof d.resolved === 'boolean' ? d.resolved : null,
          exempt,
        }
        const who = per.size
          ? [...per.values()].map(at)
          : [fallback(typeof d.unit === 'string' ? d.unit : t.unit)].filter((w) => w != null)
        for (const w of who) out.callbacks.push({ ...base, ...w } satisfies Callback)
        continue
      }
      let link: Link | undefined
      let kind: Mark['kind']
      if (e.type === 'urged' || e.type === 'supervised') {
        kind = e.type
        const holder = typeof d.holder === 'string' ? d.holder : null
        link = holder
          ? heldAt(T, (a) => a.unit === holder && a.level === d.holderLevel && a.role === 'lead')
          : heldAt(T, isTop)
      } else if (e.type === 'return_rejected') {
        kind = 'return_rejected'
        link = heldAt(T, isTop)
      } else if (e.type === 'level_return_rejected') {
        kind = 'return_rejected'
        link = heldAt(T, (a) => a.unit === d.unit && a.level === d.level && a.role === 'lead')
      } else continue
      const w = link ? at(link) : fallback(typeof d.unit === 'string' ? d.unit : t.unit)
      if (w) out.marks.push({ ticketId, at: T, kind, exempt, ...w } satisfies Mark)
    }
  }
  return out
}
