// The server's store: the only server code that touches the database (STYLE.md 4). It opens
// SQLite or PostgreSQL, migrates, and offers the operations the HTTP layer needs.
import { sql, type Kysely } from 'kysely'
import type { ReferenceData } from '../../shared/reference'
import { Accounts } from './accounts'
import { AdminAudit } from './audit'
import { CaseStore } from './cases'
import { KnowledgeStore } from './knowledge'
import {
  consoleTail,
  consolesAfter,
  knowledgeChanged,
  readPage,
  settledSeq,
  storedResults,
  type PullPage,
  type PullQuery,
} from './changes'
import { changeLogFloor, pruneChangeLog } from './retention'
import { readSnapshot, type SnapshotPage, type SnapshotQuery } from './snapshot'
import { coalesce } from './coalesce'
import { beginBatch, type BatchPrelude, type ClientLasts, type Prefetch } from './batch'
import { connect, isUniqueViolation, type ConnectOptions, type Connection } from './db'
import type { Engine } from './dsl'
import { migrate, SCHEMA_VERSION } from './migrate'
import { bulkInsert, type BulkTicket } from './bulk'
import { JobRuns } from './jobs'
import { readTriageHistory, type HistoryRow } from './triage'
import { ChangeNotifier } from './notify'
import {
  allocateSeq,
  allocateSeqs,
  beginMutation,
  MutationTx,
  type MutationPrelude,
} from './mutation'
import { Open311Reads } from './open311'
import { TicketSearch } from './search'
import type { DB } from './types'

export type { BulkTicket } from './bulk'
export type { PullPage, PullQuery } from './changes'
export {
  SnapshotTokenError,
  snapshotJson,
  type JsonRow,
  type SnapshotPage,
  type SnapshotQuery,
} from './snapshot'
export type { SearchQuery } from './search'
export type { ConnectOptions } from './db'
export { isTemporary, isUniqueViolation } from './db'
export type { NewUser, UserRecord } from './accounts'
export type { JobRuns, JobRunRow } from './jobs'
export type { CaseRecord, CasePatch, CaseStore } from './cases'
export type { AuditEntry } from './audit'
export type { KnowledgeStore, KbWrite, KbWriteFailure } from './knowledge'
export { MutationTx, type MutationPrelude, type StoredResult } from './mutation'
export type { BatchPrelude, BatchWriter, ClientLasts, ClientUpdate, Prefetch } from './batch'
export { SchemaError, SCHEMA_VERSION } from './migrate'

type CommitListener = (seq: number) => void

const RETRY_CODES = new Set(['40001', '40P01'])
/** Advisory-lock key serializing reference-data edits on PostgreSQL. */
const REFERENCE_LOCK = 7_212_347

export class Store {
  readonly accounts: Accounts
  readonly search: TicketSearch
  readonly open311: Open311Reads
  readonly jobs: JobRuns
  readonly cases: CaseStore
  readonly audit: AdminAudit
  readonly knowledge: KnowledgeStore
  private readonly listeners = new Set<CommitListener>()

  private constructor(
    private readonly conn: Connection,
    readonly schemaVersion: number,
  ) {
    this.accounts = new Accounts(conn.db)
    this.search = new TicketSearch(conn.db, conn.engine)
    this.open311 = new Open311Reads(conn.db, conn.engine)
    this.jobs = new JobRuns(conn.db)
    this.cases = new CaseStore(conn.db, conn.engine)
    this.audit = new AdminAudit(conn.db)
    this.knowledge = new KnowledgeStore(conn.db, conn.engine, (seq) => this.emit(seq))
  }

  /** Connects and migrates to this build's schema; refuses a database newer than the code. */
  static async open(options: ConnectOptions): Promise<Store> {
    const conn = connect(options)
    try {
      const { to } = await migrate(conn.db, conn.engine)
      return new Store(conn, to)
    } catch (e) {
      await conn.close()
      throw e
    }
  }

  get engine(): Engine {
    return this.conn.engine
  }

  private get db(): Kysely<DB> {
    return this.conn.db
  }

  async close(): Promise<void> {
    this.listeners.clear()
    await this.conn.close()
  }

  /** Called with the seq after each commit that consoles should hear about. */
  onCommit(fn: CommitListener): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  /** Highest seq in the change log (what a freshly connected console is told). */
  async latestSeq(): Promise<number> {
    const r = await this.db
      .selectFrom('change_log')
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    return r ? Number(r.seq) : 0
  }

  /** The lowest change-log seq still kept: a pull from a cursor below floor − 1 is stale. */
  changeLogFloor(): Promise<number> {
    return changeLogFloor(this.db)
  }

  /** Forget change-log rows older than `beforeIso` (only settled ones). Returns the new floor. */
  async pruneChangeLog(beforeIso: string): Promise<number> {
    const settled = await this.db.transaction().execute((tx) => settledSeq(tx, this.engine))
    return pruneChangeLog(this.db, beforeIso, settled)
  }

