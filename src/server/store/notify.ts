// Telling other server processes on the same PostgreSQL database that changes committed, so they
// poke their own consoles (LISTEN/NOTIFY). NOTIFY is sent after commit, coalesced, and outside
// the mutation's transaction: inside it, PostgreSQL would serialize every commit on its queue.
import type pg from 'pg'

const CHANNEL = 'hotline_changes'

export class ChangeNotifier {
  private listener: pg.PoolClient | null = null
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
    client.on('error', () => {
      // The listening connection broke: let it go and listen again on a fresh one.
      client.release(true)
      if (this.listener === client) this.listener = null
      if (!this.closed) setTimeout(() => void this.start().catch(() => {}), 1000).unref()
    })
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
      c.release()
    }
  }
}
