// Chaos on SQLite: 20 real consoles (agents, dispatchers, supervisors, unit staff) work tickets
// through the fault proxy (drops, delays, answers cut halfway, connections reordered) while the
// server is killed with SIGKILL and restarted twice. Afterwards every console must have caught
// up with the server by itself and show what the server holds, every action the server
// acknowledged must be in its timeline exactly once, and no new ticket may be missing.
// Then the opposite case: a server really restored from an older backup must make the console
// start again from a snapshot (the check that tells it apart from a slow network is the product
// fix these runs led to, src/core/sync/client.ts).
import { cpSync, rmSync } from 'node:fs'
import { afterAll, expect, it } from 'vitest'
import { cleanup, draft, openConsole, startServer, synced, tempDir, waitFor } from '../sync/harness'
import type { Player } from './chaos-actions'
import { differences } from './chaos-check'
import { chaosRun, levelActions } from './chaos-run'
import { bounded, recordFigures } from './figures'

afterAll(cleanup, 120_000)

const SECONDS = bounded(50, 300)

it(
  '20 consoles through a misbehaving network and two SIGKILLs: nothing lost, nothing twice',
  async () => {
    const consoles = 20
    const seconds = SECONDS
    const r = await chaosRun({
      engine: 'sqlite',
      consoles,
      seconds,
      serverKills: 2,
      // Under the 30 s fallback pull: consoles must catch up by themselves, promptly.
      convergeTimeoutMs: 15_000,
    })
    recordFigures('chaos-sqlite', {
      consoles,
      seconds,
      seed: r.seed,
      actions: r.actions,
      acknowledged: r.once.acknowledged,
      refused: r.refusedLocally + r.once.refusedByServer,
      refusedByServer: r.once.refusedByServer,
      ticketsCreated: r.once.ticketsCreated,
      connections: r.faults.connections,
      faultsDrop: r.faults.drop,
      faultsDelay: r.faults.delay,
      faultsCut: r.faults.cut,
      faultsReorder: r.faults.reorder,
      serverKills: r.disruptions.length,
      lost: r.once.lost,
      duplicated: r.once.duplicated,
      ticketsLost: r.once.ticketsLost,
      convergeSeconds: r.convergeSeconds,
      freshSnapshots: r.resets.length,
    })
    // Issue 16: the multi-level actions were in the mix, and counted like every other.
    const levels = levelActions(r.players)
    console.log(`[chaos] multi-level actions queued: ${JSON.stringify(levels)}`)
    expect(levels['ticket.dispatchDown']).toBeGreaterThan(0)
    expect(Object.values(levels).reduce((a, b) => a + b, 0)).toBeGreaterThan(
      levels['ticket.dispatchDown'],
    )
    console.log(`[chaos] refused by the console's rules: ${JSON.stringify(r.refusedCodes)}`)
    console.log(`[chaos] refused by the server: ${JSON.stringify(r.once.refusedCodes)}`)
    expect(r.errors).toEqual([])
    expect(r.once.problems).toEqual([])
    expect(r.diverged).toEqual([])
    // The server kept its database: no console had reason to start again from a snapshot (and
    // one that does loses the refusals of mutations settled before the snapshot's seq).
    expect(r.resets).toEqual([])
    expect(r.once).toMatchObject({ lost: 0, duplicated: 0, ticketsLost: 0, refusedButApplied: 0 })
    // The run did what it claims: work was done and acknowledged, every kind of fault happened.
    expect(r.disruptions).toHaveLength(2)
    expect(r.once.acknowledged).toBeGreaterThan(consoles * 5)
    expect(r.once.ticketsCreated).toBeGreaterThan(20)
    for (const kind of ['drop', 'delay', 'cut', 'reorder'] as const)
      expect(r.faults[kind], kind).toBeGreaterThan(0)
    expect(r.refusedCodes).not.toHaveProperty('invalid_input')
    // Refused because the server or its database was down is an action lost: that must be retried.
    expect(r.once.refusedCodes).not.toHaveProperty('server_error')
  },
  SECONDS * 1000 + 180_000,
)

it('a server restored from an older backup: the console starts again from a snapshot', async () => {
  const server = await startServer('sqlite', 10)
  const args = server.child.spawnargs
  const dir = args[args.indexOf('--data') + 1]!
  const log: Player['log'] = []
  const core = await openConsole(server.url, 'dispatcher1', tempDir('hotline-chaos-'), {
    log: (msg) => log.push({ at: Date.now(), msg }),
  })
  // The backup, taken with the server stopped so the file is whole.
  await server.stop()
  const backup = tempDir('hotline-backup-')
  cpSync(dir, backup, { recursive: true })
  await server.restart()
  const later: string[] = []
  for (let i = 0; i < 5; i++) {
    const d = draft()
    later.push(d.ticket.id)
    await core.ok('ticket.act', { name: 'ticket.create', args: d })
  }
  await waitFor(
    () => synced(core) && later.every((id) => core.store.ticket(id)?.ticket.number),
    15_000,
  )

  await server.stop()
  rmSync(dir, { recursive: true, force: true })
  cpSync(backup, dir, { recursive: true })
  await server.restart()
  // The tickets made after the backup are gone from the server: the console must follow.
  await waitFor(() => synced(core) && later.every((id) => !core.store.ticket(id)), 15_000)
  expect(log.some((l) => l.msg.includes('fresh snapshot'))).toBe(true)
  const player: Player = {
    index: 0,
    username: 'dispatcher1',
    role: 'dispatcher',
    core,
    queued: [],
    refusedLocally: new Map(),
    idle: 0,
    log,
  }
  expect(await differences(player, server.url)).toEqual([])
})
