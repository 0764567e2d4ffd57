// Exemptions in the cache (issue 17): `exempt` is 1 while a ticket is out of the units' scores
// (不纳入考核), so the dashboard's 按时办结率 (应办结: dispatched tickets due in the period, exempt
// ones out — kpi-units.ts) and its drill-down are SQL over `tickets`. Rows already cached get it
// from their JSON.
import type { Ticket } from '../../../shared/ticket'
import type { Migration } from './types'

export const m0006: Migration = {
  version: 6,
  name: 'exempt',
  kind: 'cache',
  up(db) {
    db.exec(`ALTER TABLE tickets ADD COLUMN exempt INTEGER NOT NULL DEFAULT 0;`)
    const page = db.prepare(
      `SELECT t.rid, coalesce(t.local, s.data) AS data FROM tickets t
       LEFT JOIN server_tickets s ON s.id = t.id WHERE t.rid > ? ORDER BY t.rid LIMIT 5000`,
    )
    const set = db.prepare('UPDATE tickets SET exempt = 1 WHERE rid = ?')
    for (let after = Number.MIN_SAFE_INTEGER; ;) {
      const rows = page.all(after) as Array<{ rid: number; data: string | null }>
      if (rows.length === 0) return
      for (const r of rows) {
        if (r.data != null && (JSON.parse(r.data) as Ticket).exemption) set.run(r.rid)
      }
      after = rows.at(-1)!.rid
    }
  },
}
