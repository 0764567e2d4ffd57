// The admin audit log (issue 12): every change an admin made through the admin API — who, when,
// which route, on what, with which values (secrets left out) — appended, never changed, and
// readable by admins (GET /api/v1/admin/audit). Users and reference data are where a city's
// access and rules are decided; the log says who decided what.
import { createTable, type Engine } from '../dsl'
import type { Migration } from '../migrate'

export const migration: Migration = {
  version: 12,
  name: 'admin-audit',
  async up(db, engine: Engine) {
    await createTable(db, engine, {
      name: 'admin_audit',
      columns: {
        // A UUIDv7: time-ordered, so newest first is by id.
        id: 'text pk',
        at: 'time',
        actor_id: 'text',
        // The admin's name as it was then (a user may be renamed or go).
        actor_name: 'text',
        // `METHOD /route/:pattern`, e.g. `PUT /api/v1/admin/users/:id`.
        action: 'text',
        // The route's `:id` or `:code`, when it has one.
        target: 'text null',
        status: 'int',
        // { params, query, body (secrets as ***), result } as JSON.
        details: 'json',
      },
    })
  },
}
