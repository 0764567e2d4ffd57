// The console's local cache (DESIGN.md §4, §5): server rows as pulled, the outbox of pending
// mutations, and the visible rows = server rows with pending mutations re-applied. The only
// console code that touches better-sqlite3; one connection, WAL, prepared statements.
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Action } from '../../shared/actions'
import type { RejectedMutation } from '../../shared/api'
import type { PullResponse } from '../../shared/sync'
import type { Actor, Ticket, TimelineEvent } from '../../shared/ticket'
import { applyAction, type RulesContext } from '../../shared/workflow'
import { openCacheDatabase, type CacheKey } from './cipher'
import { bulkLoad, deferUpkeep, restoreUpkeep, type BulkOutcome } from './bulk'
import { DashboardSql } from './dashboard-sql'
import { KB_CURSOR, KnowledgeCache } from './knowledge'
import { migrate, type MigrateOutcome } from './migrate'
import { rebuildKpiTables } from './migrations/0003-dashboard'
import type { Migration } from './migrations'
import { StoreReads } from './reads'
import { gramsOf } from './text-search'
import type { ApplyPullOptions, ApplyPullOutcome, LocalStoreApi, OutboxMutation } from './types'
import { VisibleRows } from './visible'
import { privateDir, privateFile, tightenExisting } from '../private-files'

export interface LocalStoreOptions {
  /** For tests of upgrades: another list of migrations, another rebuild threshold. */
  migrations?: readonly Migration[]
  rebuildBelow?: number
  /** `full` (default) syncs the WAL on every commit: a returned save survives a power cut. */
  synchronous?: 'full' | 'normal'
  /** Encrypt the cache at rest under this key (cipher.ts); none: unencrypted. */
  key?: CacheKey | null
}

export const CACHE_FILE = 'console.db'
const CACHE_SIDE_FILES = [`${CACHE_FILE}-wal`, `${CACHE_FILE}-shm`, `${CACHE_FILE}-journal`]
/** Meta keys this store writes itself. */
export const META = {
  cursor: 'cursor',
  lastMutationId: 'lastMutationId',
  outboxLastId: 'outbox.lastId',
  fraction: 'deadline.fraction',
} as const
const DEFAULT_AT_RISK = 0.2
/**
 * Checkpoints (copying the WAL into the database file, with its own syncs) run between calls,
 * not inside a save: SQLite's automatic one would land on whichever commit crosses 1,000 pages,
 * a save one time in ~25. A write schedules one for the next turn of the event loop; only a
 * burst of writes with no turn in between (a script, a benchmark) checkpoints inline, every
 * CHECKPOINT_BACKSTOP writes, to keep the WAL bounded.
 */
const CHECKPOINT_BACKSTOP = 250

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

/**
 * Tickets in creation order, which is `rid` order: the full-text indexes take rows in increasing
 * rowid order in one pass, and flush (a new segment, merged later) at every step back.
 */
function byCreation(tickets: readonly Ticket[]): Ticket[] {
  const keyed = tickets.map((t) => ({ t, at: Date.parse(t.createdAt) }))
  keyed.sort((a, b) => a.at - b.at)
  return keyed.map((k) => k.t)
}

export class LocalStore extends StoreReads implements LocalStoreApi {
  readonly migration: MigrateOutcome
  private readonly visible: VisibleRows
  private atRisk: number
  private readonly synchronous: 'FULL' | 'NORMAL'
  private writesSinceCheckpoint = 0
  private checkpointTimer: NodeJS.Timeout | null = null
  private readonly s
  private dashboardSql: DashboardSql | null = null
  private knowledgeCache: KnowledgeCache | null = null

