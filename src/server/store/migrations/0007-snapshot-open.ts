// First sync reads open tickets newest first: a partial index over just them, so each page of
// the open phase is a short index range whatever the history. Its condition names the open
// statuses as literals (as snapshot.ts queries them: a bound parameter would not match it); a
// change to OPEN_STATUSES needs a new migration re-creating this index.
import { sql } from 'kysely'
import type { Migration } from '../migrate'

export const SNAPSHOT_OPEN_STATUSES = [
  'new',
  'dispatched',
  'in_progress',
  'return_requested',
  'replied',
] as const

export const migration: Migration = {
  version: 7,
  name: 'snapshot-open',
  async up(db) {
    const list = sql.join(SNAPSHOT_OPEN_STATUSES.map((s) => sql.lit(s)))
    await sql`create index tickets_open_updated_ix on tickets (updated_at, id)
      where status in (${list})`.execute(db)
  },
}
