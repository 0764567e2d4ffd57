// Group commit's fast path (issue 18): a push batch's mutations run against the batch's tickets,
// read and locked in one statement, and their writes — tickets, timeline events, change-log
// rows, chains, results and the console's lastMutationId — are held in memory and sent at the
// end of the batch as multi-row statements: a handful of round trips a batch instead of four or
// five a mutation. A mutation the rules refuse writes only its result; one that throws is
// dropped before anything of it is written. When the database fails the batch's writes (a
// trigger, a constraint, a race on a new ticket) the caller undoes the whole transaction and
// applies the batch again the slow way, a savepoint a mutation, so that one rolls back alone.
import type Database from 'better-sqlite3'
import { sql, type Transaction } from 'kysely'
import { writePostgres, writeSqlite, type BatchRows } from './batch-sql'
import { chainOf } from '../../shared/assignments'
import type { Ticket, TimelineEvent } from '../../shared/ticket'
import type { Engine } from './dsl'
import { isTemporary } from './db'
import type { MutationTx, StoredResult } from './mutation'
import {
  assignmentRows,
  eventRow,
  parseTicket,
  resultRows,
  ticketRow,
  ticketUnits,
  unitsKey,
} from './rows'
import type { DB, TicketAssignmentsTable, TicketsTable, TimelineEventsTable } from './types'

/** What a mutation reads and writes through: the slow path's MutationTx or a BatchWriter. */
export interface MutationWrites {
  ticket(id: string, lock: boolean): Promise<Ticket | null>
  nextTicketNumber(day: string): Promise<string>
  saveTicket(before: Ticket | null, after: Ticket, event: TimelineEvent): Promise<void>
  saveResult(r: StoredResult): Promise<void>
}

/** Tickets as their stored JSON (null: there is none), by id. */
export type Prefetch = Map<string, string | null>

/** What a batch will touch, known before it runs: PostgreSQL reads and locks it up front. */
export interface BatchPrelude {
  clientIds: string[]
  ticketIds: string[]
}

/** The consoles' lastMutationIds (a console not in it has no row yet), by console. */
export type ClientLasts = Map<string, number>

/** A console's lastMutationId after the batch, and the seq of its last mutation. */
export interface ClientUpdate {
  clientId: string
  userId: string
  last: number
  lastSeq: number
}

/** PostgreSQL: the batch's seqs, the consoles' rows and the tickets, in one round trip (0016). */
export async function beginBatch(tx: Transaction<DB>, n: number, prelude: BatchPrelude) {
  const ids = [...new Set(prelude.ticketIds)]
  const r = await sql<{
    o_seqs: string[]
    o_xid: number
    o_clients: string[] | null
    o_lasts: string[] | null
    o_ids: string[] | null
    o_data: string[] | null
  }>`select o_seqs::text[] as o_seqs, o_xid, o_clients, o_lasts::text[] as o_lasts, o_ids, o_data
       from batch_begin(${n}::integer, ${[...new Set(prelude.clientIds)]}::text[],
         ${ids}::text[])`.execute(tx)
  const row = r.rows[0]!
  const tickets: Prefetch = new Map(ids.map((id) => [id, null]))
  for (const [i, id] of (row.o_ids ?? []).entries()) tickets.set(id, row.o_data![i]!)
  const clients: ClientLasts = new Map()
  for (const [i, id] of (row.o_clients ?? []).entries()) clients.set(id, Number(row.o_lasts![i]))
  return { seqs: row.o_seqs.map(Number), xid: Number(row.o_xid), clients, tickets }
}

/** Thrown when the fast path cannot finish a batch: the caller applies it the slow way. */
export class BatchFallback extends Error {
  constructor(readonly reason: unknown) {
    super('group commit: the batch goes the slow way')
  }

  /**
   * `e` as the fast path passes it on: a temporary failure (the push answers 503) or a deadlock
   * or serialization failure (the store retries the batch) as it is, anything else as a
   * fallback to the slow way.
   */
  static unless(e: unknown): unknown {
    const code = (e as { code?: string }).code
    if (e instanceof BatchFallback || isTemporary(e) || code === '40001' || code === '40P01')
      return e
    return new BatchFallback(e)
  }
}

interface ChangeRow {
  seq: number
  kind: 'ticket' | 'result'
  ticket_id: string | null
  client_id: string | null
  audience: string | null
  xid: number | null
  at: string
}

interface ResultRow {
  client_id: string
  mutation_id: number
  key: string | null
  name: string
  status: 'ok' | 'rejected'
  code: string | null
  message: string | null
  seq: number
  at: string
}

/** One mutation's writes, kept apart until it is done. */
interface Pending {
  tickets: Array<{ row: TicketsTable; chainChanged: boolean }>
  events: TimelineEventsTable[]
  changes: ChangeRow[]
  results: ResultRow[]
}

const empty = (): Pending => ({ tickets: [], events: [], changes: [], results: [] })

