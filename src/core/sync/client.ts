// The sync client (DESIGN.md §4): pushes the outbox in order, pulls on pokes, on reconnect and
// every 30 s, loads the first snapshot in pages, and keeps `sync.status` current. Push and pull
// run as two single-flight loops: a poke is pulled at once even while a push waits out a backoff.
// The outbox only shrinks through a pull (which carries the server's lastMutationId), so the
// rows the screens see are always server rows plus what is still pending, in one transaction.
import type { SnapshotProgress, SyncStatus } from '../../shared/api'
import type { PullResponse, PushResponse } from '../../shared/sync'
import type { Localized } from '../../shared/validation'
import { HttpFailure, backoffMs, requestJson, sleep } from './http'
import { LiveSocket } from './live'
import { takeLivePage, type LivePage } from './live-pages'
import { DEFAULT_SYNC_OPTIONS, type SyncDeps, type SyncOptions, type SyncSession } from './options'
import { pullPages } from './pull'
import { RetryTimer } from './retry-timer'
import { nextBatch, pushBody } from './push'

export class SyncClient {
  private session: SyncSession | null = null
  private live: LiveSocket | null = null
  private abort = new AbortController()
  private timer: NodeJS.Timeout | null = null
  private pushing: Promise<void> | null = null
  private pushAgain = false
  private pulling: Promise<void> | null = null
  private pullAgain = false
  /** Highest mutation id the server has confirmed since the last pull dropped it. */
  private pushedUpTo = 0
  private pushAttempt = 0
  private wakePusher: AbortController = new AbortController()
  /** null: not known yet (no answer so far). */
  private reachable: boolean | null = null
  private inFlight = 0
  private lastError: Localized | null = null
  private lastSyncAt: string | null = null
  private snapshot: SnapshotProgress | null = null
  private rejectedCount: number
  private reconnecting = false
  private resetWanted = false
  /** The newest seq the server announced (ready, poke). */
  private announced = 0
  private readonly heldBack = new RetryTimer()
  /** A failed pull is tried again after a backoff (a live socket may stay up meanwhile). */
  private readonly pullRetry = new RetryTimer()
  /** Our cursor when the live socket last began to connect (see onLiveReady). */
  private cursorAtConnect = 0

  constructor(
    private readonly deps: SyncDeps,
    private readonly opts: SyncOptions = DEFAULT_SYNC_OPTIONS,
  ) {
    this.rejectedCount = deps.store.rejected().length
  }

  get running(): boolean {
    return this.session !== null
  }

  status(lang: 'zh' | 'en'): SyncStatus {
    const state =
      this.session === null || this.reachable === false
        ? 'offline'
        : this.inFlight > 0 || this.snapshot !== null
          ? 'syncing'
          : this.reachable === null
            ? 'offline'
            : 'online'
    return {
      state,
      pending: this.deps.store.pendingCount(),
      rejected: this.rejectedCount,
      lastSyncAt: this.lastSyncAt,
      snapshot: this.snapshot ? { ...this.snapshot } : null,
      lastError: this.lastError ? this.lastError[lang] : null,
    }
  }

  start(session: SyncSession): void {
    this.session = session
    this.abort = new AbortController()
    this.pushedUpTo = 0
    this.pushAttempt = 0
    this.reachable = null
    this.lastError = null
    this.live = new LiveSocket(
      session.serverUrl,
      session.token,
      {
        connecting: () => (this.cursorAtConnect = this.cursor()),
        ready: (seq) => this.onLiveReady(seq),
        poke: (seq) => {
          if (!this.session) return
          this.announced = Math.max(this.announced, seq)
          if (seq > this.cursor()) void this.requestPull()
          // Not behind: the server still waits to hear where we stand before it sends pages.
          else if (!this.pulling) this.live?.sayCursor(this.deps.clientId, this.cursor())
        },
        page: (page) => this.onLivePage(page),
        closed: (code) => {
          this.reconnecting = true
          // 4401: the token was refused; a pull will get the 401 and end the session.
          if (code === 4401) void this.requestPull()
          else this.setReachable(false)
        },
      },
      {
        backoffBaseMs: this.opts.backoffBaseMs,
        backoffMaxMs: Math.min(this.opts.backoffMaxMs, 5000),
      },
    )
    this.live.start()
    this.timer = setInterval(() => void this.requestPull(), this.opts.pullIntervalMs)
    this.timer.unref()
    void this.requestPull()
    this.kickPush()
    this.deps.onStatus()
  }

