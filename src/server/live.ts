// WebSocket /api/v1/live: pokes `{type: 'poke', seq}` to connected consoles after commits, so
// they pull. The token comes in the Authorization header of the upgrade or in the first message
// `{type: 'auth', token}`, never in the URL. Pokes carry no data, so unit scoping stays with pull.
//
// Pages instead of pokes (issue 18): `ready` says `pages: true`; a console that then says where its
// cursor stands (`{type: 'cursor', clientId, cursor}`, again after each pull) is sent the page a
// pull from there would answer, `{type: 'page', from, seq, kb, page}`, scoped exactly as the pull
// (sync/live-pages.ts), and poked where its page would differ. A console that never says so — an
// older one — is poked as before.
//
// Pokes are coalesced twice (issue 18): commits within COALESCE_MS make one flush, and a console
// is poked at most once per POKE_WINDOW_MS — a poke due sooner waits for the end of its window
// and then carries the newest seq. Each console's pulls are thus bounded (10 a second) however
// fast the city commits, while a change still reaches a console within one window.
import type { FastifyInstance } from 'fastify'
import type { WebSocket } from 'ws'
import { clientIdSchema } from '../shared/sync'
import type { ServerContext } from './context'
import { authenticate } from './http/route'
import type { ChangeNotifier } from './store/notify'
import { pagesFor } from './sync/live-pages'
import { PageReader } from './sync/page-reader'

const COALESCE_MS = 15
/** A console is poked at most once in this window. */
export const POKE_WINDOW_MS = 100
const AUTH_TIMEOUT_MS = 10_000
/** Close code for a session that ended: the console pulls, gets 401 and locks. */
const SESSION_ENDED = 4401

interface Owner {
  userId: string
  tokenHash: string
  /** Said by a console that takes pages: which console it is, and where its cursor stands. */
  clientId: string | null
  cursor: number
}

export class LiveHub {
  private readonly sockets = new Set<WebSocket>()
  private readonly owners = new Map<WebSocket, Owner>()
  /** When each socket was last poked. */
  private readonly pokedAt = new Map<WebSocket, number>()
  /** Sockets whose poke waits for the end of their window, and the timer that sends them. */
  private readonly waiting = new Set<WebSocket>()
  /** Sockets whose page is being read: their next one waits until it is sent. */
  private readonly serving = new Set<WebSocket>()
  /** The pull route's page reader: a page sent here and one pulled are the same read. */
  readonly pages: PageReader
  private windowTimer: NodeJS.Timeout | null = null
  private sweeper: NodeJS.Timeout | null = null
  private latest = 0
  private timer: NodeJS.Timeout | null = null
  private unpublished = false
  private notifier: ChangeNotifier | null = null
  private readonly unsubscribe: () => void

  constructor(private readonly ctx: ServerContext) {
    this.unsubscribe = ctx.store.onCommit((seq) => this.seen(seq, true))
    this.pages = new PageReader(ctx, () => this.latest)
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
    const paged: WebSocket[] = []
    for (const s of this.sockets) {
      if (this.waiting.has(s)) continue
      if (now - (this.pokedAt.get(s) ?? 0) >= POKE_WINDOW_MS && !this.serving.has(s))
        this.poke(s, msg, now, paged)
      else this.waiting.add(s)
    }
    this.servePages(paged)
    this.scheduleWaiting(now)
    if (this.unpublished && this.notifier) {
      this.unpublished = false
      this.notifier
        .publish(this.latest)
        .catch((err) => this.ctx.log?.warn({ err }, 'notify failed'))
    }
  }

  /** Pokes a socket, or puts it in `paged` when it takes pages. */
  private poke(s: WebSocket, msg: string, now: number, paged: WebSocket[]): void {
    this.pokedAt.set(s, now)
    if (this.owners.get(s)?.clientId != null) paged.push(s)
    else if (s.readyState === s.OPEN) s.send(msg)
  }

