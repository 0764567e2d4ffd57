// Duplicate candidates for a ticket being typed: tickets open or from the last 30 days that share
// the caller's phone, the category, or the street/community of the address, scored by what they
// have in common — the same phone, the same category, a similar address, a similar description
// (Dice coefficient of character bigrams). Category alone is never enough.
import { normalizePhone } from '../../shared/actions'
import type { DuplicateCandidate } from '../../shared/api'
import { OPEN_STATUSES } from '../../shared/ticket'
import { ROW_SELECT, statusCode, toTicketRow, type RawRow } from './columns'
import type { StoreReads } from './reads'
import { bigramSet, dice } from './text-search'
import type { DuplicateArgs } from './types'

const RECENT_MS = 30 * 86_400_000
const POOL = 300

type Candidate = RawRow & { rid: number; description: string }

/** The part of an address that names a place: the road, lane, community or estate. */
export function addressKey(address: string): string | null {
  const a = address.replace(/\s+/g, '')
  const m = /[\u4e00-\u9fa5]{1,8}?(大道|路|街|巷|弄|村|小区|花园|苑|广场|大厦|公寓|新村)/u.exec(
    a.replace(/^.*?(市|区|县|镇)/u, ''),
  )
  const key = m ? m[0] : a
  return Array.from(key).length >= 3 ? key : null
}

export function findDuplicates(
  reads: StoreReads,
  args: DuplicateArgs,
  nowMs: number,
): DuplicateCandidate[] {
  const live = `(t.status IN (${OPEN_STATUSES.map(statusCode).join(', ')}) OR t.rid >= @recent)`
  const recent = (nowMs - RECENT_MS) * 1024
  const select = `SELECT ${ROW_SELECT}, t.rid, t.description FROM tickets t`
  const pool = new Map<string, Candidate>()
  const add = (sql: string, key: unknown) => {
    for (const r of reads.stmt(sql).all({ key, recent }) as Candidate[]) pool.set(r.id, r)
  }
  const phone = (args.phone && normalizePhone(args.phone)) || null
  if (phone) add(`${select} WHERE t.phone = @key AND ${live} ORDER BY t.rid DESC LIMIT 50`, phone)
  if (args.category)
    add(
      `${select} WHERE t.category = @key AND ${live} ORDER BY t.rid DESC LIMIT ${POOL}`,
      args.category,
    )
  const key = addressKey(args.address)
  if (key)
    add(
      `${select} JOIN tickets_text f ON f.rowid = t.rid WHERE tickets_text MATCH @key AND ${live}
       ORDER BY f.rowid DESC LIMIT ${POOL}`,
      `address : "${key.replace(/"/g, '""')}"`,
    )
  const addr = bigramSet(args.address)
  const text = bigramSet(args.description)
  const out: DuplicateCandidate[] = []
  for (const c of pool.values()) {
    if (c.id === args.excludeId) continue
    const reasons: string[] = []
    let score = 0
    if (phone && c.phone === phone) {
      score += 0.4
      reasons.push('phone')
    }
    if (args.category && c.category === args.category) {
      score += 0.2
      reasons.push('category')
    } else if (args.category && c.category.slice(0, 2) === args.category.slice(0, 2)) score += 0.1
    const sameDistrict = !args.district || !c.district || args.district === c.district
    const a = sameDistrict ? dice(addr, bigramSet(c.address)) : 0
    if (a >= 0.5) {
      score += 0.4 * a
      reasons.push('address')
    }
    const d = dice(text, bigramSet(c.description))
    if (d >= 0.25) {
      score += 0.4 * d
      reasons.push('text')
    }
    if (!reasons.some((r) => r !== 'category') || score < 0.3) continue
    out.push({ row: toTicketRow(c, nowMs), score: Math.round(score * 1000) / 1000, reasons })
  }
  return out
    .sort((x, y) => y.score - x.score || (y.row.createdAt < x.row.createdAt ? -1 : 1))
    .slice(0, args.limit)
}