  private constructor(db: Database.Database, options: LocalStoreOptions) {
    super(db, options.key ?? null)
    this.synchronous = options.synchronous === 'normal' ? 'NORMAL' : 'FULL'
    db.function('hl_grams', { deterministic: true }, (a: unknown, b: unknown, c: unknown) =>
      gramsOf(a as string | null, b as string | null, c as string | null),
    )
    // Upkeep set aside by a snapshot that never finished (see bulk.ts): back before migrating,
    // so migrations always see the schema they expect.
    const hasMeta = db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'`)
      .get()
    if (hasMeta) db.transaction(() => restoreUpkeep(db)).immediate()
    this.migration = migrate(db, options.migrations, options.rebuildBelow)
    this.s = {
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      delMeta: db.prepare<[string]>('DELETE FROM meta WHERE key = ?'),
      metaRange: db.prepare<[string, string], { key: string; value: string }>(
        'SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key',
      ),
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
    // The cache holds citizens' data and the session token: its folder and files are this
    // user's only. SQLite gives the WAL and shared-memory files the database file's mode.
    privateDir(dir)
    privateFile(join(dir, CACHE_FILE))
    tightenExisting(dir, CACHE_SIDE_FILES)
    const db = openCacheDatabase(join(dir, CACHE_FILE), options.key ?? null)
    try {
      db.pragma('journal_mode = WAL')
      db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`)
      db.pragma('temp_store = MEMORY')
      db.pragma('cache_size = -65536')
      db.pragma('mmap_size = 1073741824')
      db.pragma('wal_autocheckpoint = 0') // see CHECKPOINT_BACKSTOP
      return new LocalStore(db, options)
    } catch (e) {
      db.close()
      throw e
    }
  }

  close(): void {
    if (!this.db.open) return
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer)
    this.checkpointTimer = null
    this.db.pragma('optimize')
    this.db.close()
  }

  /** After a write: checkpoint on the next turn (or now, past the backstop). */
  private wrote(): void {
    if (++this.writesSinceCheckpoint >= CHECKPOINT_BACKSTOP) return this.checkpoint()
    if (this.checkpointTimer) return
    this.checkpointTimer = setTimeout(() => this.checkpoint(), 0)
    this.checkpointTimer.unref()
  }

  private checkpoint(): void {
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer)
    this.checkpointTimer = null
    this.writesSinceCheckpoint = 0
    if (this.db.open && !this.db.inTransaction) this.db.pragma('wal_checkpoint(PASSIVE)')
  }

  getMeta(key: string): string | null {
    return this.s.getMeta.get(key)?.value ?? null
  }

  setMeta(key: string, value: string | null): void {
    if (value == null) this.s.delMeta.run(key)
    else this.s.setMeta.run(key, value)
  }

  metaWithPrefix(prefix: string): Array<{ key: string; value: string }> {
    return this.s.metaRange.all(prefix, `${prefix}\uffff`)
  }

  // --- Writes --------------------------------------------------------------------------------

  enqueue(
    m: Omit<OutboxMutation, 'id'>,
    effect: (current: Ticket | null) => { ticket: Ticket; event: TimelineEvent },
  ): OutboxMutation {
    const out = this.db
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
    this.wrote()
    return out
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

  applyPull(
    page: PullResponse,
    rules: RulesContext,
    opts: ApplyPullOptions = {},
  ): ApplyPullOutcome {
    const fractionBefore = this.atRisk
    // A snapshot page commits without its own sync (see LocalStoreApi.applyPull): in WAL mode a
    // commit lost to a power cut is lost whole, never half, and frames synced before it (every
    // enqueue) stay intact; the next synced commit or checkpoint makes it durable too.
    if (opts.snapshot) this.db.pragma('synchronous = NORMAL')
    try {
      const out = this.pullTransaction(page, rules, opts.snapshot === true)
      this.wrote()
      return out
    } catch (e) {
      this.atRisk = fractionBefore // the transaction rolled back; so does the fraction
      throw e
    } finally {
      if (opts.snapshot) this.db.pragma(`synchronous = ${this.synchronous}`)
    }
  }

  private pullTransaction(
    page: PullResponse,
    rules: RulesContext,
    snapshot: boolean,
  ): ApplyPullOutcome {
    return this.db
      .transaction(() => {
        // Snapshot pages load with index upkeep set aside, until the last one (see bulk.ts).
        if (snapshot) deferUpkeep(this.db)
        else restoreUpkeep(this.db)
        const before = new Map<string, string | null>()
        const note = (id: string) => {
          if (!before.has(id)) before.set(id, this.visible.json(id))
        }
        // Only tickets with pending mutations have local events to clear.
        const hadPending = new Set<string>()
        for (const r of this.s.outboxTickets.all()) {
          note(r.ticket_id)
          hadPending.add(r.ticket_id)
        }
        const pulled = new Map<string, [Ticket, string]>()
        for (const t of byCreation(page.tickets)) {
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
          const now = this.rebase(id, rules, pulled.get(id), old, hadPending.has(id))
          if (now !== old) changedIds.push(id)
        }
        if (snapshot && !page.hasMore) restoreUpkeep(this.db)
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
    hadPending: boolean,
  ): string | null {
    const serverJson = pulled ? pulled[1] : (this.s.serverJson.get(id)?.data ?? null)
    const pend = hadPending ? this.s.pendingFor.all(id) : []
    if (hadPending) this.visible.deleteLocalEvents(id)
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
          if (this.rebase(id, rules, undefined, old, true) !== old) changed.push(id)
        }
        return changed
      })
      .immediate()
  }

  /** Fill an empty cache with server rows in one go (see bulk.ts). */
  bulkLoad(batches: Iterable<readonly Ticket[]>): BulkOutcome {
    this.db.transaction(() => restoreUpkeep(this.db)).immediate()
    const out = bulkLoad(this.db, this.visible, batches)
    // Its rows were written with the triggers set aside: the dashboard's sums start afresh.
    this.db.transaction(() => rebuildKpiTables(this.db)).immediate()
    return out
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
          DELETE FROM kb_entries;
        `)
        this.setMeta(META.cursor, null)
        this.setMeta(KB_CURSOR, null)
      })
      .immediate()
  }

  wipe(keepMeta: readonly string[]): void {
    this.db
      .transaction(() => {
        this.db.exec(`
          DELETE FROM outbox;
          DELETE FROM rejected;
          DELETE FROM events;
          DELETE FROM tickets;
          DELETE FROM server_tickets;
          DELETE FROM reference;
          DELETE FROM kb_entries;
          DELETE FROM kb_usage;
        `)
        const keep = new Set(keepMeta)
        for (const { key } of this.db.prepare<[], { key: string }>('SELECT key FROM meta').all())
          if (!keep.has(key)) this.s.delMeta.run(key)
        rebuildKpiTables(this.db)
      })
      .immediate()
    // Deleted rows stay readable in free pages and the WAL until overwritten: the cache held
    // citizens' names and phone numbers, so rewrite the file and empty the WAL now.
    this.db.exec('VACUUM')
    this.db.pragma('wal_checkpoint(TRUNCATE)')
  }

  knowledge(): KnowledgeCache {
    return (this.knowledgeCache ??= new KnowledgeCache(this.db))
  }

  dashboard(): DashboardSql {
    return (this.dashboardSql ??= new DashboardSql((sql) => this.stmt(sql)))
  }

  dismissRejected(id: number): void {
    this.db.prepare('DELETE FROM rejected WHERE id = ?').run(id)
  }
}
