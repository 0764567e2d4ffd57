// What the sync client (client.ts) is given: the session it syncs for, its timings and page
// sizes, and the console's store and callbacks it works through.
import type { HttpOptions } from './http'
import type { PullContext } from './pull'

export interface SyncSession {
  serverUrl: string
  token: string
  userId: string
}

export interface SyncOptions {
  /** Fallback pull when no poke came (30 s). */
  pullIntervalMs: number
  backoffBaseMs: number
  backoffMaxMs: number
  /** Mutations per push request. */
  pushBatch: number
  /** Changes per pull page once synced, and during the first snapshot. */
  pageLimit: number
  /** Snapshot pages until the open tickets are in. */
  snapshotPageLimit: number
  /** Snapshot pages after them (as far as the server serves). */
  snapshotBulkPageLimit: number
  requestTimeoutMs: number
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  pullIntervalMs: 30_000,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  pushBatch: 200,
  pageLimit: 500,
  snapshotPageLimit: 2000,
  snapshotBulkPageLimit: 10_000,
  requestTimeoutMs: 30_000,
}

export interface SyncDeps extends Omit<PullContext, 'http' | 'signal' | 'progress'> {
  /** The server refused the token: the session is over until the person logs in again. */
  onUnauthorized(): void
  /** Status changed (the caller emits it, in the console's language). */
  onStatus(): void
  log(msg: string, extra?: unknown): void
  /**
   * A feed of its own that follows the ticket pull (the knowledge base): its cursor counts in
   * the same change-log seqs, so it is pulled whenever it is behind the ticket cursor.
   */
  follower?: { cursor(): number; pull(http: HttpOptions): Promise<void> }
}
