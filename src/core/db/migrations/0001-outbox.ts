// What survives everything: settings (client id, session, cursor), the outbox of mutations the
// server has not acknowledged yet, and the mutations it refused, kept for the person to review.
import type { Migration } from './types'

export const m0001: Migration = {
  version: 1,
  name: 'outbox',
  kind: 'durable',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        name TEXT NOT NULL,
        args TEXT NOT NULL,
        client_time TEXT NOT NULL,
        actor TEXT NOT NULL,
        ticket_id TEXT NOT NULL
      ) STRICT;
      CREATE INDEX outbox_ticket ON outbox (ticket_id, id);

      CREATE TABLE rejected (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        ticket_id TEXT,
        ticket_number TEXT,
        code TEXT NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL
      ) STRICT;
    `)
  },
}
