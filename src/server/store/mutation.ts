// What one mutation may do inside its transaction: every write of a push goes through here, so
// the effect, the timeline event, the change-log row and the console's lastMutationId commit
// together or not at all.
import type Database from 'better-sqlite3'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { Localized } from '../../shared/validation'
import type { Ticket, TimelineEvent } from '../../shared/ticket'
import type { Engine } from './dsl'
import { chainOf } from '../../shared/assignments'
import {
  assignmentRows,
  eventRow,
  parseTicket,
  resultRows,
  ticketRow,
  ticketUnits,
  unitsKey,
} from './rows'
import type { DB } from './types'
import { BatchWriter, type Prefetch } from './batch'

/**
 * A new change-log seq, taken first thing in the transaction. On PostgreSQL the transaction id
 * is fixed in the same step, which pulls rely on (see changes.ts).
 */
export async function allocateSeq(
  tx: Kysely<DB>,
  engine: Engine,
): Promise<{ seq: number; xid: number | null }> {
  if (engine === 'postgres') {
    const r = await sql<{
      seq: number
      xid: number
    }>`select seq, xid from next_change_seq()`.execute(tx)
    const row = r.rows[0]!
    return { seq: Number(row.seq), xid: Number(row.xid) }
  }
  const r = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'change_seq')
    .returning('value')
    .executeTakeFirstOrThrow()
  return { seq: Number(r.value), xid: null }
}

/**
 * `n` change-log seqs, rising, for a batch of mutations in one transaction (migration 0015),
 * taken first thing in it like a single mutation's.
 */
export async function allocateSeqs(
  tx: Kysely<DB>,
  engine: Engine,
  n: number,
): Promise<{ seqs: number[]; xid: number | null }> {
  if (engine === 'postgres') {
    const r = await sql<{
      seqs: string[]
      xid: number
    }>`select seqs::text[] as seqs, xid from next_change_seqs(${n}::integer)`.execute(tx)
    const row = r.rows[0]!
    return { seqs: row.seqs.map(Number), xid: Number(row.xid) }
  }
  const r = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', n) }))
    .where('name', '=', 'change_seq')
    .returning('value')
    .executeTakeFirstOrThrow()
  const last = Number(r.value)
  return { seqs: Array.from({ length: n }, (_, i) => last - n + 1 + i), xid: null }
}

export interface StoredResult {
  clientId: string
  id: number
  key: string | null
  name: string
  status: 'ok' | 'rejected'
  code: string | null
  message: Localized | null
}

/** What a mutation will touch, known before it runs: PostgreSQL reads and locks both up front. */
export interface MutationPrelude {
  clientId: string
  ticketId: string | null
}

/** The seq, and (PostgreSQL, with a prelude) the console's and the ticket's rows, locked. */
export async function beginMutation(
  tx: Kysely<DB>,
  engine: Engine,
  prelude: MutationPrelude | undefined,
): Promise<{ seq: number; xid: number | null; prefetched: Prefetched | null }> {
  if (engine !== 'postgres' || !prelude)
    return { ...(await allocateSeq(tx, engine)), prefetched: null }
  const r = await sql<{
    o_seq: number
    o_xid: number
    o_last: number | null
    o_ticket: string | null
  }>`
    select * from mutation_begin(${prelude.clientId}, ${prelude.ticketId})`.execute(tx)
  const row = r.rows[0]!
  return {
    seq: Number(row.o_seq),
    xid: Number(row.o_xid),
    prefetched: {
      clientId: prelude.clientId,
      last: row.o_last == null ? null : Number(row.o_last),
      ticketId: prelude.ticketId,
      ticket: row.o_ticket,
    },
  }
}

export interface Prefetched {
  clientId: string
  last: number | null
  ticketId: string | null
  ticket: string | null
}

interface Staged {
  row: ReturnType<typeof ticketRow>
  event: ReturnType<typeof eventRow>
  change: {
    seq: number
    kind: 'ticket'
    ticket_id: string
    client_id: null
    audience: string
    xid: number | null
    at: string
  }
}

export class MutationTx {
  /** Whether anything was written that consoles must hear about. */
  changed = false
  /** PostgreSQL: a ticket's writes, sent with the next write in one statement (or by flush). */
  private staged: Staged | null = null
  /** The highest seq written under (a batch writes under several). */
  maxSeq: number
  /** A batch's savepoint is open (mutateBatch). */
  private savepointOpen = false

