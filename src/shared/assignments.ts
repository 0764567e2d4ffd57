// The chain of assignments (issue 16): a ticket goes from the city centre to a unit — often a
// district sub-centre (区/县级分中心) — which may dispatch it down again (street office, bureau,
// community), each level with its own sign-by and due inside the level above, its own state and
// reply. A dispatch may name assisting units (协办) whose parts (协办意见) the lead (主办) needs.
//
// The ticket's top-level dispatch fields (unit, signBy, dueAt, signedAt, status …) are the city
// centre's view: they are the level-1 lead assignment, and `syncTop` keeps that entry in step with
// them after every action. Lower levels and assisting units live in the chain only. A ticket from
// before the chain existed has no `assignments`: `chainOf` reads it as a one-level chain.
import type { Ticket } from './ticket'

export const ASSIGNMENT_STATES = [
  'dispatched',
  'signed',
  'returned',
  'replied',
  'recalled',
] as const
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number]

export interface Assignment {
  /** `a1`, `a2` … in the order made; unique within the ticket. */
  id: string
  /** 1: dispatched by the city centre; 2: by the level-1 unit; and so on. */
  level: number
  /** The assignment of the level that dispatched this one; null at level 1 (the city centre). */
  parent: string | null
  /** 主办 or 协办. An assisting assignment names its lead in `lead`. */
  role: 'lead' | 'assist'
  lead: string | null
  unit: string
  /** Who dispatched it: the user, and their unit (null for the city centre's staff). */
  by: { userId: string; name: string | null; unit: string | null }
  at: string
  instructions: string | null
  signBy: string
  dueAt: string
  state: AssignmentState
  signedAt: string | null
  /** When it was returned, replied, or recalled. */
  endedAt: string | null
  /** Why it was recalled or returned. */
  reason: string | null
  /** A return asked for, waiting for the level that dispatched. */
  returnRequest: { reason: string; requestedAt: string } | null
  /** The lead's reply to the level above, or an assisting unit's part (协办意见). */
  reply: { text: string; resolved: boolean; at: string; by: string } | null
  /** A lower level's reply: null while waiting for the level above, then its ruling. */
  review: 'approved' | null
  /** An assisting part still missing when the lead replied past its due (recorded against it). */
  missedPart?: boolean
  /** A redo (重办) started a new round: this entry is history. */
  superseded?: boolean
}

/** States in which an assignment still holds the ticket (a reply waits for review). */
export const LIVE: readonly AssignmentState[] = ['dispatched', 'signed', 'replied']

/** In the current round, and not returned or recalled. */
export const live = (a: Assignment): boolean => LIVE.includes(a.state) && !a.superseded

/** The chain as stored, or a one-level chain read from the fields of an older ticket. */
export function chainOf(t: Ticket): Assignment[] {
  if (t.assignments) return t.assignments
  if (!t.unit || !t.dispatchedAt || !t.signBy || !t.dueAt) return []
  const state: AssignmentState =
    t.status === 'replied' || t.status === 'closed'
      ? 'replied'
      : t.signedAt != null
        ? 'signed'
        : 'dispatched'
  return [
    {
      id: 'a1',
      level: 1,
      parent: null,
      role: 'lead',
      lead: null,
      unit: t.unit,
      by: { userId: t.createdBy, name: null, unit: null },
      at: t.dispatchedAt,
      instructions: t.instructions,
      signBy: t.signBy,
      dueAt: t.dueAt,
      state,
      signedAt: t.signedAt,
      endedAt: state === 'replied' ? t.completedAt : null,
      reason: null,
      returnRequest: t.returnRequest
        ? { reason: t.returnRequest.reason, requestedAt: t.returnRequest.requestedAt }
        : null,
      reply:
        state === 'replied' && t.resolution?.kind === 'replied'
          ? {
              text: t.resolution.text,
              resolved: t.resolution.resolved,
              at: t.resolution.at,
              by: t.resolution.by,
            }
          : null,
      review: null,
    },
  ]
}

/** Live and not done: a lower level's reply approved by the level above is done. */
const isLive = (a: Assignment) => live(a) && !(a.state === 'replied' && a.review === 'approved')

