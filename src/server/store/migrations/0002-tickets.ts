// Tickets, their timelines, the change log that sync pulls from, and the per-console state.
import { sql } from 'kysely'
import { createTable, type Engine } from '../dsl'
import type { Migration } from '../migrate'

/** Advisory-lock key for handing out change seqs on PostgreSQL (any fixed number will do). */
export const CHANGE_SEQ_LOCK = 7_212_345

export const migration: Migration = {
  version: 2,
  name: 'tickets',
  async up(db, engine: Engine) {
    await createTable(db, engine, {
      name: 'tickets',
      columns: {
        id: 'text pk',
        number: 'text null',
        channel: 'text',
        kind: 'text',
        category: 'text',
        urgency: 'text',
        status: 'text',
        unit: 'text null',
        // `|A|B|`: main unit and co-units, for scoping with a plain substring test.
        units: 'text',
        caller_phone: 'text null',
        address: 'text',
        district: 'text null',
        description: 'text',
        sign_by: 'time null',
        due_at: 'time null',
        completed_at: 'time null',
        needs_review: 'bool',
        created_at: 'time',
        updated_at: 'time',
        version: 'int',
        seq: 'bigint',
        // The whole Ticket as JSON: the columns above are copies for filtering and sorting.
        data: 'json',
      },
      indexes: [
        { columns: ['number'], unique: true },
        { columns: ['status', 'due_at'] },
        { columns: ['unit', 'status'] },
        { columns: ['created_at'] },
        { columns: ['caller_phone'] },
        { columns: ['seq'] },
      ],
    })
    await createTable(db, engine, {
      name: 'timeline_events',
      columns: {
        id: 'text pk',
        ticket_id: 'text',
        version: 'int',
        type: 'text',
        at: 'time',
        seq: 'bigint',
        data: 'json',
      },
      indexes: [{ columns: ['ticket_id', 'version'] }, { columns: ['seq'] }],
    })
    await createTable(db, engine, {
      name: 'change_log',
      columns: {
        seq: 'bigint pk',
        // 'ticket' | 'result' | 'reference'
        kind: 'text',
        ticket_id: 'text null',
        client_id: 'text null',
        // Units that must hear of this change: the ticket's units before and after it.
        audience: 'text null',
        // PostgreSQL transaction id of the writer: pulls stop before any still in flight.
        xid: 'bigint null',
        at: 'time',
      },
    })
    await createTable(db, engine, {
      name: 'clients',
      columns: {
        client_id: 'text pk',
        user_id: 'text',
        last_mutation_id: 'bigint',
        updated_at: 'time',
      },
    })
    await createTable(db, engine, {
      name: 'mutation_results',
      columns: {
        client_id: 'text',
        mutation_id: 'bigint',
        key: 'text null',
        name: 'text',
        status: 'text',
        code: 'text null',
        message: 'json null',
        seq: 'bigint',
        at: 'time',
      },
      primaryKey: ['client_id', 'mutation_id'],
      indexes: [{ columns: ['seq'] }],
    })
    await createTable(db, engine, {
      name: 'ticket_numbers',
      columns: { day: 'text pk', last: 'int' },
    })
    if (engine === 'postgres') {
      // Seqs come from a sequence; the transaction id is taken under the same brief lock, so
      // seq order and transaction-id order agree and a pull can stop before the oldest writer
      // still in flight (see store/changes.ts) without serializing whole transactions.
      await sql`create sequence change_seq`.execute(db)
      await sql
        .raw(
          `create function next_change_seq(out seq bigint, out xid bigint) language plpgsql as $$
          begin
            perform pg_advisory_lock(${CHANGE_SEQ_LOCK});
            xid := pg_current_xact_id()::text::bigint;
            seq := nextval('change_seq');
            perform pg_advisory_unlock(${CHANGE_SEQ_LOCK});
          end $$`,
        )
        .execute(db)
    } else {
      await db.insertInto('counters').values({ name: 'change_seq', value: 0 }).execute()
    }
  },
}
