// Exemplary cases (优秀案例, issue 6): each year the hotline picks its ten best cases — closed
// tickets where a unit solved a hard problem — and publishes them. Here are the wire shapes, the
// input schemas every boundary checks, and the ranking rules; the ticket facts a case shows are
// computed in ./case-facts.ts. Pure: no Node, no DOM.
import { z } from 'zod'
import type { Kind, Satisfaction, Status } from './ticket'
import type { Localized } from './validation'

/** At most this many cases of a year are ranked (the "ten best"). */
export const MAX_RANK = 10
export const TITLE_MAX = 60
export const WRITE_UP_MAX = 2000
export const CASE_FORMATS = ['md', 'html', 'xlsx'] as const
export type CaseFormat = (typeof CASE_FORMATS)[number]

/** Control characters (line breaks among them) as spaces: a title is one line. */
const oneLine = (s: string) =>
  [...s].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? ' ' : c)).join('')

export const caseTitle = z
  .string()
  .transform((s) => oneLine(s).trim())
  .pipe(z.string().min(1).max(TITLE_MAX))
/** Line breaks kept (paragraphs); other controls dropped; CRLF as LF. */
export const caseWriteUp = z
  .string()
  .transform((s) =>
    s
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- removing control characters is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .trim(),
  )
  .pipe(z.string().min(1).max(WRITE_UP_MAX))
/** A year as ConsoleApi takes it; `caseYear` also reads it from a query string. */
export const caseYearNumber = z.number().int().min(2000).max(2100)
export const caseYear = z.coerce.number().pipe(caseYearNumber)
export const caseRank = z.number().int().min(1).max(MAX_RANK).nullable()

export const nominateCaseSchema = z.object({
  ticketId: z.uuid(),
  title: caseTitle,
  writeUp: caseWriteUp,
})
export const updateCaseSchema = z
  .object({ title: caseTitle, writeUp: caseWriteUp, rank: caseRank })
  .partial()
export const casesQuerySchema = z.object({ year: caseYear })
export const caseExportQuerySchema = z.object({ year: caseYear, format: z.enum(CASE_FORMATS) })

/** What a case shows of its ticket, computed from the ticket and its timeline. */
export interface CaseFacts {
  number: string | null
  status: Status
  kind: Kind
  /** The category's path from its top branch (`城乡建设 / 占道经营`). */
  category: { code: string; name: Localized }
  district: { code: string | null; name: Localized | null }
  unit: { code: string | null; name: Localized | null }
  createdAt: string
  /** The first dispatch (派单) in the timeline. */
  dispatchedAt: string | null
  /** The final completion (the unit's last reply, or the answer on the call). */
  completedAt: string | null
  /** The last callback or close without one. */
  closedAt: string | null
  /** Completion − creation in days, as the KPI's average handling time counts it. */
  handlingDays: number | null
  /** The same span in working days of the city's calendar (working minutes / minutes a day). */
  handlingWorkingDays: number | null
  /** The last callback's rating; null when closed without one. */
  satisfaction: Satisfaction | null
  /** A company request (一企来办): the enterprise channel or a company-services category. */
  company: boolean
  /** The unit's final reply (办结回复). */
  replyText: string | null
}

export interface CaseView {
  id: string
  ticketId: string
  year: number
  title: string
  writeUp: string
  /** 1 … MAX_RANK, gapless within a year; null while unranked. */
  rank: number | null
  nominatedBy: { id: string; name: string | null }
  nominatedAt: string
  updatedAt: string
  facts: CaseFacts
}

/** Ranked first by rank, then unranked by nomination (oldest first): lists and exports. */
export function caseOrder(
  a: Pick<CaseView, 'rank' | 'nominatedAt' | 'id'>,
  b: Pick<CaseView, 'rank' | 'nominatedAt' | 'id'>,
): number {
  if (a.rank != null || b.rank != null) {
    if (a.rank == null) return 1
    if (b.rank == null) return -1
    if (a.rank !== b.rank) return a.rank - b.rank
  }
  if (a.nominatedAt !== b.nominatedAt) return a.nominatedAt < b.nominatedAt ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Ranks as an ordered top-ten list. Setting case `id` to `rank` takes it out of the list and puts
 * it at that place: the case holding the rank and those after it move down one, a rank beyond the
 * end of the list becomes the next free one, and with ten ranked the tenth drops out (unranked).
 * `null` takes the case out and closes the gap. Returns the cases whose rank changes, `id` among
 * them when its own does.
 */
export function rerank(
  ranked: ReadonlyArray<{ id: string; rank: number }>,
  id: string,
  rank: number | null,
): Map<string, number | null> {
  const before = new Map<string, number | null>(ranked.map((r) => [r.id, r.rank]))
  if (!before.has(id)) before.set(id, null)
  const list = [...ranked]
    .sort((a, b) => a.rank - b.rank)
    .map((r) => r.id)
    .filter((x) => x !== id)
  if (rank != null) list.splice(Math.min(rank, list.length + 1) - 1, 0, id)
  const after = new Map<string, number | null>()
  list.forEach((x, i) => after.set(x, i < MAX_RANK ? i + 1 : null))
  if (rank == null) after.set(id, null)
  const changed = new Map<string, number | null>()
  for (const [x, was] of before) {
    const now = after.get(x) ?? null
    if (now !== was) changed.set(x, now)
  }
  return changed
}

/** The column headers of the XLSX export, in Chinese (and the Markdown/HTML fact labels). */
export const CASE_COLUMNS = [
  ['rank', '排名'],
  ['title', '案例标题'],
  ['number', '工单号'],
  ['category', '问题分类'],
  ['district', '区县'],
  ['unit', '承办单位'],
  ['createdAt', '受理时间'],
  ['dispatchedAt', '派单时间'],
  ['completedAt', '办结时间'],
  ['closedAt', '回访时间'],
  ['handlingWorkingDays', '办理用时（工作日）'],
  ['satisfaction', '满意度'],
  ['company', '企业诉求'],
  ['writeUp', '案例简介'],
  ['replyText', '承办单位答复'],
] as const
export type CaseColumn = (typeof CASE_COLUMNS)[number][0]
