// Reads for the screens: queue pages and counts, one ticket, caller history, search, routing
// history and KPI input. Queue SQL is built per query shape and its statements cached.
import type Database from 'better-sqlite3'
import type {
  DuplicateCandidate,
  QueuePage,
  QueueRange,
  RejectedMutation,
  SavedView,
  TicketRow,
} from '../../shared/api'
import { normalizePhone } from '../../shared/actions'
import type { ReferenceData } from '../../shared/reference'
import { OPEN_STATUSES, type Ticket, type TimelineEvent } from '../../shared/ticket'
import { ROW_SELECT, statusCode, toTicketRow, type RawRow } from './columns'
import { findDuplicates } from './duplicates'
import type { CacheKey } from './cipher'
import { openExportCursor, type ExportCursor } from './export-rows'
import {
  fromSql,
  newWhere,
  orderBy,
  queueWhere,
  rowSelect,
  scope,
  viewCondition,
  whereSql,
  type Where,
} from './queue-sql'
import { matchAll, planText, textConditions } from './text-search'
import type { DuplicateArgs, ParsedQueueQuery, ParsedQueueRange, Viewer } from './types'
import { RANGE_MAX } from '../../shared/api'

/** Views whose size is a sum of the per-status counters (for viewers not scoped to a unit). */
const COUNTED: Partial<Record<SavedView, number | null>> = {
  new: statusCode('new'),
  returns: statusCode('return_requested'),
  callbacks: statusCode('replied'),
  all: null,
}

const OPEN_CODES = OPEN_STATUSES.map(statusCode).join(', ')

export class StoreReads {
  private readonly cache = new Map<string, Database.Statement>()

  constructor(
    readonly db: Database.Database,
    /** The cache's encryption key (cipher.ts), for the export's own read connection. */
    private readonly key: CacheKey | null = null,
  ) {}

