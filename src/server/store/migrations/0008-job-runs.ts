// Server jobs that must run once a day across restarts and server processes (automatic urging):
// one row per job and local day, whose insert is the lock, and one row per item a run has done,
// written in the same transaction as the item's effect so a resumed run never does it twice.
import { createTable, type Engine } from '../dsl'
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 8,
  name: 'job-runs',
  async up(db, engine: Engine) {
    await createTable(db, engine, {
      name: 'job_runs',
      columns: {
        job: 'text',
        // The city's local date `YYYY-MM-DD` the run is for.
        day: 'text',
        // The process holding the run; another may take it over once heartbeat_at is stale.
        owner: 'text',
        started_at: 'time',
        heartbeat_at: 'time',
        finished_at: 'time null',
        // What the run did, for operators ({urged, supervised, …}).
        result: 'json null',
      },
      primaryKey: ['job', 'day'],
    })
    await createTable(db, engine, {
      name: 'job_items',
      columns: { job: 'text', day: 'text', item: 'text', at: 'time' },
      primaryKey: ['job', 'day', 'item'],
    })
  },
}
