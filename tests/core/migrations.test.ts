// The cache's migrations: an empty database to the snapshot schema, a newer cache refused, an
// older incompatible one rebuilt with its outbox kept, a compatible one upgraded in place.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CacheSchemaError, LocalStore } from '../../src/core/db'
import { m0001 } from '../../src/core/db/migrations/0001-outbox'
import { m0002 } from '../../src/core/db/migrations/0002-tickets'
import { m0003 } from '../../src/core/db/migrations/0003-dashboard'
import { m0005 } from '../../src/core/db/migrations/0005-levels'
import { m0006 } from '../../src/core/db/migrations/0006-exempt'
import { m0007 } from '../../src/core/db/migrations/0007-own-levels'
import type { Migration } from '../../src/core/db/migrations'
import { queueQuerySchema } from '../../src/shared/api'
import { actors, created, ctx, draft, inChain, T0 } from '../helpers/workflow'
import { act, dispatcherViewer, openStore, page, tempDir } from './helpers'

function schemaOf(db: Database.Database): string[] {
  return (
    db
      .prepare(
        `SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
         ORDER BY type, name`,
      )
      .all() as Array<{ sql: string }>
  ).map((r) => r.sql.replace(/\s+/g, ' ').trim())
}

// The code's migrations today; a test adds one after them.
const CURRENT = [m0001, m0002, m0003, m0005, m0006, m0007]
const addColumn = (kind: Migration['kind'], table: string): Migration => ({
  version: 8,
  name: `test-${kind}`,
  kind,
  up: (db) => db.exec(`ALTER TABLE ${table} ADD COLUMN extra TEXT`),
})

/** A cache with a synced ticket, a pending create, a cursor and a client id. */
function filled(dir: string, migrations?: readonly Migration[]): string {
  const store = LocalStore.open(dir, { synchronous: 'normal', migrations })
  const run = created()
  store.applyPull(page({ cursor: 42, tickets: [run.ticket], events: run.events }), ctx)
  store.setMeta('clientId', 'console-1')
  const d = draft()
  act(store, { name: 'ticket.create', args: { ticket: d } }, actors.agent, T0)
  store.close()
  return d.id
}

