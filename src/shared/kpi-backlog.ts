// Backlog (积压): the open tickets at a moment, by status, unit, category and age, with the
// overdue and at-risk counts (DESIGN.md §3). Part of the KPI calculators in ./kpi.ts.
import { deadlineState } from './deadline-state'
import { OPEN_STATUSES, isOpen } from './ticket'
import type { Status, Ticket } from './ticket'

const DAY_MS = 86_400_000

/** Age buckets, in elapsed days since creation: [0, 1), [1, 3), [3, 5), [5, 10), [10, ∞). */
export const AGE_BUCKETS = ['lt1', '1to3', '3to5', '5to10', 'ge10'] as const
export type AgeBucket = (typeof AGE_BUCKETS)[number]
/** Where each bucket after the first begins, in days. */
export const AGE_BUCKET_DAYS = [1, 3, 5, 10] as const

/** The bucket for an age in milliseconds; a negative or unparsable age counts as under a day. */
export function ageBucket(ageMs: number): AgeBucket {
  const days = ageMs / DAY_MS
  let i = 0
  while (i < AGE_BUCKET_DAYS.length && days >= AGE_BUCKET_DAYS[i]!) i++
  return AGE_BUCKETS[i]!
}

export interface Backlog {
  /** The moment (ms) the ages and deadline states were taken at. */
  at: number
  /** Open tickets (OPEN_STATUSES) in all. */
  total: number
  /** Every open status is present, zero when none. */
  byStatus: Partial<Record<Status, number>>
  /** By the ticket's unit code; tickets without a unit are counted in `unassigned`, not here. */
  byUnit: Record<string, number>
  unassigned: number
  /** By the ticket's full (leaf) category code; roll up by prefix for higher levels. */
  byCategory: Record<string, number>
  byAge: Record<AgeBucket, number>
  /** deadlineState(…) === 'overdue' at `at`. */
  overdue: number
  /** deadlineState(…) === 'at_risk' at `at` (overdue tickets are not counted here). */
  atRisk: number
}

/** Accumulates a backlog one ticket at a time; `result()` gives the plain object. */
export class BacklogCounter {
  private total = 0
  private unassigned = 0
  private overdue = 0
  private atRisk = 0
  private readonly byStatus = new Map<Status, number>(OPEN_STATUSES.map((s) => [s, 0]))
  private readonly byUnit = new Map<string, number>()
  private readonly byCategory = new Map<string, number>()
  private readonly byAge = new Map<AgeBucket, number>(AGE_BUCKETS.map((b) => [b, 0]))

  private readonly now: number
  private readonly atRiskFraction: number

  constructor(now: number, atRiskFraction: number) {
    this.now = now
    this.atRiskFraction = atRiskFraction
  }

  add(t: Ticket): void {
    if (!isOpen(t.status)) return
    this.total++
    bump(this.byStatus, t.status)
    if (t.unit == null) this.unassigned++
    else bump(this.byUnit, t.unit)
    bump(this.byCategory, t.category)
    bump(this.byAge, ageBucket(this.now - Date.parse(t.createdAt)))
    const state = deadlineState(t, this.now, this.atRiskFraction)
    if (state === 'overdue') this.overdue++
    else if (state === 'at_risk') this.atRisk++
  }

  result(): Backlog {
    return {
      at: this.now,
      total: this.total,
      byStatus: Object.fromEntries(this.byStatus),
      byUnit: Object.fromEntries(this.byUnit),
      unassigned: this.unassigned,
      byCategory: Object.fromEntries(this.byCategory),
      byAge: Object.fromEntries(this.byAge) as Record<AgeBucket, number>,
      overdue: this.overdue,
      atRisk: this.atRisk,
    }
  }
}

function bump<K>(m: Map<K, number>, k: K): void {
  m.set(k, (m.get(k) ?? 0) + 1)
}

/**
 * The backlog alone (the dashboard's live view), from the tickets as they stand: `now` should be
 * the moment they were read, since a ticket's past status is not kept on the ticket.
 */
export function computeBacklog(
  tickets: Iterable<Ticket>,
  now: number,
  atRiskFraction: number,
): Backlog {
  const counter = new BacklogCounter(now, atRiskFraction)
  for (const t of tickets) counter.add(t)
  return counter.result()
}
