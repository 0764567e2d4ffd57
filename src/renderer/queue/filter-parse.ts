// The filter bar's little language, typed like a search: `status:new unit:京口 urgency:urgent 噪音`.
// A term is `field:value` (values by code, Chinese or English name, pinyin initials for places
// and units; several values with commas); everything else is free text for the core's search.
import type { QueueFilter } from '../../shared/api'
import { CHANNEL_LABELS, KIND_LABELS, STATUS_LABELS, URGENCY_LABELS } from '../../shared/labels'
import type { Localized } from '../../shared/validation'
import type { Names } from '../state/reference'

export interface ParsedFilter {
  filter: Omit<QueueFilter, 'view'>
  /** Terms that named a field or value the console does not know, to show as such. */
  unknown: string[]
}

const byLabel = <K extends string>(labels: Record<K, Localized>) => {
  return (v: string): K | null => {
    const q = v.toLowerCase()
    for (const [code, l] of Object.entries(labels) as [K, Localized][])
      if (code === q || l.zh === v || l.en.toLowerCase() === q) return code
    return null
  }
}

const FIELD_ALIASES: Record<string, string> = {
  status: 'status',
  状态: 'status',
  unit: 'unit',
  单位: 'unit',
  district: 'district',
  区: 'district',
  区县: 'district',
  urgency: 'urgency',
  紧急: 'urgency',
  category: 'category',
  类别: 'category',
  channel: 'channel',
  渠道: 'channel',
  kind: 'kind',
  类型: 'kind',
  deadline: 'deadline',
  时限: 'deadline',
}

const DEADLINES: Record<string, 'ok' | 'at_risk' | 'overdue' | 'none'> = {
  ok: 'ok',
  at_risk: 'at_risk',
  risk: 'at_risk',
  即将超时: 'at_risk',
  overdue: 'overdue',
  超时: 'overdue',
  已超时: 'overdue',
  none: 'none',
}

export function parseFilter(input: string, names: Names | null): ParsedFilter {
  const filter: Record<string, string[] | string> = {}
  const unknown: string[] = []
  const text: string[] = []
  const add = (field: string, value: string) => {
    const list = (filter[field] as string[] | undefined) ?? []
    if (!list.includes(value)) list.push(value)
    filter[field] = list
  }
  // `：` too: a Chinese input method types the full-width colon.
  for (const term of input.split(/\s+/).filter(Boolean)) {
    const m = /^([^:：]+)[:：](.+)$/.exec(term)
    const field = m ? FIELD_ALIASES[m[1]!.toLowerCase()] : undefined
    if (!m || !field) {
      text.push(term)
      continue
    }
    for (const value of m[2]!.split(/[,，]/).filter(Boolean)) {
      const code = resolve(field, value, names)
      if (code) add(field, code)
      else unknown.push(`${m[1]}:${value}`)
    }
  }
  if (text.length > 0) filter.text = text.join(' ').slice(0, 200)
  return { filter: filter as ParsedFilter['filter'], unknown }
}

function resolve(field: string, value: string, names: Names | null): string | null {
  switch (field) {
    case 'status':
      return byLabel(STATUS_LABELS)(value)
    case 'urgency':
      return byLabel(URGENCY_LABELS)(value)
    case 'channel':
      return byLabel(CHANNEL_LABELS)(value)
    case 'kind':
      return byLabel(KIND_LABELS)(value)
    case 'deadline':
      return DEADLINES[value.toLowerCase()] ?? null
    case 'unit':
      return names?.units.search(value, 1)[0]?.code ?? null
    case 'district':
      return names?.districts.search(value, 1)[0]?.code ?? null
    case 'category':
      return /^(\d{2}){1,4}$/.test(value)
        ? value
        : (names?.categories.search(value, 1)[0]?.code ?? null)
    default:
      return null
  }
}
