// Loading many finished tickets at once (demo data): multi-row inserts in large transactions,
// one change-log row per ticket, all its events under that row's seq.
import { sql, type Kysely } from 'kysely'
import type { Ticket, TimelineEvent } from '../../shared/ticket'
import type { Engine } from './dsl'
import { assignmentRows, eventRow, ticketRow, unitsKey, ticketUnits } from './rows'
import type { DB } from './types'

export interface BulkTicket {
  ticket: Ticket
  events: TimelineEvent[]
}

const ROWS_PER_INSERT = 400

async function seqBlock(
  tx: Kysely<DB>,
  engine: Engine,
  n: number,
): Promise<{ first: number; xid: number | null }> {
  if (engine === 'postgres') {
    const r = await sql<{ seq: number; xid: number }>`
      select min(s) as seq, pg_current_xact_id()::text::bigint as xid
      from (select nextval('change_seq') as s from generate_series(1, ${n})) q`.execute(tx)
    return { first: Number(r.rows[0]!.seq), xid: Number(r.rows[0]!.xid) }
  }
  const r = await tx
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', n) }))
    .where('name', '=', 'change_seq')
    .returning('value')
    .executeTakeFirstOrThrow()
  return { first: Number(r.value) - n + 1, xid: null }
}

/** Inserts tickets with their timelines; `lastNumbers` continues each day's number sequence. */
export async function bulkInsert(
  db: Kysely<DB>,
  engine: Engine,
  items: BulkTicket[],
  lastNumbers: Map<string, number>,
): Promise<void> {
  await db.transaction().execute(async (tx) => {
    const { first, xid } = await seqBlock(tx, engine, items.length)
    const at = new Date().toISOString()
    for (let i = 0; i < items.length; i += ROWS_PER_INSERT) {
      const chunk = items.slice(i, i + ROWS_PER_INSERT)
      await tx
        .insertInto('tickets')
        .values(chunk.map((b, j) => ticketRow(b.ticket, first + i + j)))
        .execute()
      await tx
        .insertInto('change_log')
        .values(
          chunk.map((b, j) => ({
            seq: first + i + j,
            kind: 'ticket' as const,
            ticket_id: b.ticket.id,
            client_id: null,
            audience: unitsKey(ticketUnits(b.ticket)),
            xid,
            at,
          })),
        )
        .execute()
      const chains = chunk.flatMap((b) => assignmentRows(b.ticket))
      for (let k = 0; k < chains.length; k += ROWS_PER_INSERT)
        await tx
          .insertInto('ticket_assignments')
          .values(chains.slice(k, k + ROWS_PER_INSERT))
          .execute()
      const events = chunk.flatMap((b, j) => b.events.map((e) => eventRow(e, first + i + j)))
      for (let k = 0; k < events.length; k += ROWS_PER_INSERT)
        await tx
          .insertInto('timeline_events')
          .values(events.slice(k, k + ROWS_PER_INSERT))
          .execute()
    }
    for (const [day, last] of lastNumbers)
      await tx
        .insertInto('ticket_numbers')
        .values({ day, last })
        .onConflict((oc) => oc.column('day').doUpdateSet({ last }))
        .execute()
  })
}
