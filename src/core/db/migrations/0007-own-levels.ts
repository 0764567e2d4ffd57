// A unit's own level (issue 16). Deadlines (own-deadlines.ts): a street office's queue follows
// its own assignment's sign-by and due, not the city's. `to_pass` (`|A|B|`): the units that have
// the ticket to pass down or handle at their level — a sub-centre's 待下派 view. Rows already
// cached get both from their JSON (deadlines at the cache's at-risk fraction), so a cache from
// before keeps its queues without a rebuild.
import { toPassUnits } from '../../../shared/assignments'
import type { Ticket } from '../../../shared/ticket'
import { unitsKey } from './0005-levels'
import { OWN_DEADLINES_DDL, OwnDeadlines } from '../own-deadlines'
import type { Migration } from './types'

/** As local-store.ts: the meta key and the default when the server has not said. */
const FRACTION_KEY = 'deadline.fraction'
const DEFAULT_AT_RISK = 0.2

export const m0007: Migration = {
  version: 7,
  name: 'own-levels',
  kind: 'cache',
  up(db) {
    db.exec(OWN_DEADLINES_DDL)
    db.exec('ALTER TABLE tickets ADD COLUMN to_pass TEXT')
    const setPass = db.prepare('UPDATE tickets SET to_pass = ? WHERE rid = ?')
    const meta = db.prepare('SELECT value FROM meta WHERE key = ?').get(FRACTION_KEY) as
      { value: string } | undefined
    const fraction = Number(meta?.value ?? DEFAULT_AT_RISK)
    const own = new OwnDeadlines(db)
    const page = db.prepare(
      `SELECT t.rid, coalesce(t.local, s.data) AS data FROM tickets t
       LEFT JOIN server_tickets s ON s.id = t.id
       WHERE t.rid > ? AND t.levels IS NOT NULL ORDER BY t.rid LIMIT 5000`,
    )
    for (let after = Number.MIN_SAFE_INTEGER; ;) {
      const rows = page.all(after) as Array<{ rid: number; data: string | null }>
      if (rows.length === 0) return
      for (const r of rows) {
        if (r.data == null) continue
        const t = JSON.parse(r.data) as Ticket
        own.write(r.rid, t, fraction, true)
        const pass = unitsKey(toPassUnits(t))
        if (pass) setPass.run(pass, r.rid)
      }
      after = rows.at(-1)!.rid
    }
  },
}