describe('cache migrations', () => {
  it('migrates an empty database to the snapshot schema, and again is a no-op', () => {
    const dir = tempDir()
    const store = openStore(dir)
    expect(store.migration).toEqual({ from: 0, to: 7, rebuilt: false })
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(schemaOf(store.db)).toMatchSnapshot()
    store.close()
    const again = openStore(dir)
    expect(again.migration).toEqual({ from: 7, to: 7, rebuilt: false })
    const recorded = again.db.prepare('SELECT version, name FROM schema_migrations').all()
    expect(recorded).toEqual([
      { version: 1, name: 'outbox' },
      { version: 2, name: 'tickets' },
      { version: 3, name: 'dashboard' },
      { version: 4, name: 'knowledge' },
      { version: 5, name: 'levels' },
      { version: 6, name: 'exempt' },
      { version: 7, name: 'own-levels' },
    ])
  })

  it('refuses a cache newer than the code, saying what to do', () => {
    const dir = tempDir()
    openStore(dir).close()
    const db = new Database(join(dir, 'console.db'))
    db.prepare(`INSERT INTO schema_migrations VALUES (9, 'future', '2030-01-01')`).run()
    db.close()
    expect(() => LocalStore.open(dir)).toThrow(CacheSchemaError)
    expect(() => LocalStore.open(dir)).toThrow(/schema version 9, newer than this console/)
  })

  it('refuses a cache whose recorded history differs from the code', () => {
    const dir = tempDir()
    openStore(dir).close()
    const db = new Database(join(dir, 'console.db'))
    db.prepare(`UPDATE schema_migrations SET name = 'other' WHERE version = 2`).run()
    db.close()
    expect(() => LocalStore.open(dir)).toThrow(/another build/)
  })

  it('rebuilds an incompatible older cache: server rows and cursor go, the outbox stays', () => {
    const dir = tempDir()
    const pendingId = filled(dir, CURRENT)
    const store = openStore(dir, {
      migrations: [...CURRENT, addColumn('cache', 'tickets')],
      rebuildBelow: 8,
    })
    expect(store.migration).toEqual({ from: 7, to: 8, rebuilt: true })
    expect(store.getMeta('cursor')).toBeNull()
    expect(store.getMeta('clientId')).toBe('console-1')
    expect(store.pending().map((m) => m.ticketId)).toEqual([pendingId])
    expect(store.db.prepare('SELECT count(*) AS n FROM server_tickets').get()).toEqual({ n: 0 })
    expect(schemaOf(store.db).some((s) => /CREATE TABLE tickets .* extra TEXT/.test(s))).toBe(true)
    // Pending work shows again once rebased (the first pull does it; so does rebasePending).
    store.rebasePending(ctx)
    const q = queueQuerySchema.parse({})
    expect(store.queue(q, dispatcherViewer, T0).rows.map((r) => r.id)).toEqual([pendingId])
  })

  it('rebuilds a pre-release cache (below the rebuild line) with a stray old table', () => {
    const dir = tempDir()
    const db = new Database(join(dir, 'console.db'))
    db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
      applied_at TEXT NOT NULL) STRICT`)
    m0001.up(db)
    db.exec(`INSERT INTO schema_migrations VALUES (1, 'outbox', 'x');
      CREATE TABLE tickets (id TEXT, blob TEXT);
      INSERT INTO meta VALUES ('cursor', '77');
      INSERT INTO outbox VALUES (5, 'k', 'ticket.note', '{}', '2026-01-01T00:00:00Z', '{}', 't1')`)
    db.close()
    const store = openStore(dir)
    expect(store.migration).toEqual({ from: 1, to: 7, rebuilt: true })
    expect(store.getMeta('cursor')).toBeNull()
    expect(store.pending().map((m) => m.id)).toEqual([5])
  })

  it('upgrades a compatible cache in place, keeping everything', () => {
    const dir = tempDir()
    const pendingId = filled(dir, CURRENT)
    const store = openStore(dir, {
      migrations: [...CURRENT, addColumn('durable', 'outbox')],
    })
    expect(store.migration).toEqual({ from: 7, to: 8, rebuilt: false })
    expect(store.getMeta('cursor')).toBe('42')
    expect(store.pending().map((m) => m.ticketId)).toEqual([pendingId])
    expect(store.queue(queueQuerySchema.parse({}), dispatcherViewer, T0).total).toBe(2)
  })

  it('gives a cache from before the chain (issue 16) its levels in place, queues unchanged', () => {
    const dir = tempDir()
    // A cache as migration 4 left it: the same rows, without the columns of migrations 5 and 6.
    const store0 = LocalStore.open(dir, { synchronous: 'normal' })
    const run = created()
    const sent = { ...run.ticket, status: 'dispatched' as const, unit: 'JK-ZDL' }
    const d = {
      ...sent,
      dispatchedAt: new Date(T0).toISOString(),
      signBy: new Date(T0 + 3_600_000).toISOString(),
      dueAt: new Date(T0 + 86_400_000).toISOString(),
    }
    store0.applyPull(page({ cursor: 7, tickets: [d], events: run.events }), ctx)
    store0.close()
    const db = new Database(join(dir, 'console.db'))
    db.exec(`ALTER TABLE tickets DROP COLUMN levels; ALTER TABLE tickets DROP COLUMN waiting;
      ALTER TABLE tickets DROP COLUMN exempt; DROP TABLE own_deadlines; DROP TRIGGER own_deadlines_ad;
      ALTER TABLE tickets DROP COLUMN to_pass; DELETE FROM schema_migrations WHERE version >= 5`)
    db.close()
    const store = openStore(dir)
    expect(store.migration).toEqual({ from: 4, to: 7, rebuilt: false })
    expect(store.db.prepare('SELECT levels, waiting FROM tickets').get()).toEqual({
      levels: '|JK-ZDL|',
      waiting: '|JK-ZDL|',
    })
    const unit = { userId: 'u-zdl', role: 'unit' as const, unit: 'JK-ZDL' }
    const mine = queueQuerySchema.parse({ filter: { view: 'mine' } })
    expect(store.queue(mine, unit, T0).rows.map((r) => r.id)).toEqual([d.id])
  })
  it('gives a cache of version 5 its units’ own deadlines and 待下派 in place', () => {
    const dir = tempDir()
    const store0 = LocalStore.open(dir, { synchronous: 'normal' })
    const run = inChain('down')
    store0.applyPull(page({ cursor: 7, tickets: [run.ticket], events: run.events }), ctx)
    store0.close()
    const db = new Database(join(dir, 'console.db'))
    db.exec(`DROP TABLE own_deadlines; DROP TRIGGER own_deadlines_ad;
      ALTER TABLE tickets DROP COLUMN to_pass; ALTER TABLE tickets DROP COLUMN exempt;
      DELETE FROM schema_migrations WHERE version >= 6`)
    db.close()
    const store = openStore(dir)
    expect(store.migration).toEqual({ from: 5, to: 7, rebuilt: false })
    const street = run.ticket.assignments!.find((a) => a.unit === 'JK-ZDL' && a.role === 'lead')!
    expect(
      store.db.prepare('SELECT unit, level, own_due FROM own_deadlines ORDER BY unit').all(),
    ).toEqual([
      { unit: 'JK-JKL', level: 2, own_due: expect.any(Number) },
      { unit: 'JK-ZDL', level: 2, own_due: Date.parse(street.dueAt) },
    ])
    // 待下派: the street has it to handle, the sub-centre passed it down.
    expect(store.db.prepare('SELECT to_pass FROM tickets').get()).toEqual({ to_pass: '|JK-ZDL|' })
    const unit = { userId: 'u-zdl', role: 'unit' as const, unit: 'JK-ZDL' }
    const all = queueQuerySchema.parse({ filter: { view: 'all' } })
    expect(store.queue(all, unit, run.now).rows[0]).toMatchObject({
      dueAt: street.dueAt,
      own: { level: 2, signed: false },
    })
    // The ticket gone (out of scope), its rows go with it.
    store.applyPull(page({ cursor: 8, removed: [run.ticket.id] }), ctx)
    expect(store.db.prepare('SELECT count(*) AS n FROM own_deadlines').get()).toEqual({ n: 0 })
  })
})
