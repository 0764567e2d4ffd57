// Ticket search for GET /api/v1/tickets/search: substring match over number, caller phone, caller
// name, address and description (one line each in `ticket_search.body`, see migration 0003),
// newest first (by `sid`, the order the server first stored the tickets), scoped to a unit when
// the searcher is unit staff.
//
// How each query runs, at a million tickets:
// - SQLite, 3+ characters: FTS5 trigram MATCH on the phrase, read in descending rowid order and
//   stopped at the page size — no sort, however common the text (镇江市 matches every address).
// - SQLite, 1–2 characters: trigrams cannot answer these, so the narrow search table is read
//   backwards by its integer key with a LIKE test, stopping at the page size. A common text (噪音,
//   路灯) is found in the newest few thousand rows; a rare one reads the whole narrow table.
// - PostgreSQL: first the newest WINDOW rows are scanned; if they hold a full page, that page is
//   the answer (every older match is older than all of them). Otherwise 3+ characters go through
//   the pg_trgm GIN index (few matches overall, since few were recent) and 1–2 characters scan
//   backwards as on SQLite. Without pg_trgm (no right to install it) the scan serves all lengths.
// A line break is the field separator and never part of a query, so no match spans two fields.
import { sql, type Kysely } from 'kysely'
import type { Ticket } from '../../shared/ticket'
import { withUnit, type Engine } from './dsl'
import { parseTicket } from './rows'
import type { DB } from './types'

export interface SearchQuery {
  /** The text to find; control characters are removed by the route. */
  q: string
  limit: number
  /** Unit staff find only tickets with their unit; null for everyone else. */
  unit: string | null
}

/** Newest search rows PostgreSQL scans before it turns to the index. */
const WINDOW = 20_000

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`

export class TicketSearch {
  private trgm: Promise<boolean> | null = null

  constructor(
    private readonly db: Kysely<DB>,
    private readonly engine: Engine,
  ) {}

  /** PostgreSQL: whether the trigram index exists (migration 0003 makes it when it can). */
  private hasTrgmIndex(): Promise<boolean> {
    this.trgm ??= sql<{ n: number }>`
      select count(*)::int as n from pg_indexes where indexname = 'ticket_search_body_trgm'`
      .execute(this.db)
      .then((r) => (r.rows[0]?.n ?? 0) > 0)
    return this.trgm
  }

  async search(q: SearchQuery): Promise<Ticket[]> {
    const text = q.q
    if (!text) return []
    const short = [...text].length < 3
    if (this.engine === 'sqlite') return short ? this.sqliteScan(q) : this.sqliteFts(q)
    const recent = await this.postgres(q, 'window')
    if (recent.length >= q.limit) return recent
    const indexed = !short && (await this.hasTrgmIndex())
    return this.postgres(q, indexed ? 'index' : 'scan')
  }

  private scope(unit: string | null) {
    return unit == null ? sql`` : sql`and ${withUnit(this.engine, 't.units', unit)}`
  }

  private async sqliteFts(q: SearchQuery): Promise<Ticket[]> {
    const phrase = `"${q.q.replace(/"/g, '""')}"`
    const r = await sql<{ data: string }>`
      select t.data from ticket_search_fts f
        join ticket_search s on s.sid = f.rowid
        join tickets t on t.id = s.ticket_id
      where ticket_search_fts match ${phrase} ${this.scope(q.unit)}
      order by f.rowid desc limit ${q.limit}`.execute(this.db)
    return r.rows.map(parseTicket)
  }

  private async sqliteScan(q: SearchQuery): Promise<Ticket[]> {
    const r = await sql<{ data: string }>`
      select t.data from ticket_search s
        join tickets t on t.id = s.ticket_id
      where s.body like ${likePattern(q.q)} escape '\\' ${this.scope(q.unit)}
      order by s.sid desc limit ${q.limit}`.execute(this.db)
    return r.rows.map(parseTicket)
  }

  private async postgres(q: SearchQuery, how: 'window' | 'index' | 'scan'): Promise<Ticket[]> {
    const match =
      how === 'index'
        ? sql`s.body ilike ${likePattern(q.q)}`
        : sql`strpos(lower(s.body), lower(${q.q})) > 0`
    const window =
      how === 'window'
        ? sql`and s.sid > (select coalesce(max(sid), 0) from ticket_search) - ${WINDOW}`
        : sql``
    const r = await sql<{ data: string }>`
      select t.data from ticket_search s
        join tickets t on t.id = s.ticket_id
      where ${match} ${window} ${this.scope(q.unit)}
      order by s.sid desc limit ${q.limit}`.execute(this.db)
    return r.rows.map(parseTicket)
  }
}
