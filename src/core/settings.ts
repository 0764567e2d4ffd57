// A person's settings, in the cache's meta table under their user id (like drafts: they survive a
// rebuild of the cache, and one user never sees another's).
import type { ApiHandlers } from '../shared/api'
import {
  DEFAULT_SETTINGS,
  mergeSettings,
  parseSettings,
  type CacheProtection,
  type Settings,
  type UserSettings,
} from '../shared/settings'
import type { LocalStoreApi } from './db/types'
import { notLoggedIn } from './failures'
import type { StoredSession } from './session'

const key = (userId: string) => `settings:${userId}`

export const readSettings = (store: LocalStoreApi, userId: string): UserSettings =>
  parseSettings(store.getMeta(key(userId)))

export function settingsHandlers(deps: {
  store: LocalStoreApi
  session(): StoredSession | null
  /** Settings changed: whoever acts on them looks again. */
  changed?(): void
  dataDir: string
  cache: CacheProtection
  serverUrl(): string | null
  /** A new server address: stored, and the session (bound to the old one) ends. */
  setServerUrl(url: string): Promise<void>
}): Pick<ApiHandlers, 'settings.get' | 'settings.set'> {
  const all = (user: UserSettings): Settings => ({
    ...user,
    serverUrl: deps.serverUrl(),
    dataDir: deps.dataDir,
    cache: deps.cache,
  })
  // Logged out (the first run, the login screen) the console's own settings still show.
  const mine = () => {
    const s = deps.session()
    return s ? readSettings(deps.store, s.user.id) : DEFAULT_SETTINGS
  }
  return {
    'settings.get': () => all(mine()),
    'settings.set': async (patch) => {
      const s = deps.session()
      if (patch.notifications) {
        if (!s) throw notLoggedIn()
        const next = mergeSettings(readSettings(deps.store, s.user.id), patch)
        deps.store.setMeta(key(s.user.id), JSON.stringify(next))
        deps.changed?.()
      }
      if (patch.serverUrl !== undefined && patch.serverUrl !== deps.serverUrl())
        await deps.setServerUrl(patch.serverUrl)
      return all(mine())
    },
  }
}
