// HAProxy (Debian's `haproxy`) in front of several server instances: the configuration, and the
// process started directly (no shell), in the foreground, so it is stopped by its PID. Used by
// `npm run cluster` (scripts/cluster.ts) and the reliability suite (tests/reliability/cluster).
//
// What the configuration does, and why:
// - HTTP mode, round robin, no stickiness: the server instances are stateless (sessions, change
//   log and pokes live in PostgreSQL), so any request may go to any instance.
// - WebSocket upgrades pass through as tunnels (`timeout tunnel`): a console's live socket stays
//   on the instance it reached; that instance hears of every commit on the others by PostgreSQL
//   LISTEN/NOTIFY (src/server/store/notify.ts) and pokes it.
// - Health checks `GET /healthz` every 500 ms; two failures take an instance out, two successes
//   bring it back. A request whose connection to an instance cannot be made is sent to another
//   (`option redispatch`, `retries`) — nothing was sent, so nothing can be applied twice.
// - `option forwardfor`: the instance sees the console's address in X-Forwarded-For (start the
//   instances with `--trust-proxy 127.0.0.1` to believe it: per-address limits then apply per
//   console, not to the balancer).
// - A statistics page (`/stats`, `/stats;csv`) on its own port, for operators and tests.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface Backend {
  name: string
  port: number
}

export interface HaproxyOptions {
  /** Port consoles connect to. */
  port: number
  /** Port of the statistics page. */
  statsPort: number
  backends: Backend[]
  host?: string
}

const CANDIDATES = ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy', '/usr/bin/haproxy']

/** The haproxy binary, or null when it is not installed (`apt-get install haproxy`). */
export function findHaproxy(): string | null {
  for (const p of CANDIDATES) if (existsSync(p)) return p
  const which = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' })
  const found = which.stdout?.trim()
  return which.status === 0 && found ? found : null
}

export function haproxyConfig(o: HaproxyOptions): string {
  const host = o.host ?? '127.0.0.1'
  return `# Written by scripts/haproxy.ts: HAProxy in front of ${o.backends.length} Hotline server instances.
global
    maxconn 4096

defaults
    mode http
    option forwardfor
    option redispatch
    retries 3
    timeout connect 2s
    timeout client 75s
    timeout server 75s
    # A console's live WebSocket (and a long push) is a tunnel once upgraded.
    timeout tunnel 1h
    timeout http-request 10s
    timeout queue 10s

frontend hotline
    bind ${host}:${o.port}
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server inter 500ms fastinter 250ms downinter 500ms fall 2 rise 2
${o.backends.map((b) => `    server ${b.name} 127.0.0.1:${b.port} check`).join('\n')}

listen stats
    bind ${host}:${o.statsPort}
    stats enable
    stats uri /stats
    stats refresh 2s
`
}

export interface Haproxy {
  child: ChildProcess
  url: string
  statsUrl: string
  stop(): Promise<void>
  /** Each instance's state (UP, DOWN, …) and the sessions it has had, from the stats page. */
  backends(): Promise<Array<{ name: string; status: string; sessions: number }>>
}

/** Starts HAProxy in the foreground with the configuration written to `dir`; resolves once it answers. */
export async function startHaproxy(
  binary: string,
  dir: string,
  o: HaproxyOptions,
): Promise<Haproxy> {
  const cfg = join(dir, 'haproxy.cfg')
  writeFileSync(cfg, haproxyConfig(o))
  const check = spawnSync(binary, ['-c', '-q', '-f', cfg], { encoding: 'utf8' })
  if (check.status !== 0) throw new Error(`haproxy rejects its configuration:\n${check.stderr}`)
  // -db: stay in the foreground, no daemon: the PID we hold is HAProxy's.
  const child = spawn(binary, ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d) => (out += String(d)))
  child.stderr!.on('data', (d) => (out += String(d)))
  const host = o.host ?? '127.0.0.1'
  const statsUrl = `http://${host}:${o.statsPort}/stats`
  const t0 = Date.now()
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited (${child.exitCode}):\n${out}`)
    try {
      if ((await fetch(statsUrl)).ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 10_000) {
      child.kill('SIGKILL')
      throw new Error(`haproxy did not answer in 10 s:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    // SIGUSR1 is HAProxy's soft stop (finish what is in flight); SIGTERM is immediate.
    child.kill('SIGTERM')
    await exited
  }
  const backends = async () => {
    const csv = await (await fetch(`${statsUrl};csv`)).text()
    const [head, ...rows] = csv.split('\n').filter((l) => l.trim())
    const cols = head!.replace(/^# /, '').split(',')
    const at = (name: string) => cols.indexOf(name)
    return rows
      .map((r) => r.split(','))
      .filter((r) => r[at('pxname')] === 'instances' && r[at('svname')] !== 'BACKEND')
      .map((r) => ({
        name: r[at('svname')]!,
        status: r[at('status')]!,
        sessions: Number(r[at('stot')]),
      }))
  }
  return { child, url: `http://${host}:${o.port}`, statsUrl, stop, backends }
}
