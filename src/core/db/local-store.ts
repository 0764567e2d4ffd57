// The console's local cache (DESIGN.md §4, §5): server rows as pulled, the outbox of pending
// mutations, and the visible rows = server rows with pending mutations re-applied. The only
// console code that touches better-sqlite3; one connection, WAL, prepared statements.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Action } from '../../shared/actions'
import type { RejectedMutation } from '../../shared/api'
import type { PullResponse } from '../../shared/sync'
import type { Actor, Ticket, TimelineEvent } from '../../shared/ticket'
import { applyAction, type RulesContext } from '../../shared/workflow'
import { bulkLoad, type BulkOutcome } from './bulk'
import { migrate, type MigrateOutcome } from './migrate'
import type { Migration } from './migrations'
import { StoreReads } from './reads'
import { gramsOf } from './text-search'
import type { ApplyPullOutcome, LocalStoreApi, OutboxMutation } from './types'
import { VisibleRows } from './visible'

export interface LocalStoreOptions {
  /** For tests of upgrades: another list of migrations, another rebuild threshold. */
  migrations?: readonly Migration[]
  rebuildBelow?: number
  /** `full` (default) syncs the WAL on every commit: a returned save survives a power cut. */
  synchronous?: 'full' | 'normal'
}

export const CACHE_FILE = 'console.db'
/** Meta keys this store writes itself. */
export const META = {
  cursor: 'cursor',
  lastMutationId: 'lastMutationId',
  outboxLastId: 'outbox.lastId',
  fraction: 'deadline.fraction',
} as const
const DEFAULT_AT_RISK = 0.2

interface OutboxRow {
  id: number
  key: string
  name: string
  args: string
  client_time: string
  actor: string
  ticket_id: string
}

const toMutation = (r: OutboxRow): OutboxMutation => ({
  id: r.id,
  key: r.key,
  name: r.name as OutboxMutation['name'],
  args: JSON.parse(r.args) as unknown,
  clientTime: r.client_time,
  actor: JSON.parse(r.actor) as Actor,
  ticketId: r.ticket_id,
})

export class LocalStore extends StoreReads implements LocalStoreApi {
  readonly migration: MigrateOutcome
  private readonly visible: VisibleRows
  private atRisk: number
  private readonly s

