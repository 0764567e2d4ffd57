// `npm run server -- [flags]`: the central server as a service. Settings by flag or environment
// (options.ts, `--help`), JSON logs on stdout, and a graceful stop on SIGTERM/SIGINT: no new
// connections, requests in flight (a push of many mutations) answered, live sockets told
// "going away", timers stopped, the database closed, exit 0.
import { buildServer } from './app'
import { renewDemoOpen311Key, seedDemoUsers } from './demo/seed'
import { seedDemoTickets } from './demo/tickets'
import { seedLevelTickets } from './demo/levels'
import { seedDemoKnowledge } from './demo/knowledge'
import { parseServerSettings, USAGE } from './options'
import { loadReferenceData } from './reference-files'
import { SchemaError, Store } from './store'

function options() {
  const parsed = parseServerSettings(process.argv.slice(2), process.env)
  if (parsed.ok) return parsed.settings
  if (parsed.help) {
    console.log(USAGE)
    process.exit(0)
  }
  console.error(`${parsed.error}\n\n${USAGE}`)
  process.exit(2)
}

async function main(): Promise<void> {
  const opts = options()
  const databaseUrl = opts.databaseUrl
  let store: Store
  try {
    store = await Store.open(databaseUrl ? { databaseUrl } : { dataDir: opts.dataDir })
  } catch (e) {
    if (e instanceof SchemaError) {
      console.error(`cannot start: ${e.message}`)
      process.exit(3)
    }
    throw e
  }
  const empty = await store.isEmpty()
  if (!(await store.latestReference())) await store.putReference(await loadReferenceData(), null)
  if (opts.demo) {
    const reference = (await store.latestReference())!.data
    if (empty) {
      await seedDemoUsers(store, reference, opts.demoPassword)
      const t0 = Date.now()
      const n = await seedDemoTickets(store, reference, { count: opts.demoTickets })
      // Issue 16: tickets that went through a district sub-centre, two and three levels down
      // (none with --demo-tickets 0: users and reference data only, as tests count on).
      const levels =
        opts.demoTickets > 0
          ? await seedLevelTickets(store, reference, {
              count: Math.min(400, Math.max(60, Math.round(opts.demoTickets / 50))),
            })
          : 0
      console.log(
        `demo data: ${n + levels} tickets (${levels} through the sub-centres) in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      )
    }
    // The knowledge base is seeded on its own: a demo database from before it gets it too.
    const kb = await seedDemoKnowledge(store, reference)
    if (kb) console.log(`demo data: ${kb} knowledge entries`)
    // The key is stored hashed, so a new one is made (and printed) at every demo start; it
    // replaces the one before.
    console.log(`open311 api key: ${await renewDemoOpen311Key(store)} (replaces earlier demo keys)`)
  }
  const server = await buildServer({
    store,
    logger: { level: opts.logLevel },
    autoUrge: opts.autoUrge,
    metricsToken: opts.metricsToken,
    // The calendar's horizon: logged at start and once a local day (checked hourly).
    calendarWatchEveryMs: 3_600_000,
    trustProxy: opts.trustProxy,
    // The model is rebuilt once a day; the hourly check also builds the first one soon after
    // the start (with --demo, from the demo's tickets).
    triageModelEveryMs: 3_600_000,
  })
  const log = server.app.log
  // Keep the change log for a while; consoles away for longer start again from a snapshot.
  const retainDays = opts.retainDays
  const prune = () =>
    store
      .pruneChangeLog(new Date(Date.now() - retainDays * 86_400_000).toISOString())
      .catch((e: unknown) => log.warn({ err: e }, 'pruning the change log failed'))
  const pruner = retainDays > 0 ? setInterval(() => void prune(), 3_600_000) : null
  pruner?.unref()
  const url = await server.listen(opts.port, opts.host)
  console.log(`listening on ${url}`)
  log.info(
    {
      engine: store.engine,
      ...(databaseUrl ? {} : { dataDir: opts.dataDir }),
      retainDays,
      autoUrge: opts.autoUrge.enabled ? opts.autoUrge.atLocalTime : 'off',
      metricsToken: opts.metricsToken !== null,
    },
    'hotline server started',
  )

  let stopping = false
  const stop = async (signal: NodeJS.Signals) => {
    // A second signal (a terminal's Ctrl-C reaches npm and us both) does not cut the first short.
    if (stopping) return log.info({ signal }, 'already stopping')
    stopping = true
    log.info({ signal }, 'stopping: finishing the requests in flight')
    const deadline = setTimeout(() => {
      log.error({ timeoutMs: opts.shutdownTimeoutMs }, 'stopping took too long; exiting')
      process.exit(1)
    }, opts.shutdownTimeoutMs)
    deadline.unref()
    try {
      if (pruner) clearInterval(pruner)
      await server.close()
      await store.close()
      log.info('stopped')
      process.exit(0)
    } catch (err) {
      log.error({ err }, 'stopping failed')
      process.exit(1)
    }
  }
  process.on('SIGINT', (s) => void stop(s))
  process.on('SIGTERM', (s) => void stop(s))
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e)
  process.exit(1)
})
