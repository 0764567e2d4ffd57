// The knowledge base (知识库, issue 15): the centre's own answers, which agents read out on the
// call. Entry shape, the schemas every boundary validates with, who sees and may do what, and
// when an entry may be offered for answering. Pure: no Node, no DOM.
import { z } from 'zod'
import { categoryCode, unitCode } from './actions'
import type { Role } from './ticket'
import { customIssue, type Localized } from './validation'

export const KB_STATUSES = ['draft', 'published', 'retired'] as const
export type KbStatus = (typeof KB_STATUSES)[number]

export interface KbSource {
  /** The policy document: 《镇江市住房公积金提取管理办法》. */
  name: string
  /** Its number (文号): 镇公积金委〔2023〕2号. */
  number: string | null
  /** http(s) only. */
  url: string | null
}

export interface KbEntry {
  id: string
  title: string
  /** The ways callers actually ask it (问法). */
  questions: string[]
  /** Markdown, rendered safely (no raw HTML, http(s)/tel links only). */
  answer: string
  categories: string[]
  keywords: string[]
  /** The unit that vouches for the answer. */
  unit: string
  source: KbSource | null
  /** Calendar dates `YYYY-MM-DD` in the city's time zone. */
  validFrom: string | null
  validUntil: string | null
  reviewBy: string | null
  status: KbStatus
  version: number
  updatedAt: string
  updatedBy: string | null
}

/** One version of an entry as its timeline shows it. */
export interface KbVersion {
  version: number
  action: KbVersionAction
  at: string
  by: string | null
  byName: string | null
  /** A reason (retire, a proposal's note) or null. */
  note: string | null
  /** Which fields this version changed from the one before. */
  changed: string[]
  entry: KbEntry
}

export const KB_VERSION_ACTIONS = [
  'created',
  'edited',
  'published',
  'retired',
  'proposal_approved',
] as const
export type KbVersionAction = (typeof KB_VERSION_ACTIONS)[number]

export const KB_PROPOSAL_STATUSES = ['pending', 'approved', 'refused'] as const
export type KbProposalStatus = (typeof KB_PROPOSAL_STATUSES)[number]

/** A unit's proposal: a new entry (entryId null) or an edit of one of its unit's entries. */
export interface KbProposal {
  id: string
  entryId: string | null
  baseVersion: number | null
  unit: string
  entry: KbEntryInput
  note: string | null
  status: KbProposalStatus
  by: string
  byName: string | null
  at: string
  decidedBy: string | null
  decidedAt: string | null
  reason: string | null
}

const DATE = /^\d{4}-\d{2}-\d{2}$/
const isoDay = (ms: number) => (Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 10))
// Date.parse rolls 02-30 over into March: a date must read back as itself.
const date = z.string().refine((s) => DATE.test(s) && isoDay(Date.parse(`${s}T00:00:00Z`)) === s, {
  ...customIssue('invalid_date', {
    zh: '应为有效日期，格式 YYYY-MM-DD',
    en: 'must be a real date as YYYY-MM-DD',
  }),
})
const optionalDate = date.nullish().transform((v) => v ?? null)
const line = (max: number) => z.string().trim().min(1).max(max)

/** Only web pages: a `javascript:` or `data:` link in a policy source is refused here already. */
export const httpUrl = z
  .string()
  .trim()
  .max(500)
  .refine((s) => /^https?:\/\/[^\s]+$/i.test(s), {
    ...customIssue('invalid_url', {
      zh: '只能是 http:// 或 https:// 开头的网址',
      en: 'must be an http:// or https:// address',
    }),
  })

export const kbSourceSchema = z.object({
  name: line(200),
  number: z
    .string()
    .trim()
    .max(100)
    .nullish()
    .transform((v) => v || null),
  url: httpUrl.nullish().transform((v) => v || null),
})

/** What an editor (or a unit's proposal) writes; the server adds id, status, version, times. */
export const kbEntryInputSchema = z
  .object({
    title: line(80),
    questions: z.array(line(200)).max(20).default([]),
    answer: line(8000),
    categories: z.array(categoryCode).max(10).default([]),
    keywords: z.array(line(30)).max(30).default([]),
    unit: unitCode,
    source: kbSourceSchema.nullish().transform((v) => v ?? null),
    validFrom: optionalDate,
    validUntil: optionalDate,
    reviewBy: optionalDate,
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.validFrom && e.validUntil && e.validUntil < e.validFrom)
      ctx.issues.push({
        ...customIssue('invalid_range', {
          zh: '失效日期早于生效日期',
          en: 'validUntil is before validFrom',
        }),
        path: ['validUntil'],
        input: e.validUntil,
      })
  })
export type KbEntryInput = z.output<typeof kbEntryInputSchema>
export type KbEntryInputRaw = z.input<typeof kbEntryInputSchema>

const version = z.number().int().min(1)
const uuid = z.uuid()

