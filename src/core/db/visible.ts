// Writes of the visible `tickets` rows and their timeline events. The row id encodes creation
// time (created_at * 1024 + a slot picked from the ticket id), so it changes only if the server
// settles a different creation time than the console guessed: then the row is moved.
import type Database from 'better-sqlite3'
import { STATUSES, type Ticket, type TimelineEvent } from '../../shared/ticket'
import { TICKET_COLUMNS, deadlineThresholds, ticketColumns, type TicketColumns } from './columns'
import { OwnDeadlines } from './own-deadlines'

const SLOTS = 1024

function slotOf(id: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return (h >>> 0) % SLOTS
}

export class VisibleRows {
  private readonly s
  /** The deadlines of units lower in the chain (issue 16). */
  private readonly own: OwnDeadlines
  constructor(
    private readonly db: Database.Database,
    private readonly fraction: () => number,
  ) {
    const cols = TICKET_COLUMNS
    this.own = new OwnDeadlines(db)
    this.s = {
      byId: db.prepare<[string], { rid: number; created_at: number }>(
        'SELECT rid, created_at FROM tickets WHERE id = ?',
      ),
      taken: db.prepare<[number], { one: number }>('SELECT 1 AS one FROM tickets WHERE rid = ?'),
      insert: db.prepare<[TicketColumns]>(
        `INSERT INTO tickets (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`,
      ),
      update: db.prepare<[TicketColumns]>(
        `UPDATE tickets SET ${cols
          .filter((c) => c !== 'rid' && c !== 'id')
          .map((c) => `${c} = @${c}`)
          .join(', ')} WHERE rid = @rid`,
      ),
      remove: db.prepare<[string]>('DELETE FROM tickets WHERE id = ?'),
      json: db.prepare<[string], { data: string }>(
        `SELECT coalesce(t.local, s.data) AS data FROM tickets t
         LEFT JOIN server_tickets s ON s.id = t.id WHERE t.id = ?`,
      ),
      deleteLocalEvents: db.prepare<[string]>(
        'DELETE FROM events WHERE ticket_id = ? AND local = 1',
      ),
      deleteEvents: db.prepare<[string]>('DELETE FROM events WHERE ticket_id = ?'),
      serverEvent: db.prepare<[string, string, number, number, string]>(
        `INSERT OR REPLACE INTO events (id, ticket_id, version, at, local, data)
         VALUES (?, ?, ?, ?, 0, ?)`,
      ),
      localEvent: db.prepare<[string, string, number, number, string]>(
        `INSERT OR IGNORE INTO events (id, ticket_id, version, at, local, data)
         VALUES (?, ?, ?, ?, 1, ?)`,
      ),
      running: db.prepare<
        [],
        {
          rid: number
          status: number
          dispatched_at: number | null
          signed_at: number | null
          sign_by: number | null
          due_at: number | null
        }
      >(
        `SELECT rid, status, dispatched_at, signed_at, sign_by, due_at FROM tickets
         WHERE dl_over IS NOT NULL`,
      ),
      setDeadline: db.prepare<[number | null, number | null, number]>(
        'UPDATE tickets SET dl_over = ?, dl_risk = ? WHERE rid = ?',
      ),
    }
  }

  /** The visible ticket's JSON (the pending state when there is one), or null. */
  json(id: string): string | null {
    return this.s.json.get(id)?.data ?? null
  }

  ticket(id: string): Ticket | null {
    const j = this.json(id)
    return j == null ? null : (JSON.parse(j) as Ticket)
  }

  /** Make `t` the visible ticket; `local` is its JSON when it differs from the server row. */
  write(t: Ticket, local: string | null): void {
    const row = ticketColumns(t, this.fraction(), local)
    const existing = this.s.byId.get(t.id)
    if (existing && existing.created_at === row.created_at) {
      row.rid = existing.rid
      this.s.update.run(row)
      this.own.write(row.rid, t, this.fraction())
      return
    }
    if (existing) this.s.remove.run(t.id)
    row.rid = this.freeRid(row.created_at as number, t.id)
    this.s.insert.run(row)
    this.own.write(row.rid, t, this.fraction(), true)
  }

  remove(id: string): void {
    this.s.remove.run(id)
  }

  private freeRid(createdAt: number, id: string): number {
    const base = createdAt * SLOTS
    const start = slotOf(id)
    for (let i = 0; i < SLOTS; i++) {
      const rid = base + ((start + i) % SLOTS)
      if (!this.s.taken.get(rid)) return rid
    }
    throw new Error(`more than ${SLOTS} tickets created in the same millisecond`)
  }

  serverEvent(e: TimelineEvent): void {
    this.s.serverEvent.run(e.id, e.ticketId, e.version, Date.parse(e.at), JSON.stringify(e))
  }

  localEvent(e: TimelineEvent): void {
    this.s.localEvent.run(e.id, e.ticketId, e.version, Date.parse(e.at), JSON.stringify(e))
  }

  deleteLocalEvents(ticketId: string): void {
    this.s.deleteLocalEvents.run(ticketId)
  }

  deleteEvents(ticketId: string): void {
    this.s.deleteEvents.run(ticketId)
  }

  /** The at-risk fraction changed: recompute the thresholds of every ticket whose clock runs. */
  recomputeDeadlines(): void {
    const iso = (v: number | null) => (v == null ? null : new Date(v).toISOString())
    for (const r of this.s.running.all()) {
      const { over, risk } = deadlineThresholds(
        {
          status: STATUSES[r.status]!,
          dispatchedAt: iso(r.dispatched_at),
          signedAt: iso(r.signed_at),
          signBy: iso(r.sign_by),
          dueAt: iso(r.due_at),
        },
        this.fraction(),
      )
      this.s.setDeadline.run(over, risk, r.rid)
    }
    this.own.recompute(this.fraction())
  }
}
