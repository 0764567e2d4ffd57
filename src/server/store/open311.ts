// Reads the Open311 GeoReport API needs: service requests (tickets) by public number or by
// filters, the events that explain a closed state, and when the reference data last changed.
// Writes go through MutationTx like every other ticket change.
import type { Kysely } from 'kysely'
import type { Status, Ticket, TimelineEvent } from '../../shared/ticket'
import { containsText, type Engine } from './dsl'
import { parseEvent, parseTicket } from './rows'
import type { DB } from './types'

export interface Open311Query {
  /** Ticket numbers; when given, every other filter is ignored (as the spec says). */
  numbers: string[] | null
  categories: string[] | null
  statuses: Status[] | null
  /** Creation time range, ISO UTC, inclusive. */
  from: string
  to: string
  limit: number
}

export class Open311Reads {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly engine: Engine,
  ) {}

  /**
   * Numbered tickets matching the query that could be published, newest first: filed through
   * Open311 or marked publishable. Only candidates — the routes ask src/shared/publication.ts,
   * which decides; this keeps the other tickets from filling the list's limit.
   */
  async requests(q: Open311Query): Promise<Ticket[]> {
    let s = this.db
      .selectFrom('tickets')
      .select('data')
      .where('number', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('channel', '=', 'open311'),
          containsText(this.engine, 'data', '"publishable":true'),
        ]),
      )
    if (q.numbers) {
      if (q.numbers.length === 0) return []
      s = s.where('number', 'in', q.numbers)
    } else {
      if (q.categories) {
        if (q.categories.length === 0) return []
        s = s.where('category', 'in', q.categories)
      }
      if (q.statuses) {
        if (q.statuses.length === 0) return []
        s = s.where('status', 'in', q.statuses)
      }
      s = s.where('created_at', '>=', q.from).where('created_at', '<=', q.to)
    }
    const rows = await s
      .orderBy('created_at', 'desc')
      .orderBy('number', 'desc')
      .limit(q.limit)
      .execute()
    return rows.map(parseTicket)
  }

  async byNumber(number: string): Promise<Ticket | null> {
    const r = await this.db
      .selectFrom('tickets')
      .select('data')
      .where('number', '=', number)
      .executeTakeFirst()
    return r ? parseTicket(r) : null
  }

  /** For each ticket, its latest event of one of `types` (what merged or cancelled it). */
  async latestEvents(ticketIds: string[], types: string[]): Promise<Map<string, TimelineEvent>> {
    const out = new Map<string, TimelineEvent>()
    if (ticketIds.length === 0) return out
    const rows = await this.db
      .selectFrom('timeline_events')
      .select(['ticket_id', 'data'])
      .where('ticket_id', 'in', ticketIds)
      .where('type', 'in', types)
      .orderBy('version')
      .execute()
    for (const r of rows) out.set(r.ticket_id, parseEvent(r))
    return out
  }

  /** When the newest reference data (categories, hence services) was stored. */
  async referenceChangedAt(): Promise<string | null> {
    const r = await this.db
      .selectFrom('reference_data')
      .select('created_at')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst()
    return r?.created_at ?? null
  }
}
