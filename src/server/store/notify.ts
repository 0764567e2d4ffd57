// Telling other server processes on the same PostgreSQL database that changes committed, so they
// poke their own consoles (LISTEN/NOTIFY). NOTIFY is sent after commit, coalesced, and outside
// the mutation's transaction: inside it, PostgreSQL would serialize every commit on its queue.
import type pg from 'pg'

const CHANNEL = 'hotline_changes'

export class ChangeNotifier {
  private listener: pg.PoolClient | null = null
  private releaseListener: ((broken: boolean) => void) | null = null
  private closed = false

  constructor(
    private readonly pool: pg.Pool,
    private readonly onRemote: (seq: number) => void,
  ) {}

  async start(): Promise<void> {
    const client = await this.pool.connect()
    client.on('notification', (n) => {
      const seq = Number(n.payload)
      if (Number.isFinite(seq)) this.onRemote(seq)
    })
    let released = false
    const releaseOnce = (broken: boolean) => {
      if (released) return
      released = true
      client.release(broken)
    }
    client.on('error', () => {
      // The listening connection broke (the server restarted, the database was dropped): let it
      // go, once — stop() may have released it already — and listen again on a fresh one.
      const wasListening = this.listener === client
      if (wasListening) this.listener = null
      releaseOnce(true)
      if (!this.closed && wasListening)
        setTimeout(() => void this.start().catch(() => {}), 1000).unref()
    })
    this.releaseListener = releaseOnce
    await client.query(`listen ${CHANNEL}`)
    this.listener = client
  }

  async publish(seq: number): Promise<void> {
    await this.pool.query('select pg_notify($1, $2)', [CHANNEL, String(seq)])
  }

  async stop(): Promise<void> {
    this.closed = true
    const c = this.listener
    this.listener = null
    if (c) {
      await c.query(`unlisten ${CHANNEL}`).catch(() => {})
      this.releaseListener?.(false)
    }
  }
}