  /** PostgreSQL: hear of other processes' commits, and tell them of ours. Null on SQLite. */
  notifier(onRemote: (seq: number) => void): ChangeNotifier | null {
    return this.conn.pool ? new ChangeNotifier(this.conn.pool, onRemote) : null
  }

  /**
   * The chain's rows (migration 0014) of one ticket, or of one unit (optionally at one level),
   * in dispatch order: what per-level figures are counted from.
   */
  assignments(q: { ticketId?: string; unit?: string; level?: number }) {
    let b = this.db.selectFrom('ticket_assignments').selectAll()
    if (q.ticketId != null) b = b.where('ticket_id', '=', q.ticketId)
    if (q.unit != null) b = b.where('unit', '=', q.unit)
    if (q.level != null) b = b.where('level', '=', q.level)
    return b.orderBy('at').orderBy('ticket_id').orderBy('id').execute()
  }

  /** Demo data: many tickets with their timelines in one go (see bulk.ts). */
  bulkInsert(items: BulkTicket[], lastNumbers: Map<string, number>): Promise<void> {
    return bulkInsert(this.db, this.engine, items, lastNumbers)
  }

  async isEmpty(): Promise<boolean> {
    const [users, ref] = await Promise.all([
      this.accounts.countUsers(),
      this.db.selectFrom('reference_data').select('version').limit(1).executeTakeFirst(),
    ])
    return users === 0 && !ref
  }

  async latestReference(): Promise<{ version: number; data: ReferenceData } | null> {
    const r = await this.db
      .selectFrom('reference_data')
      .select(['version', 'data'])
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst()
    return r ? { version: Number(r.version), data: JSON.parse(r.data) as ReferenceData } : null
  }

  /** Stores a new version of the reference data; consoles get it with their next pull. */
  async putReference(data: ReferenceData, by: string | null): Promise<number> {
    const { version, seq } = await this.db.transaction().execute(async (tx) => {
      const { seq, xid } = await allocateSeq(tx, this.engine)
      const top = await tx
        .selectFrom('reference_data')
        .select('version')
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst()
      const version = (top ? Number(top.version) : 0) + 1
      await writeReference(tx, { version, data, by, seq, xid })
      return { version, seq }
    })
    this.emit(seq)
    return version
  }

  /** Past dispatches for the triage model, newest tickets first (./triage.ts). */
  triageHistory(sinceIso: string, maxTickets: number): Promise<HistoryRow[]> {
    return readTriageHistory(this.db, sinceIso, maxTickets)
  }

  /** Version of the newest reference data (0 when none): a cheap check for a stale cache. */
  async referenceVersion(): Promise<number> {
    const r = await this.db
      .selectFrom('reference_data')
      .select('version')
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst()
    return r ? Number(r.version) : 0
  }

  /**
   * A new version of the reference data made from the newest one by `change`, which may throw to
   * refuse (nothing is written then). Admins' edits apply one after another: on PostgreSQL under
   * a transaction lock, on SQLite because transactions are serial. Consoles get it on next pull.
   */
  async changeReference(
    by: string | null,
    change: (current: { version: number; data: ReferenceData }) => ReferenceData,
  ): Promise<{ version: number; data: ReferenceData }> {
    const out = await this.db.transaction().execute(async (tx) => {
      if (this.engine === 'postgres')
        await sql`select pg_advisory_xact_lock(${REFERENCE_LOCK})`.execute(tx)
      const top = await tx
        .selectFrom('reference_data')
        .select(['version', 'data'])
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
      const version = Number(top.version)
      const data = change({ version, data: JSON.parse(top.data) as ReferenceData })
      // The seq comes before any write, as for mutations (see changes.ts).
      const { seq, xid } = await allocateSeq(tx, this.engine)
      await writeReference(tx, { version: version + 1, data, by, seq, xid })
      return { version: version + 1, data, seq }
    })
    this.emit(out.seq)
    return { version: out.version, data: out.data }
  }

  /**
   * PostgreSQL: the next number of day `yyyymmdd`, taken before the mutation's transaction so
   * ticket creations do not queue on the day's counter (see migration 0004). Null on SQLite, where
   * the mutation takes it itself (`MutationTx.nextTicketNumber`).
   */
  async reserveTicketNumber(day: string): Promise<string | null> {
    if (this.engine !== 'postgres') return null
    const n = await this.reserveNumber(day)
    return `${day}${String(n).padStart(6, '0')}`
  }

  /** Concurrent pushes' reservations share one statement a day (coalesce.ts, migration 0016). */
  private readonly reserveNumber = coalesce(async (days: string[]) => {
    const last = new Map<string, number>()
    for (const day of new Set(days)) {
      const n = days.filter((d) => d === day).length
      const r = await sql<{
        n: number
      }>`select next_ticket_numbers(${day}, ${n}::integer) as n`.execute(this.db)
      last.set(day, Number(r.rows[0]!.n) - n)
    }
    // Handed out in the order asked, so a push's creates number rising in its order.
    return days.map((day) => {
      const n = last.get(day)! + 1
      last.set(day, n)
      return n
    })
  })

