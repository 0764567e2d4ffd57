// WebSocket /api/v1/live: pokes `{type: 'poke', seq}` to connected consoles after commits, so
// they pull. The token comes in the Authorization header of the upgrade or in the first message
// `{type: 'auth', token}`, never in the URL. Pokes carry no data, so unit scoping stays with pull.
//
// Pokes are coalesced twice (issue 18): commits within COALESCE_MS make one flush, and a console
// is poked at most once per POKE_WINDOW_MS — a poke due sooner waits for the end of its window
// and then carries the newest seq. Each console's pulls are thus bounded (10 a second) however
// fast the city commits, while a change still reaches a console within one window.
import type { FastifyInstance } from 'fastify'
import type { WebSocket } from 'ws'
import type { ServerContext } from './context'
import { authenticate } from './http/route'
import type { ChangeNotifier } from './store/notify'

const COALESCE_MS = 15
/** A console is poked at most once in this window. */
export const POKE_WINDOW_MS = 100
const AUTH_TIMEOUT_MS = 10_000
/** Close code for a session that ended: the console pulls, gets 401 and locks. */
const SESSION_ENDED = 4401

interface Owner {
  userId: string
  tokenHash: string
}

export class LiveHub {
  private readonly sockets = new Set<WebSocket>()
  private readonly owners = new Map<WebSocket, Owner>()
  /** When each socket was last poked. */
  private readonly pokedAt = new Map<WebSocket, number>()
  /** Sockets whose poke waits for the end of their window, and the timer that sends them. */
  private readonly waiting = new Set<WebSocket>()
  private windowTimer: NodeJS.Timeout | null = null
  private sweeper: NodeJS.Timeout | null = null
  private latest = 0
  private timer: NodeJS.Timeout | null = null
  private unpublished = false
  private notifier: ChangeNotifier | null = null
  private readonly unsubscribe: () => void

  constructor(private readonly ctx: ServerContext) {
    this.unsubscribe = ctx.store.onCommit((seq) => this.seen(seq, true))
  }

  async start(): Promise<void> {
    this.latest = await this.ctx.store.latestSeq()
    this.notifier = this.ctx.store.notifier((seq) => this.seen(seq, false))
    await this.notifier?.start()
    // Sessions ended on another server process, or expired, are noticed every liveSweepMs; ended
    // here, at once (`recheck`). Either way the console also learns at its next pull after a poke.
    this.sweeper = setInterval(() => void this.recheck(), this.ctx.liveSweepMs)
    this.sweeper.unref()
  }

  /**
   * Closes the sockets whose session no longer admits them (revoked, expired, user deactivated
   * or changed) — all of them, or one user's — with 4401: the console pulls, is refused, stops
   * syncing and locks. Called by the routes that end sessions, and every liveSweepMs.
   */
  async recheck(filter: { userId?: string } = {}): Promise<number> {
    const nowIso = new Date(this.ctx.now()).toISOString()
    const verdicts = new Map<string, Promise<boolean>>()
    let closed = 0
    for (const [socket, owner] of [...this.owners]) {
      if (filter.userId !== undefined && owner.userId !== filter.userId) continue
      let ok = verdicts.get(owner.tokenHash)
      if (!ok) {
        ok = this.ctx.store.accounts
          .sessionUser(owner.tokenHash, nowIso)
          .then((u) => u !== null && u.id === owner.userId)
          .catch(() => true) // store unavailable: keep the socket, try again at the next sweep
        verdicts.set(owner.tokenHash, ok)
      }
      if (await ok) continue
      closed++
      this.forget(socket)
      socket.close(SESSION_ENDED, 'session ended')
    }
    return closed
  }

  /** The newest seq this process knows committed, here or (PostgreSQL) on another process. */
  get latestSeq(): number {
    return this.latest
  }

  get connections(): number {
    return this.sockets.size
  }

  private seen(seq: number, local: boolean): void {
    if (seq <= this.latest && !local) return
    this.latest = Math.max(this.latest, seq)
    if (local) this.unpublished = true
    this.timer ??= setTimeout(() => this.flush(), COALESCE_MS)
  }

