// The console's local store as the rest of the core sees it. `src/core/db` is the only console code
// that touches better-sqlite3 (STYLE.md 4); the sync client and the ConsoleApi handlers go
// through this interface.
import type { ActionName } from '../../shared/actions'
import type {
  DuplicateCandidate,
  QueuePage,
  QueueRange,
  RejectedMutation,
  SavedView,
  TicketRow,
  queueQuerySchema,
  queueRangeSchema,
  apiArgs,
} from '../../shared/api'
import type { ReferenceData } from '../../shared/reference'
import type { PullResponse } from '../../shared/sync'
import type { Actor, Ticket, TimelineEvent } from '../../shared/ticket'
import type { RulesContext } from '../../shared/workflow'
import type { KnowledgeCache } from './knowledge'
import type { DashboardSql } from './dashboard-sql'
import type { ExportCursor } from './export-rows'
import type { z } from 'zod'

/** One row of the outbox: a mutation the server has not yet acknowledged. */
export interface OutboxMutation {
  /** Per-console counter, strictly increasing; never reused, also across restarts. */
  id: number
  key: string
  name: ActionName
  args: unknown
  /** ISO time on this console's clock: data for the timeline, never used for ordering. */
  clientTime: string
  /** Who acted (the session's user), to re-apply the mutation on top of server rows. */
  actor: Actor
  /** The ticket it acts on (for a create: the new ticket's id). */
  ticketId: string
}

/** The person looking at the queue: "mine" and unit scoping depend on them. */
export interface Viewer {
  userId: string
  role: Actor['role']
  unit: string | null
}

export interface ApplyPullOutcome {
  /** Tickets whose visible rows changed (for `tickets.changed`). */
  changedIds: string[]
  /** Mutations the server refused that this pull reported (already removed from the outbox). */
  rejected: RejectedMutation[]
  referenceChanged: boolean
}

export interface ApplyPullOptions {
  snapshot?: boolean
}

export type ParsedQueueQuery = z.output<typeof queueQuerySchema>
export type ParsedQueueRange = z.output<typeof queueRangeSchema>
export type DuplicateArgs = z.output<(typeof apiArgs)['ticket.duplicates']>

export interface LocalStoreApi {
  close(): void

  /** Small persistent settings: clientId, cursor, session, lastMutationId … */
  getMeta(key: string): string | null
  setMeta(key: string, value: string | null): void
  /** Every meta entry whose key starts with `prefix`. */
  metaWithPrefix(prefix: string): Array<{ key: string; value: string }>

  /**
   * Apply an action optimistically and queue it, in ONE SQLite transaction: `effect` gets the
   * visible ticket (null when absent) and returns the new ticket and event or throws; the
   * visible row, the event and the outbox row are written together. Returns the outbox row.
   */
  enqueue(
    m: Omit<OutboxMutation, 'id'>,
    effect: (current: Ticket | null) => { ticket: Ticket; event: TimelineEvent },
  ): OutboxMutation
  /** Pending mutations in id order (oldest first), at most `limit`. */
  pending(limit?: number): OutboxMutation[]
  pendingCount(): number

  /**
   * One pulled page, in ONE transaction: upsert server rows and events, drop removed tickets,
   * drop outbox rows with id ≤ page.lastMutationId, record this console's rejections, store the
   * reference data if present and the new cursor, then rebase: every ticket touched by the page
   * or by pending mutations gets visible = server row + pending mutations re-applied in order
   * through the shared rules (a pending mutation the rules now refuse stays queued; the server
   * will decide). Nothing half-applied is ever visible.
   *
   * `opts.snapshot`: the page is one of a first-sync snapshot (its cursor stays 0 until the last
   * page, the one with `hasMore` false). Same effects, written the cheap way for many rows: the
   * first such page sets the secondary and full-text indexes aside, the last builds them once
   * (meanwhile queries scan and search finds only older rows; see bulk.ts); and its commit is not
   * synced to disk on its own (a page lost to a power cut is fetched again: the snapshot
   * restarts while the cursor is 0; mutations committed before or after keep their full
   * durability). Any other pull first builds indexes a broken-off snapshot left aside.
   */
  applyPull(page: PullResponse, rules: RulesContext, opts?: ApplyPullOptions): ApplyPullOutcome
  /** A stale cursor: forget server rows and cursor (for a fresh snapshot); keep the outbox. */
  resetServerState(): void

  /**
   * Wipe local data: the outbox, every ticket and event, the reference data and every meta entry
   * but `keepMeta` (the client id, the mutation counters, the server address). Not undoable.
   */
  wipe(keepMeta: readonly string[]): void

  rejected(): RejectedMutation[]
  dismissRejected(id: number): void

  reference(): (ReferenceData & { version: number }) | null

  // Reads for the screens (phone numbers masked in rows).
  ticket(id: string): { ticket: Ticket; events: TimelineEvent[]; pending: boolean } | null
  queue(q: ParsedQueueQuery, viewer: Viewer, nowMs: number): QueuePage
  /** The rows between two tickets of a queue query, both ends included, in one snapshot. */
  queueRange(q: ParsedQueueRange, viewer: Viewer, nowMs: number): QueueRange
  counts(views: readonly SavedView[], viewer: Viewer, nowMs: number): Record<SavedView, number>
  callerHistory(phone: string, limit: number): TicketRow[]
  duplicates(args: DuplicateArgs, nowMs: number): DuplicateCandidate[]
  /** Units that handled tickets of this category (and district) before, most first. */
  unitsByHistory(
    category: string,
    district: string | null,
    limit: number,
  ): Array<{ code: string; count: number }>
  search(q: string, limit: number): TicketRow[]
  /** Every row of a queue query in one snapshot, for an export; close it when done. */
  exportCursor(q: ParsedQueueQuery, viewer: Viewer, nowMs: number): ExportCursor
  /** Tickets and events relevant to KPIs of a period (created, completed or with events in it, or open). */
  kpiInput(fromMs: number, toMs: number): { tickets: Ticket[]; events: TimelineEvent[] }
  unitKpiInput(fromMs: number, toMs: number): { tickets: Ticket[]; events: TimelineEvent[] }
  /** The dashboard's aggregates (KPI facts and their per-day sums, migration 3). */
  dashboard(): DashboardSql
  /** The knowledge base's entries and search (migration 4). */
  knowledge(): KnowledgeCache
}
