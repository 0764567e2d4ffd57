// The knowledge base (知识库, issue 15). `kb_entries` holds each entry's current version (its
// JSON in `data`, with the columns scoping and the feed need beside it); `kb_versions` every
// version ever written, for the entry's timeline; `kb_proposals` units' proposed edits and new
// entries and a supervisor's decision on each. An entry's `seq` is the change-log seq of its
// last write (a change-log row of kind 'kb' commits with it), so consoles follow entries with a
// cursor exactly as they follow tickets, and PostgreSQL's out-of-order commits are handled by the
// same cut (changes.ts).
import { createTable, type Engine } from '../dsl'
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 13,
  name: 'knowledge',
  async up(db, engine: Engine) {
    await createTable(db, engine, {
      name: 'kb_entries',
      columns: {
        id: 'text pk',
        // draft | published | retired
        status: 'text',
        // The owning unit's code.
        unit: 'text',
        title: 'text',
        version: 'int',
        // YYYY-MM-DD or null.
        review_by: 'text null',
        updated_at: 'time',
        seq: 'bigint',
        data: 'json',
      },
      indexes: [{ columns: ['seq'] }, { columns: ['unit', 'status'] }, { columns: ['status'] }],
    })
    await createTable(db, engine, {
      name: 'kb_versions',
      columns: {
        entry_id: 'text',
        version: 'int',
        // created | edited | published | retired | proposal_approved
        action: 'text',
        at: 'time',
        by: 'text null',
        note: 'text null',
        // JSON array of the field names changed from the version before.
        changed: 'json',
        data: 'json',
      },
      primaryKey: ['entry_id', 'version'],
    })
    await createTable(db, engine, {
      name: 'kb_proposals',
      columns: {
        id: 'text pk',
        // null: a new entry.
        entry_id: 'text null',
        base_version: 'int null',
        unit: 'text',
        // pending | approved | refused
        status: 'text',
        note: 'text null',
        by: 'text',
        at: 'time',
        decided_by: 'text null',
        decided_at: 'time null',
        reason: 'text null',
        // The proposed entry (KbEntryInput).
        data: 'json',
      },
      indexes: [{ columns: ['status', 'at'] }, { columns: ['unit', 'status'] }],
    })
  },
}
