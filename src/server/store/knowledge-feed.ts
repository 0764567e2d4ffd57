// The knowledge base's feed (GET /api/v1/kb/pull): entries written after a cursor, read in one
// consistent snapshot and cut, on PostgreSQL, at the same settled seq as ticket pulls
// (changes.ts) — every knowledge write takes its seq from the change log — so an entry committed
// late with a lower seq is never skipped. An entry the reader may not hold (retired, unpublished,
// another unit's) comes as an id to drop.
import type { Kysely } from 'kysely'
import {
  kbCached,
  type KbEntry,
  type KbPullResponse,
  type KbReader,
  type KbStatus,
} from '../../shared/knowledge'
import { settledSeq } from './changes'
import type { Engine } from './dsl'
import type { DB } from './types'

export async function readKbFeed(
  db: Kysely<DB>,
  engine: Engine,
  cursor: number,
  limit: number,
  reader: KbReader,
): Promise<KbPullResponse> {
  const read = async (tx: Kysely<DB>): Promise<KbPullResponse> => {
    const settled = await settledSeq(tx, engine)
    const rows = await tx
      .selectFrom('kb_entries')
      .select(['id', 'status', 'unit', 'seq', 'data'])
      .where('seq', '>', cursor)
      .where('seq', '<=', settled)
      .orderBy('seq')
      .limit(limit + 1)
      .execute()
    const hasMore = rows.length > limit
    const page = rows.slice(0, limit)
    const entries: KbEntry[] = []
    const removed: string[] = []
    for (const r of page) {
      if (kbCached({ status: r.status as KbStatus, unit: r.unit }, reader))
        entries.push(JSON.parse(r.data) as KbEntry)
      else removed.push(r.id)
    }
    const next = hasMore ? Number(page[page.length - 1]!.seq) : Math.max(cursor, settled)
    return { cursor: next, hasMore, entries, removed }
  }
  if (engine === 'postgres')
    return db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(read)
  return db.transaction().execute(read)
}