  private flush(): void {
    this.timer = null
    const now = Date.now()
    const msg = JSON.stringify({ type: 'poke', seq: this.latest })
    for (const s of this.sockets) {
      if (this.waiting.has(s)) continue
      if (now - (this.pokedAt.get(s) ?? 0) >= POKE_WINDOW_MS) this.poke(s, msg, now)
      else this.waiting.add(s)
    }
    this.scheduleWaiting(now)
    if (this.unpublished && this.notifier) {
      this.unpublished = false
      this.notifier
        .publish(this.latest)
        .catch((err) => this.ctx.log?.warn({ err }, 'notify failed'))
    }
  }

  private poke(s: WebSocket, msg: string, now: number): void {
    this.pokedAt.set(s, now)
    if (s.readyState === s.OPEN) s.send(msg)
  }

  /** One timer for all the waiting sockets, at the end of the earliest window. */
  private scheduleWaiting(now: number): void {
    if (this.windowTimer || this.waiting.size === 0) return
    let due = Infinity
    for (const s of this.waiting) due = Math.min(due, (this.pokedAt.get(s) ?? 0) + POKE_WINDOW_MS)
    this.windowTimer = setTimeout(
      () => {
        this.windowTimer = null
        const at = Date.now()
        const msg = JSON.stringify({ type: 'poke', seq: this.latest })
        for (const s of this.waiting) {
          if (at - (this.pokedAt.get(s) ?? 0) < POKE_WINDOW_MS) continue
          this.waiting.delete(s)
          this.poke(s, msg, at)
        }
        this.scheduleWaiting(at)
      },
      Math.max(1, due - now),
    )
  }

  private forget(socket: WebSocket): void {
    this.sockets.delete(socket)
    this.owners.delete(socket)
    this.pokedAt.delete(socket)
    this.waiting.delete(socket)
  }

  register(app: FastifyInstance): void {
    app.get('/api/v1/live', { websocket: true }, (socket, request) => {
      let authed = false
      const admit = async (owner: Owner) => {
        authed = true
        clearTimeout(timeout)
        // The newest change as the database has it, not only as this process has heard: another
        // instance's last commits may not have reached it yet, and a console that pulled them
        // there and comes here (that instance killed) must not be told the server went back.
        const seq = Math.max(this.latest, await this.ctx.store.latestSeq().catch(() => 0))
        // Gone while its token was being checked: its 'close' has already run, so adding it now
        // would keep a dead socket in the hub (and in the connection count) for good.
        if (socket.readyState !== socket.OPEN) return
        this.sockets.add(socket)
        this.owners.set(socket, owner)
        socket.send(JSON.stringify({ type: 'ready', seq: Math.max(seq, this.latest) }))
      }
      const refuse = () => socket.close(4401, 'unauthorized')
      const timeout = setTimeout(() => !authed && refuse(), AUTH_TIMEOUT_MS)
      socket.on('close', () => {
        clearTimeout(timeout)
        this.forget(socket)
      })
      socket.on('error', () => socket.terminate())
      socket.on('message', (raw) => {
        if (authed) return // consoles say nothing after auth; ignore, never echo
        let token: unknown
        try {
          token = (JSON.parse(String(raw)) as { type?: unknown; token?: unknown }).token
        } catch {
          return refuse()
        }
        if (typeof token !== 'string') return refuse()
        authenticate(this.ctx.store, `Bearer ${token}`, this.ctx.now())
          .then((a) => (a ? admit({ userId: a.user.id, tokenHash: a.tokenHash }) : refuse()))
          .catch(() => socket.close(1011, 'unavailable'))
      })
      if (request.headers.authorization)
        authenticate(this.ctx.store, request.headers.authorization, this.ctx.now())
          .then((a) => (a ? admit({ userId: a.user.id, tokenHash: a.tokenHash }) : refuse()))
          .catch(() => socket.close(1011, 'unavailable'))
    })
  }

  async stop(): Promise<void> {
    this.unsubscribe()
    if (this.timer) clearTimeout(this.timer)
    if (this.windowTimer) clearTimeout(this.windowTimer)
    if (this.sweeper) clearInterval(this.sweeper)
    for (const s of this.sockets) s.close(1001, 'server stopping')
    this.sockets.clear()
    this.owners.clear()
    this.pokedAt.clear()
    this.waiting.clear()
    await this.notifier?.stop()
  }
}
