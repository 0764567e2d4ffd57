// The live channel: a WebSocket to /api/v1/live that says "pull now" (`poke`, `ready`), or brings
// the changes themselves (`page`, see live-pages.ts), with the token in the Authorization header
// of the upgrade (never in the URL). It reconnects by itself with backoff; its opening and closing
// tell the sync client the server is back or gone.
import WebSocket from 'ws'
import { backoffMs } from './http'
import { livePage, type LivePage } from './live-pages'

export interface LiveHandlers {
  /** About to open a connection (what the sync client knows now, the server knew before). */
  connecting?(): void
  /** Connected and authenticated; `seq` is the server's newest change. */
  ready(seq: number): void
  poke(seq: number): void
  /** The changes after `from`, sent to a console that said its cursor (see `sayCursor`). */
  page?(page: LivePage): void
  /** The connection is gone (server down, network, or the token refused when `code` is 4401). */
  closed(code: number): void
}

export interface LiveOptions {
  backoffBaseMs: number
  backoffMaxMs: number
  /** No message (not even a pong) for this long: the connection is dead. */
  deadAfterMs?: number
}

export class LiveSocket {
  private ws: WebSocket | null = null
  private attempt = 0
  private retry: NodeJS.Timeout | null = null
  private ping: NodeJS.Timeout | null = null
  private stopped = false
  /** This connection's server sends pages once told the cursor (an older one only pokes). */
  private pagesOffered = false

  constructor(
    private readonly serverUrl: string,
    private readonly token: string,
    private readonly on: LiveHandlers,
    private readonly opts: LiveOptions,
  ) {}

  start(): void {
    this.stopped = false
    this.connect()
  }

  get connected(): boolean {
    return this.ws?.readyState === WebSocket.OPEN
  }

  private connect(): void {
    if (this.stopped) return
    const url = `${this.serverUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/api/v1/live`
    this.on.connecting?.()
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.token}` },
      handshakeTimeout: 10_000,
    })
    this.ws = ws
    let alive = true
    ws.on('open', () => {
      // A half-open TCP connection (laptop lid closed, NAT dropped) only shows by silence.
      this.ping = setInterval(() => {
        if (!alive) return ws.terminate()
        alive = false
        ws.ping()
      }, this.opts.deadAfterMs ?? 20_000)
      this.ping.unref()
    })
    ws.on('pong', () => (alive = true))
    ws.on('message', (raw) => {
      // A message already on the wire when stop() was called: the console is closing.
      if (this.stopped || this.ws !== ws) return
      alive = true
      let msg: Record<string, unknown>
      try {
        msg = JSON.parse(String(raw)) as typeof msg
      } catch {
        return
      }
      if (typeof msg !== 'object' || msg === null) return
      const seq = typeof msg.seq === 'number' ? msg.seq : 0
      if (msg.type === 'ready') {
        this.attempt = 0
        this.pagesOffered = msg.pages === true && this.on.page !== undefined
        this.on.ready(seq)
      } else if (msg.type === 'poke') this.on.poke(seq)
      else if (msg.type === 'page') {
        const page = livePage(msg)
        // Not one we can take: as good as a poke.
        if (page) this.on.page?.(page)
        else this.on.poke(seq)
      }
    })
    ws.on('error', () => {
      // 'close' follows; the reconnect is scheduled there.
    })
    ws.on('close', (code) => {
      if (this.ws === ws) this.pagesOffered = false
      if (this.ping) clearInterval(this.ping)
      this.ping = null
      if (this.ws === ws) this.ws = null
      if (this.stopped) return
      this.on.closed(code)
      const delay = backoffMs(this.attempt++, this.opts.backoffBaseMs, this.opts.backoffMaxMs)
      this.retry = setTimeout(() => {
        this.retry = null
        this.connect()
      }, delay)
      this.retry.unref()
    })
  }

  /** Tells a server that sends pages where this console's cursor stands (after each pull). */
  sayCursor(clientId: string, cursor: number): void {
    if (!this.pagesOffered || this.ws?.readyState !== WebSocket.OPEN) return
    this.ws.send(JSON.stringify({ type: 'cursor', clientId, cursor }))
  }

  /** Try again now (e.g. the server answered an HTTP request, so it is back). */
  reconnectSoon(): void {
    if (this.stopped || this.ws || !this.retry) return
    clearTimeout(this.retry)
    this.retry = null
    this.attempt = 0
    this.connect()
  }

  stop(): void {
    this.stopped = true
    if (this.retry) clearTimeout(this.retry)
    if (this.ping) clearInterval(this.ping)
    this.retry = null
    const ws = this.ws
    this.ws = null
    if (ws) {
      ws.removeAllListeners('close')
      ws.removeAllListeners('message')
      ws.on('error', () => {})
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate()
      else ws.close(1000, 'console closing')
    }
  }
}
