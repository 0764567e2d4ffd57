// The console core: ConsoleApi's handlers over the local store and the sync client. A transport
// (Electron IPC, the web host) carries `call` and `subscribe`; `call` checks every argument with
// the contract's schema and answers `{ok, value}` or `{ok: false, error}` — it never throws.
import { join } from 'node:path'
import {
  ApiFailure,
  apiArgs,
  type ApiHandlers,
  type ApiMethod,
  type ApiResult,
  type ApiResults,
  type ConsoleEvent,
} from '../shared/api'
import type { Lang } from '../shared/validation'
import { act } from './act'
import { AlertWatcher, type AlertOptions } from './alerts'
import { caseHandlers } from './cases'
import { knowledgeHandlers, pullKnowledge } from './knowledge'
import { dashboardHandlers } from './dashboard'
import { draftHandlers } from './drafts'
import { reportHandlers } from './report'
import { bulletinHandlers } from './bulletin'
import { EXPORTS_FOLDER, exportService } from './export'
import { LocalStore } from './db/local-store'
import type { LocalStoreApi } from './db/types'
import { EventHub } from './events'
import { internalError, invalidInput, toApiError } from './failures'
import { queryHandlers } from './queries'
import { ReferenceCache } from './reference-cache'
import type { CacheProtection } from '../shared/settings'
import type { CacheKey } from './db/cipher'
import { META } from './db/local-store'
import { META_CLIENT_ID, META_SERVER_URL, SessionKeeper, ensureClientId } from './session'
import { settingsHandlers } from './settings'
import { SyncClient } from './sync/client'
import { DEFAULT_SYNC_OPTIONS, type SyncOptions } from './sync/options'
import { startTelephony, type TelephonyInfo } from './telephony'

export interface ConsoleCoreOptions {
  /** The console's data folder: the SQLite cache (with the outbox) lives here. */
  dataDir: string
  /**
   * The central server, `http://host:port`, as the console was started; one chosen later in the
   * settings (kept in the cache) wins. None at all: the console asks for one (first run).
   */
  serverUrl?: string | null
  /** Normally made once per data folder and kept; tests may fix it. */
  clientId?: string
  log?: (msg: string, extra?: unknown) => void
  /** Timings, for tests and benchmarks (30 s fallback pull, backoff …). */
  sync?: Partial<SyncOptions>
  /**
   * Screen pop: listen on 127.0.0.1 for the telephony system's incoming calls (telephony.ts).
   * `port` is the one a new settings file gets (8413 unless given); off unless asked for.
   */
  telephony?: { port?: number } | false
  /** Alerts' clock and timings (src/core/alerts.ts), for tests. */
  alerts?: Partial<AlertOptions>
  /**
   * The cache encrypted at rest (src/core/db/cipher.ts): the key the host keeps in the
   * operating system's keychain, and what the settings screen says. No key: unencrypted, for the
   * reason given (the web host has no keychain).
   */
  cache?: { key: CacheKey | null; protection: CacheProtection }
}

export interface ConsoleCore {
  handlers: ApiHandlers
  call<M extends ApiMethod>(method: M, args: unknown): Promise<ApiResult<ApiResults[M]>>
  subscribe(listener: (event: ConsoleEvent) => void): () => void
  readonly clientId: string
  /** The store, for tests and the benchmark. */
  readonly store: LocalStoreApi
  /** Where `export.start` writes its files (the web host serves them from there). */
  readonly exportsDir: string
  /** The screen-pop listener's port and token; null when off or when it could not start. */
  readonly telephony: TelephonyInfo | null
  close(): Promise<void>
}

