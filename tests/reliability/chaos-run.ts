// One chaos run, shared by the SQLite and PostgreSQL files: a real server process behind the
// fault proxy, N real console cores doing their roles' work for a bounded time while the proxy
// misbehaves, the server is killed with SIGKILL and restarted (and whatever else the caller
// adds, e.g. a PostgreSQL restart); then calm, convergence and the exactly-once checks.
import { once } from 'node:events'
import {
  login,
  onCleanup,
  openConsole,
  startServer,
  tempDir,
  type EngineName,
  type ServerProcess,
} from '../sync/harness'
import { takeTurn, ROSTER, roleOf, type Player } from './chaos-actions'
import { differences, exactlyOnce, latestSeq, waitConverged, type OnceFigures } from './chaos-check'
import { runSeed, seededRandom, startFaultProxy, type FaultCounts } from './fault-proxy'

/**
 * Every player takes turns until `deadline`, each from its own stream of the run's seed, pausing
 * `pause[0]` ms plus up to `pause[1]` between turns; the first 20 failures are kept in `errors`.
 */
export async function playUntil(
  players: Player[],
  seed: number,
  deadline: number,
  pause: [number, number],
  errors: string[],
): Promise<void> {
  await Promise.all(
    players.map(async (p) => {
      const r = seededRandom(seed + 7919 * (p.index + 1))
      let n = 0
      await sleep(Math.floor(r() * 1000))
      while (Date.now() < deadline) {
        try {
          await takeTurn(p, r, ++n)
        } catch (e) {
          if (errors.length < 20) errors.push(`c${p.index} (${p.username}): ${String(e)}`)
        }
        await sleep(pause[0] + Math.floor(r() * pause[1]))
      }
    }),
  )
}

export interface Disruption {
  /** When, as a share of the action time (0–1). */
  at: number
  what: string
  run(server: ServerProcess): Promise<void>
}

export interface ChaosOptions {
  engine: EngineName
  consoles: number
  seconds: number
  /** SIGKILL and restart the server this many times, at random moments. */
  serverKills: number
  /** More disruptions at fixed moments. */
  extra?: Disruption[]
  /** How long the consoles get to catch up once everything is calm. */
  convergeTimeoutMs?: number
}

