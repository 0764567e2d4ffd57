// Exemplary cases (优秀案例, issue 6): a closed ticket nominated by a supervisor with a title and
// a write-up, for the year it was closed in, optionally ranked among the year's ten best. The
// ticket facts a case shows are computed from the ticket and its timeline, never copied here.
import { createTable, type Engine } from '../dsl'
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 9,
  name: 'cases',
  async up(db, engine: Engine) {
    await createTable(db, engine, {
      name: 'cases',
      columns: {
        id: 'text pk',
        // A ticket is nominated once.
        ticket_id: 'text',
        // The city's local year the ticket was closed in.
        year: 'int',
        // ≤ 60 characters, one line.
        title: 'text',
        // ≤ 2000 characters.
        write_up: 'text',
        // 1 … 10, gapless within a year; null while unranked. Unique per year (several nulls).
        rank: 'int null',
        // The supervisor's user id.
        nominated_by: 'text',
        nominated_at: 'time',
        updated_at: 'time',
      },
      indexes: [
        { columns: ['ticket_id'], unique: true },
        { columns: ['year', 'rank'], unique: true },
      ],
    })
  },
}
