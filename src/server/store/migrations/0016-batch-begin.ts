// Group commit's fast path (issue 18, store/batch.ts): `batch_begin(n, clients, tickets)` opens
// a batch — the groups of one or more consoles' pushes — in one round trip instead of three, as
// `mutation_begin` (migration 0004) does for one mutation: the batch's n change seqs and the
// transaction id first (so seq order still equals transaction-id order, see changes.ts), then the
// consoles' rows and the batch's tickets, each locked in id order (two batches touching the same
// rows wait for each other instead of deadlocking).
// SQLite needs nothing: its writers take turns, and its round trips cost nothing.
//
import { sql } from 'kysely'
import type { Engine } from '../dsl'
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 16,
  name: 'batch-begin',
  async up(db, engine: Engine) {
    if (engine !== 'postgres') return
    await sql
      .raw(
        `create function batch_begin(p_n integer, p_clients text[], p_tickets text[],
           out o_seqs bigint[], out o_xid bigint, out o_clients text[], out o_lasts bigint[],
           out o_ids text[], out o_data text[]) language plpgsql as $$
        begin
          select s.seqs, s.xid into o_seqs, o_xid from next_change_seqs(p_n) s;
          select array_agg(c.client_id), array_agg(c.last_mutation_id) into o_clients, o_lasts
            from (select client_id, last_mutation_id from clients
                  where client_id = any(p_clients) order by client_id for update) c;
          select array_agg(t.id), array_agg(t.data) into o_ids, o_data from (
            select id, data from tickets where id = any(p_tickets) order by id for update) t;
        end $$`,
      )
      .execute(db)
    // `next_ticket_numbers(day, n)`: n numbers of the day at once, as `next_ticket_number` takes
    // one (migration 0004: outside the mutation's transaction, committing without waiting for the
    // disk); the last of them is answered. The reservations of concurrent pushes share it.
    await sql
      .raw(
        `create function next_ticket_numbers(p_day text, p_n integer) returns integer
         language plpgsql as $$
        declare n integer;
        begin
          perform set_config('synchronous_commit', 'off', true);
          insert into ticket_numbers (day, last) values (p_day, p_n)
            on conflict (day) do update set last = ticket_numbers.last + p_n
            returning last into n;
          return n;
        end $$`,
      )
      .execute(db)
  },
}
