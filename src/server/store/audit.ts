// The admin audit log's rows (migration 0012): appended by the route layer after each admin
// change (src/server/http/audit.ts), read newest first by admins. Nothing updates or deletes them.
import type { Kysely } from 'kysely'
import type { DB } from './types'

export interface AuditEntry {
  id: string
  at: string
  actor: { id: string; name: string }
  action: string
  target: string | null
  status: number
  details: Record<string, unknown>
}

export class AdminAudit {
  constructor(private readonly db: Kysely<DB>) {}

  async record(e: AuditEntry): Promise<void> {
    await this.db
      .insertInto('admin_audit')
      .values({
        id: e.id,
        at: e.at,
        actor_id: e.actor.id,
        actor_name: e.actor.name,
        action: e.action,
        target: e.target,
        status: e.status,
        details: JSON.stringify(e.details),
      })
      .execute()
  }

  /** Newest first; `before` an entry's id to page on. */
  async list(limit: number, before: string | null): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('admin_audit').selectAll().orderBy('id', 'desc').limit(limit)
    if (before) q = q.where('id', '<', before)
    return (await q.execute()).map((r) => ({
      id: r.id,
      at: r.at,
      actor: { id: r.actor_id, name: r.actor_name },
      action: r.action,
      target: r.target,
      status: Number(r.status),
      details: JSON.parse(r.details) as Record<string, unknown>,
    }))
  }
}
