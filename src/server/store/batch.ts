// Group commit's fast path (issue 18): a push batch's mutations run against the batch's tickets,
// read and locked in one statement, and their writes — tickets, timeline events, change-log
// rows, chains, results and the console's lastMutationId — are held in memory and sent at the
// end of the batch as multi-row statements: a handful of round trips a batch instead of four or
// five a mutation. A mutation the rules refuse writes only its result; one that throws is
// dropped before anything of it is written. When the database fails the batch's writes (a
// trigger, a constraint, a race on a new ticket) the caller undoes the whole transaction and
// applies the batch again the slow way, a savepoint a mutation, so that one rolls back alone.
import { sql, type QueryCreator, type Transaction } from 'kysely'
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

/** Rows a statement may carry, under both engines' limits on bound parameters. */
const chunks = <T extends object>(rows: T[]): T[][] => {
  if (!rows.length) return []
  const per = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]!).length))
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += per) out.push(rows.slice(i, i + per))
  return out
}

interface Update {
  clientId: string
  set: { last_mutation_id: number; last_seq: number; user_id: string; updated_at: string }
}

/** Tickets inserted or, when there, replaced by their new state. */
const upsert = (db: QueryCreator<DB>, rows: TicketsTable[]) =>
  db
    .insertInto('tickets')
    .values(rows)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => {
        const set: Record<string, unknown> = {}
        for (const c of Object.keys(rows[0]!))
          if (c !== 'id') set[c] = eb.ref(`excluded.${c}` as never)
        return set as never
      }),
    )

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
   * Sends the batch's writes and the consoles' lastMutationIds: on PostgreSQL one statement of
   * data-modifying CTEs.
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
    const tickets = [...finalRows.values()]
    const assignments: TicketAssignmentsTable[] = []
    for (const id of chains) assignments.push(...assignmentRows(parseTicket(finalRows.get(id)!)))
    if (d.changes.length) this.m.changed = true
    const updates = clients.map((c) => ({
      clientId: c.clientId,
      set: {
        last_mutation_id: c.last,
        last_seq: c.lastSeq,
        user_id: c.userId,
        updated_at: this.at,
      },
    }))
    if (this.engine === 'postgres' && d.events.length + assignments.length <= 500)
      await this.writeTogether(tickets, chains, assignments, updates)
    else {
      await this.writeApart(tickets, chains, updates)
      for (const rows of chunks(assignments))
        await this.tx.insertInto('ticket_assignments').values(rows).execute()
    }
  }

  /** PostgreSQL runs data-modifying CTEs together: the batch's writes in one round trip. */
  private async writeTogether(
    tickets: TicketsTable[],
    chains: Set<string>,
    assignments: TicketAssignmentsTable[],
    updates: Update[],
  ): Promise<void> {
    const d = this.done
    let q = this.tx as unknown as QueryCreator<DB>
    let any = false
    const add = (name: string, fn: (db: QueryCreator<DB>) => unknown) => {
      q = q.with(name, fn as never) as unknown as QueryCreator<DB>
      any = true
    }
    if (tickets.length) add('t', (db) => upsert(db, tickets))
    if (d.events.length) add('e', (db) => db.insertInto('timeline_events').values(d.events))
    if (d.changes.length) add('c', (db) => db.insertInto('change_log').values(d.changes))
    if (d.results.length) add('r', (db) => db.insertInto('mutation_results').values(d.results))
    // A chain is rewritten as rows replaced and rows dropped: in one statement its delete and
    // its insert touch different rows (a delete then an insert of the same key would collide).
    if (chains.size) {
      const keep = assignments.map((a) => sql`(${a.ticket_id}, ${a.id})`)
      add('a', (db) => {
        const q = db.deleteFrom('ticket_assignments').where('ticket_id', 'in', [...chains])
        return keep.length ? q.where(sql<boolean>`(ticket_id, id) not in (${sql.join(keep)})`) : q
      })
    }
    if (assignments.length)
      add('ai', (db) =>
        db
          .insertInto('ticket_assignments')
          .values(assignments)
          .onConflict((oc) =>
            oc.columns(['ticket_id', 'id']).doUpdateSet((eb) => {
              const set: Record<string, unknown> = {}
              for (const c of Object.keys(assignments[0]!))
                if (c !== 'ticket_id' && c !== 'id') set[c] = eb.ref(`excluded.${c}` as never)
              return set as never
            }),
          ),
      )
    for (const [i, u] of updates.entries())
      add(`u${i}`, (db) => db.updateTable('clients').set(u.set).where('client_id', '=', u.clientId))
    if (any) await q.selectNoFrom(sql<number>`1`.as('x')).execute()
  }

  /** The same writes one statement a table (SQLite, or a batch too big for one statement). */
  private async writeApart(
    tickets: TicketsTable[],
    chains: Set<string>,
    updates: Update[],
  ): Promise<void> {
    const t = this.tx
    const d = this.done
    for (const rows of chunks(tickets)) await upsert(t, rows).execute()
    for (const rows of chunks(d.events))
      await t.insertInto('timeline_events').values(rows).execute()
    for (const rows of chunks(d.changes)) await t.insertInto('change_log').values(rows).execute()
    for (const rows of chunks(d.results))
      await t.insertInto('mutation_results').values(rows).execute()
    if (chains.size)
      await t
        .deleteFrom('ticket_assignments')
        .where('ticket_id', 'in', [...chains])
        .execute()
    for (const u of updates)
      await t.updateTable('clients').set(u.set).where('client_id', '=', u.clientId).execute()
  }
}
