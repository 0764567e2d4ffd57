// The server as a function: tests start it in-process, main.ts from the command line.
import websocket from '@fastify/websocket'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { ServerContext, type ContextOptions } from './context'
import { compressAnswers } from './http/compress'
import { installErrorHandlers, routingError } from './http/errors'
import { dropNulCharacters } from './http/nul'
import { registerRoutes, type RouteSpec } from './http/route'
import type { CalendarHorizon } from '../shared/calendar-horizon'
import { AutoUrgeJob, type AutoUrgeResult } from './jobs/auto-urge'
import { CalendarWatch } from './jobs/calendar-watch'
import { DEFAULT_AUTO_URGE, type AutoUrgeConfig } from './jobs/config'
import { startTicker, type Ticker } from './jobs/ticker'
import { LiveHub } from './live'
import { ServerMetrics } from './metrics'
import type { TrustProxy } from './options'
import { OPEN311_PREFIX, open311Routes } from './open311/routes'
import { caseRoutes } from './cases/routes'
import { knowledgeRoutes } from './knowledge/routes'
import { adminRoutes } from './routes-admin'
import { calendarRoutes } from './routes-calendar'
import { seatRoutes } from './routes-seats'
import { scoringRoutes } from './routes-scoring'
import { authRoutes } from './routes-auth'
import { searchRoutes } from './routes-search'
import { syncRoutes } from './routes-sync'
import { triageRoutes } from './routes-triage'
import { TriageModelJob, type TriageModelOptions } from './triage/model-job'
import type { Store } from './store'

export interface ServerOptions extends ContextOptions {
  store: Store
  /** pino options, or false for silence (tests). */
  logger?: FastifyServerOptions['logger']
  /**
   * Automatic urging (jobs/auto-urge.ts). Its timer runs only when `enabled` is given: main.ts
   * turns it on by default; tests call `runAutoUrge` with their own clock instead.
   */
  autoUrge?: Partial<AutoUrgeConfig>
  /**
   * The daily check of the working calendar's horizon (jobs/calendar-watch.ts), on a timer of
   * this period when given: main.ts turns it on; tests call `checkCalendar` with their clock.
   */
  calendarWatchEveryMs?: number
  /**
   * How often the triage model's age is checked (it is rebuilt once a day); off when unset, as
   * in tests, which rebuild it through the admin route.
   */
  triageModelEveryMs?: number
  triageModel?: TriageModelOptions
  /** A static bearer token that may read GET /metrics besides admins (env METRICS_TOKEN). */
  metricsToken?: string | null
  /** Node's process metrics (memory, CPU, event loop) in /metrics; default on. */
  processMetrics?: boolean
  /** Whose X-Forwarded-For to believe (options.ts `--trust-proxy`); default nobody's. */
  trustProxy?: TrustProxy
}

export interface HotlineServer {
  app: FastifyInstance
  ctx: ServerContext
  /** Every API route with the roles it allows (for the role-matrix test). */
  routes: readonly RouteSpec[]
  live: LiveHub
  metrics: ServerMetrics
  /** The day's automatic urging, if due at `nowMs` (default: the context's clock) and not done. */
  runAutoUrge(nowMs?: number): Promise<AutoUrgeResult>
  /** The day's calendar check (log line, catch-up recount); null when done today already. */
  checkCalendar(nowMs?: number): Promise<CalendarHorizon | null>
  /** Starts listening; resolves to `http://host:port`. */
  listen(port: number, host?: string): Promise<string>
  close(): Promise<void>
}