  /** A prepared statement for this SQL text, kept for the next query of the same shape. */
  stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql)
    if (!s) {
      if (this.cache.size > 500) this.cache.clear()
      s = this.db.prepare(sql)
      this.cache.set(sql, s)
    }
    return s
  }

  rows(sql: string, params: unknown[], nowMs: number): TicketRow[] {
    return (this.stmt(sql).all(...params) as RawRow[]).map((r) => toTicketRow(r, nowMs))
  }

  queue(q: ParsedQueueQuery, viewer: Viewer, nowMs: number): QueuePage {
    const w = queueWhere(q, viewer, nowMs)
    const rows = this.rows(
      `SELECT ${rowSelect(w)} FROM ${fromSql(w)} ${whereSql(w)} ORDER BY ${orderBy(q.sort, w)} LIMIT ? OFFSET ?`,
      [...w.params, q.limit, q.offset],
      nowMs,
    )
    const onlyView = Object.entries(q.filter).every(([k, v]) => k === 'view' || v === undefined)
    const total =
      onlyView && rows.length < q.limit && q.offset === 0
        ? rows.length
        : onlyView
          ? this.viewCount(q.filter.view ?? 'all', viewer, nowMs)
          : this.count(w)
    return { rows, total }
  }

  /**
   * Shift+X: where each end is in the view now (a ticket that has left it: where it was), and
   * the rows between — both reads in one synchronous call on the one connection, so no change
   * can land between them and no row is doubled or skipped while the view shifts.
   */
  queueRange(q: ParsedQueueRange, viewer: Viewer, nowMs: number): QueueRange {
    const query: ParsedQueueQuery = { filter: q.filter, sort: q.sort, offset: 0, limit: 1 }
    const w = queueWhere(query, viewer, nowMs)
    const ids = [q.from.id, q.to.id].filter((id): id is string => id !== null)
    const found = new Map<string, number>()
    if (ids.length > 0) {
      const rows = this.stmt(
        `SELECT id, pos FROM (SELECT t.id AS id, ROW_NUMBER() OVER (ORDER BY ${orderBy(q.sort, w)}) - 1 AS pos
           FROM ${fromSql(w)} ${whereSql(w)}) WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ).all(...w.params, ...ids) as Array<{ id: string; pos: number }>
      for (const r of rows) found.set(r.id, r.pos)
    }
    const at = (end: ParsedQueueRange['from']) =>
      (end.id !== null ? found.get(end.id) : undefined) ?? end.index
    const [first, last] = [at(q.from), at(q.to)].sort((a, b) => a - b) as [number, number]
    const wanted = last - first + 1
    const rows = this.rows(
      `SELECT ${rowSelect(w)} FROM ${fromSql(w)} ${whereSql(w)} ORDER BY ${orderBy(q.sort, w)} LIMIT ? OFFSET ?`,
      [...w.params, Math.min(wanted, RANGE_MAX), first],
      nowMs,
    )
    return { rows, truncated: wanted > RANGE_MAX }
  }

  /** A queue query's every row, in a snapshot of its own, for an export (see export-rows.ts). */
  exportCursor(q: ParsedQueueQuery, viewer: Viewer, nowMs: number): ExportCursor {
    return openExportCursor(this.db.name, q, viewer, nowMs, this.key)
  }

  private count(w: Where): number {
    return (
      this.stmt(`SELECT count(*) AS n FROM ${fromSql(w)} ${whereSql(w)}`).get(...w.params) as {
        n: number
      }
    ).n
  }

  private viewCount(view: SavedView, viewer: Viewer, nowMs: number): number {
    if (viewer.role !== 'unit' && view in COUNTED) {
      const status = COUNTED[view]
      const r = (
        status == null
          ? this.stmt('SELECT coalesce(sum(n), 0) AS n FROM ticket_counts').get()
          : this.stmt('SELECT coalesce(sum(n), 0) AS n FROM ticket_counts WHERE status = ?').get(
              status,
            )
      ) as { n: number }
      return r.n
    }
    const w = newWhere(viewer)
    scope(w, viewer)
    viewCondition(w, view, viewer, nowMs)
    return this.count(w)
  }

  counts(views: readonly SavedView[], viewer: Viewer, nowMs: number): Record<SavedView, number> {
    const out = {} as Record<SavedView, number>
    for (const v of views) out[v] = this.viewCount(v, viewer, nowMs)
    return out
  }

  ticket(id: string): { ticket: Ticket; events: TimelineEvent[]; pending: boolean } | null {
    const r = this.stmt(
      `SELECT coalesce(t.local, s.data) AS data,
         EXISTS (SELECT 1 FROM outbox o WHERE o.ticket_id = t.id) AS pending
       FROM tickets t LEFT JOIN server_tickets s ON s.id = t.id WHERE t.id = ?`,
    ).get(id) as { data: string; pending: number } | undefined
    if (!r) return null
    const events = (
      this.stmt('SELECT data FROM events WHERE ticket_id = ? ORDER BY version, local').all(
        id,
      ) as Array<{ data: string }>
    ).map((e) => JSON.parse(e.data) as TimelineEvent)
    return { ticket: JSON.parse(r.data) as Ticket, events, pending: r.pending === 1 }
  }

  callerHistory(phone: string, limit: number): TicketRow[] {
    const normalized = normalizePhone(phone)
    return this.rows(
      `SELECT ${ROW_SELECT} FROM tickets t WHERE t.phone = ? ORDER BY t.rid DESC LIMIT ?`,
      [normalized, limit],
      Date.now(),
    )
  }

  /**
   * Newest first. A full-text index drives (FTS5 walks its hits in descending rowid = creation
   * order and stops at `limit`); the other terms are probed per hit. A lone run of digits is
   * looked up twice — as text (phone, address …) and as the start of a number — and merged.
   */
  search(q: string, limit: number): TicketRow[] {
    const plan = planText(q)
    const now = Date.now()
    const and = (sql: string[]) => sql.map((s) => ` AND ${s}`).join('')
    const driven = (table: string, match: string, rest: ReturnType<typeof textConditions>) =>
      this.rows(
        `SELECT ${ROW_SELECT} FROM ${table} f JOIN tickets t ON t.rid = f.rowid
         WHERE ${table} MATCH ?${and(rest.sql)} ORDER BY f.rowid DESC LIMIT ?`,
        [match, ...rest.params, limit],
        now,
      )
    if (plan.trigram.length)
      return driven(
        'tickets_text',
        matchAll(plan.trigram),
        textConditions({ ...plan, trigram: [] }, 'verify'),
      )
    if (plan.gram.length)
      return driven(
        'tickets_grams',
        matchAll(plan.gram),
        textConditions({ ...plan, gram: [] }, 'verify'),
      )
    const [first, ...more] = plan.digits
    if (first === undefined) {
      const tc = textConditions(plan, 'verify')
      if (!tc.sql.length) return []
      return this.rows(
        `SELECT ${ROW_SELECT} FROM tickets t WHERE ${tc.sql.join(' AND ')}
         ORDER BY t.rid DESC LIMIT ?`,
        [...tc.params, limit],
        now,
      )
    }
    const rest = textConditions({ ...plan, digits: more }, 'verify')
    const asText = driven('tickets_text', matchAll([first]), rest)
    // Numbers begin with their date: number order is creation order, and the index serves it.
    const asNumber = this.rows(
      `SELECT ${ROW_SELECT} FROM tickets t WHERE t.number >= ? AND t.number < ?${and(rest.sql)}
       ORDER BY t.number DESC LIMIT ?`,
      [first, `${first}:`, ...rest.params, limit],
      now,
    )
    const seen = new Set<string>()
    return [...asNumber, ...asText]
      .filter((r) => !seen.has(r.id) && seen.add(r.id))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
      .slice(0, limit)
  }

  duplicates(args: DuplicateArgs, nowMs: number): DuplicateCandidate[] {
    return findDuplicates(this, args, nowMs)
  }

  unitsByHistory(
    category: string,
    district: string | null,
    limit: number,
  ): Array<{ code: string; count: number }> {
    // The latest few thousand tickets of the category: recent practice is what should route.
    return this.stmt(
      `SELECT unit AS code, count(*) AS count FROM (
         SELECT unit FROM tickets t WHERE t.category = @category
           AND (@district IS NULL OR t.district = @district)
           AND t.unit IS NOT NULL ORDER BY t.rid DESC LIMIT 5000)
       GROUP BY unit ORDER BY count DESC, code LIMIT @limit`,
    ).all({ category, district, limit }) as Array<{ code: string; count: number }>
  }

  kpiInput(fromMs: number, toMs: number): { tickets: Ticket[]; events: TimelineEvent[] } {
    // One branch per index, so a million-row cache is not scanned.
    const relevant = `SELECT id FROM tickets WHERE rid >= @fromRid AND rid < @toRid
      UNION SELECT id FROM tickets WHERE completed_at >= @from AND completed_at < @to
      UNION SELECT id FROM tickets WHERE status IN (${OPEN_CODES})
      UNION SELECT ticket_id FROM events WHERE at >= @from AND at < @to`
    const p = { from: fromMs, to: toMs, fromRid: fromMs * 1024, toRid: toMs * 1024 }
    const tickets = (
      this.stmt(
        `SELECT coalesce(t.local, s.data) AS data FROM tickets t
         LEFT JOIN server_tickets s ON s.id = t.id WHERE t.id IN (${relevant})`,
      ).all(p) as Array<{ data: string }>
    ).map((r) => JSON.parse(r.data) as Ticket)
    const events = (
      this.stmt(
        `SELECT data FROM events WHERE ticket_id IN (${relevant}) ORDER BY at, version`,
      ).all(p) as Array<{ data: string }>
    ).map((r) => JSON.parse(r.data) as TimelineEvent)
    return { tickets, events }
  }

  /**
   * What the unit figures (src/shared/kpi-units.ts) and the bulletin need for a span: kpiInput's
   * tickets, and those whose sign-by or due fell in it (an overdue ticket untouched all month) —
   * at any level of the chain: a street's or community's own link (own_deadlines) too.
   */
  unitKpiInput(fromMs: number, toMs: number): { tickets: Ticket[]; events: TimelineEvent[] } {
    const relevant = `SELECT id FROM tickets WHERE rid >= @fromRid AND rid < @toRid
      UNION SELECT id FROM tickets WHERE completed_at >= @from AND completed_at < @to
      UNION SELECT id FROM tickets WHERE sign_by >= @from AND sign_by < @to
      UNION SELECT id FROM tickets WHERE due_at >= @from AND due_at < @to
      UNION SELECT t.id FROM own_deadlines o JOIN tickets t ON t.rid = o.rid
        WHERE (o.own_due >= @from AND o.own_due < @to)
          OR (o.own_sign_by >= @from AND o.own_sign_by < @to)
      UNION SELECT ticket_id FROM events WHERE at >= @from AND at < @to`
    const p = { from: fromMs, to: toMs, fromRid: fromMs * 1024, toRid: toMs * 1024 }
    const tickets = (
      this.stmt(
        `SELECT coalesce(t.local, s.data) AS data FROM tickets t
         LEFT JOIN server_tickets s ON s.id = t.id WHERE t.id IN (${relevant})`,
      ).all(p) as Array<{ data: string }>
    ).map((r) => JSON.parse(r.data) as Ticket)
    const events = (
      this.stmt(
        `SELECT data FROM events WHERE ticket_id IN (${relevant}) ORDER BY at, version`,
      ).all(p) as Array<{ data: string }>
    ).map((r) => JSON.parse(r.data) as TimelineEvent)
    return { tickets, events }
  }

  rejected(): RejectedMutation[] {
    return (
      this.stmt('SELECT * FROM rejected ORDER BY id').all() as Array<{
        id: number
        name: string
        ticket_id: string | null
        ticket_number: string | null
        code: string
        message: string
        at: string
      }>
    ).map((r) => ({
      id: r.id,
      name: r.name,
      ticketId: r.ticket_id,
      ticketNumber: r.ticket_number,
      code: r.code,
      message: JSON.parse(r.message) as RejectedMutation['message'],
      at: r.at,
    }))
  }

  reference(): (ReferenceData & { version: number }) | null {
    const r = this.stmt('SELECT data FROM reference WHERE id = 1').get() as
      { data: string } | undefined
    return r ? (JSON.parse(r.data) as ReferenceData & { version: number }) : null
  }
}
