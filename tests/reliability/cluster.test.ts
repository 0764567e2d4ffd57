// Two server instances on one PostgreSQL behind a real load balancer (Debian's HAProxy, as
// `npm run cluster` runs it: scripts/haproxy.ts), round robin, no sticky sessions:
// 1. consoles (real console cores) connected through the balancer see each other's changes
//    within a couple of seconds, and a change made on either instance reaches every console —
//    whichever instance holds its live socket, so pokes cross instances (PostgreSQL
//    LISTEN/NOTIFY, src/server/store/notify.ts); without that a console would wait for its 30 s
//    fallback pull;
// 2. consoles doing their roles' work through the balancer while one instance is killed with
//    SIGKILL mid-run (and started again later): HAProxy's health check takes it out, the consoles
//    reconnect through the balancer to the other one, and afterwards every console shows the
//    server's state and every acknowledged action is on the server exactly once (lost 0,
//    duplicated 0), as the chaos tests check it.
// In CI (CI=true or REQUIRE_POSTGRES=1) a missing haproxy or PostgreSQL fails the file; on a
// laptop without them it is skipped with the reason.
import { once } from 'node:events'
import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../src/shared/ids'
import { findHaproxy, startHaproxy, type Haproxy } from '../../scripts/haproxy'
import {
  api,
  cleanup,
  draft,
  login,
  onCleanup,
  openConsole,
  startServer,
  tempDir,
  testEngines,
  waitFor,
  type ServerProcess,
} from '../sync/harness'
import { ROSTER, roleOf, type Player } from './chaos-actions'
import { differences, exactlyOnce, waitConverged } from './chaos-check'
import { playUntil } from './chaos-run'
import { runSeed } from './fault-proxy'
import { bounded, recordFigures } from './figures'

const binary = findHaproxy()
const engines = await testEngines()
const required = process.env.CI === 'true' || process.env.REQUIRE_POSTGRES === '1'
const problem = !binary
  ? 'haproxy is not installed (apt-get install -y haproxy)'
  : !engines.includes('postgres')
    ? 'PostgreSQL unreachable at 127.0.0.1:5432'
    : null
if (problem && required)
  throw new Error(`the cluster test is required here (CI / REQUIRE_POSTGRES=1) but: ${problem}`)
if (problem) console.warn(`skipping the cluster test: ${problem}`)

const SECONDS = bounded(30, 180)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function freePort(): Promise<number> {
  const s = createServer()
  s.listen(0, '127.0.0.1')
  await once(s, 'listening')
  const port = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return port
}

async function killHard(s: ServerProcess): Promise<void> {
  const child = s.child
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGKILL')
  await exited
}

