// `npm run server -- --port P --data DIR [--demo] [--demo-password PW] [--demo-tickets N]
//                    [--auto-urge-at HH:MM] [--no-auto-urge]`
// With DATABASE_URL set the store is PostgreSQL, else an SQLite file in DIR.
import { parseArgs } from 'node:util'
import { buildServer } from './app'
import { createOpen311Key, seedDemoUsers } from './demo/seed'
import { seedDemoTickets } from './demo/tickets'
import { autoUrgeConfig } from './jobs/config'
import { loadReferenceData } from './reference-files'
import { SchemaError, Store } from './store'

const USAGE = `usage: npm run server -- [--port P] [--host H] [--data DIR] [--demo]
       [--demo-password PW] [--demo-tickets N] [--retain-days D]
       [--auto-urge-at HH:MM] [--no-auto-urge]
  --port 0 picks a free port; DATABASE_URL=postgres://… selects PostgreSQL instead of --data.
  Overdue tickets are urged once a working day from --auto-urge-at (city time, default 09:00,
  env AUTO_URGE_AT); --no-auto-urge or AUTO_URGE=off leaves it to other server processes.`

function options() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8412' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string', default: '.data/server' },
      demo: { type: 'boolean', default: false },
      'demo-password': { type: 'string', default: 'demo' },
      'demo-tickets': { type: 'string', default: '2000' },
      'retain-days': { type: 'string', default: '30' },
      'auto-urge-at': { type: 'string' },
      'no-auto-urge': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  const port = Number(values.port)
  const tickets = Number(values['demo-tickets'])
  let autoUrge: ReturnType<typeof autoUrgeConfig> | null = null
  try {
    autoUrge = autoUrgeConfig(
      { at: values['auto-urge-at'], off: values['no-auto-urge'] },
      process.env,
    )
  } catch (e) {
    console.error((e as Error).message)
  }
  if (
    values.help ||
    !autoUrge ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535 ||
    !(tickets >= 0)
  ) {
    console.error(USAGE)
    process.exit(values.help ? 0 : 2)
  }
  return { ...values, port, tickets: Math.floor(tickets), autoUrge }
}

async function main(): Promise<void> {
  const opts = options()
  const databaseUrl = process.env.DATABASE_URL
  let store: Store
  try {
    store = await Store.open(databaseUrl ? { databaseUrl } : { dataDir: opts.data })
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
      await seedDemoUsers(store, reference, opts['demo-password'])
      const t0 = Date.now()
      const n = await seedDemoTickets(store, reference, { count: opts.tickets })
      console.log(`demo data: ${n} tickets in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    }
    // The key is stored hashed, so a new one is made (and printed) at every demo start.
    console.log(`open311 api key: ${await createOpen311Key(store, 'demo')}`)
  }
  const server = await buildServer({
    store,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    autoUrge: opts.autoUrge,
  })
  // Keep the change log for a while; consoles away for longer start again from a snapshot.
  const retainDays = Number(opts['retain-days'])
  const prune = () =>
    store
      .pruneChangeLog(new Date(Date.now() - retainDays * 86_400_000).toISOString())
      .catch((e: unknown) => server.app.log.warn({ err: e }, 'pruning the change log failed'))
  const pruner = retainDays > 0 ? setInterval(() => void prune(), 3_600_000) : null
  pruner?.unref()
  const url = await server.listen(opts.port, opts.host)
  console.log(`listening on ${url}`)
  const stop = async () => {
    if (pruner) clearInterval(pruner)
    await server.close()
    await store.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e)
  process.exit(1)
})
