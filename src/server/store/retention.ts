// The change log is kept for a while, not for ever: consoles that were away longer than that
// start again from a snapshot (DESIGN.md §4). The floor is the lowest seq still kept; a pull
// from below it would miss changes, so it is refused as stale.
import type { Kysely } from 'kysely'
import type { DB } from './types'

const FLOOR = 'change_log_floor'

export async function changeLogFloor(db: Kysely<DB>): Promise<number> {
  const r = await db
    .selectFrom('counters')
    .select('value')
    .where('name', '=', FLOOR)
    .executeTakeFirst()
  return r ? Number(r.value) : 0
}

/**
 * Forget change-log rows (and the stored mutation results they point at) older than `beforeIso`,
 * up to `maxSeq` at most (so nothing still settling is touched). Returns the new floor.
 */
export async function pruneChangeLog(
  db: Kysely<DB>,
  beforeIso: string,
  maxSeq: number,
): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const last = await tx
      .selectFrom('change_log')
      .select('seq')
      .where('at', '<', beforeIso)
      .where('seq', '<=', maxSeq)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    const current = await changeLogFloor(tx)
    if (!last || Number(last.seq) < current) return current
    const floor = Number(last.seq) + 1
    await tx.deleteFrom('change_log').where('seq', '<', floor).execute()
    await tx.deleteFrom('mutation_results').where('seq', '<', floor).execute()
    const updated = await tx
      .updateTable('counters')
      .set({ value: floor })
      .where('name', '=', FLOOR)
      .executeTakeFirst()
    if (Number(updated.numUpdatedRows) === 0)
      await tx.insertInto('counters').values({ name: FLOOR, value: floor }).execute()
    return floor
  })
}