describe.skipIf(problem !== null)('two server instances behind HAProxy', () => {
  let a: ServerProcess
  let b: ServerProcess
  let lb: Haproxy
  beforeAll(async () => {
    a = await startServer('postgres', 20)
    b = await startServer('postgres', 20, a.database)
    const [port, statsPort] = [await freePort(), await freePort()]
    lb = await startHaproxy(binary!, tempDir('hotline-haproxy-'), {
      port,
      statsPort,
      backends: [
        { name: 'a', port: a.port },
        { name: 'b', port: b.port },
      ],
    })
    onCleanup(() => lb.stop())
    await waitFor(async () => (await lb.backends()).every((x) => x.status === 'UP'), 15_000, 100)
  }, 120_000)
  afterAll(cleanup, 120_000)

  it('consoles through the balancer see each other, and changes on either instance reach them all', async () => {
    const c1 = await openConsole(lb.url, 'dispatcher1')
    const c2 = await openConsole(lb.url, 'supervisor1')
    const seen: number[] = []

    // Through the balancer: each console's change on the other one, by a poke.
    for (const [from, to] of [
      [c1, c2],
      [c2, c1],
    ] as const) {
      const d = draft()
      const t0 = performance.now()
      await from.ok('ticket.act', { name: 'ticket.create', args: d })
      await waitFor(() => to.store.ticket(d.ticket.id) !== null, 5000, 5)
      seen.push(performance.now() - t0)
    }

    // Straight to each instance: each console's live socket is on one of them, so one of the
    // two changes reaches it only if the instances tell each other of their commits.
    for (const [i, s] of [a, b].entries()) {
      const token = await login(s.url, 'agent1')
      const d = draft()
      const t0 = performance.now()
      const r = await api(s.url, 'POST', '/api/v1/sync/push', token, {
        clientId: `cluster-direct-${i}-${Date.now()}`,
        mutations: [
          {
            id: 1,
            key: uuidv7(),
            name: 'ticket.create',
            args: d,
            clientTime: new Date().toISOString(),
          },
        ],
      })
      expect(r.status).toBe(200)
      // Well under the consoles' 30 s fallback pull: a poke brought it.
      await waitFor(
        () => c1.store.ticket(d.ticket.id) !== null && c2.store.ticket(d.ticket.id) !== null,
        5000,
        5,
      )
      seen.push(performance.now() - t0)
    }
    const backends = await lb.backends()
    recordFigures('cluster-pokes', {
      instances: 2,
      changes: seen.length,
      seenMaxMs: Math.max(...seen),
      seenMeanMs: seen.reduce((s, x) => s + x, 0) / seen.length,
      sessionsA: backends.find((x) => x.name === 'a')!.sessions,
      sessionsB: backends.find((x) => x.name === 'b')!.sessions,
    })
    // Round robin without stickiness: both instances served these consoles.
    for (const x of backends) expect(x.sessions, x.name).toBeGreaterThan(0)
  }, 60_000)

  it(
    'an instance killed mid-run costs nothing: consoles go on through the other one',
    async () => {
      const seed = runSeed()
      console.log(`[cluster] seed ${seed} (replay with RELIABILITY_SEED=${seed})`)
      const consoles = 10
      const players: Player[] = []
      for (let i = 0; i < consoles; i++) {
        const username = ROSTER[i]!
        const log: Player['log'] = []
        const core = await openConsole(lb.url, username, tempDir('hotline-cluster-'), {
          clientId: `cluster-c${i}`,
          sync: { backoffBaseMs: 100, backoffMaxMs: 1000, requestTimeoutMs: 10_000 },
          log: (msg, extra) =>
            log.length < 500 &&
            log.push({
              at: Date.now(),
              msg: extra && !(extra instanceof Error) ? `${msg} ${JSON.stringify(extra)}` : msg,
            }),
        })
        players.push({
          index: i,
          username,
          role: roleOf(username),
          core,
          queued: [],
          refusedLocally: new Map(),
          idle: 0,
          log,
        })
      }

      const ms = SECONDS * 1000
      const t0 = Date.now()
      const deadline = t0 + ms
      const errors: string[] = []
      const story: string[] = []
      let downAfterMs = -1
      const disruptor = (async () => {
        await sleep(0.4 * ms)
        const k0 = Date.now()
        await killHard(a)
        story.push(`instance a SIGKILLed at ${((k0 - t0) / 1000).toFixed(1)} s`)
        await waitFor(
          async () =>
            (await lb.backends()).find((x) => x.name === 'a')?.status.startsWith('DOWN') === true,
          10_000,
          50,
        )
        downAfterMs = Date.now() - k0
        story.push(`HAProxy took it out after ${downAfterMs} ms`)
        await sleep(Math.max(0, t0 + 0.75 * ms - Date.now()))
        await a.restart()
        await waitFor(
          async () => (await lb.backends()).find((x) => x.name === 'a')?.status === 'UP',
          15_000,
          100,
        )
        story.push(`instance a back at ${((Date.now() - t0) / 1000).toFixed(1)} s`)
      })()
      await playUntil(players, seed, deadline, [300, 900], errors)
      await disruptor
      for (const s of story) console.log(`[cluster] ${s}`)

      const convergeSeconds = await waitConverged(players, lb.url, 30_000)
      const diverged: string[] = []
      for (const p of players) diverged.push(...(await differences(p, lb.url)))
      const once = await exactlyOnce(players, lb.url, t0)
      const resets = players.flatMap((p) =>
        p.log.filter((l) => l.msg.includes('fresh snapshot')).map((l) => `c${p.index}: ${l.msg}`),
      )
      const backends = await lb.backends()
      recordFigures('cluster-kill', {
        consoles,
        seconds: SECONDS,
        seed,
        actions: players.reduce((s, p) => s + p.queued.length, 0),
        acknowledged: once.acknowledged,
        refusedByServer: once.refusedByServer,
        ticketsCreated: once.ticketsCreated,
        instanceKills: 1,
        downAfterMs,
        lost: once.lost,
        duplicated: once.duplicated,
        ticketsLost: once.ticketsLost,
        convergeSeconds,
        sessionsA: backends.find((x) => x.name === 'a')!.sessions,
        sessionsB: backends.find((x) => x.name === 'b')!.sessions,
      })
      expect(errors).toEqual([])
      expect(once.problems).toEqual([])
      expect(diverged).toEqual([])
      expect(resets).toEqual([])
      expect(once).toMatchObject({ lost: 0, duplicated: 0, ticketsLost: 0, refusedButApplied: 0 })
      expect(once.acknowledged).toBeGreaterThan(consoles * 2)
      expect(once.ticketsCreated).toBeGreaterThan(3)
      // Refused because an instance was down would be an action lost: that must be retried.
      expect(once.refusedCodes).not.toHaveProperty('server_error')
      expect(downAfterMs).toBeGreaterThanOrEqual(0)
      expect(story).toHaveLength(3)
    },
    SECONDS * 1000 + 180_000,
  )
})