/** The level-1 lead assignment that the ticket's top-level fields describe, if any is live. */
export function topAssignment(chain: readonly Assignment[]): Assignment | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const a = chain[i]!
    if (a.level === 1 && a.role === 'lead' && live(a)) return a
  }
  return undefined
}

/** The live lead assignment dispatched by `parent` (one at a time). */
export function liveChild(chain: readonly Assignment[], parent: string): Assignment | undefined {
  return chain.find((a) => a.parent === parent && a.role === 'lead' && isLive(a))
}

/** Assisting assignments of a lead, live or done, but not recalled. */
export function partsOf(chain: readonly Assignment[], lead: string): Assignment[] {
  return chain.filter((a) => a.role === 'assist' && a.lead === lead && live(a))
}

/** The unit's assignment the unit acts on: the deepest live one (lead before assisting). */
export function assignmentOf(
  chain: readonly Assignment[],
  unit: string | null,
): Assignment | undefined {
  if (unit == null) return undefined
  let found: Assignment | undefined
  for (const a of chain) {
    if (a.unit !== unit || !isLive(a)) continue
    if (!found || a.level > found.level || (a.level === found.level && a.role === 'lead')) found = a
  }
  return found
}

/** The path of live lead assignments from level 1 down: city → sub-centre → street → … */
export function ladder(chain: readonly Assignment[]): Assignment[] {
  const out: Assignment[] = []
  let a = topAssignment(chain)
  while (a) {
    out.push(a)
    const above: Assignment = a
    a = chain.find((c) => c.parent === above.id && c.role === 'lead' && live(c))
  }
  return out
}

/** The unit that has the work now: the deepest live lead that has not replied. */
export function holder(chain: readonly Assignment[]): Assignment | undefined {
  const path = ladder(chain)
  for (let i = path.length - 1; i >= 0; i--) if (path[i]!.state !== 'replied') return path[i]
  return path[0]
}

/**
 * Units that see the ticket (scoping, issue 16): every unit holding a live assignment — so a
 * sub-centre sees what it passed down, and a recalled or returned unit no longer sees it.
 */
export function chainUnits(t: Ticket): string[] {
  const out = new Set<string>()
  for (const a of chainOf(t)) if (live(a)) out.add(a.unit)
  return [...out]
}

/**
 * The ticket's overall status as the chain says it, for a dispatched ticket still open: what the
 * city centre's view (level 1) is in. Null where the chain does not decide (new, closed …).
 */
export function statusFromChain(t: Ticket): Ticket['status'] | null {
  if (!['dispatched', 'in_progress', 'return_requested', 'replied'].includes(t.status)) return null
  const top = topAssignment(chainOf(t))
  if (!top) return null
  if (top.state === 'replied') return 'replied'
  if (top.returnRequest) return 'return_requested'
  return top.state === 'signed' ? 'in_progress' : 'dispatched'
}

/** Keeps the level-1 lead entry in step with the ticket's top-level fields (see above). */
export function syncTop(t: Ticket): Ticket {
  if (!t.assignments) return t
  const top = topAssignment(t.assignments)
  if (!top || top.unit !== t.unit) return t
  const state: AssignmentState =
    t.status === 'replied' || t.status === 'closed'
      ? 'replied'
      : t.signedAt != null
        ? 'signed'
        : 'dispatched'
  const next: Assignment = {
    ...top,
    signBy: t.signBy ?? top.signBy,
    dueAt: t.dueAt ?? top.dueAt,
    signedAt: t.signedAt,
    state,
    returnRequest: t.returnRequest
      ? { reason: t.returnRequest.reason, requestedAt: t.returnRequest.requestedAt }
      : null,
    reply:
      state === 'replied' && t.resolution?.kind === 'replied'
        ? {
            text: t.resolution.text,
            resolved: t.resolution.resolved,
            at: t.resolution.at,
            by: t.resolution.by,
          }
        : state === 'replied'
          ? top.reply
          : null,
    endedAt: state === 'replied' ? (top.endedAt ?? t.completedAt) : null,
  }
  const chain = nestInside(t.assignments.map((a) => (a.id === top.id ? next : a)))
  if (JSON.stringify(chain) === JSON.stringify(t.assignments)) return t
  return { ...t, assignments: chain }
}

