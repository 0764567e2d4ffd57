// WebSocket /api/v1/live: pokes `{type: 'poke', seq}` to connected consoles after commits, so
// they pull. The token comes in the Authorization header of the upgrade or in the first message
// `{type: 'auth', token}`, never in the URL. Pokes are coalesced (a few per second per burst of
// commits at most) and carry no data, so unit scoping stays with pull.
import type { FastifyInstance } from 'fastify'
import type { WebSocket } from 'ws'
import type { ServerContext } from './context'
import { authenticate } from './http/route'
import type { ChangeNotifier } from './store/notify'

const COALESCE_MS = 15
const AUTH_TIMEOUT_MS = 10_000

export class LiveHub {
  private readonly sockets = new Set<WebSocket>()
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
    const msg = JSON.stringify({ type: 'poke', seq: this.latest })
    for (const s of this.sockets) if (s.readyState === s.OPEN) s.send(msg)
    if (this.unpublished && this.notifier) {
      this.unpublished = false
      this.notifier
        .publish(this.latest)
        .catch((err) => this.ctx.log?.warn({ err }, 'notify failed'))
    }
  }

  register(app: FastifyInstance): void {
    app.get('/api/v1/live', { websocket: true }, (socket, request) => {
      let authed = false
      const admit = () => {
        authed = true
        clearTimeout(timeout)
        this.sockets.add(socket)
        socket.send(JSON.stringify({ type: 'ready', seq: this.latest }))
      }
      const refuse = () => socket.close(4401, 'unauthorized')
      const timeout = setTimeout(() => !authed && refuse(), AUTH_TIMEOUT_MS)
      socket.on('close', () => {
        clearTimeout(timeout)
        this.sockets.delete(socket)
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
          .then((a) => (a ? admit() : refuse()))
          .catch(() => socket.close(1011, 'unavailable'))
      })
      if (request.headers.authorization)
        authenticate(this.ctx.store, request.headers.authorization, this.ctx.now())
          .then((a) => (a ? admit() : refuse()))
          .catch(() => socket.close(1011, 'unavailable'))
    })
  }

  async stop(): Promise<void> {
    this.unsubscribe()
    if (this.timer) clearTimeout(this.timer)
    for (const s of this.sockets) s.close(1001, 'server stopping')
    this.sockets.clear()
    await this.notifier?.stop()
  }
}