  constructor(
    private readonly tx: Transaction<DB>,
    private readonly engine: Engine,
    private currentSeq: number,
    private readonly xid: number | null,
    readonly at: string,
    private readonly prefetched: Prefetched | null = null,
    /** SQLite: statements kept prepared (db.ts), for a batch's writes. */
    private readonly prepare: ((text: string) => Database.Statement) | null = null,
  ) {
    this.maxSeq = currentSeq
  }

  /** A batch's fast path (batch.ts), in this transaction. */
  batch(tickets: Prefetch | null): BatchWriter {
    return new BatchWriter(this, this.tx, this.engine, this.xid, this.at, tickets, this.prepare)
  }

  /** The seq this mutation's writes go under. */
  get seq(): number {
    return this.currentSeq
  }

  /** In a batch: the next mutation writes under `seq` (one of the batch's, rising). */
  async useSeq(seq: number): Promise<void> {
    await this.flush()
    this.currentSeq = seq
    if (seq > this.maxSeq) this.maxSeq = seq
  }

  /**
   * In a batch: a savepoint before the next mutation, so that one can roll back alone. The
   * previous one is released in the same round trip (PostgreSQL runs both as one simple query).
   */
  async savepoint(): Promise<void> {
    await this.flush()
    if (this.engine === 'postgres')
      await sql
        .raw(this.savepointOpen ? 'release savepoint m; savepoint m' : 'savepoint m')
        .execute(this.tx)
    else {
      if (this.savepointOpen) await sql`release savepoint m`.execute(this.tx)
      await sql`savepoint m`.execute(this.tx)
    }
    this.savepointOpen = true
  }

  /** In a batch: undoes everything since the last savepoint, staged writes included. */
  async rollbackToSavepoint(): Promise<void> {
    this.staged = null
    await sql`rollback to savepoint m`.execute(this.tx)
  }

  /**
   * The console's lastMutationId, its row locked until commit. A console never seen starts from
   * the row an older server filed the same console under (`legacy.id`, sync/console-key.ts) if
   * its id is at most `legacy.maxFloor` (a higher one is what an attack left), else from 0.
   */
  async lockClient(
    clientId: string,
    userId: string,
    legacy?: { id: string; maxFloor: number },
  ): Promise<number> {
    const read = () => {
      let q = this.tx
        .selectFrom('clients')
        .select('last_mutation_id')
        .where('client_id', '=', clientId)
      if (this.engine === 'postgres') q = q.forUpdate()
      return q.executeTakeFirst()
    }
    // A known console costs one round trip (none with a prelude); a new one is inserted first.
    const pre = this.prefetched
    if (pre && pre.clientId === clientId && pre.last != null) return pre.last
    const known = await read()
    if (known) return Number(known.last_mutation_id)
    const old = legacy
      ? await this.tx
          .selectFrom('clients')
          .select('last_mutation_id')
          .where('client_id', '=', legacy.id)
          .executeTakeFirst()
      : undefined
    const oldLast = old ? Number(old.last_mutation_id) : 0
    const floor = legacy && oldLast <= legacy.maxFloor ? oldLast : 0
    await this.tx
      .insertInto('clients')
      .values({
        client_id: clientId,
        user_id: userId,
        last_mutation_id: floor,
        updated_at: this.at,
      })
      .onConflict((oc) => oc.column('client_id').doNothing())
      .execute()
    const r = await read()
    return Number(r!.last_mutation_id)
  }

  async setLastMutationId(clientId: string, userId: string, id: number): Promise<void> {
    const update = (db: Kysely<DB>) =>
      db
        .updateTable('clients')
        .set({ last_mutation_id: id, last_seq: this.seq, user_id: userId, updated_at: this.at })
        .where('client_id', '=', clientId)
    const staged = this.staged
    this.staged = null
    if (!staged) {
      await update(this.tx).execute()
      return
    }
    // PostgreSQL runs data-modifying CTEs together: the ticket, its event, the change-log row
    // and the console's lastMutationId in one statement, one round trip.
    const { id: _id, ...rest } = staged.row
    await this.tx
      .with('t', (db) =>
        db
          .insertInto('tickets')
          .values(staged.row)
          .onConflict((oc) => oc.column('id').doUpdateSet(rest)),
      )
      .with('e', (db) => db.insertInto('timeline_events').values(staged.event))
      .with('c', (db) => db.insertInto('change_log').values(staged.change))
      .updateTable('clients')
      .set({ last_mutation_id: id, last_seq: this.seq, user_id: userId, updated_at: this.at })
      .where('client_id', '=', clientId)
      .execute()
  }

