// GET /metrics in Prometheus text format (prom-client, one registry per server so tests can run
// several in a process). Read by admins with a session token, or by a scraper with the static
// METRICS_TOKEN (sessions expire; a scraper cannot log in). Never public.
//
// Change-log lag: the latest committed seq minus the lowest cursor reached by any console that
// pulled in the last CONSOLE_WINDOW_MS. A connected console pulls on every poke and at least
// every 30 s, so a console missing from that window has gone; one that stays in it with a
// growing lag is not keeping up (slow pulls, a stuck poke, a page it cannot apply).
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { CalendarHorizon } from '../shared/calendar-horizon'
import { route, type RouteSpec } from './http/route'

/** How long a console counts as present after its last pull: 3 × the 30 s fallback pull. */
export const CONSOLE_WINDOW_MS = 90_000
/** Cursor entries kept at most (a bound on memory should clients make up ids). */
const MAX_CONSOLES = 20_000
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

export type MutationOutcome = 'applied' | 'rejected' | 'repeated'

export interface MetricsSources {
  /** Live WebSocket connections that passed authentication. */
  connections(): number
  /** The newest committed change-log seq. */
  latestSeq(): Promise<number>
  /** How far the working calendar's official years reach (issue 19). */
  calendar?(): Promise<Pick<CalendarHorizon, 'daysLeft' | 'coveredUntil'>>
  /** Password hashes of logins running, waiting, and the most ever running at once. */
  loginHashes?(): { running: number; waiting: number; peak: number }
  now?: () => number
}

const PUSH_URL = '/api/v1/sync/push'
const PULL_URL = '/api/v1/sync/pull'

export class ServerMetrics {
  readonly registry = new Registry()
  private readonly requests: Counter<'method' | 'route' | 'status'>
  private readonly push: Histogram<'status'>
  private readonly pull: Histogram<'status'>
  private readonly mutations: Counter<'outcome'>
  private readonly bytes: Counter<'route' | 'stage'>
  private readonly pages: Counter<'source'>
  private readonly groups: Counter<'path'>
  private readonly cursors = new Map<string, { cursor: number; at: number }>()
  private readonly now: () => number

