// The knowledge base's storage (migration 0013). Every write runs in one transaction that takes a
// change-log seq first (as mutations do, see changes.ts), writes the entry's new current row and
// its version row, and a change-log row of kind 'kb' (which the ticket pull skips and the live
// poke announces). Edits name the version they were made from; a write from an older version is
// refused, so two supervisors never overwrite each other unseen.
import type { Kysely, Transaction } from 'kysely'
import {
  kbChangedFields,
  kbInputOf,
  type KbEntry,
  type KbEntryInput,
  type KbProposal,
  type KbProposalStatus,
  type KbPullResponse,
  type KbReader,
  type KbStatus,
  type KbVersion,
  type KbVersionAction,
} from '../../shared/knowledge'
import { readKbFeed } from './knowledge-feed'
import type { Engine } from './dsl'
import { allocateSeq } from './mutation'
import type { DB, KbProposalsTable } from './types'

/** Why a write did not happen. */
export type KbWriteFailure =
  { kind: 'not_found' } | { kind: 'stale'; current: number } | { kind: 'refused'; code: string }

export type KbWrite<T> = { ok: true; value: T } | { ok: false; failure: KbWriteFailure }

/** What a change does to the current entry: its next fields, or a refusal. */
export type KbChange = (current: KbEntry) =>
  | {
      input?: KbEntryInput
      status?: KbStatus
      action: KbVersionAction
      note?: string | null
    }
  | { refuse: string }

class Abort extends Error {
  constructor(readonly failure: KbWriteFailure) {
    super(failure.kind)
  }
}

const parseEntry = (data: string): KbEntry => JSON.parse(data) as KbEntry

function proposalOf(r: KbProposalsTable & { by_name?: string | null }): KbProposal {
  return {
    id: r.id,
    entryId: r.entry_id,
    baseVersion: r.base_version == null ? null : Number(r.base_version),
    unit: r.unit,
    entry: JSON.parse(r.data) as KbEntryInput,
    note: r.note,
    status: r.status as KbProposalStatus,
    by: r.by,
    byName: r.by_name ?? null,
    at: r.at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    reason: r.reason,
  }
}