export const kbCreateSchema = z.object({
  entry: kbEntryInputSchema,
  /** Publish at once (a supervisor writing a finished entry). */
  publish: z.boolean().default(false),
})
export const kbEditSchema = z.object({ baseVersion: version, entry: kbEntryInputSchema })
export const kbPublishSchema = z.object({ baseVersion: version })
export const kbRetireSchema = z.object({ baseVersion: version, reason: line(500) })
export const kbProposeSchema = z.object({
  entryId: uuid.nullish().transform((v) => v ?? null),
  baseVersion: version.nullish().transform((v) => v ?? null),
  entry: kbEntryInputSchema,
  note: z
    .string()
    .trim()
    .max(500)
    .nullish()
    .transform((v) => v || null),
})
export const kbDecideSchema = z
  .object({
    approve: z.boolean(),
    reason: z
      .string()
      .trim()
      .max(500)
      .nullish()
      .transform((v) => v || null),
  })
  .superRefine((d, ctx) => {
    if (!d.approve && !d.reason)
      ctx.issues.push({
        ...customIssue('reason_required', {
          zh: '退回提议须说明理由',
          en: 'a refusal needs a reason',
        }),
        path: ['reason'],
        input: d.reason,
      })
  })
export const kbPullQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
})
export const kbListQuerySchema = z.object({
  status: z.enum(KB_STATUSES).optional(),
  unit: unitCode.optional(),
})
export const kbProposalsQuerySchema = z.object({
  status: z.enum(KB_PROPOSAL_STATUSES).optional(),
})

/** GET /api/v1/kb/pull: entries changed after `cursor` this reader may hold, and ids to drop. */
export interface KbPullResponse {
  cursor: number
  hasMore: boolean
  entries: KbEntry[]
  removed: string[]
}

/** The knowledge base's measures for a period, as a console's cache can count them. */
export interface KbStats {
  /** Calls answered on the call; of them, answered from an entry. */
  answered: number
  answeredFromKb: number
  /** Entries answered from most. */
  used: Array<{ id: string; title: string | null; answers: number }>
  /** Searches on this console; of them, those after which no entry was opened. */
  searches: number
  searchesUnopened: number
  unfound: Array<{ query: string; count: number }>
  /** Published entries past their review-by date now. */
  pastReview: number
}

// --- Who ------------------------------------------------------------------------------------

export interface KbReader {
  role: Role
  unit: string | null
}

/** Supervisors and admins write entries; unit staff propose; agents and dispatchers read. */
export const KB_EDITORS: readonly Role[] = ['supervisor', 'admin']

/** Whether `reader` may see this entry: everyone the published ones, editors all, a unit its own. */
export function kbVisible(e: Pick<KbEntry, 'status' | 'unit'>, reader: KbReader): boolean {
  if (e.status === 'published') return true
  if (KB_EDITORS.includes(reader.role)) return true
  return reader.role === 'unit' && reader.unit === e.unit
}

/**
 * Whether a console of this reader holds the entry in its cache: the published ones, and for a
 * unit its own unit's whatever their state. Editors work on drafts online (they are few).
 */
export function kbCached(e: Pick<KbEntry, 'status' | 'unit'>, reader: KbReader): boolean {
  return e.status === 'published' || (reader.role === 'unit' && reader.unit === e.unit)
}

// --- When ------------------------------------------------------------------------------------

/** `YYYY-MM-DD` of an instant in the city's zone (UTC+8; China has no daylight saving). */
export function cityDate(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10)
}

export type KbValidity = 'valid' | 'not_yet' | 'expired'

export function kbValidity(
  e: Pick<KbEntry, 'validFrom' | 'validUntil'>,
  nowMs: number,
): KbValidity {
  const today = cityDate(nowMs)
  if (e.validUntil && e.validUntil < today) return 'expired'
  if (e.validFrom && e.validFrom > today) return 'not_yet'
  return 'valid'
}

/** Past its review-by date: still answerable, but shown so, and counted on the dashboard. */
export const kbPastReview = (e: Pick<KbEntry, 'reviewBy'>, nowMs: number): boolean =>
  e.reviewBy != null && e.reviewBy < cityDate(nowMs)

/** May an agent answer a call from this entry now? Published and in force. */
export function kbAnswerable(
  e: Pick<KbEntry, 'status' | 'validFrom' | 'validUntil'>,
  nowMs: number,
): boolean {
  return e.status === 'published' && kbValidity(e, nowMs) === 'valid'
}

/** Why an entry cannot be answered from, in words; null when it can. */
export function kbRefusal(
  e: Pick<KbEntry, 'status' | 'validFrom' | 'validUntil'>,
  nowMs: number,
): Localized | null {
  if (e.status !== 'published')
    return { zh: '该知识条目未发布，不能用于答复', en: 'This entry is not published' }
  const v = kbValidity(e, nowMs)
  if (v === 'expired')
    return { zh: '该知识条目已过有效期，不能用于答复', en: 'This entry has expired' }
  if (v === 'not_yet') return { zh: '该知识条目尚未生效', en: 'This entry is not in force yet' }
  return null
}

/** The fields of two inputs that differ (for a version's "what changed"). */
export function kbChangedFields(a: KbEntryInput | null, b: KbEntryInput): string[] {
  if (!a) return []
  const keys = Object.keys(b) as Array<keyof KbEntryInput>
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
}

export const kbInputOf = (e: KbEntry): KbEntryInput => ({
  title: e.title,
  questions: e.questions,
  answer: e.answer,
  categories: e.categories,
  keywords: e.keywords,
  unit: e.unit,
  source: e.source,
  validFrom: e.validFrom,
  validUntil: e.validUntil,
  reviewBy: e.reviewBy,
})
