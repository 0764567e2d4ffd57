// Deadlines at a unit's own level (issue 16). The `tickets` row holds the city's view: the
// level-1 assignment's sign-by, due and clock. A unit reached lower in the chain — a street
// office the sub-centre passed the ticket to, a community, an assisting unit — works to its own
// assignment's deadlines, so `own_deadlines` holds one row per such unit and ticket: its level,
// dispatch, signing, sign-by, due and clock thresholds. A unit's queue reads them in place of the
// ticket's (queue-sql.ts); a unit whose assignment is the level-1 one has no row and reads the
// ticket's. Rows go with their ticket (a trigger) and are rewritten with it.
import type Database from 'better-sqlite3'
import { chainOf, live, ownClockRuns, ownLink } from '../../shared/assignments'
import type { Ticket } from '../../shared/ticket'
import { deadlineThresholds } from './columns'

export interface OwnDeadlineRow {
  unit: string
  level: number
  at: number
  signed: number | null
  signBy: number
  due: number
  over: number | null
  risk: number | null
}

/** The rows of a ticket: every unit holding a live assignment other than the level-1 lead. */
export function ownDeadlineRows(t: Ticket, fraction: number): OwnDeadlineRow[] {
  if (!t.assignments) return []
  const units = new Set<string>()
  for (const a of chainOf(t)) if (live(a)) units.add(a.unit)
  const out: OwnDeadlineRow[] = []
  for (const unit of units) {
    const a = ownLink(t, unit)
    if (!a) continue
    const { over, risk } = ownClockRuns(t, a)
      ? deadlineThresholds(
          {
            status: a.signedAt == null ? 'dispatched' : 'in_progress',
            dispatchedAt: a.at,
            signedAt: a.signedAt,
            signBy: a.signBy,
            dueAt: a.dueAt,
          },
          fraction,
        )
      : { over: null, risk: null }
    out.push({
      unit,
      level: a.level,
      at: Date.parse(a.at),
      signed: a.signedAt == null ? null : Date.parse(a.signedAt),
      signBy: Date.parse(a.signBy),
      due: Date.parse(a.dueAt),
      over,
      risk,
    })
  }
  return out
}

/** The table and the trigger that drops a ticket's rows with it (migration 6). */
export const OWN_DEADLINES_DDL = `
  CREATE TABLE own_deadlines (
    rid INTEGER NOT NULL,
    unit TEXT NOT NULL,
    level INTEGER NOT NULL,
    own_at INTEGER NOT NULL,
    own_signed INTEGER,
    own_sign_by INTEGER NOT NULL,
    own_due INTEGER NOT NULL,
    own_over INTEGER,
    own_risk INTEGER,
    PRIMARY KEY (rid, unit)
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER own_deadlines_ad AFTER DELETE ON tickets BEGIN
    DELETE FROM own_deadlines WHERE rid = old.rid;
  END;`

/** Writes a ticket's rows in place of what it had. */
export class OwnDeadlines {
  private readonly s
  constructor(db: Database.Database) {
    this.s = {
      clear: db.prepare<[number]>('DELETE FROM own_deadlines WHERE rid = ?'),
      insert: db.prepare<
        [
          number,
          string,
          number,
          number,
          number | null,
          number,
          number,
          number | null,
          number | null,
        ]
      >(
        `INSERT INTO own_deadlines (rid, unit, level, own_at, own_signed, own_sign_by, own_due,
           own_over, own_risk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      held: db.prepare<[], { rid: number; data: string }>(
        `SELECT t.rid, coalesce(t.local, s.data) AS data FROM tickets t
         LEFT JOIN server_tickets s ON s.id = t.id
         WHERE t.rid IN (SELECT DISTINCT rid FROM own_deadlines)`,
      ),
    }
  }

  /** `fresh`: a new `tickets` row (its rid had none), so there is nothing to clear. */
  write(rid: number, t: Ticket, fraction: number, fresh = false): void {
    if (!fresh) this.s.clear.run(rid)
    for (const r of ownDeadlineRows(t, fraction))
      this.s.insert.run(rid, r.unit, r.level, r.at, r.signed, r.signBy, r.due, r.over, r.risk)
  }

  /** The at-risk fraction changed: every row again from its ticket. */
  recompute(fraction: number): void {
    for (const r of this.s.held.all()) this.write(r.rid, JSON.parse(r.data) as Ticket, fraction)
  }
}
