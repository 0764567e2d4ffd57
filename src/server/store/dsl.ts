// One engine-neutral description of tables, turned into DDL for SQLite and PostgreSQL. Migrations
// describe their tables with it, so both engines get the same schema from the same lines.
import { sql, type Kysely, type SqlBool } from 'kysely'

export type Engine = 'sqlite' | 'postgres'

/**
 * Column types. Times are ISO 8601 UTC text (they sort as text on both engines); JSON is text
 * (parsed in the store, so both engines hand back the same shapes); booleans are 0/1 integers.
 */
export type ColumnType = 'text' | 'int' | 'bigint' | 'real' | 'json' | 'time' | 'bool'

/** `type`, optionally followed by `null` (nullable) and/or `pk`: `'text pk'`, `'time null'`. */
export type ColumnSpec = `${ColumnType}${'' | ' null'}${'' | ' pk'}`

export interface TableSpec {
  name: string
  columns: Record<string, ColumnSpec>
  /** Composite primary key, when no column is marked `pk`. */
  primaryKey?: string[]
  indexes?: Array<{ columns: string[]; unique?: boolean; name?: string }>
}

const SQL_TYPES: Record<Engine, Record<ColumnType, string>> = {
  sqlite: {
    text: 'text',
    int: 'integer',
    bigint: 'integer',
    real: 'real',
    json: 'text',
    time: 'text',
    bool: 'integer',
  },
  postgres: {
    text: 'text',
    int: 'integer',
    bigint: 'bigint',
    real: 'double precision',
    json: 'text',
    time: 'text',
    bool: 'smallint',
  },
}

export function parseColumn(spec: ColumnSpec): {
  type: ColumnType
  nullable: boolean
  pk: boolean
} {
  const [type, ...flags] = spec.split(' ') as [ColumnType, ...string[]]
  return { type, nullable: flags.includes('null'), pk: flags.includes('pk') }
}

// DDL goes through Kysely's schema builder: it quotes names and speaks both dialects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists
type AnyDb = Kysely<any>

export async function createTable(db: AnyDb, engine: Engine, t: TableSpec): Promise<void> {
  let builder = db.schema.createTable(t.name)
  for (const [name, spec] of Object.entries(t.columns)) {
    const c = parseColumn(spec)
    builder = builder.addColumn(name, sql.raw(SQL_TYPES[engine][c.type]), (col) => {
      let out = c.nullable ? col : col.notNull()
      if (c.pk) out = out.primaryKey()
      return out
    })
  }
  if (t.primaryKey) builder = builder.addPrimaryKeyConstraint(`${t.name}_pk`, t.primaryKey as never)
  // STRICT makes SQLite check the declared types as PostgreSQL does.
  if (engine === 'sqlite') builder = builder.modifyEnd(sql`strict`)
  await builder.execute()
  for (const ix of t.indexes ?? []) {
    const name = ix.name ?? `${t.name}_${ix.columns.join('_')}_${ix.unique ? 'uq' : 'ix'}`
    let ib = db.schema.createIndex(name).on(t.name).columns(ix.columns)
    if (ix.unique) ib = ib.unique()
    await ib.execute()
  }
}

export async function addColumn(
  db: AnyDb,
  engine: Engine,
  table: string,
  name: string,
  spec: ColumnSpec,
  defaultValue?: string | number,
): Promise<void> {
  const c = parseColumn(spec)
  await db.schema
    .alterTable(table)
    .addColumn(name, sql.raw(SQL_TYPES[engine][c.type]), (col) => {
      let out = c.nullable ? col : col.notNull()
      if (defaultValue !== undefined) out = out.defaultTo(defaultValue)
      return out
    })
    .execute()
}

/**
 * `column` contains `needle` as plain text: no LIKE wildcards (`_`, `%`) and no case folding
 * (SQLite's LIKE ignores ASCII case), on either engine.
 */
export const containsText = (engine: Engine, column: string, needle: string) =>
  engine === 'postgres'
    ? sql<SqlBool>`strpos(${sql.ref(column)}, ${needle}) > 0`
    : sql<SqlBool>`instr(${sql.ref(column)}, ${needle}) > 0`

/**
 * Unit staff's scope: rows whose `|A|B|` units key (store/rows.ts) names this exact unit. Pull,
 * snapshot, search and cases all scope with it, so a unit whose code differs from another's by
 * `_` or by case never sees the other's tickets.
 */
export const withUnit = (engine: Engine, column: string, unit: string) =>
  containsText(engine, column, `|${unit}|`)
