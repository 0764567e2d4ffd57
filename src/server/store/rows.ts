// Tickets and events as rows: the whole object as JSON, plus copies of the fields queries use.
import { chainOf, chainUnits } from '../../shared/assignments'
import { completedOnTime } from '../../shared/kpi-judge'
import type { Ticket, TimelineEvent } from '../../shared/ticket'
import type { StoredResult } from './mutation'
import type {
  ChangeLogTable,
  MutationResultsTable,
  TicketAssignmentsTable,
  TicketsTable,
  TimelineEventsTable,
} from './types'

/** `|A|B|`: the units a ticket is with (main and co-units), for substring scoping. */
export function unitsKey(units: ReadonlyArray<string | null>): string {
  const set = [...new Set(units.filter((u): u is string => !!u))]
  return set.length ? `|${set.join('|')}|` : ''
}

/**
 * The units that see a ticket: main unit, co-units, and every unit holding a live assignment
 * in its chain (issue 16) — a sub-centre sees what it passed down, a recalled unit no longer.
 */
export const ticketUnits = (t: Ticket | null): Array<string | null> =>
  t ? [t.unit, ...t.coUnits, ...chainUnits(t)] : []

/** The chain as rows of `ticket_assignments` (migration 0014). */
export function assignmentRows(t: Ticket): TicketAssignmentsTable[] {
  const chain = chainOf(t)
  const byId = new Map(chain.map((a) => [a.id, a]))
  return chain.map((a) => ({
    ticket_id: t.id,
    id: a.id,
    level: a.level,
    role: a.role,
    unit: a.unit,
    parent_unit: a.parent ? (byId.get(a.parent)?.unit ?? null) : null,
    state: a.state,
    by_user: a.by.userId,
    by_unit: a.by.unit,
    at: a.at,
    sign_by: a.signBy,
    signed_at: a.signedAt,
    due_at: a.dueAt,
    ended_at: a.endedAt,
    // The unit figures' own test (kpi-judge.ts): the reply (or part) in by the due.
    on_time: a.reply
      ? completedOnTime({ due: Date.parse(a.dueAt), completedAt: Date.parse(a.reply.at) })
        ? 1
        : 0
      : null,
    missed_part: a.missedPart ? 1 : 0,
    superseded: a.superseded ? 1 : 0,
  }))
}

export function ticketRow(t: Ticket, seq: number): TicketsTable {
  return {
    id: t.id,
    number: t.number,
    channel: t.channel,
    kind: t.kind,
    category: t.category,
    urgency: t.urgency,
    status: t.status,
    unit: t.unit,
    units: unitsKey(ticketUnits(t)),
    caller_phone: t.caller.phone,
    caller_name: t.caller.name,
    address: t.location.address,
    district: t.location.district,
    description: t.description,
    sign_by: t.signBy,
    due_at: t.dueAt,
    completed_at: t.completedAt,
    needs_review: t.needsReview ? 1 : 0,
    created_at: t.createdAt,
    updated_at: t.updatedAt,
    version: t.version,
    seq,
    data: JSON.stringify(t),
  }
}

export function eventRow(e: TimelineEvent, seq: number): TimelineEventsTable {
  return {
    id: e.id,
    ticket_id: e.ticketId,
    version: e.version,
    type: e.type,
    at: e.at,
    seq,
    data: JSON.stringify(e),
  }
}

export const parseTicket = (row: { data: string }): Ticket => JSON.parse(row.data) as Ticket
export const parseEvent = (row: { data: string }): TimelineEvent =>
  JSON.parse(row.data) as TimelineEvent

/** A mutation's result and its change-log row (kind `result`), at the mutation's seq. */
export function resultRows(
  r: StoredResult,
  seq: number,
  at: string,
  xid: ChangeLogTable['xid'],
): {
  result: MutationResultsTable & { status: StoredResult['status'] }
  change: ChangeLogTable & { kind: 'result' }
} {
  return {
    result: {
      client_id: r.clientId,
      mutation_id: r.id,
      key: r.key,
      name: r.name,
      status: r.status,
      code: r.code,
      message: r.message ? JSON.stringify(r.message) : null,
      seq,
      at,
    },
    change: {
      seq,
      kind: 'result',
      ticket_id: null,
      client_id: r.clientId,
      audience: null,
      xid,
      at,
    },
  }
}
