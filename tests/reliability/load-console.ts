// A lightweight simulated console for load.test.ts: no cache, no UI, just the real protocol as the
// console core speaks it (src/core/sync/client.ts) — the live socket authenticated by its first
// message, a single-flight pull from its cursor on every poke that announces a newer seq (one more
// round if poked meanwhile, a short retry when the server held changes back), and pushes of one
// mutation at a time with its own clientId and increasing mutation ids. Like the core it takes
// pages on the socket when the server offers them (src/core/sync/live-pages.ts): it says its
// cursor after each pull, applies a page that continues its cursor while no pull runs, and pulls
// when one does not.
import WebSocket from 'ws'
import { consoleLabel } from '../../src/shared/ids'
import { CLIENT_ID_HEADER, type PullResponse, type PushResponse } from '../../src/shared/sync'

export interface LoadStats {
  pushMs: number[]
  pullMs: number[]
  pushes: number
  pulls: number
  pokes: number
  /** Pages received on the socket, and of those applied (the rest were pulled instead). */
  pages: number
  pagesApplied: number
  rejected: number
  errors: number
  errorSamples: string[]
  /** When each push started, by the pushing console's label and the ticket it names. */
  pushedAt: Map<string, number>
  /** Push start → an observing console (not the pusher) has the change applied, ms. */
  seenMs: number[]
}

export const newStats = (): LoadStats => ({
  pushMs: [],
  pullMs: [],
  pushes: 0,
  pulls: 0,
  pokes: 0,
  pages: 0,
  pagesApplied: 0,
  rejected: 0,
  errors: 0,
  errorSamples: [],
  pushedAt: new Map(),
  seenMs: [],
})

export function error(stats: LoadStats, what: string): void {
  stats.errors++
  if (stats.errorSamples.length < 10) stats.errorSamples.push(what)
}

type LiveMessage =
  | { type: 'ready'; seq: number; pages?: boolean }
  | { type: 'poke'; seq: number }
  | { type: 'page'; from: number; seq: number; page: PullResponse }

export class SimConsole {
  cursor = 0
  announced = 0
  busyPushing = false
  private pulling: Promise<void> | null = null
  private again = false
  private nextId = 1
  private ws: WebSocket | null = null
  /** The server sends pages once told our cursor. */
  private pagesOffered = false
  private closing = false
  readonly clientId: string
  private readonly label: string
  /**
   * An observer measures push → seen: the newest version of each ticket it has applied, so an
   * event is timed once, when it first arrives. Unit consoles are no observers: a ticket
   * dispatched to them arrives with its whole past timeline.
   */
  private readonly versions: Map<string, number> | null

  constructor(
    private readonly url: string,
    private readonly token: string,
    readonly role: string,
    index: number,
    private readonly stats: LoadStats,
    observer = false,
  ) {
    this.clientId = `load-${role}-${index}-${Date.now().toString(36)}`
    this.label = consoleLabel(this.clientId)
    this.versions = observer && role !== 'unit' ? new Map() : null
  }

  /** Times the other consoles' pushes whose events this page brings for the first time. */
  private observe(page: Pick<PullResponse, 'events'>): void {
    if (!this.versions) return
    const now = performance.now()
    for (const e of page.events) {
      if (e.version <= (this.versions.get(e.ticketId) ?? 0)) continue
      this.versions.set(e.ticketId, e.version)
      if (e.actor.consoleId === this.label) continue
      const t0 = this.stats.pushedAt.get(`${e.actor.consoleId}|${e.ticketId}`)
      if (t0 !== undefined) this.stats.seenMs.push(now - t0)
    }
  }

  get idle(): boolean {
    return !this.pulling && !this.busyPushing
  }

