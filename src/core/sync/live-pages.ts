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
