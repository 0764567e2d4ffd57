// First sync reads tickets newest first (open ones, then recent closed ones): an index for it.
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 5,
  name: 'snapshot',
  async up(db) {
    await db.schema
      .createIndex('tickets_updated_at_ix')
      .on('tickets')
      .columns(['updated_at', 'id'])
      .execute()
  },
}
