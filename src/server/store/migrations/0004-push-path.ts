// Ticket numbers without a hot row lock (PostgreSQL). Each day's counter is one row; taken inside
// a mutation's transaction, its lock is held until that transaction's commit is on disk, so every
// ticket creation in the city would wait for the one before it (~300 a second at most here).
// `next_ticket_number(day)` is instead called on its own, before the mutation's transaction, and
// commits without waiting for the disk: safe, because the WAL is flushed in order, so once a
// ticket carrying the number is durable, so is the counter that handed it out. A create that then
// turns out to be a repeat leaves a gap in the day's sequence; numbers stay unique and rising.
// SQLite needs none of this: its writers take turns anyway, and the counter stays in the mutation.
//
// `mutation_begin(client, ticket)` opens a mutation in one round trip instead of three: the
// change seq (and with it the transaction id, see changes.ts), then the console's row and the
// ticket's row, both locked. Round trips are most of a push's cost (see bench/server.ts).
import { sql } from 'kysely'
import type { Engine } from '../dsl'
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 4,
  name: 'push-path',
  async up(db, engine: Engine) {
    if (engine !== 'postgres') return
    await sql
      .raw(
        `create function next_ticket_number(p_day text) returns integer language plpgsql as $$
        declare n integer;
        begin
          perform set_config('synchronous_commit', 'off', true);
          insert into ticket_numbers (day, last) values (p_day, 1)
            on conflict (day) do update set last = ticket_numbers.last + 1
            returning last into n;
          return n;
        end $$`,
      )
      .execute(db)
    await sql
      .raw(
        `create function mutation_begin(p_client text, p_ticket text, out o_seq bigint,
           out o_xid bigint, out o_last bigint, out o_ticket text) language plpgsql as $$
        begin
          select s.seq, s.xid into o_seq, o_xid from next_change_seq() s;
          select c.last_mutation_id into o_last from clients c
            where c.client_id = p_client for update;
          if p_ticket is not null then
            select t.data into o_ticket from tickets t where t.id = p_ticket for update;
          end if;
        end $$`,
      )
      .execute(db)
  },
}
