// The sync protocol's wire shapes (DESIGN.md §4): what a console pushes and what a pull returns.
// The server validates with these schemas and the console core builds and reads with the types.
import { z } from 'zod'
import type { ReferenceData } from './reference'
import type { Ticket, TimelineEvent } from './ticket'
import { customIssue, type Localized } from './validation'

/** A console install's id: a uuid, or any short token of safe characters. */
export const clientIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/)

export const mutationSchema = z.object({
  /** Per-console counter: strictly increasing, gaps allowed. */
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  /** A uuid the console made for this mutation, to find it again in results. */
  key: z.string().max(100).nullish(),
  /** `ticket.dispatch`, optionally with a version suffix: `ticket.dispatch@1`. */
  name: z.string().min(1).max(100),
  args: z.unknown(),
  /** The console's clock when the person acted: data for the timeline, never used for order. */
  clientTime: z.string().max(64).nullish(),
})
export type PushMutation = z.output<typeof mutationSchema>
export type Mutation = z.input<typeof mutationSchema>

export const pushBodySchema = z.object({
  clientId: clientIdSchema,
  mutations: z
    .array(mutationSchema)
    .max(1000)
    .refine((ms) => ms.every((m, i) => i === 0 || m.id > ms[i - 1]!.id), {
      ...customIssue('out_of_order', {
        zh: '变更编号必须递增',
        en: 'must be in increasing id order',
      }),
    }),
})
export type PushBody = z.input<typeof pushBodySchema>

/**
 * The header a pull names its console in (issue 12): request logs record URLs, and whoever read
 * a clientId there could pull that console's results. (`clientId` in the query is still read,
 * for consoles older than the header; the server's logs leave it out.)
 */
export const CLIENT_ID_HEADER = 'x-hotline-client'

export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(2000).default(500),
  clientId: clientIdSchema.optional(),
})

/**
 * The largest snapshot page a server serves (issue 18): the console writes each page in one
 * transaction, and fewer, larger commits write the cache's pages far fewer times over. A console
 * learns the bound from the first page (`maxLimit`), so it never asks an older server, whose
 * bound was the pull's 2,000, for more.
 */
export const SNAPSHOT_PAGE_MAX = 10_000

export const snapshotQuerySchema = z.object({
  /** The snapshot's seq, from its first page; absent to start one. */
  seq: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  /** The position after the previous page, as the server gave it. */
  after: z.string().min(1).max(500).optional(),
  limit: z.coerce.number().int().min(1).max(SNAPSHOT_PAGE_MAX).default(500),
})

/** A page of the first sync: open tickets first, then recently closed ones, newest first. */
export interface SnapshotResponse {
  /** Pull from this cursor once the last page is in. */
  seq: number
  /** Tickets in the whole snapshot; on the first page only. */
  total: number | null
  /** Of those, the open ones, which come first; on the first page only (absent: older server). */
  open?: number | null
  /** The largest `limit` this server serves; on the first page only (absent: 2,000). */
  maxLimit?: number
  tickets: Ticket[]
  events: TimelineEvent[]
  /** Give as `after` for the next page; null on the last. */
  next: string | null
}

/** Versions of each mutation this server understands; a name without a suffix means 1. */
export const MUTATION_VERSIONS = [1] as const

export interface PushResult {
  id: number
  status: 'ok' | 'rejected'
  code?: string
  message?: Localized
  field?: string
}

export interface PushResponse {
  results: PushResult[]
  lastMutationId: number
}

/** A mutation's outcome as stored by the server and pulled back by the console that sent it. */
export interface MutationResult {
  id: number
  key: string | null
  name: string
  status: 'ok' | 'rejected'
  code: string | null
  message: Localized | null
}

export interface PullResponse {
  cursor: number
  hasMore: boolean
  /** Latest state of each ticket changed after the cursor (that this user may see). */
  tickets: Ticket[]
  /** Tickets this user no longer sees (a unit's ticket returned or re-dispatched elsewhere). */
  removed: string[]
  events: TimelineEvent[]
  /** Results of this console's mutations (when the pull names its clientId). */
  results: MutationResult[]
  /**
   * The highest mutation id of this console the server has applied or rejected, once their
   * effects are in the pages delivered so far; null when not yet (pull on, keep the outbox).
   */
  lastMutationId: number | null
  /** On the first pull and whenever it changed. */
  reference?: ReferenceData & {
    version: number
    users?: Array<{ id: string; displayName: string }>
  }
}
