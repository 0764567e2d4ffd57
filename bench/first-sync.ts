// `npm run bench:first-sync [-- --data DIR --tickets 100000 --encodings identity,gzip,br]`
// The first sync alone, for working on it (issue 18): a real server process over a demo database
// (seeded once into DIR and copied for each run, so repeated runs skip the minute of seeding),
// the snapshot endpoint read raw (parsed, not stored) with each asked encoding, then the first
// sync through the console core. `npm run bench:core-sync` measures it beside the rest.
// Profiles: BENCH_CPU_PROF=DIR makes the server write a V8 CPU profile there and this process
// one of the console core's first sync (`node --cpu-prof` profiles whole processes).
import type { ChildProcess } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createConsoleCore } from '../src/core/console'
import type { SyncStatus } from '../src/shared/api'
import { login, spawnServer, stopServer } from './child'
import { readSnapshot } from './snapshot-read'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: join(tmpdir(), 'hotline-bench-first-sync-seed') },
    tickets: { type: 'string', default: '100000' },
    encodings: { type: 'string', default: 'gzip' },
    // Skip the console core's first sync (raw reads only).
    'raw-only': { type: 'boolean', default: false },
  },
})
const PROF = process.env.BENCH_CPU_PROF
const root = mkdtempSync(join(tmpdir(), 'hotline-bench-first-sync-'))
const children: ChildProcess[] = []
process.on('exit', () => {
  for (const c of children) c.kill('SIGTERM')
  rmSync(root, { recursive: true, force: true })
})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/**
 * CPU seconds a process has used (Linux: /proc/PID/stat, user + system): on a shared machine
 * wall times move with the neighbours' load, CPU times much less.
 */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

function startServer(dataDir: string, seed: boolean) {
  return spawnServer(
    ['--data', dataDir, ...(seed ? ['--demo', '--demo-tickets', values.tickets] : [])],
    children,
    PROF && !seed ? ['--cpu-prof', '--cpu-prof-dir', PROF] : [],
  )
}

async function main() {
  if (!existsSync(join(values.data, 'hotline.sqlite'))) {
    console.log(`seeding ${values.tickets} demo tickets into ${values.data} …`)
    const seeder = await startServer(values.data, true)
    await stopServer(seeder.child)
  }
  const dataDir = join(root, 'server')
  cpSync(values.data, dataDir, { recursive: true })
  const { url, child } = await startServer(dataDir, false)
  const token = await login(url, 'dispatcher1')

  for (const enc of values.encodings.split(',')) {
    const cpu0 = cpuSeconds(child.pid!)
    const r = await readSnapshot(url, token, enc)
    console.log(
      `raw snapshot read (${enc}): ${r.seconds.toFixed(1)} s, ${r.rows} rows in ${r.pages} pages, ${(r.bytes / 2 ** 20).toFixed(0)} MiB of JSON; server CPU ${(cpuSeconds(child.pid!) - cpu0).toFixed(1)} s`,
    )
  }

  if (!values['raw-only']) {
    const session = new Session()
    if (PROF) {
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.setSamplingInterval', { interval: 1000 })
      await session.post('Profiler.start')
    }
    const core = await createConsoleCore({ dataDir: join(root, 'console'), serverUrl: url })
    const serverCpu0 = cpuSeconds(child.pid!)
    const consoleCpu0 = cpuSeconds(process.pid)
    const t0 = performance.now()
    const l = await core.call('session.login', { username: 'dispatcher1', password: 'demo' })
    if (!l.ok) throw new Error(l.error.message)
    let usable: number | null = null
    for (;;) {
      const s = core.handlers['sync.status']({}) as SyncStatus
      if (usable == null && s.snapshot?.usable) usable = (performance.now() - t0) / 1000
      if (s.lastSyncAt !== null && s.snapshot === null) break
      await sleep(2)
    }
    const total = (performance.now() - t0) / 1000
    const serverCpu = cpuSeconds(child.pid!) - serverCpu0
    const consoleCpu = cpuSeconds(process.pid) - consoleCpu0
    if (PROF) {
      const { profile } = await session.post('Profiler.stop')
      writeFileSync(join(PROF, `console-${Date.now()}.cpuprofile`), JSON.stringify(profile))
      session.disconnect()
    }
    console.log(
      `first sync through the console core: ${total.toFixed(1)} s, usable after ${usable?.toFixed(1)} s; CPU: console ${consoleCpu.toFixed(1)} s, server ${serverCpu.toFixed(1)} s`,
    )
    await core.close()
  }
  await stopServer(child)
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    console.error(e)
    process.exit(1)
  })
