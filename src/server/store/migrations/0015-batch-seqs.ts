// Group commit (issue 18): a push applies up to a batch of mutations in one transaction, a
// savepoint each, so it needs their change-log seqs together. `next_change_seqs(n)` hands out n
// seqs and fixes the transaction id under the same lock as `next_change_seq()` (migration 0002),
// so seq order still equals transaction-id order among writers (see changes.ts). A seq the batch
// does not use (a repeat, a batch cut short) is a gap, like the seq of a rolled-back transaction.
// SQLite needs nothing new: the counter row moves by n inside the batch's transaction.
import { sql } from 'kysely'
import type { Engine } from '../dsl'
import type { Migration } from '../migrate'
import { CHANGE_SEQ_LOCK } from './0002-tickets'

export const migration: Migration = {
  version: 15,
  name: 'batch-seqs',
  async up(db, engine: Engine) {
    if (engine !== 'postgres') return
    await sql
      .raw(
        `create function next_change_seqs(p_n integer, out seqs bigint[], out xid bigint)
         language plpgsql as $$
        begin
          perform pg_advisory_lock(${CHANGE_SEQ_LOCK});
          xid := pg_current_xact_id()::text::bigint;
          seqs := array(select nextval('change_seq') from generate_series(1, p_n) order by 1);
          perform pg_advisory_unlock(${CHANGE_SEQ_LOCK});
        end $$`,
      )
      .execute(db)
  },
}
