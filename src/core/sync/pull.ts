// Pulling pages of changes and applying each in one store transaction. The next page is fetched
// while the current one is applied, so a snapshot costs the slower of network and SQLite, not
// their sum. A cursor the server no longer serves (HTTP 410 or a `stale_cursor` code) ends the
// run with 'stale', for the caller to reset and start a fresh snapshot.
//
// The first sync reads the server's snapshot (open tickets first, then recent ones, with a total
// for the progress bar) and then pulls on from the snapshot's seq; a server without a snapshot
// route is pulled from cursor 0 instead.
import type { ConsoleEvents, SnapshotProgress } from '../../shared/api'
import { CLIENT_ID_HEADER, type PullResponse, type SnapshotResponse } from '../../shared/sync'
import { makeRulesContext } from '../../shared/workflow'
import type { ApplyPullOptions, LocalStoreApi } from '../db/types'
import type { ReferenceCache } from '../reference-cache'
import { HttpFailure, requestJson, type HttpOptions } from './http'

export interface PullContext {
  store: LocalStoreApi
  references: ReferenceCache
  clientId: string
  http: HttpOptions
  signal: AbortSignal
  emit<K extends 'tickets.changed' | 'mutation.rejected' | 'reference.changed'>(
    type: K,
    payload: ConsoleEvents[K],
  ): void
  /** First sync: tickets loaded so far (null when the snapshot is over). */
  progress(snapshot: SnapshotProgress | null): void
  onPage?(page: PullResponse, rejected: number): void
  /** A reset was asked for meanwhile: stop before applying another page. */
  resetWanted?(): boolean
  pageLimit?: number
  /** Snapshot pages until the open tickets are in (small: the console is usable sooner). */
  snapshotPageLimit?: number
  /** Snapshot pages after them, as far as the server serves (its first page's `maxLimit`). */
  snapshotBulkPageLimit?: number
}

/** The snapshot page limit servers without `maxLimit` (before issue 18's larger pages) serve. */
const OLD_SNAPSHOT_PAGE_MAX = 2000

const STALE_CODES = new Set(['stale_cursor', 'cursor_stale', 'cursor_expired', 'cursor_too_old'])

export const isStaleCursor = (e: unknown): boolean =>
  e instanceof HttpFailure && (e.status === 410 || STALE_CODES.has(e.code))

function fetchPage(ctx: PullContext, cursor: number, limit: number): Promise<PullResponse> {
  const q = new URLSearchParams({ cursor: String(cursor), limit: String(limit) })
  // The console is named in a header: request logs record URLs (issue 12).
  const http = { ...ctx.http, headers: { ...ctx.http.headers, [CLIENT_ID_HEADER]: ctx.clientId } }
  return requestJson<PullResponse>(http, 'GET', `/api/v1/sync/pull?${q}`)
}

/** Apply one page in one store transaction and tell the screens what changed. */
export function applyPage(
  ctx: Pick<PullContext, 'store' | 'references' | 'emit' | 'onPage'>,
  page: PullResponse,
  opts?: ApplyPullOptions,
): void {
  const cached = ctx.references.get()
  const rules = page.reference ? makeRulesContext(page.reference) : cached?.rules
  if (!rules) throw new Error('no reference data yet: the server sent none with the page')
  const out = ctx.store.applyPull(page, rules, opts)
  if (page.reference) ctx.references.invalidate()
  if (out.referenceChanged) {
    const version = page.reference?.version ?? ctx.references.get()?.data.version
    if (version != null) ctx.emit('reference.changed', { version })
  }
  if (out.changedIds.length) ctx.emit('tickets.changed', { ids: out.changedIds })
  for (const r of out.rejected) ctx.emit('mutation.rejected', r)
  ctx.onPage?.(page, out.rejected.length)
}

