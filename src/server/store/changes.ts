// Reading the change log for pulls. Pages are consistent: a page is read in one snapshot, and on
// PostgreSQL it stops before the oldest transaction still writing, so a change that commits
// late with a lower seq can never be skipped by a cursor that has already moved past it.
//
// Why that holds: next_change_seq() hands out the seq and fixes the transaction id under one
// lock, first thing in every writing transaction, so seq order equals transaction-id order among
// writers. A pull reads in one repeatable-read snapshot and serves only rows whose xid is below
// the lowest transaction that snapshot saw running: every writer below that cut had finished
// when the snapshot was taken, so its rows are visible (or rolled back for good) and no lower
// seq can appear later. Transactions of OTHER databases on the same PostgreSQL server cannot
// write our rows, so those still running (pg_stat_activity) are left out of the cut: a long
// transaction of another application, or a test creating databases, must not hold consoles
// back. (One that has just finished counts as ours, which only delays this one pull.)
import { sql, type Kysely } from 'kysely'
import type { Ticket, TimelineEvent } from '../../shared/ticket'
import type { Localized } from '../../shared/validation'
import { withUnit, type Engine } from './dsl'
import type { StoredResult } from './mutation'
import { parseEvent, parseTicket } from './rows'
import type { DB } from './types'

export interface PullQuery {
  cursor: number
  limit: number
  /** The console pulling: its mutation results come with the page. */
  clientId: string | null
  /** Unit staff see only their unit's tickets; null for everyone else. */
  unit: string | null
}

export interface PullPage {
  cursor: number
  hasMore: boolean
  tickets: Ticket[]
  /** Tickets this unit no longer has (returned, re-dispatched elsewhere). */
  removed: string[]
  events: TimelineEvent[]
  results: StoredResult[]
  referenceChanged: boolean
  lastMutationId: number | null
}

/**
 * PostgreSQL: below which transaction id every writer had finished when this transaction's
 * snapshot was taken. Must be the first statement of the pull's repeatable-read transaction.
 */
async function settledBelow(db: Kysely<DB>): Promise<number> {
  const r = await sql<{ next: string; running: string[]; foreign: string[] }>`
    select pg_snapshot_xmax(s)::text as next,
      array(select x::text from pg_snapshot_xip(s) x) as running,
      array(select backend_xid::text from pg_stat_activity
            where datname is distinct from current_database() and backend_xid is not null)
        as foreign
    from (select pg_current_snapshot() as s) q`.execute(db)
  const row = r.rows[0]!
  const next = BigInt(row.next)
  // pg_stat_activity shows 32-bit xids; widen them with the epoch of `next`.
  const epoch = next & ~0xffffffffn
  const foreign = new Set(
    row.foreign.map((x) => {
      const full = epoch | BigInt(x)
      return String(full >= next ? full - (1n << 32n) : full)
    }),
  )
  let cut = next
  for (const x of row.running) if (!foreign.has(x) && BigInt(x) < cut) cut = BigInt(x)
  return Number(cut)
}

/** The highest seq a pull could hand out now: every change at or below it is settled. */
export async function settledSeq(db: Kysely<DB>, engine: Engine): Promise<number> {
  const cut = engine === 'postgres' ? await settledBelow(db) : null
  let q = db.selectFrom('change_log').select('seq').orderBy('seq', 'desc').limit(1)
  if (cut != null) q = q.where('xid', '<', cut)
  const top = await q.executeTakeFirst()
  return top ? Number(top.seq) : 0
}

