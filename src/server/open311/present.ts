// Tickets as GeoReport v2 service requests. What may be read, and every field's content, is
// src/shared/publication.ts's decision (issue 12); here it is put in the spec's shape, with the
// hotline's times and the service names.
import type { WorkCalendar } from '../../shared/calendar'
import { publicView } from '../../shared/publication'
import type { ReferenceData } from '../../shared/reference'
import type { Status, Ticket, TimelineEvent } from '../../shared/ticket'
import type { Value } from './document'
import type { Services } from './services'

export type PublicStatus = 'open' | 'closed'

const CLOSED: readonly Status[] = ['closed', 'merged', 'cancelled']
export const publicStatus = (s: Status): PublicStatus => (CLOSED.includes(s) ? 'closed' : 'open')
/** States whose public explanation needs the event that led to them (the ticket merged into). */
export const EXPLAINED_BY_EVENT: ReadonlyArray<{ status: Status; event: string }> = [
  { status: 'merged', event: 'merged' },
]

const pad = (n: number) => String(n).padStart(2, '0')

/** ISO 8601 with the hotline's UTC offset and whole seconds: `2026-05-04T09:30:00+08:00`. */
export function localIso(iso: string | null, cal: WorkCalendar): string | null {
  if (!iso) return null
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return null
  const whole = Math.floor(ms / 1000) * 1000
  const l = cal.local(whole)
  const wall = Date.UTC(l.y, l.m - 1, l.d) + Math.round(l.minute * 60) * 1000
  const offset = Math.round((wall - whole) / 60_000)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  return `${new Date(wall).toISOString().slice(0, 19)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}

export interface PresentContext {
  ref: ReferenceData
  cal: WorkCalendar
  services: Services
  /** Events explaining merged tickets, by ticket id. */
  events: ReadonlyMap<string, TimelineEvent>
}

export function requestDocument(t: Ticket, p: PresentContext): Value {
  const target = p.events.get(t.id)?.data.targetNumber
  const until = t.extension.state === 'granted' ? localIso(t.dueAt, p.cal) : null
  const v = publicView(t, {
    unitName: (code) => p.ref.units.find((u) => u.code === code)?.name ?? null,
    districtName: (code) => p.ref.districts.find((d) => d.code === code)?.name ?? null,
    mergedInto: typeof target === 'string' ? target : null,
    extendedUntil: until ? until.slice(0, 16).replace('T', ' ') : null,
  })
  const closed = publicStatus(t.status) === 'closed'
  return {
    service_request_id: t.number,
    status: publicStatus(t.status),
    status_notes: v.statusNotes,
    service_name: p.services.names.get(t.category) ?? null,
    service_code: t.category,
    description: v.description,
    agency_responsible: v.agency,
    service_notice: null,
    requested_datetime: localIso(t.createdAt, p.cal),
    // The spec: for closed requests, the time they were closed.
    updated_datetime: localIso(closed ? (t.closedAt ?? t.updatedAt) : t.updatedAt, p.cal),
    expected_datetime: localIso(t.dueAt, p.cal),
    address: v.address,
    // An address id names one building: never published (publication.ts).
    address_id: null,
    zipcode: null,
    lat: v.lat,
    long: v.lng,
    media_url: v.mediaUrl,
  }
}