export class BatchWriter implements MutationWrites {
  /** Tickets as their stored JSON (null: none), as of the mutations applied so far. */
  private readonly cache = new Map<string, string | null>()
  private pending: Pending = empty()
  private readonly done: Pending = empty()
  private seq = 0

  constructor(
    private readonly m: MutationTx,
    private readonly tx: Transaction<DB>,
    private readonly engine: Engine,
    private readonly xid: number | null,
    private readonly at: string,
    prefetched: Prefetch | null,
    /** SQLite: statements kept prepared (db.ts), for the batch's writes. */
    private readonly prepare: ((text: string) => Database.Statement) | null,
  ) {
    if (prefetched) for (const [id, data] of prefetched) this.cache.set(id, data)
  }

  /** Reads (and on PostgreSQL locks, in id order) the batch's tickets in one statement. */
  async prefetch(ids: Iterable<string>): Promise<void> {
    const want = [...new Set(ids)].filter((id) => !this.cache.has(id))
    if (!want.length) return
    const rows =
      this.engine === 'postgres'
        ? (
            await sql<{ id: string; data: string }>`
              select id, data from tickets where id = any(${want}::text[]) order by id for update`.execute(
              this.tx,
            )
          ).rows
        : await this.tx
            .selectFrom('tickets')
            .select(['id', 'data'])
            .where('id', 'in', want)
            .execute()
    for (const id of want) this.cache.set(id, null)
    for (const r of rows) this.cache.set(r.id, r.data)
  }

  /** The next mutation writes under `seq`. */
  begin(seq: number): void {
    this.pending = empty()
    this.seq = seq
    if (seq > this.m.maxSeq) this.m.maxSeq = seq
  }

  /** The mutation is done: its writes join the batch's, its tickets the cache. */
  commit(): void {
    const p = this.pending
    for (const t of p.tickets) this.cache.set(t.row.id, t.row.data)
    this.done.tickets.push(...p.tickets)
    this.done.events.push(...p.events)
    this.done.changes.push(...p.changes)
    this.done.results.push(...p.results)
    this.pending = empty()
  }

  /** The mutation failed before it was done: nothing of it is kept. */
  discard(): void {
    this.pending = empty()
  }

  async ticket(id: string, lock: boolean): Promise<Ticket | null> {
    if (!this.cache.has(id)) await this.prefetch([id])
    void lock // every ticket the batch reads is locked (PostgreSQL)
    const data = this.cache.get(id)
    return data == null ? null : parseTicket({ data })
  }

  /** SQLite only (PostgreSQL reserves numbers before the transaction): written at once. */
  nextTicketNumber(day: string): Promise<string> {
    return this.m.nextTicketNumber(day)
  }

  saveTicket(before: Ticket | null, after: Ticket, event: TimelineEvent): Promise<void> {
    const chainChanged = before
      ? JSON.stringify(chainOf(before)) !== JSON.stringify(chainOf(after))
      : assignmentRows(after).length > 0
    this.pending.tickets.push({ row: ticketRow(after, this.seq), chainChanged })
    this.pending.events.push(eventRow(event, this.seq))
    this.pending.changes.push({
      seq: this.seq,
      kind: 'ticket',
      ticket_id: after.id,
      client_id: null,
      // Units before and after: a unit that loses the ticket must hear of it too.
      audience: unitsKey([...ticketUnits(before), ...ticketUnits(after)]),
      xid: this.xid,
      at: this.at,
    })
    return Promise.resolve()
  }

  saveResult(r: StoredResult): Promise<void> {
    const { result, change } = resultRows(r, this.seq, this.at, this.xid)
    this.pending.results.push(result)
    this.pending.changes.push(change)
    return Promise.resolve()
  }

  /**
   * Sends the batch's writes and the consoles' lastMutationIds, as statements prepared once
   * (batch-sql.ts): on PostgreSQL one statement of data-modifying CTEs, one round trip.
   */
  async finish(clients: ClientUpdate[]): Promise<void> {
    const d = this.done
    // A ticket changed twice in the batch is written once, as it ends.
    const finalRows = new Map<string, TicketsTable>()
    const chains = new Set<string>()
    for (const t of d.tickets) {
      finalRows.set(t.row.id, t.row)
      if (t.chainChanged) chains.add(t.row.id)
    }
    const assignments: TicketAssignmentsTable[] = []
    for (const id of chains) assignments.push(...assignmentRows(parseTicket(finalRows.get(id)!)))
    if (d.changes.length) this.m.changed = true
    const rows: BatchRows = {
      tickets: [...finalRows.values()],
      events: d.events,
      changes: d.changes,
      results: d.results,
      chains: [...chains],
      assignments,
      clients: clients.map((c) => ({
        client_id: c.clientId,
        user_id: c.userId,
        last_mutation_id: c.last,
        last_seq: c.lastSeq,
        updated_at: this.at,
      })),
    }
    if (this.engine === 'postgres') await writePostgres(this.tx, rows)
    else writeSqlite(this.prepare!, rows)
  }
}
