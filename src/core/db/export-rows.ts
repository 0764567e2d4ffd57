// The rows of a queue query for an export: every ticket the same filter, scope and sort give
// `queue.query`, streamed so a million never sit in memory. They are read on a connection of
// their own, inside one read transaction: a snapshot of the cache (WAL), so tickets that change
// while the file is written are neither skipped nor written twice, and the count given first is
// exactly the number of rows that follow. The console's own connection keeps writing meanwhile.
import { openCacheDatabase, type CacheKey } from './cipher'
import { ownOr } from './columns'
import { fromSql, orderBy, queueWhere, whereSql } from './queue-sql'
import type { ParsedQueueQuery, Viewer } from './types'

/** One exported ticket as stored: enumerations as their index, times as epoch ms. */
export interface ExportRaw {
  id: string
  number: string | null
  created_at: number
  channel: number
  kind: number
  category: string
  urgency: number
  district: string | null
  address: string
  caller_name: string | null
  phone: string | null
  description: string
  unit: string | null
  status: number
  dispatched_at: number | null
  sign_by: number | null
  due_at: number | null
  completed_at: number | null
  satisfaction: string | null
}

export interface ExportCursor {
  /** The number of rows the cursor gives, counted in the same snapshot. */
  readonly total: number
  /** At most `n` more rows; fewer only at the end. */
  next(n: number): ExportRaw[]
  /** Ends the snapshot and closes the connection (also after the last row). */
  close(): void
}

const SELECT_ALL = `t.id, t.number, t.created_at, t.channel, t.kind, t.category, t.urgency,
  t.district, t.address, t.caller_name, t.phone, t.description, t.unit, t.status,
  t.dispatched_at, t.sign_by, t.due_at, t.completed_at,
  json_extract(coalesce(t.local, s.data), '$.satisfaction') AS satisfaction`
/** Unit staff with their own deadlines joined (queue-sql.ts) export them, as their queue shows. */
const SELECT_OWN = SELECT_ALL.replace(
  't.dispatched_at, t.sign_by, t.due_at,',
  `${ownOr('dispatched_at', 'own_at')} AS dispatched_at, ${ownOr('sign_by', 'own_sign_by')} AS sign_by,
  ${ownOr('due_at', 'own_due')} AS due_at,`,
)

/** Opens a snapshot of the cache file `dbFile` and the query's rows in it. */
export function openExportCursor(
  dbFile: string,
  q: ParsedQueueQuery,
  viewer: Viewer,
  nowMs: number,
  key: CacheKey | null = null,
): ExportCursor {
  const db = openCacheDatabase(dbFile, key, { readonly: true, fileMustExist: true })
  let iterator: IterableIterator<unknown> | null = null
  const close = () => {
    iterator?.return?.()
    iterator = null
    if (!db.open) return
    if (db.inTransaction) db.exec('COMMIT')
    db.close()
  }
  try {
    db.pragma('temp_store = FILE') // a big sort spills to disk, not to memory
    const w = queueWhere(q, viewer, nowMs)
    const where = whereSql(w)
    db.exec('BEGIN')
    const total = (
      db.prepare(`SELECT count(*) AS n FROM ${fromSql(w)} ${where}`).get(...w.params) as {
        n: number
      }
    ).n
    iterator = db
      .prepare(
        `SELECT ${w.join ? SELECT_OWN : SELECT_ALL} FROM ${fromSql(w)}
         LEFT JOIN server_tickets s ON s.id = t.id ${where} ORDER BY ${orderBy(q.sort, w)}`,
      )
      .iterate(...w.params)
    const rows = iterator
    return {
      total,
      next(n) {
        const out: ExportRaw[] = []
        while (out.length < n) {
          const r = rows.next()
          if (r.done) break
          out.push(r.value as ExportRaw)
        }
        return out
      },
      close,
    }
  } catch (e) {
    close()
    throw e
  }
}
