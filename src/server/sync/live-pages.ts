// Pages on the live socket (issue 18). A console that asked for them (it said where its cursor
// stands, `{type: 'cursor'}`) is sent, instead of a poke, the page a pull from its cursor would
// answer — so the hundreds of consoles a commit would poke need no HTTP pull each. The page is the
// pull route's shared page (sync/page-reader.ts): read once per viewer scope (role and unit, read
// afresh from the session at each send, as each pull authenticates) and range, serialized once and
// sent as the same bytes to every console of that scope whose cursor stands at its start. What a
// shared page lacks for one console — its results and lastMutationId — is never guessed: a console
// with a mutation of its own after its cursor is poked and pulls its own page, as before. The
// page says `lastMutationId: null` ("nothing new acknowledged"), which is true for every other.
import type { ServerContext } from '../context'
import type { UserRecord } from '../store'
import { consoleKey } from './console-key'
import type { PageReader } from './page-reader'
import { answerFrom } from './shared-pages'

/** Changes a pushed page holds at most: the console core's pull page (the rest is pulled). */
export const LIVE_PAGE_LIMIT = 500

export interface PageTarget {
  userId: string
  tokenHash: string
  clientId: string
  /** Where the console's cursor stands: as it said, or where the last page sent left it. */
  cursor: number
}

/** A target's page (the same bytes for its whole group) and where it leaves the cursor. */
export type PageSend = { page: Buffer; cursor: number } | null

/** For each target, the page to send it, or null: poke it (it pulls as before). */
export async function pagesFor<T extends PageTarget>(
  ctx: ServerContext,
  reader: PageReader,
  targets: T[],
  latestSeq: number,
): Promise<Map<T, PageSend>> {
  const out = new Map<T, PageSend>()
  for (const t of targets) out.set(t, null)
  // Who each session is now, as a pull's authentication would read it (coalesced: one statement).
  const nowIso = new Date(ctx.now()).toISOString()
  const users = new Map<string, Promise<UserRecord | null>>()
  for (const t of targets)
    if (!users.has(t.tokenHash))
      users.set(t.tokenHash, ctx.store.accounts.sessionUser(t.tokenHash, nowIso))
  const floor = await ctx.store.changeLogFloor()

  const groups = new Map<string, { viewer: UserRecord; cursor: number; members: T[] }>()
  for (const t of targets) {
    const viewer = await users.get(t.tokenHash)!
    // Ended, or another user now: poked, it pulls and is refused. Cursor 0 is a first sync, one
    // below the floor a fresh snapshot: both the pull's business.
    if (!viewer || viewer.id !== t.userId || t.cursor <= 0 || t.cursor < floor - 1) continue
    const key = `${viewer.role}|${viewer.unit ?? ''}|${t.cursor}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { viewer, cursor: t.cursor, members: [] }))
    g.members.push(t)
  }
  if (!groups.size) return out

  // Consoles with mutations of their own after their cursor are poked: a group of only those
  // needs no page. Read again after the pages, for the mutations committed meanwhile.
  const from = Math.min(...[...groups.values()].map((g) => g.cursor))
  const ownBefore = await ctx.store.consolesAfter(from)
  const isOwn = (own: Map<string, number>, t: T, cursor: number) =>
    (own.get(consoleKey(t.userId, t.clientId)) ?? 0) > cursor
  const read = await Promise.all(
    [...groups.values()]
      .filter((g) => g.members.some((t) => !isOwn(ownBefore, t, g.cursor)))
      .map(async (g) => ({
        ...g,
        page: await reader.shared(g.viewer, g.cursor, LIVE_PAGE_LIMIT),
      })),
  )
  if (!read.length) return out
  // Read after the pages: a console's mutation within a page's range is visible by now.
  const own = await ctx.store.consolesAfter(from)
  for (const g of read) {
    // Nothing settled past the cursor yet (PostgreSQL holding back): the poke's retry handles it.
    if (g.page.cursor <= g.cursor) continue
    const kb = await ctx.store.knowledgeChanged(g.cursor, g.page.cursor)
    const bytes = Buffer.from(
      `{"type":"page","from":${g.cursor},"seq":${latestSeq},"kb":${kb},"page":${answerFrom(g.page, null)}}`,
    )
    const send = { page: bytes, cursor: g.page.cursor }
    for (const t of g.members) {
      if (isOwn(own, t, g.cursor)) continue
      out.set(t, send)
    }
  }
  return out
}