  /** Stops every loop and waits for them, so nothing touches the store afterwards. */
  async stop(): Promise<void> {
    if (!this.session) return
    this.session = null
    this.abort.abort()
    this.wakePusher.abort()
    this.live?.stop()
    this.live = null
    if (this.timer) clearInterval(this.timer)
    this.heldBack.cancel()
    this.pullRetry.cancel()
    this.timer = null
    await Promise.allSettled([this.pushing, this.pulling])
    this.snapshot = null
    this.inFlight = 0
    this.deps.onStatus()
  }

  private cursor(): number {
    return Number(this.deps.store.getMeta('cursor') ?? 0)
  }

  private onLiveReady(seq: number): void {
    const wasReconnect = this.reconnecting
    this.reconnecting = false
    this.announced = seq
    this.setReachable(true)
    // The server's newest change is older than what this console had seen before connecting: its
    // database was replaced or restored from a backup. Start again from a snapshot (the outbox
    // stays). Not the cursor now: a pull answered meanwhile may have moved it past the seq this
    // message carries (a slow network, a busy server), and a needless reset loses the refusals
    // of mutations the server settled before the snapshot's seq.
    if (wasReconnect && seq < this.cursorAtConnect) {
      const cursor = this.cursorAtConnect
      this.deps.log('server is behind our cursor: fresh snapshot', { seq, cursor })
      // Reset by the pull loop, between pages: a page in flight must not land after the reset.
      this.resetWanted = true
    }
    this.wakePush()
    void this.requestPull()
  }

  /** A page on the socket: applied between pulls when it continues the cursor, else pulled. */
  private onLivePage(live: LivePage): void {
    if (!this.session) return
    this.announced = Math.max(this.announced, live.seq)
    const applied = takeLivePage(
      {
        context: { ...this.deps, onPage: this.onPage },
        cursor: () => this.cursor(),
        busy: () => this.pulling !== null || this.resetWanted,
        pull: () => void this.requestPull(),
        sayCursor: () => this.live?.sayCursor(this.deps.clientId, this.cursor()),
        log: (msg, extra) => this.deps.log(msg, extra),
      },
      live,
    )
    if (!applied) return
    this.lastSyncAt = new Date().toISOString()
    if (!live.page.hasMore && !live.kb) this.retryIfHeldBack()
    this.deps.onStatus()
  }

  /** A page applied, pulled or from the socket. */
  private readonly onPage = (_page: PullResponse, rejected: number): void => {
    this.rejectedCount += rejected
    this.setReachable(true)
  }

  private resetServerState(): void {
    this.resetWanted = false
    this.deps.store.resetServerState()
    this.deps.references.invalidate()
    this.pushedUpTo = 0
  }

  private setReachable(ok: boolean): void {
    if (this.reachable === ok) return
    this.reachable = ok
    if (ok) {
      this.lastError = null
      this.live?.reconnectSoon()
    }
    this.deps.onStatus()
  }

