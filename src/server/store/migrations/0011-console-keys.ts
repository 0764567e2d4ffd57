// Consoles filed by user and clientId together (issue 12, finding 4; src/server/sync/console-key.ts).
// Each console row an older server keyed by the bare clientId is copied to the user who pushed
// under it last (`<userId>/<clientId>`), and its stored results and their change-log rows move
// with it, so that console goes on exactly where it was. The old rows stay: another user's first
// push under the same console starts from there. No schema change; both engines, same SQL.
import { sql } from 'kysely'
import type { Migration } from '../migrate'

// Keys of the new kind hold a `/` (clientIds never do: src/shared/sync.ts).

export const migration: Migration = {
  version: 11,
  name: 'console-keys',
  async up(db) {
    await sql`insert into clients (client_id, user_id, last_mutation_id, updated_at, last_seq)
      select user_id || '/' || client_id, user_id, last_mutation_id, updated_at, last_seq
      from clients where client_id not like '%/%'`.execute(db)
    for (const table of ['mutation_results', 'change_log'])
      await sql`update ${sql.table(table)} as t
        set client_id = (select c.user_id || '/' || c.client_id from clients c
          where c.client_id = t.client_id)
        where t.client_id not like '%/%'
          and exists (select 1 from clients c where c.client_id = t.client_id)`.execute(db)
  },
}