export async function createConsoleCore(opts: ConsoleCoreOptions): Promise<ConsoleCore> {
  const log = opts.log ?? (() => {})
  const protection: CacheProtection = opts.cache?.protection ?? {
    encrypted: false,
    keyStore: null,
    reason: 'keychain_unavailable',
  }
  const store: LocalStoreApi = await LocalStore.open(opts.dataDir, { key: opts.cache?.key ?? null })
  const clientId = ensureClientId(store, opts.clientId)
  const lang = (): Lang => (store.getMeta('language') === 'en' ? 'en' : 'zh')
  const hub = new EventHub((err) => log('event listener failed', err))
  const references = new ReferenceCache(store)
  const serverUrl = () => store.getMeta(META_SERVER_URL) ?? opts.serverUrl ?? null
  const sessions = new SessionKeeper(store, clientId, serverUrl)

  let closed = false
  let lastStatus = ''
  const emitStatus = () => {
    // A live socket's last message may come in while the core closes: the store is gone by then.
    if (closed) return
    const status = sync.status(lang())
    const key = JSON.stringify(status)
    if (key === lastStatus) return
    lastStatus = key
    hub.emit('sync.status', status)
  }
  const sync: SyncClient = new SyncClient(
    {
      store,
      references,
      clientId,
      emit: (type, payload) => hub.emit(type, payload),
      onUnauthorized: () => {
        const username = sessions.get()?.user.username ?? ''
        sessions.expire()
        void sync.stop()
        hub.emit('session.changed', { session: null, ended: { username } })
      },
      onStatus: emitStatus,
      log,
      follower: {
        cursor: () => store.knowledge().cursor(),
        pull: async (http) => {
          if (await pullKnowledge(store, http))
            hub.emit('kb.changed', { count: store.knowledge().count() })
        },
      },
    },
    { ...DEFAULT_SYNC_OPTIONS, ...opts.sync },
  )
  const alerts = new AlertWatcher(
    { store, session: () => sessions.get(), emit: (a) => hub.emit('alert', a), log },
    opts.alerts,
  )
  hub.subscribe((e) => {
    if (e.type === 'tickets.changed') alerts.changed()
    else if (e.type === 'session.changed' && e.payload.session)
      alerts.loggedIn(e.payload.session.user.id)
  })
  const startSync = () => {
    const s = sessions.get()
    if (s) sync.start({ serverUrl: s.serverUrl, token: s.token, userId: s.user.id })
  }

  const logout = async () => {
    if (!sessions.get()) return
    // Give waiting changes a moment to reach the server under this user's token: once it is
    // gone they wait until the same user logs in again.
    await sync.flush(3000)
    await sync.stop()
    await sessions.logout()
    hub.emit('session.changed', { session: null })
  }

  const exports = exportService({
    store,
    references,
    session: () => sessions.get(),
    lang,
    dataDir: opts.dataDir,
    progress: (p) => hub.emit('export.progress', p),
  })

  const handlers: ApiHandlers = {
    'session.get': () => sessions.view(),

    'session.login': async ({ username, password }) => {
      const { ownerChanged } = await sessions.login(username, password)
      await sync.stop()
      if (ownerChanged) {
        // Another user (or server): the cached rows were theirs to see, not this user's (a
        // unit sees only its own tickets). Start from a fresh snapshot; the outbox stays.
        store.resetServerState()
        references.invalidate()
        hub.emit('tickets.changed', { ids: [] })
      }
      startSync()
      const view = sessions.view()!
      hub.emit('session.changed', { session: view })
      return view
    },

    'session.logout': async () => {
      await logout()
      return null
    },

    'console.wipe': async ({ force }) => {
      const unsent = store.pendingCount()
      if (unsent > 0 && !force)
        throw new ApiFailure('unsent_changes', {
          zh: `本机还有 ${unsent} 项改动未发送到服务器，清除将丢失这些改动`,
          en: `${unsent} change${unsent === 1 ? '' : 's'} on this console ${unsent === 1 ? 'has' : 'have'} not reached the server yet and would be lost`,
        })
      await logout()
      // The counters stay: the server knows this console's mutation ids and must never see
      // one again; the client id and the server address are the console's, not the data's.
      store.wipe([META_CLIENT_ID, META_SERVER_URL, META.outboxLastId, META.lastMutationId])
      references.invalidate()
      sync.recountRejected()
      hub.emit('tickets.changed', { ids: [] })
      emitStatus()
      return null
    },

    'ticket.act': ({ name, args }) =>
      act(
        {
          store,
          references,
          clientId,
          session: () => sessions.get(),
          acted: (ticketId) => {
            hub.emit('tickets.changed', { ids: [ticketId] })
            sync.kickPush()
            emitStatus()
          },
        },
        name,
        args,
      ),

    ...queryHandlers({ store, references, clientId, session: () => sessions.get(), lang }),
    ...draftHandlers({ store, session: () => sessions.get() }),
    ...reportHandlers({ store, references, session: () => sessions.get() }),
    ...bulletinHandlers({
      store,
      references,
      session: () => sessions.get(),
      dataDir: opts.dataDir,
    }),
    ...dashboardHandlers({ store, references, session: () => sessions.get() }),
    ...settingsHandlers({
      store,
      session: () => sessions.get(),
      changed: () => alerts.changed(),
      dataDir: opts.dataDir,
      cache: protection,
      serverUrl,
      // The sync client and the session are bound to the server they started with: log out,
      // and the next login goes to the new one (its cache owner differs: a fresh snapshot).
      setServerUrl: async (url) => {
        await logout()
        store.setMeta(META_SERVER_URL, url)
      },
    }),
    ...exports.handlers,
    ...caseHandlers({ session: () => sessions.get(), dataDir: opts.dataDir }),
    ...knowledgeHandlers({ store, session: () => sessions.get() }),

    'sync.status': () => sync.status(lang()),
    'sync.rejected': () => store.rejected(),
    'sync.dismissRejected': ({ id }) => {
      store.dismissRejected(id)
      sync.recountRejected()
      return null
    },
    'sync.now': async () => {
      sync.kickPush()
      await sync.requestPull()
      return sync.status(lang())
    },
  }

  startSync()
  alerts.start()

  const telephony = opts.telephony
    ? await startTelephony({
        dataDir: opts.dataDir,
        port: opts.telephony.port,
        onCall: (call) => hub.emit('call.incoming', call),
        log,
      })
    : null

  return {
    handlers,
    clientId,
    store,
    exportsDir: join(opts.dataDir, EXPORTS_FOLDER),
    telephony: telephony && {
      port: telephony.port,
      token: telephony.token,
      settingsFile: telephony.settingsFile,
    },
    subscribe: (listener) => hub.subscribe(listener),
    async call<M extends ApiMethod>(method: M, raw: unknown): Promise<ApiResult<ApiResults[M]>> {
      if (closed)
        return failure(
          new ApiFailure('closed', { zh: '控制台已关闭', en: 'The console is closed' }),
          lang(),
        )
      if (!Object.prototype.hasOwnProperty.call(apiArgs, method))
        return failure(
          new ApiFailure('unknown_method', {
            zh: `没有这个操作：${String(method)}`,
            en: `No such method: ${String(method)}`,
          }),
          lang(),
        )
      const parsed = apiArgs[method].safeParse(raw ?? {})
      if (!parsed.success) return failure(invalidInput(parsed.error), lang())
      try {
        const handler = handlers[method] as (a: unknown) => Promise<ApiResults[M]> | ApiResults[M]
        return { ok: true, value: await handler(parsed.data) }
      } catch (e) {
        if (e instanceof ApiFailure) return failure(e, lang())
        log(`${method} failed`, e)
        return failure(new ApiFailure('internal', internalError(e)), lang())
      }
    },
    async close() {
      if (closed) return
      closed = true
      alerts.stop()
      await telephony?.close()
      await exports.close()
      await sync.stop()
      hub.clear()
      store.close()
    },
  }
}

const failure = (
  f: ApiFailure,
  lang: Lang,
): { ok: false; error: ReturnType<typeof toApiError> } => ({
  ok: false,
  error: toApiError(f, lang),
})