export async function buildServer(options: ServerOptions): Promise<HotlineServer> {
  const { store } = options
  const app = Fastify({
    logger: withoutClientIds(options.logger ?? false),
    bodyLimit: 2 * 1024 * 1024,
    // Requests go to routes by exact path; `/api/v1/x/` is not `/api/v1/x`.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
    frameworkErrors: routingError,
    // request.ip — what login and Open311 read limits count by — is the socket's address unless
    // the operator named the reverse proxies whose X-Forwarded-For may be believed.
    trustProxy: fastifyTrust(options.trustProxy ?? false),
  })
  const ctx = new ServerContext(store, options)
  ctx.log = app.log
  const calendarWatch = new CalendarWatch(ctx)
  const live = new LiveHub(ctx)
  ctx.sessionsEnded = (userId) =>
    void live.recheck({ userId }).catch((err) => ctx.log?.warn({ err }, 'live recheck failed'))
  const metrics = new ServerMetrics(
    {
      connections: () => live.connections,
      latestSeq: () => store.latestSeq(),
      calendar: () => calendarWatch.horizon(),
      loginHashes: () => ctx.hashes.stats,
    },
    { processMetrics: options.processMetrics },
  )
  ctx.metrics = metrics
  metrics.install(app)
  installErrorHandlers(app)
  dropNulCharacters(app)
  compressAnswers(app, (route, raw, sent) => metrics.answered(route, raw, sent))
  // Open311 clients post forms (GeoReport v2); everyone else sends JSON.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  )

  const triageModel = new TriageModelJob(ctx, options.triageModel)
  const routes: RouteSpec[] = [
    ...authRoutes(ctx),
    ...syncRoutes(ctx, live.pages),
    ...searchRoutes(ctx),
    ...adminRoutes(ctx),
    ...calendarRoutes(ctx),
    ...seatRoutes(ctx),
    ...scoringRoutes(ctx),
    ...caseRoutes(ctx),
    ...knowledgeRoutes(ctx),
    ...triageRoutes(ctx, triageModel),
    metrics.route(options.metricsToken ?? null),
  ]
  app.get('/healthz', async () => {
    // Up is up: a calendar running out is a warning for people, not a reason to restart.
    const h = await calendarWatch.horizon()
    return {
      ok: true,
      engine: store.engine,
      schemaVersion: store.schemaVersion,
      calendar: { coveredUntil: h.coveredUntil, daysLeft: h.daysLeft, state: h.state },
    }
  })
  registerRoutes(app, store, routes, ctx.now)
  await app.register(open311Routes(ctx), { prefix: OPEN311_PREFIX })

  await app.register(websocket, {
    options: { maxPayload: 64 * 1024 },
    // A client's protocol violation (a frame too big, a broken frame) is the client's doing:
    // logged at info, so a hostile client cannot fill the error log; anything else is ours.
    errorHandler(err, socket, request) {
      const code = (err as { code?: unknown }).code
      if (typeof code === 'string' && code.startsWith('WS_ERR_'))
        request.log.info({ code, message: err.message }, 'websocket client error')
      else request.log.error(err)
      socket.terminate()
    },
    // On close, every socket (authenticated or not) hears "going away": consoles reconnect.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(1001, 'server stopping')
      this.websocketServer.close()
      done()
    },
  })
  await app.register(async (scope) => live.register(scope))
  await live.start()

  const autoUrge = new AutoUrgeJob(ctx, {
    ...DEFAULT_AUTO_URGE,
    enabled: false,
    ...options.autoUrge,
  })
  const ticker: Ticker | null = autoUrge.config.enabled
    ? startTicker(
        autoUrge.config.checkEveryMs,
        () => autoUrge.run(),
        (err) => app.log.error({ err, job: 'auto-urge' }, 'automatic urging failed'),
      )
    : null

  const calendarTicker: Ticker | null = options.calendarWatchEveryMs
    ? startTicker(
        options.calendarWatchEveryMs,
        () => calendarWatch.check(),
        (err) => app.log.error({ err, job: 'calendar-watch' }, 'calendar check failed'),
      )
    : null

  const triageTicker: Ticker | null = options.triageModelEveryMs
    ? startTicker(
        options.triageModelEveryMs,
        () => triageModel.run(),
        (err) => app.log.error({ err, job: 'triage-model' }, 'triage model build failed'),
      )
    : null

  let closed = false
  // An answer finished while stopping closes its connection: a kept-alive one would hold the
  // server open until its idle timeout.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (closed) void reply.header('connection', 'close')
    return payload
  })
  return {
    app,
    ctx,
    routes,
    live,
    metrics,
    runAutoUrge: (nowMs) => autoUrge.run(nowMs),
    checkCalendar: (nowMs) => calendarWatch.check(nowMs),
    async listen(port, host = '127.0.0.1') {
      await app.listen({ port, host })
      const addr = app.server.address()
      const actual = typeof addr === 'object' && addr ? addr.port : port
      const shownHost = host.includes(':') ? `[${host}]` : host
      return `http://${shownHost}:${actual}`
    },
    async close() {
      if (closed) return
      closed = true
      // Stop accepting first; fastify waits for the requests in flight (a long push) to answer.
      const closing = app.close()
      await ticker?.stop()
      await calendarTicker?.stop()
      await triageTicker?.stop()
      await live.stop()
      await closing
    },
  }
}

/** A hop count as the function proxy-addr makes of one (fastify's types take no number). */
const fastifyTrust = (t: TrustProxy) =>
  typeof t === 'number' ? (_address: string, hop: number) => hop < t : t

/**
 * Request logs record URLs; an older console names itself in its pull's query (`clientId=`),
 * which would let anyone who reads the logs file requests under that console (issue 12). The
 * logged URL leaves the value out.
 */
function withoutClientIds(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger || typeof logger !== 'object') return logger
  return {
    ...logger,
    serializers: {
      req: (req: {
        method: string
        url: string
        ip?: string
        socket?: { remotePort?: number }
      }) => ({
        method: req.method,
        url: req.url.replace(/([?&]clientId=)[^&#]*/gi, '$1…'),
        remoteAddress: req.ip,
        remotePort: req.socket?.remotePort,
      }),
      ...logger.serializers,
    },
  }
}
