// A person's settings, in the cache's meta table under their user id (like drafts: they survive a
// rebuild of the cache, and one user never sees another's).
import type { ApiHandlers } from '../shared/api'
import { mergeSettings, parseSettings, type Settings } from '../shared/settings'
import type { LocalStoreApi } from './db/types'
import { notLoggedIn } from './failures'
import type { StoredSession } from './session'

const key = (userId: string) => `settings:${userId}`

export const readSettings = (store: LocalStoreApi, userId: string): Settings =>
  parseSettings(store.getMeta(key(userId)))

export function settingsHandlers(deps: {
  store: LocalStoreApi
  session(): StoredSession | null
  /** Settings changed: whoever acts on them looks again. */
  changed?(): void
}): Pick<ApiHandlers, 'settings.get' | 'settings.set'> {
  const userId = () => {
    const s = deps.session()
    if (!s) throw notLoggedIn()
    return s.user.id
  }
  return {
    'settings.get': () => readSettings(deps.store, userId()),
    'settings.set': (patch) => {
      const id = userId()
      const next = mergeSettings(readSettings(deps.store, id), patch)
      deps.store.setMeta(key(id), JSON.stringify(next))
      deps.changed?.()
      return next
    },
  }
}
