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
import { consoleKey } from './sync/console-key'
import { pagesFor, type PageTarget } from './sync/live-pages'
import { PageReader } from './sync/page-reader'

const COALESCE_MS = 15
/** A console is poked at most once in this window. */
export const POKE_WINDOW_MS = 100
const AUTH_TIMEOUT_MS = 10_000
/** Bytes queued for a socket above which it is poked rather than sent more pages. */
const MAX_BUFFERED = 1 << 20
/** Close code for a session that ended: the console pulls, gets 401 and locks. */
const SESSION_ENDED = 4401

interface Owner {
  userId: string
  tokenHash: string
  /** Said by a console that takes pages: which console it is. */
  clientId: string | null
  /** Where its cursor stands: as it said, or as the last page left it; null: it is pulling. */
  cursor: number | null
  /** How many times it said its cursor: a round's guess never overwrites what it said since. */
  said: number
}

export class LiveHub {
  private readonly sockets = new Set<WebSocket>()
  private readonly owners = new Map<WebSocket, Owner>()
  /** When each socket was last poked. */
  private readonly pokedAt = new Map<WebSocket, number>()
  /** Sockets whose poke waits for the end of their window, and the timer that sends them. */
  private readonly waiting = new Set<WebSocket>()
  private pageTimer: NodeJS.Timeout | null = null
  private roundRunning = false
  /** Another round is due once this one is over (a console said its cursor meanwhile). */
  private roundWanted = false
  private lastRound = 0
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
    for (const s of this.sockets) {
      if (this.owners.get(s)?.clientId != null) continue // takes pages: see pageRound
      if (this.waiting.has(s)) continue
      if (now - (this.pokedAt.get(s) ?? 0) >= POKE_WINDOW_MS) this.poke(s, msg, now)
      else this.waiting.add(s)
    }
    this.scheduleWaiting(now)
    this.schedulePages()
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

  /**
   * The consoles that take pages are served together, in rounds at most one a POKE_WINDOW_MS:
   * then they stand at the same cursor, and their scope's page is read once a round, not once
   * for each window's phase.
   */
  private schedulePages(): void {
    if (this.pageTimer || this.roundRunning) return
    const wait = Math.max(COALESCE_MS, this.lastRound + POKE_WINDOW_MS - Date.now())
    this.pageTimer = setTimeout(() => void this.pageRound(), wait)
  }

  /**
   * Sends each console that takes pages, and is behind, its page, or a poke where its page would
   * differ from its scope's shared one (sync/live-pages.ts). A poked console pulls and then says
   * its cursor again; until it does it is left out of the rounds.
   */
  private async pageRound(): Promise<void> {
    this.pageTimer = null
    this.roundRunning = true
    this.lastRound = Date.now()
    const latest = this.latest
    const targets: Array<PageTarget & { socket: WebSocket; said: number }> = []
    for (const [socket, o] of this.owners)
      if (o.clientId !== null && o.cursor !== null && o.cursor < latest)
        targets.push({ ...o, clientId: o.clientId, cursor: o.cursor, socket })
    try {
      if (!targets.length) return
      const sends = await pagesFor(this.ctx, this.pages, targets, latest).catch((err) => {
        this.ctx.log?.warn({ err }, 'live pages failed: poking instead')
        return new Map(targets.map((t) => [t, null]))
      })
      const poke = JSON.stringify({ type: 'poke', seq: this.latest })
      for (const [t, send] of sends) {
        const s = t.socket
        const owner = this.owners.get(s)
        if (!owner || s.readyState !== s.OPEN) continue
        // A console that has not read what it was sent (a slow line) is poked: pages would pile
        // up in this process for it, and it pulls when it gets there.
        const page = send && s.bufferedAmount < MAX_BUFFERED ? send : null
        // Text, though a buffer: the page is encoded once for all its consoles.
        if (page) s.send(page.page, { binary: false })
        else s.send(poke)
        if (owner.said === t.said) owner.cursor = page ? page.cursor : null
        // For the change-log lag and the active consoles, as a pulled page would count.
        if (page) this.ctx.metrics?.pulled(consoleKey(owner.userId, t.clientId), page.cursor)
      }
    } finally {
      this.roundRunning = false
      // Commits during the round, or consoles that said their cursor meanwhile.
      if (this.latest > latest || this.roundWanted) {
        this.roundWanted = false
        this.schedulePages()
      }
    }
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
      let owner: Owner | null = null
      const admit = async (admitted: Owner) => {
        owner = admitted
        authed = true
        clearTimeout(timeout)
        // The newest change as the database has it, not only as this process has heard: another
        // instance's last commits may not have reached it yet, and a console that pulled them
        // there and comes here (that instance killed) must not be told the server went back.
        const stored = await this.ctx.store.latestSeq().catch(() => 0)
        // Gone while its token was being checked: its 'close' has already run, so adding it now
        // would keep a dead socket in the hub (and in the connection count) for good.
        if (socket.readyState !== socket.OPEN) return
        this.sockets.add(socket)
        this.owners.set(socket, owner)
        const ready = { type: 'ready', seq: Math.max(stored, this.latest), pages: true }
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
    owner.said++
    // Behind (it pulled before the latest commits): its page comes with the next round.
    if (cursor < this.latest) {
      if (this.roundRunning) this.roundWanted = true
      else this.schedulePages()
    }
  }

  async stop(): Promise<void> {
    this.unsubscribe()
    if (this.timer) clearTimeout(this.timer)
    if (this.windowTimer) clearTimeout(this.windowTimer)
    if (this.pageTimer) clearTimeout(this.pageTimer)
    if (this.sweeper) clearInterval(this.sweeper)
    for (const s of this.sockets) s.close(1001, 'server stopping')
    this.sockets.clear()
    this.owners.clear()
    this.pokedAt.clear()
    this.waiting.clear()
    await this.notifier?.stop()
  }
}

const ownerOf = (a: { user: { id: string }; tokenHash: string }): Owner => ({
  userId: a.user.id,
  tokenHash: a.tokenHash,
  clientId: null,
  cursor: null,
  said: 0,
})
