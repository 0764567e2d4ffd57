// One pull page for the many consoles that pull the same range (issue 18). After a commit every
// console is poked and pulls from where it stands, and most stand at the same seq: hundreds of
// requests for one page. The page is read once per viewer scope — role and unit decide what a
// console is sent (unit scope, numbers, internal notes), so they are the key along with cursor and
// limit — without any console's own mutation results, kept as JSON text until the next commit
// (or SHARED_PAGE_MS at most), and spliced with each console's lastMutationId. A console with results in the page's range gets a page
// of its own, read as before; so does one that names no console. Scoping is exactly as strict as
// a page read for each: the same read, for the same scope.
import type { Actor } from '../../shared/ticket'

/** How long a page is served to later pullers of the same range. */
export const SHARED_PAGE_MS = 250
const MAX_PAGES = 2000

export interface SharedPage {
  /** The page's cursor: where its range ends. */
  cursor: number
  /** More changes wait after it. */
  hasMore: boolean
  /** The answer's fields but `results` and `lastMutationId`, as JSON without its braces. */
  json: string
}

/** A page's key: the scope, the range asked for, and the newest commit known when it was read. */
export const pageKey = (
  viewer: Pick<Actor, 'role' | 'unit'>,
  cursor: number,
  limit: number,
  latestSeq: number,
) => `${viewer.role}|${viewer.unit ?? ''}|${cursor}|${limit}|${latestSeq}`

/**
 * The pages being read and read, by key. A page is kept as the promise of its read, so the
 * hundreds of consoles a poke sends at once wait for one read instead of each starting its own.
 */
export class SharedPages {
  private readonly pages = new Map<string, { at: number; page: Promise<SharedPage> }>()

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): Promise<SharedPage> | null {
    const hit = this.pages.get(key)
    if (!hit) return null
    if (this.now() - hit.at > SHARED_PAGE_MS) {
      this.pages.delete(key)
      return null
    }
    return hit.page
  }

  set(key: string, page: Promise<SharedPage>): void {
    if (this.pages.size >= MAX_PAGES) {
      const now = this.now()
      for (const [k, v] of this.pages) if (now - v.at > SHARED_PAGE_MS) this.pages.delete(k)
      if (this.pages.size >= MAX_PAGES) this.pages.clear()
    }
    const entry = { at: this.now(), page }
    this.pages.set(key, entry)
    // A failed read is not served again.
    page.catch(() => {
      if (this.pages.get(key) === entry) this.pages.delete(key)
    })
  }
}

/** A pull answer from a shared page and one console's lastMutationId. */
export const answerFrom = (page: SharedPage, lastMutationId: number | null): string =>
  `{"results":[],"lastMutationId":${JSON.stringify(lastMutationId)},${page.json}}`
