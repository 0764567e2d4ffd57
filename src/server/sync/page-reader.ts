// The pull page a viewer's scope is sent for a range, read once for all the consoles that want it
// (sync/shared-pages.ts): by the pull route for consoles that pull, and by the live hub for those
// it sends pages on their socket (sync/live-pages.ts). One reader, so both are scoped by the very
// same read.
import type { ServerContext } from '../context'
import type { PullPage, UserRecord } from '../store'
import { presentPull } from './present'
import { pageKey, SharedPages, type SharedPage } from './shared-pages'

/** The unit a viewer's pages are read for: a unit's staff see only its tickets. */
export const viewerUnit = (viewer: Pick<UserRecord, 'role' | 'unit'>): string | null =>
  viewer.role === 'unit' ? (viewer.unit ?? '\u0000none') : null

export class PageReader {
  private readonly pages = new SharedPages()

  /**
   * `latestSeq`: the newest commit this process has heard of (the live hub's): a shared page is
   * only served while no commit came after its read, so a console poked for a commit never gets
   * a page read before it.
   */
  constructor(
    private readonly ctx: ServerContext,
    private readonly latestSeq: () => number,
  ) {}

  /** A page's fields but the console's own, as every console pulling it is sent them. */
  async body(page: Omit<PullPage, 'results' | 'lastMutationId'>, cursor: number) {
    const withReference = cursor === 0 || page.referenceChanged
    const ref = withReference ? await this.ctx.reference(page.referenceChanged) : null
    return {
      cursor: page.cursor,
      hasMore: page.hasMore,
      tickets: page.tickets,
      removed: page.removed,
      events: page.events,
      ...(ref ? { reference: { version: ref.version, ...ref.data } } : {}),
    }
  }

  /** The page for this viewer's scope and range, read for no console in particular. */
  shared(viewer: UserRecord, cursor: number, limit: number): Promise<SharedPage> {
    const key = pageKey(viewer, cursor, limit, this.latestSeq())
    const hit = this.pages.get(key)
    this.ctx.metrics?.pullPage(hit ? 'shared' : 'read')
    if (hit) return hit
    const page = (async () => {
      const stored = await this.ctx.store.pull({
        cursor,
        limit,
        clientId: null,
        unit: viewerUnit(viewer),
      })
      const json = JSON.stringify(await this.body(presentPull(viewer, stored), cursor))
      return { cursor: stored.cursor, hasMore: stored.hasMore, json: json.slice(1, -1) }
    })()
    this.pages.set(key, page)
    return page
  }
}
