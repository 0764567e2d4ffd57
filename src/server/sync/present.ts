// Tickets and timeline events as each user is sent them (issue 7): a caller's full number goes
// only to whoever src/shared/phone-access.ts says may see it, so it never reaches another
// console's cache. Pulls, snapshot pages and searches pass through here; agents, dispatchers and
// supervisors (who may see every number) get the stored rows untouched and at no cost.
import { maskPhone } from '../../shared/api'
import {
  eventFor,
  maySeeFullPhone,
  seesAllPhones,
  ticketFor,
  type PhoneViewer,
} from '../../shared/phone-access'
import type { Ticket, TimelineEvent } from '../../shared/ticket'
import type { SnapshotPage } from '../store'

/** A pull page's tickets and events as this viewer may see them. */
export function presentPull<P extends { tickets: Ticket[]; events: TimelineEvent[] }>(
  viewer: PhoneViewer,
  page: P,
): P {
  if (seesAllPhones(viewer)) return page
  const byId = new Map(page.tickets.map((t) => [t.id, t]))
  return {
    ...page,
    tickets: page.tickets.map((t) => ticketFor(viewer, t)),
    events: page.events.map((e) => eventFor(viewer, e, byId.get(e.ticketId))),
  }
}

/**
 * A snapshot page (rows as stored JSON text) as this viewer may see it. Only tickets whose
 * number is hidden are parsed and written again, and only events that mention a caller (an
 * edit of the caller, a salvaged create): a unit's first sync stays nearly as cheap as before.
 */
export function presentSnapshot(viewer: PhoneViewer, page: SnapshotPage): SnapshotPage {
  if (seesAllPhones(viewer)) return page
  const byId = new Map<string, Ticket>()
  const tickets = page.tickets.map((json) => {
    const t = JSON.parse(json) as Ticket
    byId.set(t.id, t)
    const shown = ticketFor(viewer, t)
    return shown === t ? json : JSON.stringify(shown)
  })
  const events = page.events.map((json) => {
    if (!json.includes('"caller"')) return json
    const e = JSON.parse(json) as TimelineEvent
    const shown = eventFor(viewer, e, byId.get(e.ticketId))
    return shown === e ? json : JSON.stringify(shown)
  })
  return { ...page, tickets, events }
}

/**
 * Whether a search hit may be shown to this viewer: the server matches the full number and
 * name, so a ticket whose number (or anonymous caller's name) is hidden from them counts only
 * when the query is found in what they are shown; else a search by number would tell them
 * whose number it is.
 */
export function searchHitVisible(viewer: PhoneViewer, t: Ticket, q: string): boolean {
  if (maySeeFullPhone(viewer, t)) return true
  const shown = ticketFor(viewer, t)
  const fields = [
    t.number ?? '',
    maskPhone(t.caller.phone) ?? '',
    shown.caller.name ?? '',
    t.location.address,
    t.description,
  ]
  const needle = q.toLowerCase()
  return fields.some((f) => f.toLowerCase().includes(needle))
}
