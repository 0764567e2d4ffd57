// A fault-injecting TCP proxy for the chaos runs: it sits between consoles and the server and
// carries HTTP and WebSocket upgrades byte for byte, except when it misbehaves on purpose. Faults,
// each counted by kind and chosen with seeded randomness so a run's choices can be replayed
// (RELIABILITY_SEED):
// - drop: accept a connection, then destroy it before anything is forwarded;
// - delay: hold a chunk (either way) for 10–500 ms, keeping the order within the connection;
// - cut: forward part of the server's answer, then destroy both sides (the server may well have
//   committed what the console now thinks failed);
// - reorder: hold newly accepted connections for a moment and release them in shuffled order.
// Apart from faults, `link.bytesPerSecond` shapes what the server sends to a slow line shared by
// every connection (a district office's VPN): each chunk reaches the console when the line would
// have carried it. Requests go up unshaped (they are small).
import { once } from 'node:events'
import { connect, createServer, type Socket } from 'node:net'
import { mulberry32 } from '../../src/shared/prng'

/** A seeded generator, good enough to pick faults and workflow actions. */
export const seededRandom = mulberry32

/** The run's seed: RELIABILITY_SEED to replay one, else a fresh one (print it). */
export function runSeed(): number {
  const env = process.env.RELIABILITY_SEED
  if (env && /^\d+$/.test(env)) return Number(env) >>> 0
  return Math.floor(Math.random() * 2 ** 31)
}

export interface FaultOptions {
  /** Per accepted connection: destroyed before forwarding anything. */
  drop: number
  /** Per chunk: held for 10–500 ms. */
  delay: number
  /** Per accepted connection: cut after a random part of the server's answers. */
  cut: number
  /** Per POST (a push, a login): its answer cut after 0–300 bytes, whatever the server did. */
  cutWrite: number
  /** Per accepted connection: held back and released with others in shuffled order. */
  reorder: number
}

export const DEFAULT_FAULTS: FaultOptions = {
  drop: 0.1,
  delay: 0.15,
  cut: 0.2,
  cutWrite: 0.2,
  reorder: 0.3,
}

export interface FaultCounts {
  connections: number
  drop: number
  delay: number
  cut: number
  reorder: number
}

export interface FaultProxy {
  url: string
  port: number
  /** Faults injected so far, by kind. */
  faults(): FaultCounts
  /** Turn faults on again (with these probabilities, or the last ones). */
  misbehave(opts?: Partial<FaultOptions>): void
  /** Every fault off: held connections are released, pending cuts and delays forgotten. */
  calm(): void
  close(): Promise<void>
}

const OFF: FaultOptions = { drop: 0, delay: 0, cut: 0, cutWrite: 0, reorder: 0 }

/** A proxy on 127.0.0.1 (a free port) in front of `targetPort` there. Starts calm. */
export async function startFaultProxy(
  targetPort: () => number,
  random: () => number,
  opts: FaultOptions = DEFAULT_FAULTS,
  link: { bytesPerSecond: number } | null = null,
): Promise<FaultProxy> {
  /** When the shared line is free again (performance.now() ms). */
  let lineFreeAt = 0
  /** When a chunk of `n` bytes arriving now has been carried by the line (0: no line). */
  const onTheLine = (n: number): number => {
    if (!link) return 0
    lineFreeAt = Math.max(performance.now(), lineFreeAt) + (n * 1000) / link.bytesPerSecond
    return lineFreeAt
  }
  let wanted = { ...opts }
  let p: FaultOptions = { ...OFF }
  /** Bumped by calm(): faults decided before it are void. */
  let epoch = 0
  const counts: FaultCounts = { connections: 0, drop: 0, delay: 0, cut: 0, reorder: 0 }
  const sockets = new Set<Socket>()
  let held: Socket[] = []
  let releaseTimer: NodeJS.Timeout | null = null
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1))

  const track = (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
    s.on('error', () => {})
  }

  /** Chunks one way, each after its own delay, in order; `cut` may end both sides after one. */
  const pipe = (from: Socket, to: Socket, cut?: (d: Buffer) => Buffer | null, shaped = false) => {
    let chain = Promise.resolve()
    let ended = false
    let cutting = false
    from.on('data', (d: Buffer) => {
      const e = epoch
      const carried = shaped ? onTheLine(d.length) : 0
      if (carried > 0)
        chain = chain.then(
          () => new Promise((r) => setTimeout(r, Math.max(0, carried - performance.now()))),
        )
      if (p.delay > 0 && random() < p.delay) {
        counts.delay++
        const ms = between(10, 500)
        chain = chain.then(() => new Promise((r) => setTimeout(r, e === epoch ? ms : 0)))
      }
      const part = cut ? cut(d) : null
      chain = chain.then(() => {
        if (to.destroyed || cutting) return
        if (part === null) return void to.write(d)
        // Part of this answer, then nothing: both sides go.
        cutting = true
        if (part.length) to.write(part)
        setImmediate(() => {
          to.destroy()
          from.destroy()
        })
      })
    })
    from.on('end', () => {
      ended = true
      chain = chain.then(() => {
        if (!to.destroyed && !cutting) to.end()
      })
    })
    from.on('close', () => {
      // A side that went away without an orderly end takes the other with it.
      chain = chain.then(() => {
        if (!ended) to.destroy()
      })
    })
  }

  const forward = (client: Socket) => {
    if (client.destroyed) return
    const upstream = connect(targetPort(), '127.0.0.1')
    track(upstream)
    const e = epoch
    let cutAfter = p.cut > 0 && random() < p.cut ? between(1, 4000) : null
    let sent = 0
    let cutDone = false
    client.on('data', (d: Buffer) => {
      // A request that writes: its answer (the next bytes back) may never arrive in full.
      if (cutAfter === null && p.cutWrite > 0 && d.subarray(0, 5).toString('latin1') === 'POST ')
        if (random() < p.cutWrite) cutAfter = sent + between(0, 300)
    })
    pipe(client, upstream)
    pipe(
      upstream,
      client,
      (d) => {
        if (cutAfter === null || cutDone || e !== epoch) return null
        if (sent + d.length < cutAfter) {
          sent += d.length
          return null
        }
        cutDone = true
        counts.cut++
        return d.subarray(0, Math.max(0, cutAfter - sent))
      },
      true,
    )
    client.resume()
  }

  const release = () => {
    releaseTimer = null
    const batch = held
    held = []
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[batch[i], batch[j]] = [batch[j]!, batch[i]!]
    }
    for (const c of batch) forward(c)
  }

  const server = createServer({ pauseOnConnect: true }, (client) => {
    track(client)
    counts.connections++
    if (p.drop > 0 && random() < p.drop) {
      counts.drop++
      client.destroy()
      return
    }
    if (p.reorder > 0 && random() < p.reorder) {
      counts.reorder++
      held.push(client)
      releaseTimer ??= setTimeout(release, between(20, 250))
      return
    }
    forward(client)
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const port = (server.address() as { port: number }).port
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    faults: () => ({ ...counts }),
    misbehave(o) {
      wanted = { ...wanted, ...o }
      p = { ...wanted }
    },
    calm() {
      p = { ...OFF }
      epoch++
      if (releaseTimer) clearTimeout(releaseTimer)
      release()
    },
    async close() {
      if (releaseTimer) clearTimeout(releaseTimer)
      for (const s of sockets) s.destroy()
      await new Promise((r) => server.close(r))
    },
  }
}
