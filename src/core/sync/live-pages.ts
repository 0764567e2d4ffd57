// Pages on the live socket (issue 18): a server that offers them (`ready` with `pages: true`) is
// told where this console's cursor stands after each pull, and then sends, instead of a poke, the
// page a pull from there would answer: `{type: 'page', from, seq, kb, page}`. The sync client
// applies it only when it continues the cursor exactly and no pull is running — the same store
// transaction as a pulled page, on the same single-flight path, so the cursor never skips a change
// — and otherwise pulls as for a poke. The server sends a console a poke instead when its own
// mutations lie in the range, so a page acknowledges nothing (`lastMutationId: null`).
import type { PullResponse } from '../../shared/sync'
import { applyPage, type PullContext } from './pull'

export interface LivePage {
  /** The cursor the page continues. */
  from: number
  /** The server's newest change when it sent the page. */
  seq: number
  /** The knowledge base changed in the page's range: its feed is to be pulled too. */
  kb: boolean
  page: PullResponse
}

/** A `page` message as received, or null when it is not one this console can take. */
export function livePage(msg: Record<string, unknown>): LivePage | null {
  const page = msg.page as Partial<PullResponse> | null | undefined
  if (
    msg.type !== 'page' ||
    typeof msg.from !== 'number' ||
    typeof msg.seq !== 'number' ||
    typeof page !== 'object' ||
    page === null ||
    typeof page.cursor !== 'number' ||
    !Array.isArray(page.tickets) ||
    !Array.isArray(page.removed) ||
    !Array.isArray(page.events) ||
    !Array.isArray(page.results)
  )
    return null
  return { from: msg.from, seq: msg.seq, kb: msg.kb === true, page: page as PullResponse }
}

/**
 * Applies the page when it continues `cursor` (never a first sync's cursor 0); false when it does
 * not, and the caller pulls instead. The caller makes sure no pull is running.
 */
export function applyLivePage(
  ctx: Pick<PullContext, 'store' | 'references' | 'emit' | 'onPage'>,
  cursor: number,
  live: LivePage,
): boolean {
  if (cursor === 0 || live.from !== cursor || live.page.cursor <= cursor) return false
  applyPage(ctx, live.page)
  return true
}

/** What the sync client lends the page path: its state to judge a page by, and its loops. */
export interface LivePageHost {
  /** The store and the screens, as a pulled page is applied with. */
  context: Pick<PullContext, 'store' | 'references' | 'emit' | 'onPage'>
  cursor(): number
  /** A pull runs, or a reset is wanted: a page applied now would race it. */
  busy(): boolean
  pull(): void
  /** Tells the server where the cursor stands (live.ts `sayCursor`). */
  sayCursor(): void
  log(msg: string, extra?: unknown): void
}

/**
 * Takes a page from the socket: true when it was applied (it continued the cursor and no pull
 * ran), and the rest pulled if it says more follows. Otherwise it is pulled as for a poke when it
 * brings anything newer; when it does not, the cursor is said again, for the server to send the
 * next pages from there.
 */
export function takeLivePage(host: LivePageHost, live: LivePage): boolean {
  let applied = false
  if (!host.busy())
    try {
      applied = applyLivePage(host.context, host.cursor(), live)
    } catch (e) {
      host.log('live page not applied: pulling', e)
    }
  if (applied) {
    // More to come, or the knowledge base changed (its feed follows a pull): pull the rest.
    if (live.page.hasMore || live.kb) host.pull()
    return true
  }
  if (Math.max(live.seq, live.page.cursor) > host.cursor()) host.pull()
  else if (!host.busy()) host.sayCursor()
  return false
}
