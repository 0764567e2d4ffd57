// Users, sessions, reference data and Open311 keys: what the server needs before any ticket.
import { createTable, type Engine } from '../dsl'
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 1,
  name: 'core',
  async up(db, engine: Engine) {
    await createTable(db, engine, {
      name: 'users',
      columns: {
        id: 'text pk',
        username: 'text',
        display_name: 'text',
        role: 'text',
        unit: 'text null',
        // `scrypt$N$r$p$salt$hash`: the parameters travel with the hash so they can be raised.
        password_hash: 'text',
        active: 'bool',
        created_at: 'time',
        updated_at: 'time',
      },
      indexes: [{ columns: ['username'], unique: true }],
    })
    await createTable(db, engine, {
      name: 'sessions',
      columns: {
        // sha256 of the bearer token: a leaked table gives no usable token.
        token_hash: 'text pk',
        user_id: 'text',
        created_at: 'time',
        expires_at: 'time',
        revoked_at: 'time null',
      },
      indexes: [{ columns: ['user_id'] }],
    })
    await createTable(db, engine, {
      name: 'reference_data',
      columns: { version: 'int pk', data: 'json', created_at: 'time', created_by: 'text null' },
    })
    await createTable(db, engine, {
      name: 'open311_keys',
      columns: {
        key_hash: 'text pk',
        name: 'text',
        created_at: 'time',
        revoked_at: 'time null',
      },
    })
    await createTable(db, engine, {
      name: 'counters',
      columns: { name: 'text pk', value: 'bigint' },
    })
  },
}