  /** Opens the live socket, authenticates, waits for `ready` and pulls once from its seq. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url.replace(/^http/, 'ws') + '/api/v1/live')
      this.ws = ws
      ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token: this.token })))
      ws.on('message', (raw) => {
        const msg = JSON.parse(String(raw)) as LiveMessage
        if (msg.type === 'ready') {
          // A console with a cache up to date at this seq (the first sync is not under test).
          this.cursor = this.announced = msg.seq
          this.pagesOffered = msg.pages === true
          this.sayCursor()
          resolve()
        } else if (msg.type === 'page') {
          this.stats.pages++
          this.announced = Math.max(this.announced, msg.seq)
          if (!this.pulling && msg.from === this.cursor) {
            this.stats.pagesApplied++
            this.observe(msg.page)
            this.cursor = msg.page.cursor
            if (msg.page.hasMore) void this.requestPull()
            else if (this.cursor < this.announced) this.retrySoon()
          } else if (Math.max(msg.seq, msg.page.cursor) > this.cursor) void this.requestPull()
          else if (!this.pulling) this.sayCursor()
        } else if (msg.type === 'poke') {
          this.stats.pokes++
          this.announced = Math.max(this.announced, msg.seq)
          if (msg.seq > this.cursor) void this.requestPull()
          // Not behind: the server still waits to hear where we stand before it sends pages.
          else if (!this.pulling) this.sayCursor()
        }
      })
      ws.on('error', (e) => reject(e))
      ws.on('close', (code) => {
        if (!this.closing) error(this.stats, `live closed ${code} (${this.clientId})`)
        reject(new Error(`closed ${code}`))
      })
    })
  }

  requestPull(): Promise<void> {
    if (this.pulling) {
      this.again = true
      return this.pulling
    }
    this.pulling = (async () => {
      do {
        this.again = false
        await this.pullPages()
      } while (this.again && !this.closing)
    })().finally(() => {
      this.pulling = null
      this.sayCursor()
      this.retrySoon()
    })
    return this.pulling
  }

  /** PostgreSQL serves changes only up to the oldest commit in flight: try again shortly. */
  private retrySoon(): void {
    if (this.cursor < this.announced && !this.closing)
      setTimeout(() => {
        // A page on the socket may have caught up meanwhile.
        if (this.cursor < this.announced) void this.requestPull()
      }, 100).unref()
  }

  /** Tells the server where our cursor stands, so that it sends pages from there. */
  private sayCursor(): void {
    if (!this.pagesOffered || this.ws?.readyState !== WebSocket.OPEN) return
    this.ws.send(JSON.stringify({ type: 'cursor', clientId: this.clientId, cursor: this.cursor }))
  }

  private async pullPages(): Promise<void> {
    for (;;) {
      const t0 = performance.now()
      try {
        // As a console pulls: named by header, not in the URL.
        const res = await fetch(`${this.url}/api/v1/sync/pull?cursor=${this.cursor}&limit=500`, {
          headers: { authorization: `Bearer ${this.token}`, [CLIENT_ID_HEADER]: this.clientId },
        })
        const body = (await res.json()) as PullResponse
        this.stats.pullMs.push(performance.now() - t0)
        this.stats.pulls++
        if (res.status !== 200) return error(this.stats, `pull ${res.status}`)
        this.observe(body)
        this.cursor = Math.max(this.cursor, body.cursor)
        if (!body.hasMore) return
      } catch (e) {
        return error(this.stats, `pull: ${(e as Error).message}`)
      }
    }
  }

  /** Pushes one mutation; resolves whether the server applied it. */
  async push(name: string, args: unknown): Promise<boolean> {
    this.busyPushing = true
    const t0 = performance.now()
    const named = args as { ticketId?: string; ticket?: { id: string } }
    const id = named.ticketId ?? named.ticket?.id
    if (id) this.stats.pushedAt.set(`${this.label}|${id}`, t0)
    try {
      const res = await fetch(`${this.url}/api/v1/sync/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          clientId: this.clientId,
          mutations: [
            {
              id: this.nextId++,
              key: crypto.randomUUID(),
              name,
              args,
              clientTime: new Date().toISOString(),
            },
          ],
        }),
      })
      const body = (await res.json()) as PushResponse
      this.stats.pushMs.push(performance.now() - t0)
      this.stats.pushes++
      if (res.status !== 200) {
        error(this.stats, `push ${res.status}: ${JSON.stringify(body).slice(0, 200)}`)
        return false
      }
      const r = body.results[0]
      if (r?.status !== 'ok') {
        this.stats.rejected++
        error(this.stats, `${name} rejected: ${r?.code} ${r?.message?.en}`)
        return false
      }
      return true
    } catch (e) {
      error(this.stats, `push: ${(e as Error).message}`)
      return false
    } finally {
      this.busyPushing = false
    }
  }

  close(): void {
    this.closing = true
    this.ws?.close()
  }
}

export function percentile(xs: number[], p: number): number {
  if (!xs.length) return 0
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!
}
