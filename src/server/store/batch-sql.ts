// The group-commit batch's writes as fixed statement texts (issue 18): Kysely building and
// compiling a batch's multi-row statements, and the database parsing and planning a new text
// every batch, were much of a busy server's push time. Each engine now sends texts that do not
// change from batch to batch, so they are prepared once per connection and reused:
//  - PostgreSQL: one statement of data-modifying CTEs, each table's rows as one JSON parameter
//    (`json_populate_recordset`), sent as a named prepared statement (db.ts `prepared`);
//  - SQLite: one cached statement a table, run once a row (a run of a prepared statement costs
//    microseconds; the transaction is in-process, so rows cost no round trips).
import type Database from 'better-sqlite3'
import { CompiledQuery, type Transaction } from 'kysely'
import { prepared } from './db'
import type {
  ChangeLogTable,
  DB,
  MutationResultsTable,
  TicketAssignmentsTable,
  TicketsTable,
  TimelineEventsTable,
} from './types'

/** A console's row as the batch leaves it. */
export interface ClientRow {
  client_id: string
  user_id: string
  last_mutation_id: number
  last_seq: number
  updated_at: string
}

/** Everything a batch writes, as rows. */
export interface BatchRows {
  /** Each ticket once, as the batch leaves it (inserted, or replacing the stored row). */
  tickets: TicketsTable[]
  events: TimelineEventsTable[]
  changes: ChangeLogTable[]
  results: MutationResultsTable[]
  /** Tickets whose chain changed: their `ticket_assignments` rows become `assignments`. */
  chains: string[]
  assignments: TicketAssignmentsTable[]
  clients: ClientRow[]
}

const columns = (rows: object[]): string[] => (rows.length ? Object.keys(rows[0]!) : [])

const list = (cols: string[], prefix = '') => cols.map((c) => `${prefix}"${c}"`).join(', ')

const setExcluded = (cols: string[], key: string[]) =>
  cols
    .filter((c) => !key.includes(c))
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(', ')

// The column lists come from the row builders (rows.ts), which always give every column; the
// texts are built once for those lists and kept.
const pgTexts = new Map<string, string>()

/** PostgreSQL's statement for a batch whose rows have these columns. */
function pgText(cols: { t: string[]; e: string[]; c: string[]; r: string[]; a: string[] }): string {
  const key = JSON.stringify(cols)
  let text = pgTexts.get(key)
  if (text) return text
  const from = (table: string, n: number) => `json_populate_recordset(null::${table}, $${n}::json)`
  const insert = (table: string, c: string[], n: number) =>
    `insert into ${table} (${list(c)}) select ${list(c)} from ${from(table, n)}`
  const parts: string[] = []
  if (cols.t.length)
    parts.push(
      `t as (${insert('tickets', cols.t, 1)} on conflict ("id") do update set ${setExcluded(cols.t, ['id'])})`,
    )
  if (cols.e.length) parts.push(`e as (${insert('timeline_events', cols.e, 2)})`)
  if (cols.c.length) parts.push(`c as (${insert('change_log', cols.c, 3)})`)
  if (cols.r.length) parts.push(`r as (${insert('mutation_results', cols.r, 4)})`)
  // A chain is rewritten as rows replaced and rows dropped: in one statement its delete and its
  // insert touch different rows (a delete then an insert of the same key would collide).
  parts.push(
    `a as (delete from ticket_assignments d where d.ticket_id = any($5::text[]) and not exists (
       select 1 from ${from('ticket_assignments', 6)} k where k.ticket_id = d.ticket_id and k.id = d.id))`,
  )
  if (cols.a.length)
    parts.push(
      `ai as (${insert('ticket_assignments', cols.a, 6)} on conflict ("ticket_id", "id") do update set ${setExcluded(cols.a, ['ticket_id', 'id'])})`,
    )
  parts.push(
    `u as (update clients k set last_mutation_id = u.last_mutation_id, last_seq = u.last_seq,
       user_id = u.user_id, updated_at = u.updated_at
       from ${from('clients', 7)} u where k.client_id = u.client_id)`,
  )
  // Every parameter named once with its type, whichever tables this batch leaves out (a
  // parameter no part uses would have no type to be prepared with).
  text = `with ${parts.join(',\n')}
select 1 as x from (values ($1::json, $2::json, $3::json, $4::json, $5::text[], $6::json, $7::json)) p`
  pgTexts.set(key, text)
  return text
}

/** PostgreSQL: the whole batch in one statement, one round trip. */
export async function writePostgres(tx: Transaction<DB>, b: BatchRows): Promise<void> {
  const text = pgText({
    t: columns(b.tickets),
    e: columns(b.events),
    c: columns(b.changes),
    r: columns(b.results),
    a: columns(b.assignments),
  })
  const json = (rows: object[]) => JSON.stringify(rows)
  await tx.executeQuery(
    CompiledQuery.raw(prepared(text), [
      json(b.tickets),
      json(b.events),
      json(b.changes),
      json(b.results),
      b.chains,
      json(b.assignments),
      json(b.clients),
    ]),
  )
}

type Prepare = (text: string) => Database.Statement

/** A value as better-sqlite3 binds it: a column left undefined is null. */
const bindable = (v: unknown) => (v === undefined ? null : v)

// The texts for SQLite, by table and column list, built once (see pgTexts).
const sqliteTexts = new Map<string, string>()

/**
 * Inserts `rows` into `table` with one statement kept prepared, run once a row; with `conflict`,
 * a row whose key is there replaces it.
 */
function insertRows(prepare: Prepare, table: string, rows: object[], conflict?: string[]): void {
  if (!rows.length) return
  const cols = columns(rows)
  const key = `${table}|${cols.join(',')}|${conflict?.join(',') ?? ''}`
  let text = sqliteTexts.get(key)
  if (!text) {
    text =
      `insert into ${table} (${list(cols)}) values (${cols.map(() => '?').join(', ')})` +
      (conflict
        ? ` on conflict (${list(conflict)}) do update set ${setExcluded(cols, conflict)}`
        : '')
    sqliteTexts.set(key, text)
  }
  const stmt = prepare(text)
  for (const row of rows) stmt.run(cols.map((c) => bindable((row as Record<string, unknown>)[c])))
}

/** SQLite: each table's rows through its statement, kept prepared. */
export function writeSqlite(prepare: Prepare, b: BatchRows): void {
  insertRows(prepare, 'tickets', b.tickets, ['id'])
  insertRows(prepare, 'timeline_events', b.events)
  insertRows(prepare, 'change_log', b.changes)
  insertRows(prepare, 'mutation_results', b.results)
  if (b.chains.length) {
    const drop = prepare('delete from ticket_assignments where ticket_id = ?')
    for (const id of b.chains) drop.run(id)
  }
  insertRows(prepare, 'ticket_assignments', b.assignments)
  const client = prepare(
    `update clients set last_mutation_id = ?, last_seq = ?, user_id = ?, updated_at = ?
     where client_id = ?`,
  )
  for (const c of b.clients)
    client.run(c.last_mutation_id, c.last_seq, c.user_id, c.updated_at, c.client_id)
}
