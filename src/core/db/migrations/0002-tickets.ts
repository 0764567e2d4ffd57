// Server-derived state. `server_tickets` holds rows as pulled; `tickets` is what the screens see
// (server row with pending mutations re-applied), one column per queue filter and sort, times as
// epoch ms. `rid` encodes the creation time (created_at * 1024 + slot) so that creation order is
// rowid order: "newest first" needs no index and full-text hits come out newest first.
// `local` holds the visible ticket's JSON only when it differs from the server row.
import type { Migration } from './types'

export const m0002: Migration = {
  version: 2,
  name: 'tickets',
  kind: 'cache',
  up(db) {
    db.exec(`
      CREATE TABLE server_tickets (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL
      ) STRICT;

      CREATE TABLE tickets (
        rid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        number TEXT,
        status INTEGER NOT NULL,
        channel INTEGER NOT NULL,
        kind INTEGER NOT NULL,
        urgency INTEGER NOT NULL,
        category TEXT NOT NULL,
        unit TEXT,
        co_units TEXT,
        district TEXT,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        dispatched_at INTEGER,
        signed_at INTEGER,
        sign_by INTEGER,
        due_at INTEGER,
        completed_at INTEGER,
        extension INTEGER NOT NULL,
        dl_over INTEGER,
        dl_risk INTEGER,
        phone TEXT,
        caller_name TEXT,
        address TEXT NOT NULL,
        description TEXT NOT NULL,
        version INTEGER NOT NULL,
        local TEXT
      ) STRICT;
      CREATE INDEX tickets_status ON tickets (status);
      CREATE INDEX tickets_created_by ON tickets (created_by);
      CREATE INDEX tickets_unit ON tickets (unit);
      CREATE INDEX tickets_number ON tickets (number);
      CREATE INDEX tickets_updated ON tickets (updated_at);
      CREATE INDEX tickets_due ON tickets (due_at);
      CREATE INDEX tickets_sign_by ON tickets (sign_by);
      CREATE INDEX tickets_urgency ON tickets (urgency);
      CREATE INDEX tickets_category ON tickets (category);
      CREATE INDEX tickets_district ON tickets (district);
      CREATE INDEX tickets_channel ON tickets (channel);
      CREATE INDEX tickets_kind ON tickets (kind);
      CREATE INDEX tickets_phone ON tickets (phone) WHERE phone IS NOT NULL;
      CREATE INDEX tickets_completed ON tickets (completed_at) WHERE completed_at IS NOT NULL;
      CREATE INDEX tickets_extension ON tickets (rid) WHERE extension = 1;
      CREATE INDEX tickets_clock ON tickets (rid, dl_over, dl_risk) WHERE dl_over IS NOT NULL;

      -- Tickets per unit and status, kept by triggers: counts of the big views without a scan.
      CREATE TABLE ticket_counts (
        unit TEXT NOT NULL,
        status INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (unit, status)
      ) STRICT, WITHOUT ROWID;
      CREATE TRIGGER ticket_counts_ai AFTER INSERT ON tickets BEGIN
        INSERT INTO ticket_counts (unit, status, n) VALUES (coalesce(new.unit, ''), new.status, 1)
          ON CONFLICT (unit, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER ticket_counts_ad AFTER DELETE ON tickets BEGIN
        UPDATE ticket_counts SET n = n - 1 WHERE unit = coalesce(old.unit, '') AND status = old.status;
      END;
      CREATE TRIGGER ticket_counts_au AFTER UPDATE OF unit, status ON tickets
      WHEN old.unit IS NOT new.unit OR old.status IS NOT new.status BEGIN
        UPDATE ticket_counts SET n = n - 1 WHERE unit = coalesce(old.unit, '') AND status = old.status;
        INSERT INTO ticket_counts (unit, status, n) VALUES (coalesce(new.unit, ''), new.status, 1)
          ON CONFLICT (unit, status) DO UPDATE SET n = n + 1;
      END;

      -- Substring search of 3+ characters: trigram index over the visible rows. (Numbers are
      -- searched by prefix through tickets_number: their trigrams are shared by thousands.)
      CREATE VIRTUAL TABLE tickets_text USING fts5 (
        phone, caller_name, address, description,
        content = 'tickets', content_rowid = 'rid', tokenize = 'trigram'
      );
      -- 1- and 2-character words, which trigrams cannot answer: every character and every pair
      -- of adjacent non-digits of name, address and description as a token (hl_grams()), no
      -- positions kept, so each short query is a single-token lookup.
      CREATE VIRTUAL TABLE tickets_grams USING fts5 (
        grams, content = '', contentless_delete = 1, detail = none, tokenize = 'ascii'
      );
      CREATE TRIGGER tickets_text_ai AFTER INSERT ON tickets BEGIN
        INSERT INTO tickets_text (rowid, phone, caller_name, address, description)
          VALUES (new.rid, new.phone, new.caller_name, new.address, new.description);
        INSERT INTO tickets_grams (rowid, grams)
          VALUES (new.rid, hl_grams(new.caller_name, new.address, new.description));
      END;
      CREATE TRIGGER tickets_text_ad AFTER DELETE ON tickets BEGIN
        INSERT INTO tickets_text (tickets_text, rowid, phone, caller_name, address, description)
          VALUES ('delete', old.rid, old.phone, old.caller_name, old.address, old.description);
        DELETE FROM tickets_grams WHERE rowid = old.rid;
      END;
      CREATE TRIGGER tickets_text_au AFTER UPDATE OF phone, caller_name, address, description
      ON tickets WHEN old.phone IS NOT new.phone
        OR old.caller_name IS NOT new.caller_name OR old.address IS NOT new.address
        OR old.description IS NOT new.description BEGIN
        INSERT INTO tickets_text (tickets_text, rowid, phone, caller_name, address, description)
          VALUES ('delete', old.rid, old.phone, old.caller_name, old.address, old.description);
        INSERT INTO tickets_text (rowid, phone, caller_name, address, description)
          VALUES (new.rid, new.phone, new.caller_name, new.address, new.description);
        DELETE FROM tickets_grams WHERE rowid = old.rid;
        INSERT INTO tickets_grams (rowid, grams)
          VALUES (new.rid, hl_grams(new.caller_name, new.address, new.description));
      END;

      -- Timeline events: server ones (local = 0) and those of pending mutations (local = 1).
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        at INTEGER NOT NULL,
        local INTEGER NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
      CREATE INDEX events_ticket ON events (ticket_id, version);
      CREATE INDEX events_at ON events (at);

      CREATE TABLE reference (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
    `)
  },
}