  /**
   * Runs one mutation in one transaction, with a fresh change-log seq taken first. Retried on
   * a unique-key race (two consoles creating the same ticket) or a PostgreSQL serialization
   * failure; any other error propagates and nothing is kept.
   */
  async mutate<T>(fn: (m: MutationTx) => Promise<T>, prelude?: MutationPrelude): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let tx: MutationTx | null = null
      try {
        const out = await this.db.transaction().execute(async (trx) => {
          const { seq, xid, prefetched } = await beginMutation(trx, this.engine, prelude)
          const m = new MutationTx(trx, this.engine, seq, xid, new Date().toISOString(), prefetched)
          tx = m
          const result = await fn(m)
          await m.flush()
          return result
        })
        const done = tx as MutationTx | null
        if (done?.changed) this.emit(done.maxSeq)
        return out
      } catch (e) {
        const code = (e as { code?: string }).code
        const retry = isUniqueViolation(e) || (code != null && RETRY_CODES.has(code))
        if (!retry || attempt >= 3) throw e
      }
    }
  }

  /**
   * Runs a batch of up to `n` mutations in one transaction (group commit): `fn` gets the batch's
   * `n` seqs, taken first, and gives each mutation its own with `useSeq` and a savepoint with
   * `savepoint`, so a failed one rolls back alone. Retried whole on a PostgreSQL serialization
   * failure or deadlock (nothing of it was kept), so `fn` must only act through `m` until it
   * returns; any other error propagates and nothing of the batch is kept.
   */
  async mutateBatch<T>(
    n: number,
    fn: (
      m: MutationTx,
      seqs: number[],
      pre: { tickets: Prefetch; clients: ClientLasts } | null,
    ) => Promise<T>,
    prelude?: BatchPrelude,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let tx: MutationTx | null = null
      try {
        const out = await this.db.transaction().execute(async (trx) => {
          const begun =
            prelude && this.engine === 'postgres'
              ? await beginBatch(trx, n, prelude)
              : { ...(await allocateSeqs(trx, this.engine, n)), clients: null, tickets: null }
          const { seqs, xid } = begun
          const m = new MutationTx(
            trx,
            this.engine,
            seqs[0]!,
            xid,
            new Date().toISOString(),
            null,
            this.conn.prepare ?? null,
          )
          tx = m
          const pre = begun.tickets && begun.clients ? begun : null
          const result = await fn(m, seqs, pre)
          await m.flush()
          return result
        })
        const done = tx as MutationTx | null
        if (done?.changed) this.emit(done.maxSeq)
        return out
      } catch (e) {
        const code = (e as { code?: string }).code
        if (code == null || !RETRY_CODES.has(code) || attempt >= 3) throw e
      }
    }
  }

  /** One page of changes after a cursor, read in one consistent snapshot. */
  async pull(q: PullQuery): Promise<PullPage> {
    if (this.engine === 'postgres')
      return this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((tx) => readPage(tx, 'postgres', q))
    return this.db.transaction().execute((tx) => readPage(tx, 'sqlite', q))
  }

  /** A console's results in `(from, to]` and its lastMutationId (see changes.ts). */
  consoleTail(clientId: string, from: number, to: number) {
    return consoleTail(this.db, clientId, from, to)
  }

  /** Consoles whose latest mutation's change lies after `seq` (see changes.ts). */
  consolesAfter(seq: number) {
    return consolesAfter(this.db, seq)
  }

  /** Whether the knowledge base changed in `(from, to]`. */
  knowledgeChanged(from: number, to: number) {
    return knowledgeChanged(this.db, from, to)
  }

  /** One page of a first sync, read in one consistent snapshot. */
  async snapshot(q: SnapshotQuery): Promise<SnapshotPage> {
    if (this.engine === 'postgres')
      return this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((tx) => readSnapshot(tx, 'postgres', q))
    return this.db.transaction().execute((tx) => readSnapshot(tx, 'sqlite', q))
  }

  storedResults(clientId: string, ids: number[]) {
    return storedResults(this.db, clientId, ids)
  }

  private emit(seq: number): void {
    for (const fn of this.listeners) fn(seq)
  }
}

export { SCHEMA_VERSION as CODE_SCHEMA_VERSION }

/** A version of the reference data and its change-log row (consoles pull it), in `tx`. */
async function writeReference(
  tx: Kysely<DB>,
  r: { version: number; data: ReferenceData; by: string | null; seq: number; xid: number | null },
): Promise<void> {
  const at = new Date().toISOString()
  await tx
    .insertInto('reference_data')
    .values({ version: r.version, data: JSON.stringify(r.data), created_at: at, created_by: r.by })
    .execute()
  await tx
    .insertInto('change_log')
    .values({
      seq: r.seq,
      kind: 'reference',
      ticket_id: null,
      client_id: null,
      audience: null,
      xid: r.xid,
      at,
    })
    .execute()
}
