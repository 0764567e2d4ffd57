// Tickets and timeline events as each user is sent them: a caller's full number goes only to
// whoever src/shared/phone-access.ts says may see it (issue 7), and internal notes only to whom
// src/shared/event-access.ts says (issue 12), so neither reaches another console's cache. Pulls,
// snapshot pages and searches pass through here; agents, dispatchers and supervisors (who may
// see everything) get the stored rows untouched and at no cost.
import { maskPhone } from '../../shared/api'
import { eventFor, maySeeFullPhone, ticketFor, type PhoneViewer } from '../../shared/phone-access'
import { isInternalNote, mayReadEvent, seesEverything } from '../../shared/event-access'
import type { Ticket, TimelineEvent } from '../../shared/ticket'
import type { JsonRow, SnapshotPage } from '../store'

/** A pull page's tickets and events as this viewer may see them. */
export function presentPull<P extends { tickets: Ticket[]; events: TimelineEvent[] }>(
  viewer: PhoneViewer,
  page: P,
): P {
  if (seesEverything(viewer)) return page
  const byId = new Map(page.tickets.map((t) => [t.id, t]))
  return {
    ...page,
    tickets: page.tickets.map((t) => ticketFor(viewer, t)),
    events: page.events
      .filter((e) => mayReadEvent(viewer, e))
      .map((e) => eventFor(viewer, e, byId.get(e.ticketId))),
  }
}

/**
 * A snapshot page (rows as stored JSON text) as this viewer may see it. Only tickets whose
 * number is hidden are parsed and written again, and only events that mention a caller (an
 * edit of the caller, a salvaged create) or may be an internal note: a unit's first sync stays
 * nearly as cheap as before. (Text a person typed is inside a JSON string, its quotes escaped,
 * so it never reads as either marker.)
 */
export function presentSnapshot(viewer: PhoneViewer, page: SnapshotPage): SnapshotPage {
  if (seesEverything(viewer)) return page
  const byId = new Map<string, Ticket>()
  const tickets = page.tickets.map(text).map((json) => {
    const t = JSON.parse(json) as Ticket
    byId.set(t.id, t)
    const shown = ticketFor(viewer, t)
    return shown === t ? json : JSON.stringify(shown)
  })
  const events: string[] = []
  for (const json of page.events.map(text)) {
    const note = json.includes('"internal":true')
    if (!note && !json.includes('"caller"')) {
      events.push(json)
      continue
    }
    const e = JSON.parse(json) as TimelineEvent
    if (note && isInternalNote(e) && !mayReadEvent(viewer, e)) continue
    const shown = eventFor(viewer, e, byId.get(e.ticketId))
    events.push(shown === e ? json : JSON.stringify(shown))
  }
  return { ...page, tickets, events }
}

const text = (row: JsonRow): string => (typeof row === 'string' ? row : row.toString('utf8'))

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
