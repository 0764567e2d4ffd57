// Tickets as GeoReport v2 service requests. Public: nothing here names or reaches the caller —
// no caller fields at all, and their name, phone and ID numbers are masked in free text.
import { normalizePhone } from '../../shared/actions'
import { maskPhone } from '../../shared/api'
import type { WorkCalendar } from '../../shared/calendar'
import type { ReferenceData } from '../../shared/reference'
import type { Status, Ticket, TimelineEvent } from '../../shared/ticket'
import type { Value } from './document'
import type { Services } from './services'

export type PublicStatus = 'open' | 'closed'

const CLOSED: readonly Status[] = ['closed', 'merged', 'cancelled']
export const publicStatus = (s: Status): PublicStatus => (CLOSED.includes(s) ? 'closed' : 'open')
/** States whose explanation is in the event that led to them, not in the ticket. */
export const EXPLAINED_BY_EVENT: ReadonlyArray<{ status: Status; event: string }> = [
  { status: 'merged', event: 'merged' },
  { status: 'cancelled', event: 'cancelled' },
]

/** Where a posted address_id and media_url are kept in the ticket (it has no fields for them). */
export const ADDRESS_ID_LABEL = '地址编号：'
export const MEDIA_LABEL = '附件：'
const ADDRESS_ID_TAIL = new RegExp(`(?:^| )${ADDRESS_ID_LABEL}(\\S+)$`)
const MEDIA_TAIL = new RegExp(`\\n${MEDIA_LABEL}(https?://\\S+)$`)

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

const MOBILE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}(?!\d)/g
const LANDLINE = /(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)/g
const ID_CARD = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g

/** Free text made fit to publish: the caller's name and any phone or ID-card number masked. */
export function redact(text: string, t: Ticket): string {
  let out = text
  const name = t.caller.name?.trim()
  if (name && Array.from(name).length >= 2) {
    const chars = Array.from(name)
    out = out.split(name).join(chars[0] + '*'.repeat(chars.length - 1))
  }
  if (t.caller.phone) out = out.split(t.caller.phone).join(maskPhone(t.caller.phone)!)
  return out
    .replace(ID_CARD, (m) => `${m.slice(0, 4)}${'*'.repeat(m.length - 8)}${m.slice(-4)}`)
    .replace(MOBILE, (m) => maskPhone(normalizePhone(m))!)
    .replace(LANDLINE, (m) => maskPhone(normalizePhone(m))!)
}

function unitName(ref: ReferenceData, code: string | null): string | null {
  if (!code) return null
  return ref.units.find((u) => u.code === code)?.name ?? code
}

/** Why the request is where it is, in the words a citizen can use. */
function statusNotes(
  t: Ticket,
  ref: ReferenceData,
  cal: WorkCalendar,
  event: TimelineEvent | undefined,
): string | null {
  const unit = unitName(ref, t.unit) ?? '承办单位'
  switch (t.status) {
    case 'new':
      return t.counts.returns > 0 ? '原承办单位已退回，正在重新派单' : '已受理，正在派单'
    case 'dispatched':
      return t.counts.reopens > 0 ? `回访不满意，已交${unit}重新办理` : `已派单至${unit}`
    case 'in_progress': {
      const until = t.extension.state === 'granted' ? localIso(t.dueAt, cal) : null
      return until
        ? `${unit}正在办理，办理期限延至 ${until.slice(0, 16).replace('T', ' ')}`
        : `${unit}正在办理`
    }
    case 'return_requested':
      return `${unit}申请退回，正在重新确认承办单位`
    case 'replied':
    case 'closed':
      return t.resolution?.text ?? '已办结'
    case 'merged': {
      const target = event?.data.targetNumber
      return typeof target === 'string'
        ? `与工单 ${target} 反映的是同一问题，已合并办理`
        : '与另一工单反映的是同一问题，已合并办理'
    }
    case 'cancelled': {
      const reason = event?.data.reason
      return typeof reason === 'string' ? `已作废：${reason}` : '已作废'
    }
  }
}

function agency(t: Ticket, ref: ReferenceData): string | null {
  if (t.unit) return unitName(ref, t.unit)
  // Answered on the call: the hotline itself dealt with it.
  return t.resolution?.kind === 'answered' ? '12345热线' : null
}

export interface PresentContext {
  ref: ReferenceData
  cal: WorkCalendar
  services: Services
  /** Events explaining merged and cancelled tickets, by ticket id. */
  events: ReadonlyMap<string, TimelineEvent>
}

export function requestDocument(t: Ticket, p: PresentContext): Value {
  const media = MEDIA_TAIL.exec(t.description)
  const description = media ? t.description.slice(0, media.index) : t.description
  const addressId = ADDRESS_ID_TAIL.exec(t.location.address)
  const notes = statusNotes(t, p.ref, p.cal, p.events.get(t.id))
  const closed = publicStatus(t.status) === 'closed'
  return {
    service_request_id: t.number,
    status: publicStatus(t.status),
    status_notes: notes == null ? null : redact(notes, t),
    service_name: p.services.names.get(t.category) ?? null,
    service_code: t.category,
    description: redact(description, t),
    agency_responsible: agency(t, p.ref),
    service_notice: null,
    requested_datetime: localIso(t.createdAt, p.cal),
    // The spec: for closed requests, the time they were closed.
    updated_datetime: localIso(closed ? (t.closedAt ?? t.updatedAt) : t.updatedAt, p.cal),
    expected_datetime: localIso(t.dueAt, p.cal),
    address: redact(t.location.address, t),
    address_id: addressId ? addressId[1]! : null,
    zipcode: null,
    lat: t.location.lat,
    long: t.location.lng,
    media_url: media ? media[1]! : null,
  }
}