export interface ChaosResult {
  seed: number
  players: Player[]
  faults: FaultCounts
  /** Turns that ended in a queued action. */
  actions: number
  refusedLocally: number
  refusedCodes: Record<string, number>
  idle: number
  serverKills: number
  disruptions: string[]
  convergeSeconds: number
  /** Consoles that threw their server rows away for a fresh snapshot (the server never changed). */
  resets: string[]
  /** Consoles whose cache differs from the server: their differences. */
  diverged: string[]
  once: OnceFigures
  /** Exceptions out of the simulated people's loops (test bugs or crashes). */
  errors: string[]
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** SIGKILL: no shutdown hook runs, whatever was in flight is cut off. */
async function killHard(server: ServerProcess): Promise<void> {
  const child = server.child
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGKILL')
  await exited
}

export async function chaosRun(o: ChaosOptions): Promise<ChaosResult> {
  const seed = runSeed()
  console.log(`[chaos] ${o.engine}: seed ${seed} (replay with RELIABILITY_SEED=${seed})`)
  const random = seededRandom(seed)
  const server = await startServer(o.engine, 30)
  const proxy = await startFaultProxy(() => server.port, seededRandom(seed ^ 0x5bd1e995))
  onCleanup(() => proxy.close())

  const players: Player[] = []
  for (let i = 0; i < o.consoles; i += 5) {
    const batch = ROSTER.slice(i, Math.min(o.consoles, i + 5))
    const logs = batch.map(() => [] as Player['log'])
    const cores = await Promise.all(
      batch.map((username, j) =>
        openConsole(proxy.url, username, tempDir('hotline-chaos-'), {
          clientId: `chaos-c${i + j}`,
          sync: { backoffBaseMs: 100, backoffMaxMs: 1000, requestTimeoutMs: 10_000 },
          log: (msg, extra) =>
            logs[j]!.length < 500 &&
            logs[j]!.push({
              at: Date.now(),
              msg: extra && !(extra instanceof Error) ? `${msg} ${JSON.stringify(extra)}` : msg,
            }),
        }),
      ),
    )
    cores.forEach((core, j) =>
      players.push({
        index: i + j,
        username: batch[j]!,
        role: roleOf(batch[j]!),
        core,
        queued: [],
        refusedLocally: new Map(),
        idle: 0,
        log: logs[j]!,
      }),
    )
  }

  // The run: people work, the proxy misbehaves, the server dies and comes back.
  const disruptions: Disruption[] = [...(o.extra ?? [])]
  const errors: string[] = []
  for (let k = 0; k < o.serverKills; k++) {
    const slice = 0.7 / o.serverKills
    disruptions.push({
      at: 0.15 + slice * (k + 0.15 + 0.7 * random()),
      what: 'server SIGKILL + restart',
      async run(s) {
        const before = Math.max(...players.map((p) => Number(p.core.store.getMeta('cursor') ?? 0)))
        await killHard(s)
        await sleep(200 + Math.floor(random() * 800))
        await s.restart()
        const after = await latestSeq(s.url, await login(s.url, 'supervisor1'))
        console.log(
          `[chaos] consoles' cursor up to ${before} before the kill, server at ${after} after`,
        )
        // What any console has pulled was committed: a SIGKILL must not take it back.
        if (after < before) errors.push(`the server lost changes in a kill: ${after} < ${before}`)
      },
    })
  }
  disruptions.sort((a, b) => a.at - b.at)
  const ms = o.seconds * 1000
  const done: string[] = []
  proxy.misbehave()
  const t0 = Date.now()
  const deadline = t0 + ms
  const disruptor = (async () => {
    for (const d of disruptions) {
      await sleep(Math.max(0, t0 + d.at * ms - Date.now()))
      const s0 = Date.now()
      await d.run(server)
      done.push(`${d.what} at ${((s0 - t0) / 1000).toFixed(1)} s (${Date.now() - s0} ms)`)
      console.log(`[chaos] ${done[done.length - 1]}`)
    }
  })()
  await playUntil(players, seed, deadline, [400, 1200], errors)
  await disruptor
  proxy.calm()
  const faults = proxy.faults()

  const up = await fetch(`${server.url}/healthz`)
  if (up.status !== 200) throw new Error(`server not healthy after the run: ${up.status}`)
  const convergeSeconds = await waitConverged(players, server.url, o.convergeTimeoutMs ?? 25_000)
  const diverged: string[] = []
  for (const p of players) diverged.push(...(await differences(p, server.url)))
  const onceFigures = await exactlyOnce(players, server.url, t0)

  const refusedCodes: Record<string, number> = {}
  for (const p of players)
    for (const [code, n] of p.refusedLocally) refusedCodes[code] = (refusedCodes[code] ?? 0) + n
  return {
    seed,
    players,
    faults,
    actions: players.reduce((s, p) => s + p.queued.length, 0),
    refusedLocally: Object.values(refusedCodes).reduce((s, n) => s + n, 0),
    refusedCodes,
    idle: players.reduce((s, p) => s + p.idle, 0),
    serverKills: o.serverKills,
    disruptions: done,
    convergeSeconds,
    resets: players.flatMap((p) =>
      p.log.filter((l) => l.msg.includes('fresh snapshot')).map((l) => `c${p.index}: ${l.msg}`),
    ),
    diverged,
    once: onceFigures,
    errors,
  }
}

/** Issue 16's actions among those the consoles queued, by name (every one of them listed). */
export const LEVEL_ACTIONS = [
  'ticket.dispatchDown',
  'ticket.reviewReturn',
  'ticket.reviewReply',
  'ticket.recall',
  'ticket.reroute',
  'ticket.submitPart',
] as const

export function levelActions(players: Player[]): Record<(typeof LEVEL_ACTIONS)[number], number> {
  const out = Object.fromEntries(LEVEL_ACTIONS.map((a) => [a, 0])) as Record<
    (typeof LEVEL_ACTIONS)[number],
    number
  >
  for (const p of players)
    for (const q of p.queued) if (q.name in out) out[q.name as keyof typeof out]++
  return out
}
