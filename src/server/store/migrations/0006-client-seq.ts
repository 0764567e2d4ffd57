// The seq of each console's last mutation, so a pull tells a console its mutations are done
// only once the page has delivered their effects (see changes.ts).
import type { Engine } from '../dsl'
import { addColumn } from '../dsl'
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 6,
  name: 'client-seq',
  async up(db, engine: Engine) {
    await addColumn(db, engine, 'clients', 'last_seq', 'bigint null')
  },
}
