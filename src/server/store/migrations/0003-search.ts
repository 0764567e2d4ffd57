// Full-text search over tickets (issue 3): the caller's name as a column, and `ticket_search`, one
// narrow row per ticket with the searchable text (number, phone, name, address, description, one
// a line) in the order the server first stored the tickets (`sid`). Triggers on `tickets` keep it
// current whatever writes a ticket (push, bulk demo load, Open311), and only when a searchable
// field changes, so a status change costs the search index nothing.
//
// The index on top of it is each engine's own: SQLite FTS5 with the trigram tokenizer (external
// content, so the text is stored once), PostgreSQL pg_trgm GIN. Both answer substring queries of
// three or more characters; shorter ones (噪音, 路灯) are a scan of the narrow table from the newest
// row, which stops at the page size (see store/search.ts).
import { sql, type Kysely } from 'kysely'
import { addColumn, createTable, type Engine } from '../dsl'
import type { Migration } from '../migrate'

/** Columns whose change rewrites the search row, and the text built from them. */
const FIELDS = ['number', 'caller_phone', 'caller_name', 'address', 'description'] as const

const body = (row: 'new' | 'tickets', engine: Engine) => {
  const nl = engine === 'sqlite' ? 'char(10)' : 'chr(10)'
  return FIELDS.map((f) => `coalesce(${row === 'new' ? 'new.' : ''}${f}, '')`).join(` || ${nl} || `)
}

const changed = FIELDS.map((f) => `old.${f} is distinct from new.${f}`).join(' or ')

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- runs before the typed schema exists
type AnyDb = Kysely<any>
const run = (db: AnyDb, text: string) => sql.raw(text).execute(db)

async function sqliteSearch(db: AnyDb): Promise<void> {
  await run(
    db,
    `create virtual table ticket_search_fts using fts5(body, content='ticket_search',
      content_rowid='sid', tokenize='trigram')`,
  )
  await run(
    db,
    `insert into ticket_search (ticket_id, body) select id, ${body('tickets', 'sqlite')}
     from tickets order by created_at, id`,
  )
  await run(db, `insert into ticket_search_fts (ticket_search_fts) values ('rebuild')`)
  // External content: the FTS index follows ticket_search through these triggers.
  await run(
    db,
    `create trigger ticket_search_ai after insert on ticket_search begin
       insert into ticket_search_fts (rowid, body) values (new.sid, new.body);
     end`,
  )
  await run(
    db,
    `create trigger ticket_search_ad after delete on ticket_search begin
       insert into ticket_search_fts (ticket_search_fts, rowid, body)
         values ('delete', old.sid, old.body);
     end`,
  )
  await run(
    db,
    `create trigger ticket_search_au after update on ticket_search begin
       insert into ticket_search_fts (ticket_search_fts, rowid, body)
         values ('delete', old.sid, old.body);
       insert into ticket_search_fts (rowid, body) values (new.sid, new.body);
     end`,
  )
  await run(
    db,
    `create trigger tickets_search_ai after insert on tickets begin
       insert into ticket_search (ticket_id, body) values (new.id, ${body('new', 'sqlite')});
     end`,
  )
  await run(
    db,
    `create trigger tickets_search_au after update on tickets when ${changed} begin
       update ticket_search set body = ${body('new', 'sqlite')} where ticket_id = new.id;
     end`,
  )
  await run(
    db,
    `create trigger tickets_search_ad after delete on tickets begin
       delete from ticket_search where ticket_id = old.id;
     end`,
  )
}

/** Whether pg_trgm could be installed (or already was); without it search scans (still correct). */
async function installTrgm(db: AnyDb): Promise<boolean> {
  const available = await sql<{ n: number }>`
    select count(*)::int as n from pg_available_extensions where name = 'pg_trgm'`.execute(db)
  if (!available.rows[0]?.n) return false
  await run(db, 'savepoint trgm')
  try {
    await run(db, 'create extension if not exists pg_trgm')
    await run(db, 'release savepoint trgm')
    return true
  } catch {
    // Not allowed to create extensions here: roll back just that and carry on without it.
    await run(db, 'rollback to savepoint trgm')
    return false
  }
}

async function postgresSearch(db: AnyDb): Promise<void> {
  await run(db, 'create sequence ticket_search_sid')
  await run(
    db,
    `insert into ticket_search (sid, ticket_id, body)
     select nextval('ticket_search_sid'), id, ${body('tickets', 'postgres')}
     from (select * from tickets order by created_at, id) t`,
  )
  await run(
    db,
    `create function ticket_search_sync() returns trigger language plpgsql as $$
     begin
       insert into ticket_search (sid, ticket_id, body)
         values (nextval('ticket_search_sid'), new.id, ${body('new', 'postgres')})
         on conflict (ticket_id) do update set body = excluded.body;
       return null;
     end $$`,
  )
  await run(
    db,
    `create trigger tickets_search_ai after insert on tickets
     for each row execute function ticket_search_sync()`,
  )
  await run(
    db,
    `create trigger tickets_search_au after update on tickets
     for each row when (${changed}) execute function ticket_search_sync()`,
  )
  await run(
    db,
    `create function ticket_search_forget() returns trigger language plpgsql as $$
     begin
       delete from ticket_search where ticket_id = old.id;
       return null;
     end $$`,
  )
  await run(
    db,
    `create trigger tickets_search_ad after delete on tickets
     for each row execute function ticket_search_forget()`,
  )
  if (await installTrgm(db))
    await run(
      db,
      'create index ticket_search_body_trgm on ticket_search using gin (body gin_trgm_ops)',
    )
}

export const migration: Migration = {
  version: 3,
  name: 'search',
  async up(db, engine: Engine) {
    await addColumn(db, engine, 'tickets', 'caller_name', 'text null')
    await run(
      db,
      engine === 'sqlite'
        ? `update tickets set caller_name = json_extract(data, '$.caller.name')`
        : `update tickets set caller_name = data::json -> 'caller' ->> 'name'`,
    )
    await createTable(db, engine, {
      name: 'ticket_search',
      columns: { sid: 'bigint pk', ticket_id: 'text', body: 'text' },
      indexes: [{ columns: ['ticket_id'], unique: true }],
    })
    if (engine === 'sqlite') await sqliteSearch(db)
    else await postgresSearch(db)
  },
}
