// First sync: the tickets a console should hold, in pages, open ones first and then recently
// closed ones, newest first, as of now; and the change-log seq the console continues pulling
// from afterwards. A ticket that changes while the pages are read comes again in a later pull,
// so nothing is missed; older closed tickets are fetched on demand (search, ticket by id).
import { sql, type Kysely } from 'kysely'
import { OPEN_STATUSES } from '../../shared/ticket'
import { settledSeq } from './changes'
import { withUnit, type Engine } from './dsl'
import type { DB } from './types'

export interface SnapshotQuery {
  /** Seq of a snapshot already started (from its first page); absent on the first page. */
  seq: number | null
  /** Opaque position after the previous page. */
  after: string | null
  limit: number
  /** Closed tickets updated within this many days come after the open ones. */
  recentDays: number
  unit: string | null
  nowMs: number
}

/**
 * A row's stored JSON: on SQLite its UTF-8 bytes as stored (read as a blob), on PostgreSQL its
 * text. A first sync moves hundreds of megabytes: decoding each row into a JavaScript string only
 * to encode the page back into UTF-8 bytes cost the server seconds of a 100,000-ticket sync.
 */
export type JsonRow = string | Buffer

/**
 * One page, its tickets and events as the JSON stored for them: parsing each row only to
 * serialize it again would cost the server more than reading it (the route splices the rows into
 * the response as they are).
 */
export interface SnapshotPage {
  seq: number
  /** Tickets in the whole snapshot (first page only). */
  total: number | null
  /**
   * Of those, the open ones, which come first (first page only): once they are in, the console
   * has all its work and is usable; the recently closed ones follow in the background.
   */
  open: number | null
  /** Each a Ticket as JSON. */
  tickets: JsonRow[]
  /** Each a TimelineEvent as JSON, by ticket then version. */
  events: JsonRow[]
  next: string | null
}

const COMMA = Buffer.from(',')

/** `rows` as the elements of a JSON array, into `parts`. */
function spliceRows(parts: Buffer[], rows: readonly JsonRow[]): void {
  rows.forEach((r, i) => {
    if (i > 0) parts.push(COMMA)
    parts.push(typeof r === 'string' ? Buffer.from(r) : r)
  })
}

/**
 * The page as the UTF-8 body of a `SnapshotResponse`, without parsing its rows; `maxLimit` is
 * told on the first page.
 */
export function snapshotJson(p: SnapshotPage, maxLimit: number): Buffer {
  const parts = [
    Buffer.from(
      `{"seq":${p.seq},"total":${JSON.stringify(p.total)},"open":${JSON.stringify(p.open)},` +
        (p.total != null ? `"maxLimit":${maxLimit},` : '') +
        `"tickets":[`,
    ),
  ]
  spliceRows(parts, p.tickets)
  parts.push(Buffer.from('],"events":['))
  spliceRows(parts, p.events)
  parts.push(Buffer.from(`],"next":${JSON.stringify(p.next)}}`))
  return Buffer.concat(parts)
}

/** SQLite hands a text column over as its bytes when asked for a blob. */
const dataOf = (engine: Engine) =>
  engine === 'sqlite' ? sql<JsonRow>`cast(data as blob)`.as('data') : sql<JsonRow>`data`.as('data')

interface Position {
  /** 0: open tickets; 1: recently closed ones. */
  phase: 0 | 1
  updatedAt: string
  id: string
}

const encode = (p: Position) => Buffer.from(JSON.stringify(p)).toString('base64url')
function decode(token: string | null): Position | null {
  if (!token) return null
  try {
    const p = JSON.parse(Buffer.from(token, 'base64url').toString()) as Position
    if (
      (p.phase === 0 || p.phase === 1) &&
      typeof p.updatedAt === 'string' &&
      typeof p.id === 'string'
    )
      return p
  } catch {
    // fall through
  }
  throw new SnapshotTokenError()
}

export class SnapshotTokenError extends Error {
  constructor() {
    super('not a snapshot position this server made')
  }
}

// As literals, so that the open phase can use the partial index of migration 7 (which names the
// same list: a bound parameter would not match its condition).
const OPEN = sql.join(OPEN_STATUSES.map((s) => sql.lit(s)))
const isOpen = sql<boolean>`status in (${OPEN})`
const isClosed = sql<boolean>`status not in (${OPEN})`

