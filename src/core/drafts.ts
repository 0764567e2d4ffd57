// Drafts: what a person is typing, kept in the cache's meta table (durable: it survives a rebuild
// of the cache, like the outbox) under the user's id, so a crash, a closed window or a logout
// loses nothing and one user never sees another's draft.
import { ApiFailure, type ApiHandlers, type Draft } from '../shared/api'
import type { LocalStoreApi } from './db/types'
import { notLoggedIn } from './failures'
import type { StoredSession } from './session'

/** A draft is a form's fields: generous, but not a place to park files. */
export const MAX_DRAFT_BYTES = 64 * 1024

export function draftHandlers(deps: {
  store: LocalStoreApi
  session(): StoredSession | null
  now?: () => number
}): Pick<ApiHandlers, 'draft.get' | 'draft.save' | 'draft.clear' | 'draft.list'> {
  const now = deps.now ?? Date.now
  const prefix = () => {
    const s = deps.session()
    if (!s) throw notLoggedIn()
    return `draft:${s.user.id}:`
  }
  const parse = (key: string, value: string): Draft => {
    const stored = JSON.parse(value) as { data: Record<string, unknown>; savedAt: string }
    return { key, data: stored.data, savedAt: stored.savedAt }
  }
  return {
    'draft.get': ({ key }) => {
      const value = deps.store.getMeta(prefix() + key)
      return value ? parse(key, value) : null
    },
    'draft.save': ({ key, data }) => {
      const savedAt = new Date(now()).toISOString()
      const value = JSON.stringify({ data, savedAt })
      if (Buffer.byteLength(value) > MAX_DRAFT_BYTES)
        throw new ApiFailure(
          'draft_too_large',
          {
            zh: `草稿过大（超过 ${MAX_DRAFT_BYTES / 1024} KB）`,
            en: `The draft is too large (over ${MAX_DRAFT_BYTES / 1024} KB)`,
          },
          'data',
        )
      deps.store.setMeta(prefix() + key, value)
      return { key, data, savedAt }
    },
    'draft.clear': ({ key }) => {
      deps.store.setMeta(prefix() + key, null)
      return null
    },
    'draft.list': () => {
      const p = prefix()
      return deps.store
        .metaWithPrefix(p)
        .map((m) => parse(m.key.slice(p.length), m.value))
        .sort((a, b) => b.savedAt.localeCompare(a.savedAt))
    },
  }
}
