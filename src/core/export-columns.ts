// What an export holds, column by column: the headers in Chinese (or English), and each ticket as
// cells — names instead of codes, the phone masked as the queue shows it, times on the city's
// clock.
import { maskPhone, provisionalNumber } from '../shared/api'
import type { WorkCalendar } from '../shared/calendar'
import {
  CHANNEL_LABELS,
  KIND_LABELS,
  SATISFACTION_LABELS,
  STATUS_LABELS,
  URGENCY_LABELS,
} from '../shared/labels'
import type { ReferenceData } from '../shared/reference'
import { CHANNELS, KINDS, STATUSES, URGENCIES } from '../shared/ticket'
import type { Satisfaction } from '../shared/ticket'
import type { Lang, Localized } from '../shared/validation'
import type { ExportRaw } from './db/export-rows'

export interface ExportColumn {
  header: Localized
  /** Characters, for the spreadsheet's column width. */
  width: number
  /** `time`: the cell is a wall-clock time (see `WallTime`); else text. */
  type: 'text' | 'time'
}

export const EXPORT_COLUMNS: readonly ExportColumn[] = [
  { header: { zh: '工单号', en: 'Number' }, width: 17, type: 'text' },
  { header: { zh: '受理时间', en: 'Received' }, width: 17, type: 'time' },
  { header: { zh: '渠道', en: 'Channel' }, width: 9, type: 'text' },
  { header: { zh: '类型', en: 'Kind' }, width: 9, type: 'text' },
  { header: { zh: '类别', en: 'Category' }, width: 30, type: 'text' },
  { header: { zh: '紧急程度', en: 'Urgency' }, width: 9, type: 'text' },
  { header: { zh: '区县', en: 'District' }, width: 10, type: 'text' },
  { header: { zh: '地址', en: 'Address' }, width: 30, type: 'text' },
  { header: { zh: '来电人', en: 'Caller' }, width: 10, type: 'text' },
  { header: { zh: '来电号码', en: 'Phone' }, width: 14, type: 'text' },
  { header: { zh: '诉求内容', en: 'Request' }, width: 60, type: 'text' },
  { header: { zh: '承办单位', en: 'Unit' }, width: 24, type: 'text' },
  { header: { zh: '状态', en: 'Status' }, width: 10, type: 'text' },
  { header: { zh: '派单时间', en: 'Dispatched' }, width: 17, type: 'time' },
  { header: { zh: '签收时限', en: 'Sign by' }, width: 17, type: 'time' },
  { header: { zh: '办结时限', en: 'Due' }, width: 17, type: 'time' },
  { header: { zh: '办结时间', en: 'Completed' }, width: 17, type: 'time' },
  { header: { zh: '满意度', en: 'Satisfaction' }, width: 10, type: 'text' },
]

/**
 * A time as the city's wall clock reads it, to the minute, in ms since the epoch *as if that
 * clock were UTC*: `new Date(w).toISOString()` starts with the local date and time, and a
 * spreadsheet (which has no time zones) shows exactly that.
 */
export type WallTime = number
export type ExportCell = string | WallTime | null

/** `2026-11-28 09:05` for a wall time. */
export const formatWall = (w: WallTime): string =>
  new Date(w).toISOString().slice(0, 16).replace('T', ' ')

/** Turns stored rows into cells, in EXPORT_COLUMNS order, in one language. */
export function exportRowMaker(
  reference: Pick<ReferenceData, 'categories' | 'units' | 'districts'>,
  calendar: WorkCalendar,
  lang: Lang,
): (r: ExportRaw) => ExportCell[] {
  const name = (e: { name: string; nameEn: string }) => (lang === 'en' ? e.nameEn : e.name)
  const units = new Map(reference.units.map((u) => [u.code, name(u)]))
  const districts = new Map(reference.districts.map((d) => [d.code, name(d)]))
  const categories = new Map(reference.categories.map((c) => [c.code, c]))
  const paths = new Map<string, string>()
  /** `市容环境 / 噪声污染 / 施工噪声`: the category under its branches. */
  const categoryPath = (code: string): string => {
    let path = paths.get(code)
    if (path !== undefined) return path
    const parts: string[] = []
    for (let c = categories.get(code); c && parts.length < 10; c = categories.get(c.parent ?? ''))
      parts.unshift(name(c))
    path = parts.length ? parts.join(' / ') : code
    paths.set(code, path)
    return path
  }
  const label = <T extends string>(labels: Record<T, Localized>, list: readonly T[], i: number) => {
    const v = list[i]
    return v === undefined ? String(i) : labels[v][lang]
  }
  const wall = (ms: number | null): WallTime | null => {
    if (ms == null) return null
    const l = calendar.local(ms)
    return Date.UTC(l.y, l.m - 1, l.d) + Math.floor(l.minute) * 60_000
  }
  return (r) => [
    r.number ?? provisionalNumber(r.id),
    wall(r.created_at),
    label(CHANNEL_LABELS, CHANNELS, r.channel),
    label(KIND_LABELS, KINDS, r.kind),
    categoryPath(r.category),
    label(URGENCY_LABELS, URGENCIES, r.urgency),
    r.district == null ? null : (districts.get(r.district) ?? r.district),
    r.address,
    r.caller_name,
    // Masked for every role, agents too (issue 7): each look at a full number is recorded on its
    // ticket's timeline (phone-access.ts, `ticket.viewPhone`), and an export of thousands of rows
    // with full numbers would need a recorded view per ticket. Full numbers are seen one ticket
    // at a time, in the ticket pane (V) or the callback form.
    maskPhone(r.phone),
    r.description,
    r.unit == null ? null : (units.get(r.unit) ?? r.unit),
    label(STATUS_LABELS, STATUSES, r.status),
    wall(r.dispatched_at),
    wall(r.sign_by),
    wall(r.due_at),
    wall(r.completed_at),
    r.satisfaction == null
      ? null
      : (SATISFACTION_LABELS[r.satisfaction as Satisfaction]?.[lang] ?? r.satisfaction),
  ]
}
