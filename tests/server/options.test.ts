// The server's settings: flags win over environment variables, which win over defaults; bad
// values are refused with a reason; `--help` names every variable.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parseServerSettings, USAGE, type ServerSettings } from '../../src/server/options'

const settings = (argv: string[], env: Record<string, string> = {}): ServerSettings => {
  const r = parseServerSettings(argv, env)
  if (!r.ok) throw new Error(r.help ? 'help' : r.error)
  return r.settings
}
const error = (argv: string[], env: Record<string, string> = {}) => {
  const r = parseServerSettings(argv, env)
  return !r.ok && !r.help ? r.error : null
}

describe('server settings', () => {
  it('has defaults for a developer machine', () => {
    expect(settings([])).toMatchObject({
      port: 8412,
      host: '127.0.0.1',
      dataDir: '.data/server',
      databaseUrl: null,
      retainDays: 30,
      logLevel: 'info',
      metricsToken: null,
      shutdownTimeoutMs: 30_000,
      demo: false,
      demoTickets: 2000,
      autoUrge: { enabled: true, atLocalTime: '09:00' },
    })
  })

  it('takes each setting from the environment', () => {
    const env = {
      HOTLINE_PORT: '9000',
      HOTLINE_HOST: '0.0.0.0',
      HOTLINE_SERVER_DATA: '/var/lib/hotline',
      DATABASE_URL: 'postgres://hotline:pw@db/hotline',
      HOTLINE_RETAIN_DAYS: '7',
      LOG_LEVEL: 'warn',
      METRICS_TOKEN: 'scrape-me',
      HOTLINE_SHUTDOWN_TIMEOUT: '5',
      HOTLINE_DEMO: '1',
      HOTLINE_DEMO_PASSWORD: 'pw',
      HOTLINE_DEMO_TICKETS: '10',
      AUTO_URGE_AT: '08:30',
    }
    expect(settings([], env)).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      dataDir: '/var/lib/hotline',
      databaseUrl: 'postgres://hotline:pw@db/hotline',
      retainDays: 7,
      logLevel: 'warn',
      metricsToken: 'scrape-me',
      shutdownTimeoutMs: 5000,
      demo: true,
      demoPassword: 'pw',
      demoTickets: 10,
      autoUrge: { enabled: true, atLocalTime: '08:30' },
    })
    expect(settings([], { AUTO_URGE: 'off' }).autoUrge.enabled).toBe(false)
    // HOTLINE_DATA is the data home `npm start` shares with the console: the server's is inside.
    expect(settings([], { HOTLINE_DATA: '/srv/hotline' }).dataDir).toBe('/srv/hotline/server')
    // A blank line in an EnvironmentFile means "not set".
    expect(settings([], { HOTLINE_PORT: '', METRICS_TOKEN: ' ' })).toMatchObject({
      port: 8412,
      metricsToken: null,
    })
  })

  it('lets flags win over the environment', () => {
    const env = { HOTLINE_PORT: '9000', HOTLINE_HOST: '0.0.0.0', HOTLINE_SERVER_DATA: '/x' }
    const argv = ['--port', '0', '--host', '::1', '--data', '/y', '--log-level', 'debug']
    expect(settings(argv, { ...env, LOG_LEVEL: 'warn' })).toMatchObject({
      port: 0,
      host: '::1',
      dataDir: '/y',
      logLevel: 'debug',
    })
    expect(settings(['--no-auto-urge'], { AUTO_URGE_AT: '10:00' }).autoUrge.enabled).toBe(false)
  })

  it('refuses bad values with a reason', () => {
    expect(error(['--port', '70000'])).toMatch(/port/)
    expect(error([], { HOTLINE_PORT: 'http' })).toMatch(/port/)
    expect(error(['--retain-days', '-1'])).toMatch(/retain-days/)
    expect(error(['--demo-tickets', '1.5'])).toMatch(/demo-tickets/)
    expect(error([], { LOG_LEVEL: 'loud' })).toMatch(/log level/)
    expect(error(['--shutdown-timeout', '0'])).toMatch(/shutdown-timeout/)
    expect(error(['--auto-urge-at', '25:00'])).toMatch(/HH:MM/)
    expect(error(['--what'])).toMatch(/what/)
    expect(parseServerSettings(['--help'], {})).toEqual({ ok: false, help: true })
  })

  it('believes X-Forwarded-For from no one unless told which proxies (issue 12)', () => {
    expect(settings([]).trustProxy).toBe(false)
    expect(settings(['--trust-proxy', '127.0.0.1']).trustProxy).toEqual(['127.0.0.1'])
    expect(settings([], { HOTLINE_TRUST_PROXY: '10.0.0.0/8, ::1,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '::1',
      'loopback',
    ])
    expect(settings([], { HOTLINE_TRUST_PROXY: '1' }).trustProxy).toBe(1)
    expect(settings([], { HOTLINE_TRUST_PROXY: 'off' }).trustProxy).toBe(false)
    // Believing anyone would let a client reaching the server directly pick its own address.
    expect(error(['--trust-proxy', 'true'])).toMatch(/name the proxies/)
    expect(error(['--trust-proxy', '10.0.0.0/33'])).toMatch(/10\.0\.0\.0\/33/)
    expect(error([], { HOTLINE_TRUST_PROXY: 'proxy.example' })).toMatch(/not an address/)
  })

  it('accepts the sample environment file as it ships', () => {
    const env: Record<string, string> = {}
    for (const line of readFileSync('resources/server.env.example', 'utf8').split('\n')) {
      const m = /^([A-Z_]+)=(.*)$/.exec(line)
      if (m) env[m[1]!] = m[2]!
    }
    expect(Object.keys(env).length).toBeGreaterThan(5)
    for (const name of Object.keys(env)) expect(USAGE, name).toContain(name)
    expect(settings([], env)).toMatchObject({ host: '0.0.0.0', dataDir: '/var/lib/hotline' })
  })

  it('prints every variable with --help from the real command, and exits 0', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/server/main.ts', '--help'],
      { env: { ...process.env, DATABASE_URL: '' } },
    )
    expect(stdout.trim()).toBe(USAGE)
    for (const name of [
      'HOTLINE_PORT',
      'HOTLINE_HOST',
      'HOTLINE_SERVER_DATA',
      'HOTLINE_DATA',
      'DATABASE_URL',
      'HOTLINE_RETAIN_DAYS',
      'AUTO_URGE_AT',
      'LOG_LEVEL',
      'METRICS_TOKEN',
      'HOTLINE_SHUTDOWN_TIMEOUT',
    ])
      expect(USAGE).toContain(name)
  })
})