  /** Sends writes still staged (the store calls it before commit). */
  async flush(): Promise<void> {
    const staged = this.staged
    this.staged = null
    if (!staged) return
    const { id: _id, ...rest } = staged.row
    await this.tx
      .with('t', (db) =>
        db
          .insertInto('tickets')
          .values(staged.row)
          .onConflict((oc) => oc.column('id').doUpdateSet(rest)),
      )
      .with('e', (db) => db.insertInto('timeline_events').values(staged.event))
      .insertInto('change_log')
      .values(staged.change)
      .execute()
  }

  /**
   * Records that a daily job did `item` on `day`, with the item's effect: false when it was done
   * already (by this run before a restart, or by another process), and then nothing is written.
   */
  async claimJobItem(job: string, day: string, item: string): Promise<boolean> {
    await this.flush()
    const r = await this.tx
      .insertInto('job_items')
      .values({ job, day, item, at: this.at })
      .onConflict((oc) => oc.columns(['job', 'day', 'item']).doNothing())
      .returning('item')
      .executeTakeFirst()
    return r != null
  }

  async ticket(id: string, lock: boolean): Promise<Ticket | null> {
    const pre = this.prefetched
    if (lock && pre && pre.ticketId === id)
      return pre.ticket ? parseTicket({ data: pre.ticket }) : null
    let q = this.tx.selectFrom('tickets').select('data').where('id', '=', id)
    if (lock && this.engine === 'postgres') q = q.forUpdate()
    const r = await q.executeTakeFirst()
    return r ? parseTicket(r) : null
  }

  /** Next human-readable number of the (local) day `yyyymmdd`: the day and 6 digits. */
  async nextTicketNumber(day: string): Promise<string> {
    const r = await this.tx
      .insertInto('ticket_numbers')
      .values({ day, last: 1 })
      .onConflict((oc) =>
        oc.column('day').doUpdateSet((eb) => ({ last: eb('ticket_numbers.last', '+', 1) })),
      )
      .returning('last')
      .executeTakeFirstOrThrow()
    return `${day}${String(r.last).padStart(6, '0')}`
  }

  /** The new state of a ticket, the event that made it, and the change-log row, at this seq. */
  async saveTicket(before: Ticket | null, after: Ticket, event: TimelineEvent): Promise<void> {
    await this.saveChain(before, after)
    const row = ticketRow(after, this.seq)
    const { id: _id, ...rest } = row
    const change = {
      seq: this.seq,
      kind: 'ticket' as const,
      ticket_id: after.id,
      client_id: null,
      // Units before and after: a unit that loses the ticket must hear of it too.
      audience: unitsKey([...ticketUnits(before), ...ticketUnits(after)]),
      xid: this.xid,
      at: this.at,
    }
    if (this.engine === 'postgres') {
      // Staged: sent with lastMutationId in one statement (setLastMutationId), or by flush().
      await this.flush()
      this.staged = { row, event: eventRow(event, this.seq), change }
    } else {
      await this.tx
        .insertInto('tickets')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet(rest))
        .execute()
      await this.tx.insertInto('timeline_events').values(eventRow(event, this.seq)).execute()
      await this.tx.insertInto('change_log').values(change).execute()
    }
    this.changed = true
  }

  /** The chain's rows (ticket_assignments), rewritten only when an action changed the chain. */
  private async saveChain(before: Ticket | null, after: Ticket): Promise<void> {
    const rows = assignmentRows(after)
    if (before && JSON.stringify(chainOf(before)) === JSON.stringify(chainOf(after))) return
    if (!before && rows.length === 0) return
    await this.flush()
    if (before)
      await this.tx.deleteFrom('ticket_assignments').where('ticket_id', '=', after.id).execute()
    if (rows.length) await this.tx.insertInto('ticket_assignments').values(rows).execute()
  }

  async saveResult(r: StoredResult): Promise<void> {
    await this.flush()
    const { result, change } = resultRows(r, this.seq, this.at, this.xid)
    await this.tx.insertInto('mutation_results').values(result).execute()
    await this.tx.insertInto('change_log').values(change).execute()
    this.changed = true
  }
}