  /** The server answered (or did not): note it, and say what to do next. */
  private failed(e: unknown, what: string): 'retry' | 'stop' {
    if (!(e instanceof HttpFailure)) {
      this.lastError = { zh: `同步出错：${String(e)}`, en: `Sync error: ${String(e)}` }
      this.deps.log(`${what} failed`, e)
      this.deps.onStatus()
      return 'retry'
    }
    if (e.kind === 'unauthorized') {
      this.lastError = { zh: '登录已过期，请重新登录', en: 'Session expired; log in again' }
      this.deps.onUnauthorized()
      return 'stop'
    }
    this.lastError = e.localized
    if (e.kind === 'network' || e.kind === 'temporary') this.setReachable(false)
    else this.deps.log(`${what} refused`, e)
    this.deps.onStatus()
    return 'retry'
  }

  // --- Push ------------------------------------------------------------------------------------

  kickPush(): void {
    if (!this.session) return
    if (this.pushing) {
      this.pushAgain = true
      return
    }
    this.pushing = this.pushLoop().finally(() => {
      this.pushing = null
      if (this.pushAgain && this.session) this.kickPush()
    })
  }

  /** The server is back: retry a waiting push now rather than at the end of its backoff. */
  private wakePush(): void {
    this.pushAttempt = 0
    this.wakePusher.abort()
    this.kickPush()
  }

  private async pushLoop(): Promise<void> {
    while (this.session && !this.abort.signal.aborted) {
      this.pushAgain = false
      const session = this.session
      let batch = nextBatch(this.deps.store, this.pushedUpTo, session.userId, this.opts.pushBatch)
      if (!batch.length && this.deps.store.pendingCount() > 0 && this.pushedUpTo > 0) {
        // Everything read was confirmed but not yet dropped by a pull: let the pull catch up.
        await this.requestPull()
        batch = nextBatch(this.deps.store, this.pushedUpTo, session.userId, this.opts.pushBatch)
      }
      if (!batch.length) {
        const head = this.deps.store.pending(1)[0]
        if (head && head.actor.userId !== session.userId && head.id > this.pushedUpTo) {
          this.lastError = {
            zh: `有 ${this.deps.store.pendingCount()} 项其他用户的更改待其登录后上传`,
            en: `${this.deps.store.pendingCount()} changes by another user wait for them to log in`,
          }
          this.deps.onStatus()
        }
        return
      }
      const body = pushBody(this.deps.clientId, batch)
      this.inFlight++
      this.deps.onStatus()
      try {
        await requestJson<PushResponse>(this.http(session), 'POST', '/api/v1/sync/push', body)
        this.pushedUpTo = Math.max(this.pushedUpTo, batch[batch.length - 1]!.id)
        this.pushAttempt = 0
        this.setReachable(true)
        // Results (rejections, new numbers) and the outbox's shrinking come with the pull.
        void this.requestPull()
      } catch (e) {
        if (this.abort.signal.aborted || this.failed(e, 'push') === 'stop') return
        this.wakePusher = new AbortController()
        const wait = backoffMs(this.pushAttempt++, this.opts.backoffBaseMs, this.opts.backoffMaxMs)
        await sleep(wait, AbortSignal.any([this.abort.signal, this.wakePusher.signal]))
      } finally {
        this.inFlight--
        this.deps.onStatus()
      }
    }
  }

  // --- Pull ------------------------------------------------------------------------------------

  /** Pull until up to date; concurrent requests share the run (and ask for one more). */
  requestPull(): Promise<void> {
    if (!this.session) return Promise.resolve()
    if (this.pulling) {
      this.pullAgain = true
      return this.pulling
    }
    this.pulling = (async () => {
      do {
        this.pullAgain = false
        if (!(await this.pullOnce())) break
      } while (this.pullAgain && this.session && !this.abort.signal.aborted)
    })().finally(() => {
      this.pulling = null
    })
    return this.pulling
  }

