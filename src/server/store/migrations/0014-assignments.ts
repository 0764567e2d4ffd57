// The chain of assignments (issue 16), one row per assignment beside the ticket's JSON: the
// per-unit and per-level figures (on-time signing and completion at each level, re-routes,
// where a ticket waits) read it without parsing every ticket. Tickets from before the chain get
// their one-level chain here; the JSON itself stays as it was (it reads as one level).
import type { Ticket } from '../../../shared/ticket'
import { createTable, type Engine } from '../dsl'
import type { Migration } from '../migrate'
import { assignmentRows } from '../rows'

export const ASSIGNMENTS_TABLE = {
  name: 'ticket_assignments',
  columns: {
    ticket_id: 'text',
    // `a1`, `a2` … within the ticket.
    id: 'text',
    level: 'int',
    // 'lead' | 'assist'
    role: 'text',
    unit: 'text',
    parent_unit: 'text null',
    // 'dispatched' | 'signed' | 'returned' | 'replied' | 'recalled'
    state: 'text',
    by_user: 'text',
    // The dispatching unit; null when the city centre dispatched.
    by_unit: 'text null',
    at: 'time',
    sign_by: 'time',
    signed_at: 'time null',
    due_at: 'time',
    ended_at: 'time null',
    // The reply (or part) was in by the due.
    on_time: 'bool null',
    missed_part: 'bool',
    superseded: 'bool',
  },
  primaryKey: ['ticket_id', 'id'],
  indexes: [{ columns: ['unit', 'level', 'at'] }, { columns: ['by_user', 'at'] }],
} as const

const BATCH = 500

export const migration: Migration = {
  version: 14,
  name: 'assignments',
  async up(db, engine: Engine) {
    await createTable(db, engine, {
      ...ASSIGNMENTS_TABLE,
      primaryKey: [...ASSIGNMENTS_TABLE.primaryKey],
      indexes: ASSIGNMENTS_TABLE.indexes.map((i) => ({ columns: [...i.columns] })),
    })
    // Existing dispatched tickets: their one-level chain, in batches by id.
    let after = ''
    for (;;) {
      const rows = (await db
        .selectFrom('tickets')
        .select(['id', 'data'])
        .where('id', '>', after)
        .where('unit', 'is not', null)
        .orderBy('id')
        .limit(BATCH)
        .execute()) as Array<{ id: string; data: string }>
      if (!rows.length) break
      const values = rows.flatMap((r) => assignmentRows(JSON.parse(r.data) as Ticket))
      if (values.length) await db.insertInto('ticket_assignments').values(values).execute()
      after = rows[rows.length - 1]!.id
    }
  },
}