export async function readPage(db: Kysely<DB>, engine: Engine, q: PullQuery): Promise<PullPage> {
  let rowsQ = db
    .selectFrom('change_log')
    .select(['seq', 'kind', 'ticket_id'])
    .where('seq', '>', q.cursor)
    .where((eb) => {
      const ors = [eb('kind', '=', 'reference')]
      ors.push(
        q.unit == null
          ? eb('kind', '=', 'ticket')
          : eb.and([eb('kind', '=', 'ticket'), withUnit(engine, 'audience', q.unit)]),
      )
      if (q.clientId != null)
        ors.push(eb.and([eb('kind', '=', 'result'), eb('client_id', '=', q.clientId)]))
      return eb.or(ors)
    })
    .orderBy('seq')
    .limit(q.limit + 1)
  const cut = engine === 'postgres' ? await settledBelow(db) : null
  if (cut != null) rowsQ = rowsQ.where('xid', '<', cut)
  const all = await rowsQ.execute()
  const hasMore = all.length > q.limit
  const rows = all.slice(0, q.limit)

  let cursor: number
  if (hasMore) cursor = Number(rows[rows.length - 1]!.seq)
  else {
    // Nothing more for this reader: move past everything settled, theirs or not.
    let maxQ = db.selectFrom('change_log').select('seq').orderBy('seq', 'desc').limit(1)
    if (cut != null) maxQ = maxQ.where('xid', '<', cut)
    const top = await maxQ.executeTakeFirst()
    cursor = Math.max(q.cursor, top ? Number(top.seq) : 0)
  }

  const ticketSeqs = rows.filter((r) => r.kind === 'ticket')
  const ticketIds = [...new Set(ticketSeqs.map((r) => r.ticket_id!))]
  const tickets: Ticket[] = []
  const removed: string[] = []
  if (ticketIds.length) {
    const found = await db
      .selectFrom('tickets')
      .select(['id', 'data', 'units', 'seq'])
      .where('id', 'in', ticketIds)
      .orderBy('seq')
      .execute()
    for (const r of found) {
      if (q.unit != null && !r.units.includes(`|${q.unit}|`)) removed.push(r.id)
      else tickets.push(parseTicket(r))
    }
  }

  let events: TimelineEvent[] = []
  if (tickets.length) {
    let eq = db.selectFrom('timeline_events').select('data').orderBy('seq').orderBy('version')
    if (q.unit == null) {
      eq = eq.where('seq', '>', q.cursor).where('seq', '<=', cursor)
    } else {
      // A unit may be seeing the ticket for the first time: send its whole timeline.
      eq = eq.where(
        'ticket_id',
        'in',
        tickets.map((t) => t.id),
      )
    }
    events = (await eq.execute()).map(parseEvent)
  }

  const resultSeqs = rows.filter((r) => r.kind === 'result').map((r) => Number(r.seq))
  let results: StoredResult[] = []
  if (resultSeqs.length && q.clientId != null) {
    const found = await db
      .selectFrom('mutation_results')
      .selectAll()
      .where('client_id', '=', q.clientId)
      .where('seq', 'in', resultSeqs)
      .orderBy('mutation_id')
      .execute()
    results = found.map((r) => ({
      clientId: r.client_id,
      id: Number(r.mutation_id),
      key: r.key,
      name: r.name,
      status: r.status as StoredResult['status'],
      code: r.code,
      message: r.message ? (JSON.parse(r.message) as Localized) : null,
    }))
  }

  // The console's mutations count as done only once this page has delivered their effects:
  // a mutation whose seq lies beyond the page (a later page, or held back by a writer still in
  // flight on PostgreSQL) is not acknowledged yet, else the console would drop it from its
  // outbox and show the ticket without it for a moment.
  let lastMutationId: number | null = 0
  if (q.clientId != null) {
    const c = await db
      .selectFrom('clients')
      .select(['last_mutation_id', 'last_seq'])
      .where('client_id', '=', q.clientId)
      .executeTakeFirst()
    if (c)
      lastMutationId =
        c.last_seq != null && Number(c.last_seq) > cursor ? null : Number(c.last_mutation_id)
  }

  return {
    cursor,
    hasMore,
    tickets,
    removed,
    events,
    results,
    referenceChanged: rows.some((r) => r.kind === 'reference'),
    lastMutationId,
  }
}

/**
 * What a page read for no console in particular lacks for one console (sync/shared-pages.ts):
 * whether it has mutation results in the page's range `(from, to]` — then its own page differs —
 * and its lastMutationId as of `to`, by the same rule as `readPage`.
 */
export async function consoleTail(
  db: Kysely<DB>,
  clientId: string,
  from: number,
  to: number,
): Promise<{ results: boolean; lastMutationId: number | null }> {
  const result = await db
    .selectFrom('mutation_results')
    .select('seq')
    .where('client_id', '=', clientId)
    .where('seq', '>', from)
    .where('seq', '<=', to)
    .limit(1)
    .executeTakeFirst()
  const c = await db
    .selectFrom('clients')
    .select(['last_mutation_id', 'last_seq'])
    .where('client_id', '=', clientId)
    .executeTakeFirst()
  const lastMutationId = !c
    ? 0
    : c.last_seq != null && Number(c.last_seq) > to
      ? null
      : Number(c.last_mutation_id)
  return { results: result !== undefined, lastMutationId }
}

/**
 * The consoles with a mutation whose change lies after `seq`, and the seq of their latest (for
 * pages sent on the live socket, sync/live-pages.ts): a page after `seq` read for no console is
 * theirs only when their own mutations — results, lastMutationId — are not in its range.
 */
export async function consolesAfter(db: Kysely<DB>, seq: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('clients')
    .select(['client_id', 'last_seq'])
    .where('last_seq', '>', seq)
    .execute()
  return new Map(rows.map((r) => [r.client_id, Number(r.last_seq)]))
}

/** Whether the knowledge base changed in `(from, to]`: consoles then pull its feed too. */
export async function knowledgeChanged(db: Kysely<DB>, from: number, to: number) {
  const row = await db
    .selectFrom('change_log')
    .select('seq')
    .where('kind', '=', 'kb')
    .where('seq', '>', from)
    .where('seq', '<=', to)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

/** Stored results of a console's mutations, by id (to answer a push that is repeated). */
export async function storedResults(
  db: Kysely<DB>,
  clientId: string,
  ids: number[],
): Promise<Map<number, { status: string; code: string | null; message: Localized | null }>> {
  const out = new Map<number, { status: string; code: string | null; message: Localized | null }>()
  if (!ids.length) return out
  const rows = await db
    .selectFrom('mutation_results')
    .select(['mutation_id', 'status', 'code', 'message'])
    .where('client_id', '=', clientId)
    .where('mutation_id', 'in', ids)
    .execute()
  for (const r of rows)
    out.set(Number(r.mutation_id), {
      status: r.status,
      code: r.code,
      message: r.message ? (JSON.parse(r.message) as Localized) : null,
    })
  return out
}