  private async pullOnce(): Promise<boolean> {
    const session = this.session
    if (!session) return false
    if (this.resetWanted) this.resetServerState()
    this.inFlight++
    this.deps.onStatus()
    try {
      const outcome = await pullPages({
        ...this.deps,
        http: this.http(session),
        signal: this.abort.signal,
        resetWanted: () => this.resetWanted,
        pageLimit: this.opts.pageLimit,
        snapshotPageLimit: this.opts.snapshotPageLimit,
        snapshotBulkPageLimit: this.opts.snapshotBulkPageLimit,
        progress: (snapshot) => {
          this.snapshot = snapshot
          this.deps.onStatus()
        },
        onPage: this.onPage,
      })
      if (outcome === 'stale') {
        this.deps.log('the server says our cursor is stale: fresh snapshot')
        this.resetServerState()
        this.pullAgain = true
        return true
      }
      await this.pullFollower(session)
      this.rejectedCount = this.deps.store.rejected().length
      this.lastSyncAt = new Date().toISOString()
      this.pullRetry.attempt = 0
      this.retryIfHeldBack()
      // From here on the server may send our changes as pages (live-pages.ts).
      this.live?.sayCursor(this.deps.clientId, this.cursor())
      if (this.lastError && this.reachable) this.lastError = null
      if (this.deps.store.pendingCount() > 0) this.kickPush()
      return true
    } catch (e) {
      if (!this.abort.signal.aborted && this.failed(e, 'pull') === 'retry') this.retryPull()
      return false
    } finally {
      this.snapshot = null
      this.inFlight--
      this.deps.onStatus()
    }
  }

  /** The follower's feed, when it is behind; its failure is logged, never the pull's. */
  private async pullFollower(session: SyncSession): Promise<void> {
    const f = this.deps.follower
    if (!f || f.cursor() >= this.cursor()) return
    try {
      await f.pull(this.http(session))
    } catch (e) {
      if (!this.abort.signal.aborted) this.deps.log('follower pull failed', e)
    }
  }

  /**
   * A poke announced a seq the pull did not reach: on PostgreSQL the server serves changes only
   * up to the oldest transaction still in flight, and no second poke comes when that one ends.
   * Pull again shortly (100 ms, doubling to 3 s) rather than wait for the 30 s fallback.
   */
  private retryIfHeldBack(): void {
    if (this.cursor() >= this.announced) {
      this.heldBack.attempt = 0
      return
    }
    // Past ~30 s of trying, the regular fallback pull takes over.
    if (this.heldBack.pending || !this.session || this.heldBack.attempt > 12) return
    this.heldBack.schedule(Math.min(3000, 100 * 2 ** this.heldBack.attempt++), () => {
      // A page on the socket may have caught up meanwhile.
      if (this.cursor() < this.announced) void this.requestPull()
      else this.heldBack.attempt = 0
    })
  }

  /**
   * A pull failed (the connection was cut, the server answered 5xx): try again after a backoff.
   * Without this a console whose live socket stayed up would wait for the next poke or the 30 s
   * fallback, showing stale rows and "offline" meanwhile.
   */
  private retryPull(): void {
    if (this.pullRetry.pending || !this.session) return
    const delay = backoffMs(
      this.pullRetry.attempt++,
      this.opts.backoffBaseMs,
      this.opts.backoffMaxMs,
    )
    this.pullRetry.schedule(delay, () => void this.requestPull())
  }

  /** Push and pull until nothing of this user waits, or `timeoutMs` passed. */
  async flush(timeoutMs: number): Promise<void> {
    const t0 = Date.now()
    const mine = () => this.deps.store.pending(1)[0]?.actor.userId === this.session?.userId
    while (this.session && mine() && Date.now() - t0 < timeoutMs) {
      this.kickPush()
      await sleep(50, this.abort.signal)
    }
  }

  /** Rejected mutations changed outside a pull (the person dismissed one). */
  recountRejected(): void {
    this.rejectedCount = this.deps.store.rejected().length
    this.deps.onStatus()
  }

  private http(session: SyncSession) {
    return {
      baseUrl: session.serverUrl,
      token: session.token,
      timeoutMs: this.opts.requestTimeoutMs,
      signal: this.abort.signal,
    }
  }
}
