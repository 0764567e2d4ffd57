// Dispatch levels (issue 16): which units a ticket's chain reaches (`levels`, `|A|B|`: unit
// staff's scope, as on the server) and which of them have something to do now (`waiting`: a
// unit's inbox — a sub-centre's own 待派单). Rows already cached get both from their JSON, so
// a cache from before the chain keeps its queues without a rebuild.
import { chainUnits, waitingUnits } from '../../../shared/assignments'
import type { Ticket } from '../../../shared/ticket'
import type { Migration } from './types'

export const unitsKey = (units: readonly string[]): string | null =>
  units.length ? `|${units.join('|')}|` : null

export const m0005: Migration = {
  version: 5,
  name: 'levels',
  kind: 'cache',
  up(db) {
    db.exec(`ALTER TABLE tickets ADD COLUMN levels TEXT;
      ALTER TABLE tickets ADD COLUMN waiting TEXT;`)
    const page = db.prepare(
      `SELECT t.rid, coalesce(t.local, s.data) AS data FROM tickets t
       LEFT JOIN server_tickets s ON s.id = t.id WHERE t.rid > ? ORDER BY t.rid LIMIT 5000`,
    )
    const set = db.prepare('UPDATE tickets SET levels = ?, waiting = ? WHERE rid = ?')
    for (let after = Number.MIN_SAFE_INTEGER; ;) {
      const rows = page.all(after) as Array<{ rid: number; data: string | null }>
      if (rows.length === 0) return
      for (const r of rows) {
        if (r.data == null) continue
        const t = JSON.parse(r.data) as Ticket
        const levels = unitsKey(chainUnits(t))
        const waiting = unitsKey(waitingUnits(t))
        if (levels || waiting) set.run(levels, waiting, r.rid)
      }
      after = rows.at(-1)!.rid
    }
  },
}
