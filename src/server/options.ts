// The server's settings: each from its command-line flag, else its environment variable, else a
// default (flags win, so one unit file or image can be overridden for a single run). Secrets —
// DATABASE_URL with its password, METRICS_TOKEN — come from the environment only: flags show in
// `ps` for every user of the machine.
import { isIP } from 'node:net'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { autoUrgeConfig, type AutoUrgeConfig } from './jobs/config'

export const USAGE = `usage: npm run server -- [flags]       (every flag falls back to the variable beside it)

  --port P              HOTLINE_PORT          port to listen on (8412; 0 picks a free one)
  --host H              HOTLINE_HOST          address to listen on (127.0.0.1; 0.0.0.0 for all)
  --data DIR            HOTLINE_SERVER_DATA   folder of the SQLite database (else
                                              $HOTLINE_DATA/server, else .data/server)
                        DATABASE_URL          postgres://user:pass@host/db: PostgreSQL instead
                                              of SQLite (environment only: it holds a password)
                        PG_POOL_SIZE          PostgreSQL connections per process (32)
  --retain-days D       HOTLINE_RETAIN_DAYS   days of change log kept for offline consoles (30;
                                              0 keeps it all); older consoles resync
  --auto-urge-at HH:MM  AUTO_URGE_AT          daily automatic urging from this city time (09:00)
  --no-auto-urge        AUTO_URGE=off         leave automatic urging to other server processes
  --trust-proxy P       HOTLINE_TRUST_PROXY   believe X-Forwarded-For from these reverse proxies
                                              only: addresses or CIDRs, comma-separated
                                              (127.0.0.1,10.0.0.0/8), or a number of proxy hops;
                                              off (the default) believes no one. Login limits
                                              and public Open311 read limits go by the address
                                              this gives
  --log-level L         LOG_LEVEL             fatal|error|warn|info|debug|trace|silent (info);
                                              JSON lines on stdout
                        METRICS_TOKEN         bearer token a Prometheus scraper sends to
                                              GET /metrics (admins' session tokens work too)
  --shutdown-timeout S  HOTLINE_SHUTDOWN_TIMEOUT  seconds a SIGTERM waits for requests in flight
                                              before giving up with exit 1 (30)
  --demo                HOTLINE_DEMO=1        demo users (and tickets, into an empty store)
  --demo-password PW    HOTLINE_DEMO_PASSWORD password of the demo users (demo)
  --demo-tickets N      HOTLINE_DEMO_TICKETS  demo tickets made (2000)
  --help                                      this text`

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/**
 * Whose X-Forwarded-For the server believes: nobody (false), the proxies at these addresses or
 * CIDRs, or the nearest N hops. Fastify's `trustProxy`.
 */
export type TrustProxy = false | number | string[]

/** Named ranges proxy-addr knows besides addresses and CIDRs. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal'])

/**
 * `--trust-proxy`: `off`, a hop count, or addresses/CIDRs. `true` (believe anyone) is refused: a
 * client reaching the server directly could then claim any address and escape every limit.
 */
export function parseTrustProxy(raw: string): TrustProxy {
  const v = raw.trim().toLowerCase()
  if (v === '' || v === 'off' || v === 'false' || v === 'no' || v === '0') return false
  if (/^\d+$/.test(v)) return Number(v)
  if (v === 'true' || v === 'on' || v === 'yes' || v === 'all')
    throw new Error(
      '--trust-proxy true would believe any client: name the proxies (addresses or CIDRs) or a hop count',
    )
  const list = v.split(',').map((x) => x.trim())
  for (const entry of list) {
    const [addr, bits, extra] = entry.split('/')
    const family = isIP(addr ?? '')
    const okBits =
      bits === undefined ||
      (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32) && extra === undefined)
    if (!PROXY_RANGES.has(entry) && (family === 0 || !okBits))
      throw new Error(`--trust-proxy: ${entry} is not an address, a CIDR or a hop count`)
  }
  return list
}

export interface ServerSettings {
  port: number
  host: string
  trustProxy: TrustProxy
  /** The SQLite folder (unused when `databaseUrl` is set). */
  dataDir: string
  databaseUrl: string | null
  retainDays: number
  autoUrge: AutoUrgeConfig
  logLevel: LogLevel
  metricsToken: string | null
  shutdownTimeoutMs: number
  demo: boolean
  demoPassword: string
  demoTickets: number
}

