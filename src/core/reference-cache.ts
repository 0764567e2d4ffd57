// The stored reference data and the rules context made from it, built once per version: making
// a WorkCalendar and the unit maps for every action would cost more than the action itself.
import type { ReferenceData } from '../shared/reference'
import { makeRulesContext, type RulesContext } from '../shared/workflow'
import type { LocalStoreApi } from './db/types'

export interface CachedReference {
  data: ReferenceData & { version: number }
  rules: RulesContext
}

export class ReferenceCache {
  private cached: CachedReference | null = null
  private stale = true

  constructor(private readonly store: LocalStoreApi) {}

  get(): CachedReference | null {
    if (this.stale) {
      const data = this.store.reference()
      if (!data) this.cached = null
      else if (this.cached?.data.version !== data.version)
        this.cached = { data, rules: makeRulesContext(data) }
      this.stale = false
    }
    return this.cached
  }

  /** A pull stored new reference data (or the store was reset). */
  invalidate(): void {
    this.stale = true
  }
}
