// Migration 17 (issue 18, what the megacity benchmark found): tickets filed under each of their
// units in `ticket_units` (PostgreSQL), from before the migration and as they change after it;
// the timeline's primary key (ticket_id, version) still refusing a second event of one version;
// the indexes the dashboard's server-side figures read a period through.
import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { connect } from '../../src/server/store/db'
import { migrate } from '../../src/server/store/migrate'
import type { TicketsTable } from '../../src/server/store/types'
import { scratchDatabase, testEngines } from './helpers'

const row = (id: string, units: string, status: string, updatedAt: string): TicketsTable => ({
  id,
  number: null,
  channel: 'phone',
  kind: 'complaint',
  category: 'x',
  urgency: 'normal',
  status,
  unit: null,
  units,
  caller_phone: null,
  caller_name: null,
  address: '',
  district: null,
  description: '',
  sign_by: null,
  due_at: null,
  completed_at: null,
  needs_review: 0,
  created_at: updatedAt,
  updated_at: updatedAt,
  version: 1,
  seq: 1,
  data: '{}',
})

describe.each(await testEngines())('migration 17 on %s', (engine) => {
  const drops: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const d of drops.splice(0)) await d()
  })

  it('files tickets under their units, keeps them filed, and keeps one event a version', async () => {
    const scratch = await scratchDatabase(engine)
    drops.push(scratch.drop)
    const conn = connect(scratch.options)
    const db = conn.db
    try {
      await migrate(db, engine, 16)
      await db
        .insertInto('tickets')
        .values([
          row('t1', '|A|B|', 'dispatched', '2026-12-01'),
          row('t2', '', 'new', '2026-12-02'),
        ])
        .execute()
      const event = { ticket_id: 't1', version: 1, type: 'created', at: 'x', seq: 1, data: '{}' }
      await db
        .insertInto('timeline_events')
        .values({ id: 't1/1', ...event })
        .execute()
      await migrate(db, engine)

      // The dashboard's periods have their indexes on both engines.
      const indexes =
        engine === 'postgres'
          ? (await sql<{ n: string }>`select indexname as n from pg_indexes`.execute(db)).rows
          : (await sql<{ n: string }>`select name as n from sqlite_master`.execute(db)).rows
      expect(indexes.map((r) => r.n)).toEqual(
        expect.arrayContaining(['tickets_due_at_ix', 'timeline_events_type_at_ix']),
      )
      // The same event again is refused; on PostgreSQL, by (ticket_id, version) whatever its id.
      await expect(
        db
          .insertInto('timeline_events')
          .values({ id: 't1/1', ...event })
          .execute(),
      ).rejects.toThrow(/duplicate key|UNIQUE/)
      if (engine !== 'postgres') return
      await expect(
        db
          .insertInto('timeline_events')
          .values({ id: 't1/1-again', ...event })
          .execute(),
      ).rejects.toThrow(/duplicate key/)

      const filed = async () =>
        (
          await sql<{ unit: string; open: boolean; updated_at: string; ticket_id: string }>`
            select unit, open, updated_at, ticket_id from ticket_units
            order by ticket_id, unit`.execute(db)
        ).rows.map((r) => `${r.ticket_id} ${r.unit} ${r.open ? 'open' : 'closed'} ${r.updated_at}`)
      // From before the migration: t1 under both its units, t2 (with none) nowhere.
      expect(await filed()).toEqual(['t1 A open 2026-12-01', 't1 B open 2026-12-01'])
      // Moved, closed, touched, deleted: the trigger follows.
      await db
        .updateTable('tickets')
        .set({ units: '|B|C|', updated_at: '2026-12-03' })
        .where('id', '=', 't1')
        .execute()
      await db
        .updateTable('tickets')
        .set({ units: '|A|', status: 'closed', updated_at: '2026-12-04' })
        .where('id', '=', 't2')
        .execute()
      expect(await filed()).toEqual([
        't1 B open 2026-12-03',
        't1 C open 2026-12-03',
        't2 A closed 2026-12-04',
      ])
      await db.updateTable('tickets').set({ description: 'x' }).where('id', '=', 't1').execute()
      await db.deleteFrom('tickets').where('id', '=', 't2').execute()
      expect(await filed()).toEqual(['t1 B open 2026-12-03', 't1 C open 2026-12-03'])
    } finally {
      await conn.close()
    }
  })
})