  private constructor(db: Database.Database, options: LocalStoreOptions) {
    super(db)
    db.function('hl_grams', { deterministic: true }, (a: unknown, b: unknown, c: unknown) =>
      gramsOf(a as string | null, b as string | null, c as string | null),
    )
    this.migration = migrate(db, options.migrations, options.rebuildBelow)
    this.s = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      delMeta: db.prepare<[string]>('DELETE FROM meta WHERE key = ?'),
      maxOutbox: db.prepare<[], { m: number | null }>('SELECT max(id) AS m FROM outbox'),
      insertOutbox: db.prepare<[number, string, string, string, string, string, string]>(
        `INSERT INTO outbox (id, key, name, args, client_time, actor, ticket_id)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      pending: db.prepare<[number], OutboxRow>('SELECT * FROM outbox ORDER BY id LIMIT ?'),
      pendingCount: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox'),
      pendingFor: db.prepare<[string], OutboxRow>(
        'SELECT * FROM outbox WHERE ticket_id = ? ORDER BY id',
      ),
      outboxRow: db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?'),
      outboxTickets: db.prepare<[], { ticket_id: string }>('SELECT DISTINCT ticket_id FROM outbox'),
      acked: db.prepare<[number], { ticket_id: string }>(
        'SELECT DISTINCT ticket_id FROM outbox WHERE id <= ?',
      ),
      dropAcked: db.prepare<[number]>('DELETE FROM outbox WHERE id <= ?'),
      dropOne: db.prepare<[number]>('DELETE FROM outbox WHERE id = ?'),
      serverJson: db.prepare<[string], { data: string }>(
        'SELECT data FROM server_tickets WHERE id = ?',
      ),
      upsertServer: db.prepare<[string, string]>(
        `INSERT INTO server_tickets (id, data) VALUES (?, ?)
         ON CONFLICT (id) DO UPDATE SET data = excluded.data`,
      ),
      deleteServer: db.prepare<[string]>('DELETE FROM server_tickets WHERE id = ?'),
      reject: db.prepare<[number, string, string | null, string | null, string, string, string]>(
        `INSERT OR IGNORE INTO rejected (id, name, ticket_id, ticket_number, code, message, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      setReference: db.prepare<[number, string]>(
        'INSERT OR REPLACE INTO reference (id, version, data) VALUES (1, ?, ?)',
      ),
    }
    this.atRisk = Number(this.getMeta(META.fraction) ?? DEFAULT_AT_RISK)
    this.visible = new VisibleRows(db, () => this.atRisk)
  }

  /** Open (creating, migrating or rebuilding) the cache `<dir>/console.db`. */
  static open(dir: string, options: LocalStoreOptions = {}): LocalStore {
    mkdirSync(dir, { recursive: true })
    const db = new Database(join(dir, CACHE_FILE))
    try {
      db.pragma('journal_mode = WAL')
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
      db.pragma('temp_store = MEMORY')
      db.pragma('cache_size = -65536')
      db.pragma('mmap_size = 1073741824')
      return new LocalStore(db, options)
    } catch (e) {
      db.close()
      throw e
    }
  }

  close(): void {
    if (!this.db.open) return
    this.db.pragma('optimize')
    this.db.close()
  }

  getMeta(key: string): string | null {
    return this.s.getMeta.get(key)?.value ?? null
  }

  setMeta(key: string, value: string | null): void {
    if (value == null) this.s.delMeta.run(key)
    else this.s.setMeta.run(key, value)
  }

  // --- Writes --------------------------------------------------------------------------------

  enqueue(
    m: Omit<OutboxMutation, 'id'>,
    effect: (current: Ticket | null) => { ticket: Ticket; event: TimelineEvent },
  ): OutboxMutation {
    return this.db
      .transaction(() => {
        const { ticket, event } = effect(this.visible.ticket(m.ticketId))
        const id = this.nextMutationId()
        this.s.insertOutbox.run(
          id,
          m.key,
          m.name,
          JSON.stringify(m.args ?? null),
          m.clientTime,
          JSON.stringify(m.actor),
          m.ticketId,
        )
        this.visible.write(ticket, JSON.stringify(ticket))
        this.visible.localEvent(event)
        return { ...m, id }
      })
      .immediate()
  }

  /** Never reuse an id, also after the outbox empties or the server saw higher ones. */
  private nextMutationId(): number {
    const last = Math.max(
      Number(this.getMeta(META.outboxLastId) ?? 0),
      this.s.maxOutbox.get()?.m ?? 0,
      Number(this.getMeta(META.lastMutationId) ?? 0),
    )
    this.setMeta(META.outboxLastId, String(last + 1))
    return last + 1
  }

  pending(limit = 1_000_000): OutboxMutation[] {
    return this.s.pending.all(limit).map(toMutation)
  }

  pendingCount(): number {
    return this.s.pendingCount.get()?.n ?? 0
  }

  applyPull(page: PullResponse, rules: RulesContext): ApplyPullOutcome {
    const fractionBefore = this.atRisk
    try {
      return this.pullTransaction(page, rules)
    } catch (e) {
      this.atRisk = fractionBefore // the transaction rolled back; so does the fraction
      throw e
    }
  }

  private pullTransaction(page: PullResponse, rules: RulesContext): ApplyPullOutcome {
    return this.db
      .transaction(() => {
        const before = new Map<string, string | null>()
        const note = (id: string) => {
          if (!before.has(id)) before.set(id, this.visible.json(id))
        }
        for (const r of this.s.outboxTickets.all()) note(r.ticket_id)
        const pulled = new Map<string, [Ticket, string]>()
        for (const t of page.tickets) {
          note(t.id)
          const json = JSON.stringify(t)
          pulled.set(t.id, [t, json])
          this.s.upsertServer.run(t.id, json)
        }
        for (const id of page.removed) {
          note(id)
          pulled.delete(id)
          this.s.deleteServer.run(id)
          this.visible.deleteEvents(id)
        }
        for (const e of page.events) {
          note(e.ticketId)
          this.visible.serverEvent(e)
        }
        const rejected = this.recordRejections(page)
        for (const r of rejected) {
          if (r.ticketId) note(r.ticketId)
          this.s.dropOne.run(r.id)
        }
        // null: the server has not delivered the effects of our latest mutations yet; keep them.
        const acked = page.lastMutationId
        if (acked != null) {
          for (const r of this.s.acked.all(acked)) note(r.ticket_id)
          this.s.dropAcked.run(acked)
          const seen = Math.max(Number(this.getMeta(META.lastMutationId) ?? 0), acked)
          this.setMeta(META.lastMutationId, String(seen))
        }
        let referenceChanged = false
        if (page.reference) {
          this.s.setReference.run(page.reference.version, JSON.stringify(page.reference))
          referenceChanged = true
          const fraction = page.reference.deadlines.atRiskFraction
          if (fraction !== this.atRisk) {
            this.atRisk = fraction
            this.setMeta(META.fraction, String(fraction))
            this.visible.recomputeDeadlines()
          }
        }
        this.setMeta(META.cursor, String(page.cursor))
        const changedIds: string[] = []
        for (const [id, old] of before) {
          const now = this.rebase(id, rules, pulled.get(id), old)
          if (now !== old) changedIds.push(id)
        }
        return { changedIds, rejected, referenceChanged }
      })
      .immediate()
  }

  private recordRejections(page: PullResponse): RejectedMutation[] {
    const out: RejectedMutation[] = []
    const at = new Date().toISOString()
    for (const r of page.results) {
      if (r.status !== 'rejected') continue
      const row = this.s.outboxRow.get(r.id)
      const ticketId = row?.ticket_id ?? null
      const t = ticketId ? this.visible.ticket(ticketId) : null
      const message = r.message ?? { zh: r.code ?? '被拒绝', en: r.code ?? 'rejected' }
      const rej: RejectedMutation = {
        id: r.id,
        name: row?.name ?? r.name,
        ticketId,
        ticketNumber: t?.number ?? null,
        code: r.code ?? 'rejected',
        message,
        at,
      }
      const res = this.s.reject.run(
        rej.id,
        rej.name,
        rej.ticketId,
        rej.ticketNumber,
        rej.code,
        JSON.stringify(message),
        at,
      )
      if (res.changes > 0) out.push(rej)
    }
    return out
  }

  /**
   * Visible = server row + pending mutations re-applied in order through the shared rules, each
   * as its actor at its client time. One the rules now refuse stays queued: the server decides.
   * Returns the visible JSON (null when nothing is visible).
   */
  private rebase(
    id: string,
    rules: RulesContext,
    pulled: [Ticket, string] | undefined,
    old: string | null,
  ): string | null {
    const serverJson = pulled ? pulled[1] : (this.s.serverJson.get(id)?.data ?? null)
    const pend = this.s.pendingFor.all(id)
    this.visible.deleteLocalEvents(id)
    if (pend.length === 0) {
      if (serverJson == null) {
        if (old != null) this.visible.remove(id)
        return null
      }
      if (serverJson !== old)
        this.visible.write(pulled ? pulled[0] : (JSON.parse(serverJson) as Ticket), null)
      return serverJson
    }
    let cur: Ticket | null = pulled
      ? pulled[0]
      : serverJson == null
        ? null
        : (JSON.parse(serverJson) as Ticket)
    let changed = false
    for (const m of pend.map(toMutation)) {
      const action = { name: m.name, args: m.args } as Action
      const target =
        action.name === 'ticket.merge' ? this.visible.ticket(action.args.targetId) : null
      const ctx = action.name === 'ticket.merge' ? { ...rules, target } : rules
      const r = applyAction(cur, action, m.actor, Date.parse(m.clientTime), ctx)
      if (!r.ok) continue
      cur = r.ticket
      changed = true
      this.visible.localEvent(r.event)
    }
    if (cur == null) {
      if (old != null) this.visible.remove(id)
      return null
    }
    const json = changed ? JSON.stringify(cur) : serverJson!
    this.visible.write(cur, changed ? json : null)
    return json
  }

  /**
   * Re-apply every pending mutation on the current server rows, as a pull does. After a rebuild
   * the core calls this at start so that pending work shows before the server is reachable.
   */
  rebasePending(rules: RulesContext): string[] {
    return this.db
      .transaction(() => {
        const changed: string[] = []
        for (const { ticket_id: id } of this.s.outboxTickets.all()) {
          const old = this.visible.json(id)
          if (this.rebase(id, rules, undefined, old) !== old) changed.push(id)
        }
        return changed
      })
      .immediate()
  }

  /** Fill an empty cache with server rows in one go (see bulk.ts). */
  bulkLoad(batches: Iterable<readonly Ticket[]>): BulkOutcome {
    return bulkLoad(this.db, this.visible, batches)
  }

  resetServerState(): void {
    this.db
      .transaction(() => {
        // Rows still shown (pending ones) lose their server row: keep their JSON in `local`
        // until the first page of the snapshot rebases them.
        this.db.exec(`
          UPDATE tickets SET local = (SELECT data FROM server_tickets s WHERE s.id = tickets.id)
          WHERE local IS NULL AND id IN (SELECT ticket_id FROM outbox);
          DELETE FROM tickets WHERE id NOT IN (SELECT ticket_id FROM outbox);
          DELETE FROM events WHERE ticket_id NOT IN (SELECT ticket_id FROM outbox);
          DELETE FROM server_tickets;
        `)
        this.setMeta(META.cursor, null)
      })
      .immediate()
  }

  dismissRejected(id: number): void {
    this.db.prepare('DELETE FROM rejected WHERE id = ?').run(id)
  }
}