export type ParsedSettings =
  | { ok: true; settings: ServerSettings }
  | { ok: false; help: true }
  | { ok: false; help: false; error: string }

type Env = Record<string, string | undefined>

const TRUE = new Set(['1', 'true', 'yes', 'on'])
/** An environment value, blank counting as unset (an EnvironmentFile line `X=` means "not set"). */
const envValue = (env: Env, name: string) => {
  const v = env[name]?.trim()
  return v ? v : undefined
}

/** The SQLite folder: --data, else HOTLINE_SERVER_DATA, else $HOTLINE_DATA/server, else .data/server. */
export function serverDataDir(flag: string | undefined, env: Env): string {
  const home = envValue(env, 'HOTLINE_DATA')
  return (
    flag ?? envValue(env, 'HOTLINE_SERVER_DATA') ?? (home ? join(home, 'server') : '.data/server')
  )
}

export function parseServerSettings(argv: string[], env: Env): ParsedSettings {
  let values
  try {
    values = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        demo: { type: 'boolean' },
        'demo-password': { type: 'string' },
        'demo-tickets': { type: 'string' },
        'retain-days': { type: 'string' },
        'auto-urge-at': { type: 'string' },
        'no-auto-urge': { type: 'boolean' },
        'log-level': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'shutdown-timeout': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values
  } catch (e) {
    return { ok: false, help: false, error: (e as Error).message }
  }
  if (values.help) return { ok: false, help: true }
  const pick = (flag: string | undefined, name: string, fallback: string) =>
    flag ?? envValue(env, name) ?? fallback
  const fail = (error: string): ParsedSettings => ({ ok: false, help: false, error })

  const port = Number(pick(values.port, 'HOTLINE_PORT', '8412'))
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return fail('the port must be a whole number from 0 to 65535')
  const retainDays = Number(pick(values['retain-days'], 'HOTLINE_RETAIN_DAYS', '30'))
  if (!Number.isFinite(retainDays) || retainDays < 0)
    return fail('--retain-days must be a number of days, 0 or more')
  const demoTickets = Number(pick(values['demo-tickets'], 'HOTLINE_DEMO_TICKETS', '2000'))
  if (!Number.isInteger(demoTickets) || demoTickets < 0)
    return fail('--demo-tickets must be a whole number, 0 or more')
  const timeout = Number(pick(values['shutdown-timeout'], 'HOTLINE_SHUTDOWN_TIMEOUT', '30'))
  if (!Number.isFinite(timeout) || timeout <= 0)
    return fail('--shutdown-timeout must be a number of seconds above 0')
  const logLevel = pick(values['log-level'], 'LOG_LEVEL', 'info') as LogLevel
  if (!LOG_LEVELS.includes(logLevel)) return fail(`the log level must be one of ${LOG_LEVELS}`)
  let autoUrge: AutoUrgeConfig
  try {
    autoUrge = autoUrgeConfig({ at: values['auto-urge-at'], off: values['no-auto-urge'] }, env)
  } catch (e) {
    return fail((e as Error).message)
  }
  let trustProxy: TrustProxy
  try {
    trustProxy = parseTrustProxy(pick(values['trust-proxy'], 'HOTLINE_TRUST_PROXY', 'off'))
  } catch (e) {
    return fail((e as Error).message)
  }
  const dataDir = serverDataDir(values.data, env)
  const demoEnv = envValue(env, 'HOTLINE_DEMO')
  return {
    ok: true,
    settings: {
      port,
      host: pick(values.host, 'HOTLINE_HOST', '127.0.0.1'),
      trustProxy,
      dataDir,
      databaseUrl: envValue(env, 'DATABASE_URL') ?? null,
      retainDays,
      autoUrge,
      logLevel,
      metricsToken: envValue(env, 'METRICS_TOKEN') ?? null,
      shutdownTimeoutMs: timeout * 1000,
      demo: values.demo ?? (demoEnv !== undefined && TRUE.has(demoEnv.toLowerCase())),
      demoPassword: pick(values['demo-password'], 'HOTLINE_DEMO_PASSWORD', 'demo'),
      demoTickets,
    },
  }
}