export class KnowledgeStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly engine: Engine,
    /** Tell live consoles (the store's commit listeners) of a committed seq. */
    private readonly emit: (seq: number) => void,
  ) {}

  async get(id: string): Promise<KbEntry | null> {
    const r = await this.db
      .selectFrom('kb_entries')
      .select('data')
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? parseEntry(r.data) : null
  }

  /** Entries for the editing screen, newest change first; `unit` limits to one unit's. */
  async list(f: { status?: KbStatus; unit?: string; publishedOr?: string }): Promise<KbEntry[]> {
    let q = this.db.selectFrom('kb_entries').select('data').orderBy('updated_at', 'desc')
    if (f.status) q = q.where('status', '=', f.status)
    if (f.unit) q = q.where('unit', '=', f.unit)
    if (f.publishedOr)
      q = q.where((eb) => eb.or([eb('status', '=', 'published'), eb('unit', '=', f.publishedOr!)]))
    return (await q.execute()).map((r) => parseEntry(r.data))
  }

  async versions(id: string): Promise<KbVersion[]> {
    const rows = await this.db
      .selectFrom('kb_versions')
      .leftJoin('users', 'users.id', 'kb_versions.by')
      .selectAll('kb_versions')
      .select('users.display_name as by_name')
      .where('entry_id', '=', id)
      .orderBy('version', 'desc')
      .execute()
    return rows.map((r) => ({
      version: Number(r.version),
      action: r.action as KbVersionAction,
      at: r.at,
      by: r.by,
      byName: r.by_name ?? null,
      note: r.note,
      changed: JSON.parse(r.changed) as string[],
      entry: parseEntry(r.data),
    }))
  }

  /** A new entry (version 1). */
  async create(
    id: string,
    input: KbEntryInput,
    status: KbStatus,
    by: string,
    nowIso: string,
    action: KbVersionAction = 'created',
    note: string | null = null,
  ): Promise<KbEntry> {
    const { entry, seq } = await this.db.transaction().execute(async (tx) => {
      const { seq, xid } = await allocateSeq(tx, this.engine)
      const entry: KbEntry = {
        id,
        ...input,
        status,
        version: 1,
        updatedAt: nowIso,
        updatedBy: by,
      }
      await tx.insertInto('kb_entries').values(this.row(entry, seq)).execute()
      await this.writeVersion(tx, entry, action, note, [], seq, xid)
      return { entry, seq }
    })
    this.emit(seq)
    return entry
  }

  /** Changes an entry made from `baseVersion`: a new version, or why not. */
  async change(
    id: string,
    baseVersion: number,
    by: string,
    nowIso: string,
    change: KbChange,
    inTx?: (tx: Transaction<DB>, entry: KbEntry) => Promise<void>,
  ): Promise<KbWrite<KbEntry>> {
    try {
      const { entry, seq } = await this.db.transaction().execute(async (tx) => {
        const { seq, xid } = await allocateSeq(tx, this.engine)
        const out = await this.changeIn(tx, id, baseVersion, by, nowIso, change, seq, xid)
        if (inTx) await inTx(tx, out)
        return { entry: out, seq }
      })
      this.emit(seq)
      return { ok: true, value: entry }
    } catch (e) {
      if (e instanceof Abort) return { ok: false, failure: e.failure }
      throw e
    }
  }

  private async changeIn(
    tx: Transaction<DB>,
    id: string,
    baseVersion: number,
    by: string,
    nowIso: string,
    change: KbChange,
    seq: number,
    xid: number | null,
  ): Promise<KbEntry> {
    const cur = await tx
      .selectFrom('kb_entries')
      .select(['data', 'version'])
      .where('id', '=', id)
      .executeTakeFirst()
    if (!cur) throw new Abort({ kind: 'not_found' })
    const current = parseEntry(cur.data)
    if (Number(cur.version) !== baseVersion)
      throw new Abort({ kind: 'stale', current: Number(cur.version) })
    const c = change(current)
    if ('refuse' in c) throw new Abort({ kind: 'refused', code: c.refuse })
    const next: KbEntry = {
      ...current,
      ...(c.input ?? {}),
      status: c.status ?? current.status,
      version: baseVersion + 1,
      updatedAt: nowIso,
      updatedBy: by,
    }
    const changed = kbChangedFields(kbInputOf(current), kbInputOf(next))
    if (next.status !== current.status) changed.push('status')
    // `version = base` again: on PostgreSQL a concurrent writer may have committed meanwhile.
    const r = await tx
      .updateTable('kb_entries')
      .set(this.row(next, seq))
      .where('id', '=', id)
      .where('version', '=', baseVersion)
      .executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1) throw new Abort({ kind: 'stale', current: baseVersion + 1 })
    await this.writeVersion(tx, next, c.action, c.note ?? null, changed, seq, xid)
    return next
  }

  private row(e: KbEntry, seq: number) {
    return {
      id: e.id,
      status: e.status,
      unit: e.unit,
      title: e.title,
      version: e.version,
      review_by: e.reviewBy,
      updated_at: e.updatedAt,
      seq,
      data: JSON.stringify(e),
    }
  }

  private async writeVersion(
    tx: Transaction<DB>,
    e: KbEntry,
    action: KbVersionAction,
    note: string | null,
    changed: string[],
    seq: number,
    xid: number | null,
  ): Promise<void> {
    await tx
      .insertInto('kb_versions')
      .values({
        entry_id: e.id,
        version: e.version,
        action,
        at: e.updatedAt,
        by: e.updatedBy,
        note,
        changed: JSON.stringify(changed),
        data: JSON.stringify(e),
      })
      .execute()
    await tx
      .insertInto('change_log')
      .values({
        seq,
        kind: 'kb',
        ticket_id: null,
        client_id: null,
        audience: null,
        xid,
        at: e.updatedAt,
      })
      .execute()
  }

  /** Entries written after `cursor` (up to what has settled), for one reader's console. */
  pull(cursor: number, limit: number, reader: KbReader): Promise<KbPullResponse> {
    return readKbFeed(this.db, this.engine, cursor, limit, reader)
  }

  // --- Proposals --------------------------------------------------------------------------------

  async propose(p: {
    id: string
    entryId: string | null
    baseVersion: number | null
    unit: string
    entry: KbEntryInput
    note: string | null
    by: string
    at: string
  }): Promise<KbProposal> {
    const row: KbProposalsTable = {
      id: p.id,
      entry_id: p.entryId,
      base_version: p.baseVersion,
      unit: p.unit,
      status: 'pending',
      note: p.note,
      by: p.by,
      at: p.at,
      decided_by: null,
      decided_at: null,
      reason: null,
      data: JSON.stringify(p.entry),
    }
    await this.db.insertInto('kb_proposals').values(row).execute()
    return proposalOf(row)
  }

  async proposals(f: { status?: KbProposalStatus; unit?: string }): Promise<KbProposal[]> {
    let q = this.db
      .selectFrom('kb_proposals')
      .leftJoin('users', 'users.id', 'kb_proposals.by')
      .selectAll('kb_proposals')
      .select('users.display_name as by_name')
      .orderBy('at', 'desc')
    if (f.status) q = q.where('kb_proposals.status', '=', f.status)
    if (f.unit) q = q.where('kb_proposals.unit', '=', f.unit)
    return (await q.limit(500).execute()).map(proposalOf)
  }

  async proposal(id: string): Promise<KbProposal | null> {
    const r = await this.db
      .selectFrom('kb_proposals')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? proposalOf(r) : null
  }

  /** Marks a pending proposal decided, in `tx`; false when it was not pending any more. */
  async markDecided(
    tx: Kysely<DB>,
    id: string,
    status: 'approved' | 'refused',
    by: string,
    at: string,
    reason: string | null,
  ): Promise<boolean> {
    const r = await tx
      .updateTable('kb_proposals')
      .set({ status, decided_by: by, decided_at: at, reason })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst()
    return Number(r.numUpdatedRows) === 1
  }

  /** Refuses a pending proposal; false when it was decided already. */
  refuse(id: string, by: string, at: string, reason: string): Promise<boolean> {
    return this.markDecided(this.db, id, 'refused', by, at, reason)
  }

  /** Approves a proposal of a new entry: the entry is created published, in one transaction. */
  async approveNew(
    p: KbProposal,
    entryId: string,
    by: string,
    nowIso: string,
  ): Promise<KbWrite<KbEntry>> {
    try {
      const { entry, seq } = await this.db.transaction().execute(async (tx) => {
        // The seq first, before any write (changes.ts).
        const { seq, xid } = await allocateSeq(tx, this.engine)
        if (!(await this.markDecided(tx, p.id, 'approved', by, nowIso, null)))
          throw new Abort({ kind: 'refused', code: 'already_decided' })
        const entry: KbEntry = {
          id: entryId,
          ...p.entry,
          status: 'published',
          version: 1,
          updatedAt: nowIso,
          updatedBy: by,
        }
        await tx.insertInto('kb_entries').values(this.row(entry, seq)).execute()
        await this.writeVersion(tx, entry, 'proposal_approved', p.note, [], seq, xid)
        return { entry, seq }
      })
      this.emit(seq)
      return { ok: true, value: entry }
    } catch (e) {
      if (e instanceof Abort) return { ok: false, failure: e.failure }
      throw e
    }
  }

  /** Approves a proposed edit: the entry gets it as a new, published version. */
  approveEdit(p: KbProposal, by: string, nowIso: string): Promise<KbWrite<KbEntry>> {
    return this.change(
      p.entryId!,
      p.baseVersion!,
      by,
      nowIso,
      () => ({ input: p.entry, status: 'published', action: 'proposal_approved', note: p.note }),
      async (tx) => {
        if (!(await this.markDecided(tx, p.id, 'approved', by, nowIso, null)))
          throw new Abort({ kind: 'refused', code: 'already_decided' })
      },
    )
  }
}
