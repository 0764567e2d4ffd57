// Tickets and events as rows: the whole object as JSON, plus copies of the fields queries use.
import type { Ticket, TimelineEvent } from '../../shared/ticket'
import type { TicketsTable, TimelineEventsTable } from './types'

/** `|A|B|`: the units a ticket is with (main and co-units), for substring scoping. */
export function unitsKey(units: ReadonlyArray<string | null>): string {
  const set = [...new Set(units.filter((u): u is string => !!u))]
  return set.length ? `|${set.join('|')}|` : ''
}

export const ticketUnits = (t: Ticket | null): Array<string | null> =>
  t ? [t.unit, ...t.coUnits] : []

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
