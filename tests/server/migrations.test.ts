// Migrations on an empty and on an older database, the schema snapshot, and refusing a newer one.
import { sql, type Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { connect } from '../../src/server/store/db'
import { migrate, SCHEMA_VERSION, SchemaError } from '../../src/server/store/migrate'
import { Store } from '../../src/server/store'
import { scratchDatabase, testEngines, type Json } from './helpers'

async function describeSchema(db: Kysely<Json>, engine: string): Promise<string[]> {
  if (engine === 'sqlite') {
    const r = await sql<{
      sql: string
    }>`select sql from sqlite_master where sql is not null order by name`.execute(db)
    return r.rows.map((x) => x.sql.replace(/\s+/g, ' '))
  }
  const cols = await sql<{ t: string; c: string; ty: string; n: string }>`
    select table_name t, column_name c, data_type ty, is_nullable n from information_schema.columns
    where table_schema = 'public' order by table_name, column_name`.execute(db)
  const ix = await sql<{
    d: string
  }>`select indexdef d from pg_indexes where schemaname = 'public' order by indexname`.execute(db)
  return [...cols.rows.map((r) => `${r.t}.${r.c} ${r.ty} ${r.n}`), ...ix.rows.map((r) => r.d)]
}

describe.each(await testEngines())('migrations on %s', (engine) => {
  const drops: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const d of drops.splice(0)) await d()
  })

  it('migrates an empty database to the snapshot schema', async () => {
    const scratch = await scratchDatabase(engine)
    drops.push(scratch.drop)
    const conn = connect(scratch.options)
    try {
      expect(await migrate(conn.db, engine)).toEqual({ from: 0, to: SCHEMA_VERSION })
      expect(await describeSchema(conn.db, engine)).toMatchSnapshot()
      expect(await migrate(conn.db, engine)).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION })
    } finally {
      await conn.close()
    }
  })

  it('upgrades an older database and keeps its rows', async () => {
    const scratch = await scratchDatabase(engine)
    drops.push(scratch.drop)
    const conn = connect(scratch.options)
    await migrate(conn.db, engine, 1)
    await conn.db
      .insertInto('users')
      .values({
        id: 'u1',
        username: 'old',
        display_name: '老用户',
        role: 'agent',
        unit: null,
        password_hash: 'x',
        active: 1,
        created_at: 'a',
        updated_at: 'a',
      })
      .execute()
    await conn.close()
    const store = await Store.open(scratch.options)
    try {
      expect(store.schemaVersion).toBe(SCHEMA_VERSION)
      expect((await store.accounts.userByUsername('old'))?.displayName).toBe('老用户')
    } finally {
      await store.close()
    }
  })

  it('carries consoles filed by their bare clientId over to their user (migration 11)', async () => {
    const scratch = await scratchDatabase(engine)
    drops.push(scratch.drop)
    const conn = connect(scratch.options)
    await migrate(conn.db, engine, 9)
    // As a server before issue 12 left a console: its row, a stored refusal, its change-log row.
    await conn.db
      .insertInto('clients')
      .values({
        client_id: 'desk-1',
        user_id: 'u1',
        last_mutation_id: 7,
        updated_at: 'a',
        last_seq: 3,
      })
      .execute()
    await conn.db
      .insertInto('mutation_results')
      .values({
        client_id: 'desk-1',
        mutation_id: 6,
        key: null,
        name: 'ticket.sign',
        status: 'rejected',
        code: 'forbidden',
        message: null,
        seq: 3,
        at: 'a',
      })
      .execute()
    await conn.db
      .insertInto('change_log')
      .values({
        seq: 3,
        kind: 'result',
        ticket_id: null,
        client_id: 'desk-1',
        audience: null,
        xid: null,
        at: 'a',
      })
      .execute()
    await migrate(conn.db, engine)
    const clients = await conn.db.selectFrom('clients').selectAll().orderBy('client_id').execute()
    expect(clients.map((c: Json) => [c.client_id, Number(c.last_mutation_id)])).toEqual([
      ['desk-1', 7],
      ['u1/desk-1', 7],
    ])
    const results = await conn.db.selectFrom('mutation_results').select('client_id').execute()
    expect(results).toEqual([{ client_id: 'u1/desk-1' }])
    const log = await conn.db.selectFrom('change_log').select('client_id').execute()
    expect(log).toEqual([{ client_id: 'u1/desk-1' }])
    await conn.close()
  })

  it('refuses a database newer than the code, saying so', async () => {
    const scratch = await scratchDatabase(engine)
    drops.push(scratch.drop)
    const conn = connect(scratch.options)
    await migrate(conn.db, engine)
    await conn.db
      .insertInto('schema_migrations')
      .values({ version: 999, name: 'future', applied_at: new Date().toISOString() })
      .execute()
    await conn.close()
    const opened = Store.open(scratch.options)
    await expect(opened).rejects.toBeInstanceOf(SchemaError)
    await expect(opened).rejects.toThrow(/version 999, newer than this server/)
  })
})