/**
 * Lower levels' deadlines never outlast the level above: after the level above's due moved
 * earlier (an edit of the ticket's nature, a recount), they are pulled in with it.
 */
function nestInside(chain: Assignment[]): Assignment[] {
  const byId = new Map(chain.map((a) => [a.id, a]))
  return chain.map((a) => {
    const above = a.role === 'assist' ? a.lead : a.parent
    const p = above ? byId.get(above) : undefined
    if (!p || !live(a) || Date.parse(a.dueAt) <= Date.parse(p.dueAt)) return a
    const fixed = {
      ...a,
      dueAt: p.dueAt,
      signBy: Date.parse(a.signBy) > Date.parse(p.dueAt) ? p.dueAt : a.signBy,
    }
    byId.set(a.id, fixed)
    return fixed
  })
}

/** The chain with one assignment changed. */
export const replaceIn = (
  chain: readonly Assignment[],
  id: string,
  change: Partial<Assignment>,
): Assignment[] => chain.map((a) => (a.id === id ? { ...a, ...change } : a))

/** Ids of an assignment's live descendants and assisting units (ended with it). */
export function dependents(chain: readonly Assignment[], id: string): string[] {
  const out: string[] = []
  const walk = (p: string) => {
    for (const a of chain)
      if ((a.parent === p || a.lead === p) && live(a) && !out.includes(a.id)) {
        out.push(a.id)
        walk(a.id)
      }
  }
  walk(id)
  return out
}

export const nextAssignmentId = (chain: readonly Assignment[]): string => `a${chain.length + 1}`

/**
 * Units with something to do on the ticket now (a unit's inbox, issue 16): sign for it, handle
 * it or pass it down, rule on a return or a reply from below, or give an assisting part.
 */
export function waitingUnits(t: Ticket): string[] {
  if (!['dispatched', 'in_progress', 'return_requested'].includes(t.status)) return []
  const chain = chainOf(t)
  // A ticket short of the dates a chain needs still waits on its unit.
  if (!chain.length) return t.unit ? [t.unit] : []
  const out = new Set<string>()
  for (const a of chain) {
    if (!live(a) || a.state === 'replied') continue
    if (a.state === 'dispatched' || a.role === 'assist') {
      out.add(a.unit)
      continue
    }
    const below = liveChild(chain, a.id)
    if (!below || below.returnRequest || below.state === 'replied') out.add(a.unit)
  }
  return [...out]
}

/**
 * Units with the ticket to pass down or handle at their level (a unit's 待下派, issue 16): their
 * lead assignment is live, not replied and not waiting on a return they asked for, and no level
 * below holds it — never passed down, or what they passed down came back (returned, recalled) —
 * or the level below asks to return it to them.
 */
export function toPassUnits(t: Ticket): string[] {
  if (!['dispatched', 'in_progress', 'return_requested'].includes(t.status)) return []
  const chain = chainOf(t)
  const out = new Set<string>()
  for (const a of chain) {
    if (!live(a) || a.role !== 'lead' || a.state === 'replied' || a.returnRequest) continue
    const below = liveChild(chain, a.id)
    if (!below || below.returnRequest) out.add(a.unit)
  }
  return [...out]
}

/**
 * The unit's own link of the chain when it is not the level-1 lead (issue 16: a street office, a
 * community, an assisting unit): the one it acts on, else its deepest live one (a reply approved).
 * Its deadlines are the unit's own; undefined where the ticket's own fields are the unit's.
 */
export function ownLink(t: Ticket, unit: string | null): Assignment | undefined {
  if (!t.assignments || unit == null) return undefined
  const chain = chainOf(t)
  let own = assignmentOf(chain, unit)
  if (!own)
    for (const a of chain) if (a.unit === unit && live(a) && (!own || a.level > own.level)) own = a
  return own && own !== topAssignment(chain) ? own : undefined
}

/** Whether the link's own clock runs: it has the work (dispatched to it or signed), still open. */
export const ownClockRuns = (t: Ticket, a: Assignment): boolean =>
  ['dispatched', 'in_progress', 'return_requested'].includes(t.status) &&
  (a.state === 'dispatched' || a.state === 'signed')
