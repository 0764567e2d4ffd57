// Who is logged in on this console, kept in the store's meta so the console resumes after a
// restart without asking again: the server's token, the user as the server described them, and
// the server's address. The clientId is made once per data folder and never changes.
import { presentationMark } from '../shared/event-access'
import { ApiFailure, roleSchema, type Session } from '../shared/api'
import type { LocalStoreApi } from './db/types'
import { unreachable } from './failures'
import { uuid } from './ids'
import { HttpFailure, requestJson } from './sync/http'

export interface StoredSession {
  token: string
  serverUrl: string
  user: Session['user']
  expiresAt: string | null
}

const META_SESSION = 'session'
export const META_CLIENT_ID = 'clientId'
/** The server address chosen in the settings (over the one the console was started with). */
export const META_SERVER_URL = 'serverUrl'
/** Whose view of the server the cached rows are: `serverUrl|userId`. */
const META_CACHE_OWNER = 'cacheOwner'

/** The console's id: the one given, else the stored one, else a new uuid (stored). */
export function ensureClientId(store: LocalStoreApi, given?: string): string {
  const stored = store.getMeta(META_CLIENT_ID)
  if (stored && (!given || given === stored)) return stored
  const id = given ?? uuid()
  store.setMeta(META_CLIENT_ID, id)
  return id
}

function parseStored(raw: string | null): StoredSession | null {
  if (!raw) return null
  try {
    const s = JSON.parse(raw) as Partial<StoredSession>
    if (typeof s.token !== 'string' || typeof s.serverUrl !== 'string' || !s.user) return null
    if (!roleSchema.safeParse(s.user.role).success) return null
    return { token: s.token, serverUrl: s.serverUrl, user: s.user, expiresAt: s.expiresAt ?? null }
  } catch {
    return null
  }
}

export class SessionKeeper {
  private current: StoredSession | null

  constructor(
    private readonly store: LocalStoreApi,
    readonly clientId: string,
    /** The server to log in to now (it may change in the settings); null: none set yet. */
    private readonly serverUrl: () => string | null,
  ) {
    const stored = parseStored(store.getMeta(META_SESSION))
    const url = serverUrl()
    // A session with another server than the one configured now is not resumed.
    this.current = stored && url && sameUrl(stored.serverUrl, url) ? stored : null
  }

  get(): StoredSession | null {
    return this.current
  }

  view(): Session | null {
    const s = this.current
    return s ? { user: { ...s.user }, serverUrl: s.serverUrl, clientId: this.clientId } : null
  }

  /** Logs in against the configured server; the caller starts syncing with the result. */
  async login(
    username: string,
    password: string,
  ): Promise<{ session: StoredSession; ownerChanged: boolean }> {
    const serverUrl = this.serverUrl()
    if (!serverUrl)
      throw new ApiFailure('no_server', {
        zh: '尚未设置服务器地址：请在设置中填写',
        en: 'No server address yet: enter one in the settings',
      })
    let res: { token: string; expiresAt?: string; user: Session['user'] }
    try {
      res = await requestJson(
        { baseUrl: serverUrl, token: null, timeoutMs: 15_000 },
        'POST',
        '/api/v1/auth/login',
        { username, password },
      )
    } catch (e) {
      if (!(e instanceof HttpFailure)) throw e
      if (e.kind === 'network') throw unreachable(e.localized.en)
      throw new ApiFailure(e.code, e.localized, e.field)
    }
    const session: StoredSession = {
      token: res.token,
      serverUrl,
      user: {
        id: res.user.id,
        username: res.user.username,
        displayName: res.user.displayName,
        role: res.user.role,
        unit: res.user.unit ?? null,
      },
      expiresAt: res.expiresAt ?? null,
    }
    // Who the cached rows were presented for, and how: caches a unit or admin synced before the
    // server masked numbers (issue 7) or kept internal notes from units (issue 12) hold what their
    // user may no longer have; a changed owner starts again from a fresh snapshot.
    const owner = `${serverUrl}|${session.user.id}${presentationMark(session.user)}`
    const ownerChanged = this.store.getMeta(META_CACHE_OWNER) !== owner
    this.store.setMeta(META_CACHE_OWNER, owner)
    this.save(session)
    return { session, ownerChanged }
  }

  /** Forget the session here; revoking the token on the server is best effort. */
  async logout(): Promise<void> {
    const s = this.current
    this.save(null)
    if (!s) return
    await requestJson(
      { baseUrl: s.serverUrl, token: s.token, timeoutMs: 3000 },
      'POST',
      '/api/v1/auth/logout',
      {},
    ).catch(() => {
      // Offline: the token expires on the server by itself.
    })
  }

  /** The server refused the token: forget it, keep everything else. */
  expire(): void {
    this.save(null)
  }

  private save(s: StoredSession | null): void {
    this.current = s
    this.store.setMeta(META_SESSION, s ? JSON.stringify(s) : null)
  }
}

const sameUrl = (a: string, b: string) => a.replace(/\/+$/, '') === b.replace(/\/+$/, '')