export async function readSnapshot(
  db: Kysely<DB>,
  engine: Engine,
  q: SnapshotQuery,
): Promise<SnapshotPage> {
  const seq = q.seq ?? (await settledSeq(db, engine))
  const since = new Date(q.nowMs - q.recentDays * 86_400_000).toISOString()
  let pos = decode(q.after)

  const phaseQuery = (phase: 0 | 1, from: Position | null, limit: number) => {
    if (engine === 'postgres' && q.unit != null)
      return unitPhase(db, q.unit, phase, since, from, limit)
    let b = db.selectFrom('tickets').select(['id', dataOf(engine), 'updated_at'])
    b = b.where(phase === 0 ? isOpen : isClosed)
    if (phase === 1) b = b.where('updated_at', '>=', since)
    if (q.unit != null) b = b.where(withUnit(engine, 'units', q.unit))
    // A row-value comparison: one index range in the index's own order (an OR of the two
    // cases made both engines read and sort everything below the position, on every page).
    if (from) b = b.where(sql<boolean>`(updated_at, id) < (${from.updatedAt}, ${from.id})`)
    return b.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(limit).execute()
  }

  const rows: Array<{ id: string; data: JsonRow; updated_at: string; phase: 0 | 1 }> = []
  for (const phase of [0, 1] as const) {
    if (pos && pos.phase > phase) continue
    const want = q.limit + 1 - rows.length
    if (want <= 0) break
    const from = pos && pos.phase === phase ? pos : null
    for (const r of await phaseQuery(phase, from, want)) rows.push({ ...r, phase })
    pos = null
  }
  const more = rows.length > q.limit
  const page = rows.slice(0, q.limit)
  const last = page[page.length - 1]
  const next =
    more && last ? encode({ phase: last.phase, updatedAt: last.updated_at, id: last.id }) : null

  const ids = page.map((r) => r.id)
  const events = ids.length
    ? (
        await db
          .selectFrom('timeline_events')
          .select(dataOf(engine))
          .where('ticket_id', 'in', ids)
          .orderBy('ticket_id')
          .orderBy('version')
          .execute()
      ).map((r) => r.data)
    : []

  let total: number | null = null
  let open: number | null = null
  if (q.after == null) {
    const count = (phase: 0 | 1) => {
      if (engine === 'postgres' && q.unit != null) return unitCount(db, q.unit, phase, since)
      // The dispatcher's recently closed tickets (millions in a megacity): the planner's
      // estimate when it is large, the count only shows progress (the open count is exact).
      if (engine === 'postgres' && phase === 1) return closedCount(db, since)
      let b = db.selectFrom('tickets').select(sql<number>`count(*)`.as('n'))
      b = phase === 0 ? b.where(isOpen) : b.where(isClosed).where('updated_at', '>=', since)
      if (q.unit != null) b = b.where(withUnit(engine, 'units', q.unit))
      return b.executeTakeFirstOrThrow().then((r) => Number(r.n))
    }
    open = await count(0)
    total = open + (await count(1))
  }

  return { seq, total, open, tickets: page.map((r) => r.data), events, next }
}

/**
 * PostgreSQL: a unit's tickets of one phase, newest first, from `ticket_units` (migration 17):
 * one index range of the unit's own rows, where the substring test walked every unit's.
 */
const unitPhase = (
  db: Kysely<DB>,
  unit: string,
  phase: 0 | 1,
  since: string,
  from: Position | null,
  limit: number,
) =>
  sql<{ id: string; data: string; updated_at: string }>`
    select t.id, t.data, t.updated_at from ticket_units u join tickets t on t.id = u.ticket_id
    where u.unit = ${unit} and u.open = ${phase === 0}
      ${phase === 1 ? sql`and u.updated_at >= ${since}` : sql``}
      ${from ? sql`and (u.updated_at, u.ticket_id) < (${from.updatedAt}, ${from.id})` : sql``}
    order by u.updated_at desc, u.ticket_id desc limit ${limit}`
    .execute(db)
    .then((r) => r.rows)

const unitCount = (db: Kysely<DB>, unit: string, phase: 0 | 1, since: string) =>
  sql<{ n: string }>`
    select count(*) as n from ticket_units where unit = ${unit} and open = ${phase === 0}
      ${phase === 1 ? sql`and updated_at >= ${since}` : sql``}`
    .execute(db)
    .then((r) => Number(r.rows[0]!.n))

/** Above this many (as the planner estimates), recently closed tickets are not counted. */
export const CLOSED_COUNT_CAP = 50_000

async function closedCount(db: Kysely<DB>, since: string): Promise<number> {
  const where = sql`status not in (${OPEN}) and updated_at >= ${since}`
  const plan = await sql<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>`
    explain (format json) select 1 from tickets where ${where}`.execute(db)
  const estimate = Math.round(plan.rows[0]!['QUERY PLAN'][0]!.Plan['Plan Rows'])
  if (estimate > CLOSED_COUNT_CAP) return estimate
  const r = await sql<{ n: string }>`select count(*) as n from tickets where ${where}`.execute(db)
  return Number(r.rows[0]!.n)
}