  constructor(sources: MetricsSources, options: { processMetrics?: boolean } = {}) {
    this.now = sources.now ?? Date.now
    const registers = [this.registry]
    this.requests = new Counter({
      name: 'hotline_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    })
    this.push = new Histogram({
      name: 'hotline_sync_push_duration_seconds',
      help: 'Time to answer POST /api/v1/sync/push (all mutations of the batch applied)',
      labelNames: ['status'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.pull = new Histogram({
      name: 'hotline_sync_pull_duration_seconds',
      help: 'Time to answer GET /api/v1/sync/pull (one page)',
      labelNames: ['status'],
      buckets: LATENCY_BUCKETS,
      registers,
    })
    this.mutations = new Counter({
      name: 'hotline_sync_mutations_total',
      help: 'Pushed mutations: applied, rejected by the rules (or a server error), or repeated',
      labelNames: ['outcome'],
      registers,
    })
    for (const outcome of ['applied', 'rejected', 'repeated']) this.mutations.inc({ outcome }, 0)
    this.pages = new Counter({
      name: 'hotline_sync_pull_pages_total',
      help: 'Pull answers: served from a page shared by the consoles pulling the same range (source="shared"), read for it (source="read"), or read for one console with results of its own (source="own")',
      labelNames: ['source'],
      registers,
    })
    for (const source of ['shared', 'read', 'own']) this.pages.inc({ source }, 0)
    this.groups = new Counter({
      name: 'hotline_sync_push_groups_total',
      help: 'Groups of pushed mutations (up to 50) by how they were applied: the fast way, in a batch that may share its transaction with other pushes (path="fast"), or the slow way, a savepoint a mutation, after the batch failed (path="slow"); many slow ones mean the fast path keeps failing',
      labelNames: ['path'],
      registers,
    })
    for (const path of ['fast', 'slow']) this.groups.inc({ path }, 0)
    this.bytes = new Counter({
      name: 'hotline_http_response_bytes_total',
      help: 'Bytes of answers by route pattern: as serialized (stage="raw") and as sent on the wire after compression (stage="sent")',
      labelNames: ['route', 'stage'],
      registers,
    })
    new Gauge({
      name: 'hotline_live_connections',
      help: 'Consoles connected to /api/v1/live (authenticated WebSockets)',
      registers,
      collect() {
        this.set(sources.connections())
      },
    })
    // One store read per scrape for the three gauges below, whichever is collected first.
    let reading: Promise<{ seq: number; oldest: number | null; consoles: number }> | null = null
    const read = () =>
      (reading ??= sources
        .latestSeq()
        .then((seq) => ({ seq, oldest: this.oldestCursor(), consoles: this.cursors.size }))
        .finally(() => setImmediate(() => (reading = null))))
    new Gauge({
      name: 'hotline_changelog_latest_seq',
      help: 'The newest committed change-log sequence number',
      registers,
      async collect() {
        this.set((await read()).seq)
      },
    })
    new Gauge({
      name: 'hotline_changelog_lag',
      help: `Latest seq minus the lowest cursor of the consoles that pulled in the last ${CONSOLE_WINDOW_MS / 1000} s`,
      registers,
      async collect() {
        const r = await read()
        this.set(r.oldest === null ? 0 : Math.max(0, r.seq - r.oldest))
      },
    })
    new Gauge({
      name: 'hotline_sync_active_consoles',
      help: `Consoles that pulled in the last ${CONSOLE_WINDOW_MS / 1000} s`,
      registers,
      async collect() {
        this.set((await read()).consoles)
      },
    })
    const calendar = sources.calendar
    if (calendar) {
      new Gauge({
        name: 'hotline_calendar_days_left',
        help: "Days from today to the last day of the working calendar's official years (negative once past; the deadlines after it are provisional)",
        registers,
        async collect() {
          this.set((await calendar()).daysLeft ?? -1)
        },
      })
      new Gauge({
        name: 'hotline_calendar_covered_until_year',
        help: "The last year of the working calendar's official years (holidays from the State Council notice)",
        registers,
        async collect() {
          const until = (await calendar()).coveredUntil
          this.set(until ? Number(until.slice(0, 4)) : 0)
        },
      })
    }
    const hashes = sources.loginHashes
    if (hashes) {
      const gauge = (name: string, help: string, pick: 'running' | 'waiting' | 'peak') =>
        new Gauge({
          name,
          help,
          registers,
          collect() {
            this.set(hashes()[pick])
          },
        })
      gauge('hotline_login_hashes_running', 'Password hashes of logins running now', 'running')
      gauge('hotline_login_hashes_waiting', 'Logins waiting for a password hash slot', 'waiting')
      gauge(
        'hotline_login_hashes_peak',
        'The most password hashes ever running at once since the server started',
        'peak',
      )
    }
    if (options.processMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 })
  }

  /** Where a pull answer came from (sync/shared-pages.ts). */
  pullPage(source: 'shared' | 'read' | 'own'): void {
    this.pages.inc({ source })
  }

  /** How a group of pushed mutations was applied (sync/push.ts). */
  pushGroup(path: 'fast' | 'slow'): void {
    this.groups.inc({ path })
  }

  /** An answer's size before and after compression (http/compress.ts). */
  answered(route: string, rawBytes: number, sentBytes: number): void {
    this.bytes.inc({ route, stage: 'raw' }, rawBytes)
    this.bytes.inc({ route, stage: 'sent' }, sentBytes)
  }

  /** A pushed mutation's outcome (sync/push.ts). */
  mutation(outcome: MutationOutcome): void {
    this.mutations.inc({ outcome })
  }

  /** A console's cursor after a pull page (routes-sync.ts). */
  pulled(consoleKey: string, cursor: number): void {
    this.cursors.delete(consoleKey) // re-insert: the map stays in order of last pull
    this.cursors.set(consoleKey, { cursor, at: this.now() })
    if (this.cursors.size > MAX_CONSOLES) {
      const first = this.cursors.keys().next()
      if (!first.done) this.cursors.delete(first.value)
    }
  }

  private oldestCursor(): number | null {
    const since = this.now() - CONSOLE_WINDOW_MS
    let oldest: number | null = null
    for (const [key, c] of this.cursors) {
      if (c.at < since) this.cursors.delete(key)
      else if (oldest === null || c.cursor < oldest) oldest = c.cursor
    }
    return oldest
  }

  /** Counts every answered request; push and pull also by latency. */
  install(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const url = request.routeOptions.url ?? 'unmatched'
      const status = String(reply.statusCode)
      this.requests.inc({ method: request.method, route: url, status })
      const seconds = reply.elapsedTime / 1000
      if (url === PUSH_URL) this.push.observe({ status }, seconds)
      else if (url === PULL_URL) this.pull.observe({ status }, seconds)
    })
  }

  /** The route: admins, or whoever holds METRICS_TOKEN (when set). */
  route(metricsToken: string | null): RouteSpec {
    const expected = metricsToken ? digest(metricsToken) : null
    return route({
      method: 'GET',
      url: '/metrics',
      roles: ['admin'],
      allow: (request: FastifyRequest) => {
        if (!expected) return false
        const m = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')
        return m !== null && timingSafeEqual(digest(m[1]!), expected)
      },
      handler: async ({ reply }) => {
        void reply.type(this.registry.contentType)
        return this.registry.metrics()
      },
    })
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest()
