// What a public Open311 read may show (issue 12, finding 1): the one place this is decided. The
// Open311 routes ask `publicationRefusal` whether a request may be read at all and build every
// field they publish from `publicView`; nothing else of a ticket leaves through them.
//
// Which requests: at most what the citizen agreed to publish — requests filed through Open311
// itself (a public channel, and the discovery document says so), or tickets staff marked
// `publishable` with the caller's consent — and never an anonymous caller's, nor a report (举报),
// whoever filed it. An Open311 channel reading with its own api_key also follows the requests it
// filed itself, whatever they are: it holds them already, and its users follow them through it.
//
// Which fields: the description and the unit's reply with the caller's name and every personal
// number masked (personal-data.ts), the address cut to the street, coordinates rounded to about a
// hundred metres, the posted photo only for requests posted with one; never a cancel or return
// reason, an instruction, a note, an address id or anything about the caller.
import { foldWidth, maskPersonalText } from './personal-data'
import type { Status, Ticket } from './ticket'

/** Where a posted address_id and media_url are kept in the ticket (it has no fields for them). */
export const ADDRESS_ID_LABEL = '地址编号：'
export const MEDIA_LABEL = '附件：'
const ADDRESS_ID_TAIL = new RegExp(`(?:^| )${ADDRESS_ID_LABEL}\\S+$`)
const MEDIA_TAIL = new RegExp(`\\n${MEDIA_LABEL}(https?://\\S+)$`)

/** The actor id of requests filed through the Open311 channel holding the key named `keyName`. */
export const open311UserId = (keyName: string): string => `open311:${keyName}`

/** Who reads: the public, or an Open311 channel that gave its api_key (by the key's name). */
export interface PublicReader {
  channel: string | null
}
export const PUBLIC: PublicReader = { channel: null }

export type PublicationRefusal = 'unnumbered' | 'anonymous' | 'report' | 'not_consented'

/** Why this reader may not read ticket `t` through Open311, or null when they may. */
export function publicationRefusal(t: Ticket, reader: PublicReader): PublicationRefusal | null {
  if (!t.number) return 'unnumbered'
  if (reader.channel != null && t.createdBy === open311UserId(reader.channel)) return null
  if (t.caller.anonymous) return 'anonymous'
  if (t.kind === 'report') return 'report'
  if (t.channel !== 'open311' && t.publishable !== true) return 'not_consented'
  return null
}

export const mayPublish = (t: Ticket, reader: PublicReader): boolean =>
  publicationRefusal(t, reader) === null

/** Road-name endings: an address is cut after the first of them. */
const ROAD = /^.*?(?:大道|大街|路|街|巷|弄|胡同)/
/** Where the house begins: a number (also in Chinese numerals), or a building or flat word. */
const HOUSE =
  /[\d#]|[一二三四五六七八九十百零〇两]+(?=号|栋|幢|单元|室|楼|层)|号|栋|幢|单元|室|楼|层/
/** A Western address: its house number, then the street up to a comma or `#` (flat, floor …). */
const WESTERN = /^\d+[A-Za-z]?\s+([A-Za-z0-9][^,#]*)/
const HAN = /\p{Script=Han}/u

/**
 * An address cut to the street: `镇江市京口区梦溪路 18 号 3 单元 502 室` → `镇江市京口区梦溪路`,
 * `金山花园小区 5 栋 301` → `金山花园小区`, `1234 5th street, apt 2` → `5th street`. Null when
 * nothing is left (the caller gave only a house).
 */
export function streetLevel(address: string): string | null {
  const text = foldWidth(address.replace(ADDRESS_ID_TAIL, '')).trim()
  const western = HAN.test(text) ? null : WESTERN.exec(text)
  let out: string
  if (western) out = western[1]!
  else {
    const road = ROAD.exec(text)
    const house = HOUSE.exec(text)
    out = road && (!house || house.index >= road[0].length) ? road[0] : text.slice(0, house?.index)
  }
  out = out.replace(/[\s,，、(（-]+$/, '').trim()
  return out ? out : null
}

/** About a hundred metres: 3 decimals of a degree. */
const rounded = (x: number | null) => (x == null ? null : Math.round(x * 1000) / 1000)

export interface PublicViewContext {
  /** A unit's public name by its code. */
  unitName(code: string): string | null
  /** A district's name by its code (where the address leaves nothing). */
  districtName(code: string): string | null
  /** The number of the ticket a merged one went into, when known. */
  mergedInto: string | null
  /** The due time of a granted extension, as the city's clock shows it (`2026-05-04 17:30`). */
  extendedUntil: string | null
}

export interface PublicView {
  description: string
  address: string | null
  lat: number | null
  lng: number | null
  statusNotes: string | null
  agency: string | null
  mediaUrl: string | null
}

/** Why the request is where it is, in words a citizen can use; no reasons, no internal text. */
function statusNotes(t: Ticket, p: PublicViewContext): string | null {
  const unit = (t.unit && p.unitName(t.unit)) || '承办单位'
  const masked = (s: string) => maskPersonalText(s, [t.caller.name])
  const s: Status = t.status
  switch (s) {
    case 'new':
      return t.counts.returns > 0 ? '原承办单位已退回，正在重新派单' : '已受理，正在派单'
    case 'dispatched':
      return t.counts.reopens > 0 ? `回访不满意，已交${unit}重新办理` : `已派单至${unit}`
    case 'in_progress':
      return p.extendedUntil
        ? `${unit}正在办理，办理期限延至 ${p.extendedUntil}`
        : `${unit}正在办理`
    case 'return_requested':
      return `${unit}申请退回，正在重新确认承办单位`
    case 'replied':
    case 'closed':
      return t.resolution ? masked(t.resolution.text) : '已办结'
    case 'merged':
      return p.mergedInto
        ? `与工单 ${p.mergedInto} 反映的是同一问题，已合并办理`
        : '与另一工单反映的是同一问题，已合并办理'
    case 'cancelled':
      return '已作废'
  }
}

/** Every field of ticket `t` a public read shows (ask `publicationRefusal` first). */
export function publicView(t: Ticket, p: PublicViewContext): PublicView {
  const media = t.channel === 'open311' ? MEDIA_TAIL.exec(t.description) : null
  const description = media ? t.description.slice(0, media.index) : t.description
  const district = t.location.district ? p.districtName(t.location.district) : null
  return {
    description: maskPersonalText(description, [t.caller.name]),
    address: streetLevel(t.location.address) ?? district,
    lat: rounded(t.location.lat),
    lng: rounded(t.location.lng),
    statusNotes: statusNotes(t, p),
    // Answered on the call: the hotline itself dealt with it.
    agency: t.unit
      ? (p.unitName(t.unit) ?? t.unit)
      : t.resolution?.kind === 'answered'
        ? '12345热线'
        : null,
    mediaUrl: media ? media[1]! : null,
  }
}