  /**
   * Sends each socket its page, or a poke where its page would differ from its scope's shared one
   * (sync/live-pages.ts). Until it is sent, a socket's next commit waits, so the cursor a page is
   * read from is the one the last page left.
   */
  private servePages(sockets: WebSocket[]): void {
    if (!sockets.length) return
    const targets = sockets.flatMap((socket) => {
      const owner = this.owners.get(socket)
      return owner?.clientId != null ? [{ ...owner, clientId: owner.clientId, socket }] : []
    })
    for (const t of targets) this.serving.add(t.socket)
    pagesFor(this.ctx, this.pages, targets, this.latest)
      .catch((err) => {
        this.ctx.log?.warn({ err }, 'live pages failed: poking instead')
        return new Map(targets.map((t) => [t, null]))
      })
      .then((sends) => {
        const poke = JSON.stringify({ type: 'poke', seq: this.latest })
        const now = Date.now()
        for (const [t, send] of sends) {
          const s = t.socket
          this.serving.delete(s)
          const owner = this.owners.get(s)
          if (!owner || s.readyState !== s.OPEN) continue
          this.pokedAt.set(s, now)
          if (!send) {
            s.send(poke)
            continue
          }
          // Text, though a buffer: the page is encoded once for all its consoles.
          s.send(send.page, { binary: false })
          owner.cursor = send.cursor
        }
        this.scheduleWaiting(now)
      })
  }

  /** One timer for all the waiting sockets, at the end of the earliest window. */
  private scheduleWaiting(now: number): void {
    if (this.windowTimer || this.waiting.size === 0) return
    let due = Infinity
    for (const s of this.waiting)
      if (!this.serving.has(s)) due = Math.min(due, (this.pokedAt.get(s) ?? 0) + POKE_WINDOW_MS)
    // Only sockets whose page is being read wait: servePages schedules again once it is sent.
    if (due === Infinity) return
    this.windowTimer = setTimeout(
      () => {
        this.windowTimer = null
        const at = Date.now()
        const msg = JSON.stringify({ type: 'poke', seq: this.latest })
        const paged: WebSocket[] = []
        for (const s of this.waiting) {
          if (at - (this.pokedAt.get(s) ?? 0) < POKE_WINDOW_MS || this.serving.has(s)) continue
          this.waiting.delete(s)
          this.poke(s, msg, at, paged)
        }
        this.servePages(paged)
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
    this.serving.delete(socket)
  }

  register(app: FastifyInstance): void {
    app.get('/api/v1/live', { websocket: true }, (socket, request) => {
      let authed = false
      let owner: Owner | null = null
      const admit = async (admitted: Owner) => {
        owner = admitted
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
        const ready = { type: 'ready', seq: Math.max(seq, this.latest), pages: true }
        socket.send(JSON.stringify(ready))
      }
      const refuse = () => socket.close(4401, 'unauthorized')
      const timeout = setTimeout(() => !authed && refuse(), AUTH_TIMEOUT_MS)
      socket.on('close', () => {
        clearTimeout(timeout)
        this.forget(socket)
      })
      socket.on('error', () => socket.terminate())
      socket.on('message', (raw) => {
        if (authed) {
          // Only where a console's cursor stands; anything else is ignored, never echoed.
          if (owner) this.heard(owner, raw)
          return
        }
        let token: unknown
        try {
          token = (JSON.parse(String(raw)) as { type?: unknown; token?: unknown }).token
        } catch {
          return refuse()
        }
        if (typeof token !== 'string') return refuse()
        authenticate(this.ctx.store, `Bearer ${token}`, this.ctx.now())
          .then((a) => (a ? admit(ownerOf(a)) : refuse()))
          .catch(() => socket.close(1011, 'unavailable'))
      })
      if (request.headers.authorization)
        authenticate(this.ctx.store, request.headers.authorization, this.ctx.now())
          .then((a) => (a ? admit(ownerOf(a)) : refuse()))
          .catch(() => socket.close(1011, 'unavailable'))
    })
  }

  /** `{type: 'cursor', clientId, cursor}`: the console takes pages, from this cursor on. */
  private heard(owner: Owner, raw: unknown): void {
    let msg: { type?: unknown; clientId?: unknown; cursor?: unknown }
    try {
      msg = JSON.parse(String(raw)) as typeof msg
    } catch {
      return
    }
    if (msg?.type !== 'cursor') return
    const id = clientIdSchema.safeParse(msg.clientId)
    const cursor = msg.cursor
    if (!id.success || typeof cursor !== 'number' || !Number.isSafeInteger(cursor) || cursor < 0)
      return
    // One console a socket: its pages are judged by that console's own mutations.
    if (owner.clientId !== null && owner.clientId !== id.data) return
    owner.clientId = id.data
    owner.cursor = cursor
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
    this.serving.clear()
    await this.notifier?.stop()
  }
}

const ownerOf = (a: { user: { id: string }; tokenHash: string }): Owner => ({
  userId: a.user.id,
  tokenHash: a.tokenHash,
  clientId: null,
  cursor: 0,
})
