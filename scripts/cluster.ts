// `npm run cluster [-- --port 8412 --instances 2]`: several server instances on one PostgreSQL
// behind HAProxy, on this machine — what a city runs when one server process is not enough
// (README "Two instances behind a balancer"). Consoles connect to the balancer's port.
//
// - PostgreSQL: DATABASE_URL, else postgres://postgres@127.0.0.1:5432/hotline_cluster (created
//   when missing). The first instance starts with --demo (demo users and tickets when the
//   database is empty, password `demo`).
// - Instances listen on port+1, port+2, … (127.0.0.1), each started directly (node with tsx's
//   loader, no npx), `--trust-proxy 127.0.0.1` so they believe the balancer's X-Forwarded-For.
//   One that exits on its own is started again after a second (HAProxy's health check has taken
//   it out meanwhile and puts it back once it answers /healthz).
// - HAProxy (Debian's `haproxy`) on the port, its statistics page on --stats-port (port+10).
// - Ctrl+C (or SIGTERM): HAProxy stops, then each instance is sent SIGTERM by its PID and
//   finishes what it has in flight; the script exits once all have.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { ROOT } from './ensure-built'
import { findHaproxy, startHaproxy, type Haproxy } from './haproxy'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8412' },
    'stats-port': { type: 'string' },
    instances: { type: 'string', default: '2' },
    'demo-tickets': { type: 'string', default: '200' },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log(`npm run cluster -- [--port 8412] [--stats-port 8422] [--instances 2] [--demo-tickets 200]
Server instances on one PostgreSQL (DATABASE_URL, default .../hotline_cluster) behind HAProxy.`)
  process.exit(0)
}
const PORT = Number(values.port)
const STATS_PORT = Number(values['stats-port'] ?? PORT + 10)
const COUNT = Math.max(1, Number(values.instances))
const DATABASE_URL =
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/hotline_cluster'

const say = (msg: string) => console.log(`[cluster] ${msg}`)

async function ensureDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1)
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') })
  admin.on('error', () => {})
  await admin.connect()
  try {
    const r = await admin.query('select 1 from pg_database where datname = $1', [name])
    if (!r.rowCount) {
      say(`creating database ${name}`)
      await admin.query(`create database "${name.replace(/"/g, '""')}"`)
    }
  } finally {
    await admin.end()
  }
}

interface Instance {
  name: string
  port: number
  child: ChildProcess | null
}

let stopping = false

function launch(inst: Instance, demo: boolean): Promise<void> {
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'src/server/main.ts'),
    '--port',
    String(inst.port),
    '--trust-proxy',
    '127.0.0.1',
  ]
  if (demo) args.push('--demo', '--demo-tickets', values['demo-tickets']!)
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  inst.child = child
  const prefix = (d: Buffer) =>
    String(d)
      .split('\n')
      .filter((l) => l)
      .map((l) => `[${inst.name}] ${l}\n`)
      .join('')
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(prefix(d)))
  child.once('exit', (code, signal) => {
    if (inst.child === child) inst.child = null
    if (stopping) return
    say(`instance ${inst.name} exited (${signal ?? code}); starting it again in 1 s`)
    setTimeout(() => {
      if (!stopping) launch(inst, false).catch((e: unknown) => say(String(e)))
    }, 1000)
  })
  return new Promise((resolve, reject) => {
    let out = ''
    const onData = (d: Buffer) => {
      out += String(d)
      process.stdout.write(prefix(d))
      if (/listening on http/.test(out)) {
        child.stdout!.off('data', onData)
        child.stdout!.on('data', (x: Buffer) => process.stdout.write(prefix(x)))
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`instance ${inst.name} exited (${code})`)))
  })
}

async function stopInstance(inst: Instance): Promise<void> {
  const child = inst.child
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

async function main(): Promise<void> {
  const binary = findHaproxy()
  if (!binary) {
    console.error('haproxy is not installed: apt-get install -y haproxy (Debian), then run again')
    process.exit(2)
  }
  await ensureDatabase(DATABASE_URL)
  const instances: Instance[] = Array.from({ length: COUNT }, (_, i) => ({
    name: String.fromCharCode(97 + i),
    port: PORT + 1 + i,
    child: null,
  }))
  const dir = mkdtempSync(join(tmpdir(), 'hotline-cluster-'))
  let proxy: Haproxy | null = null
  const shutdown = async (why: string) => {
    if (stopping) return
    stopping = true
    say(`${why}: stopping HAProxy and the instances`)
    await proxy?.stop().catch(() => {})
    await Promise.all(instances.map(stopInstance))
    rmSync(dir, { recursive: true, force: true })
    say('stopped')
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('Ctrl+C'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  try {
    // The first one migrates and seeds; the others then start on a ready schema.
    await launch(instances[0]!, true)
    await Promise.all(instances.slice(1).map((i) => launch(i, false)))
    proxy = await startHaproxy(binary, dir, {
      port: PORT,
      statsPort: STATS_PORT,
      backends: instances.map((i) => ({ name: i.name, port: i.port })),
    })
    proxy.child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[haproxy] ${String(d)}`))
    proxy.child.once('exit', (code) => {
      if (!stopping) void shutdown(`HAProxy exited (${code})`)
    })
  } catch (e) {
    console.error(e)
    await shutdown('start failed')
    return
  }
  say(
    `listening on ${proxy.url} (HAProxy pid ${proxy.child.pid} → ` +
      instances.map((i) => `${i.name} :${i.port} pid ${i.child?.pid}`).join(', ') +
      `; stats ${proxy.statsUrl}; PostgreSQL ${DATABASE_URL.replace(/\/\/[^@]*@/, '//')})`,
  )
  say('Ctrl+C stops everything')
}

void main()