/** The first sync from the server's snapshot; null when the server has no snapshot route. */
async function snapshotPages(ctx: PullContext): Promise<'done' | 'stale' | null> {
  const limit = ctx.snapshotPageLimit ?? 2000
  const get = (seq: number | null, after: string | null, limit: number) => {
    const q = new URLSearchParams({ limit: String(limit) })
    if (seq != null) q.set('seq', String(seq))
    if (after != null) q.set('after', after)
    return requestJson<SnapshotResponse>(ctx.http, 'GET', `/api/v1/sync/snapshot?${q}`)
  }
  ctx.progress({ loaded: 0, total: null, open: null, usable: false })
  let next: Promise<SnapshotResponse> | null = get(null, null, limit)
  let first: SnapshotResponse
  try {
    first = await next
  } catch (e) {
    if (e instanceof HttpFailure && e.status === 404) return null
    throw e
  }
  const reference = await requestJson<NonNullable<PullResponse['reference']>>(
    ctx.http,
    'GET',
    '/api/v1/reference',
  )
  const seq = first.seq
  const total = first.total
  // Open tickets come first: once they are in, the console has its work (time to usable).
  const open = first.open ?? null
  const progress = (loaded: number) =>
    ctx.progress({ loaded, total, open, usable: open != null && loaded >= open })
  // Small pages up to exactly the open count, larger ones after it: a page costs the cache its
  // commit, and fewer commits write its tables' pages fewer times over (issue 18).
  const bulk = Math.min(
    ctx.snapshotBulkPageLimit ?? 10_000,
    first.maxLimit ?? OLD_SNAPSHOT_PAGE_MAX,
  )
  const limitAfter = (loaded: number) =>
    open != null && loaded < open ? Math.min(limit, open - loaded) : Math.max(limit, bulk)
  let loaded = 0
  progress(loaded)
  let snap: SnapshotResponse | null = first
  next = null
  while (snap) {
    if (ctx.signal.aborted) return 'done'
    if (ctx.resetWanted?.()) return 'stale'
    if (snap.next) {
      next = get(seq, snap.next, limitAfter(loaded + snap.tickets.length))
      next.catch(() => {})
    }
    // The cursor stays 0 until the last page is in: a snapshot broken off starts again.
    applyPage(
      ctx,
      {
        cursor: snap.next ? 0 : seq,
        hasMore: snap.next != null,
        tickets: snap.tickets,
        removed: [],
        events: snap.events,
        results: [],
        lastMutationId: null,
        ...(loaded === 0 ? { reference } : {}),
      },
      { snapshot: true },
    )
    loaded += snap.tickets.length
    progress(loaded)
    snap = next ? await next : null
    next = null
  }
  return 'done'
}

/** Pull from the stored cursor until the server has nothing more. */
export async function pullPages(ctx: PullContext): Promise<'done' | 'stale'> {
  let start = Number(ctx.store.getMeta('cursor') ?? 0)
  if (start === 0) {
    try {
      const done = await snapshotPages(ctx)
      if (done === 'stale') return 'stale'
      if (done === 'done') start = Number(ctx.store.getMeta('cursor') ?? 0)
    } finally {
      ctx.progress(null)
    }
    if (ctx.signal.aborted) return 'done'
  }
  const snapshot = start === 0
  const limit = snapshot ? (ctx.snapshotPageLimit ?? 2000) : (ctx.pageLimit ?? 500)
  let loaded = 0
  if (snapshot) ctx.progress({ loaded, total: null, open: null, usable: false })
  let next: Promise<PullResponse> | null = fetchPage(ctx, start, limit)
  try {
    while (next) {
      let page: PullResponse
      try {
        page = await next
      } catch (e) {
        if (isStaleCursor(e)) return 'stale'
        throw e
      }
      next = null
      if (ctx.signal.aborted) break
      if (ctx.resetWanted?.()) return 'stale'
      if (page.hasMore) {
        next = fetchPage(ctx, page.cursor, limit)
        // Awaited on the next turn; until then a failure must not count as unhandled.
        next.catch(() => {})
      }
      applyPage(ctx, page)
      if (snapshot) {
        loaded += page.tickets.length
        if (page.hasMore) ctx.progress({ loaded, total: null, open: null, usable: false })
      }
    }
  } finally {
    if (snapshot) ctx.progress(null)
  }
  return 'done'
}
