// The server the fuzz tests attack: in process, over a scratch database, with the demo users and
// a few tickets, plus what the tests need to judge the outcome: every route it answers (read from
// fastify's own route table, so a new route is fuzzed without touching the tests), tokens for
// each role, and a fingerprint of every table read over a second connection ("no data changed").
import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { buildServer, type HotlineServer, type ServerOptions } from '../../src/server/app'
import { createOpen311Key, seedDemoUsers } from '../../src/server/demo/seed'
import type { RouteSpec } from '../../src/server/http/route'
import { Store } from '../../src/server/store'
import { connect } from '../../src/server/store/db'
import {
  reference,
  scratchDatabase,
  TEST_SCRYPT,
  UNLIMITED_READS,
  type EngineName,
  type Json,
} from '../server/helpers'
import { createArgs, mutation } from '../server/tickets'

export const LOGINS = {
  agent: 'agent1',
  dispatcher: 'dispatcher1',
  supervisor: 'supervisor1',
  unit: 'unit-CITY-UM',
  admin: 'admin1',
} as const
export type RoleName = keyof typeof LOGINS

export interface Endpoint {
  method: string
  /** The pattern as fastify holds it: `/api/v1/cases/:id`. */
  url: string
  /** The declared route (roles, zod schemas) when it is one of `server.routes`. */
  spec: RouteSpec | null
}

export interface FuzzServer {
  engine: EngineName
  server: HotlineServer
  url: string
  open311Key: string
  tokens: Record<RoleName, string>
  /** A ticket id that exists (created and dispatched to CITY-UM at start). */
  ticketId: string
  endpoints: Endpoint[]
  api(method: string, path: string, token?: string | null, body?: unknown): Promise<Reply>
  /** Per table: row count and a hash of all rows. */
  fingerprint(): Promise<Record<string, { rows: number; hash: string }>>
  /** Errors the server logged since the last call (an unexpected failure answered as a 4xx). */
  takeErrors(): string[]
  /** Every row of one table as JSON text. */
  rows(table: string): Promise<string[]>
  close(): Promise<void>
}

export interface Reply {
  status: number
  type: string
  text: string
  body: Json
}

export async function readReply(res: Response): Promise<Reply> {
  const text = await res.text()
  let body: Json = undefined
  try {
    body = JSON.parse(text)
  } catch {
    // not JSON
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, body }
}

/**
 * `app.printRoutes({commonPrefix: false})` as (method, url) pairs: one line per path node, four
 * characters of tree per level, the methods in brackets.
 */
export function routeTable(server: HotlineServer): Endpoint[] {
  const declared = new Map(server.routes.map((r) => [`${r.method} ${r.url}`, r]))
  const out: Endpoint[] = []
  const stack: string[] = []
  for (const line of server.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ├└─]*)(\S.*?) \(([A-Z, -]+)\)$/u.exec(line)
    if (!m) continue
    const depth = [...m[1]!].length / 4 - 1
    stack.length = depth
    const url = (stack[depth - 1] ?? '') + m[2]!
    stack.push(url)
    for (const method of m[3]!.split(', '))
      if (method !== 'HEAD' && method !== '-')
        out.push({ method, url, spec: declared.get(`${method} ${url}`) ?? null })
  }
  return out
}

export async function startFuzzServer(
  engine: EngineName,
  extra: Partial<ServerOptions> = {},
): Promise<FuzzServer> {
  const db = await scratchDatabase(engine)
  const store = await Store.open(db.options)
  const ref = await reference()
  await store.putReference(ref, null)
  await seedDemoUsers(store, ref, 'demo', TEST_SCRYPT)
  const open311Key = await createOpen311Key(store, 'fuzz')
  // The server's own error log: Open311 answers even a crash with its spec's 400, so a bug
  // there shows only here.
  const errors: string[] = []
  const stream = {
    write(line: string) {
      const entry = JSON.parse(line) as { level: number; msg: string; err?: { message?: string } }
      if (entry.level >= 50) errors.push(`${entry.msg}: ${entry.err?.message ?? ''}`)
    },
  }
  const server = await buildServer({
    store,
    scrypt: TEST_SCRYPT,
    logger: { level: 'error', stream },
    // Thousands of Open311 reads a minute from one address: past the public limit, which has
    // its own tests; here every read must reach the routes.
    open311ReadLimit: UNLIMITED_READS,
    ...extra,
  })
  const url = await server.listen(0)
  const reader = connect(db.options)

  const api: FuzzServer['api'] = async (method, path, token, body) =>
    readReply(
      await fetch(url + path, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    )
  const tokens = {} as Record<RoleName, string>
  for (const [role, username] of Object.entries(LOGINS)) {
    const r = await api('POST', '/api/v1/auth/login', null, { username, password: 'demo' })
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${r.text}`)
    tokens[role as RoleName] = r.body.token
  }
  // Some data to protect: tickets with timelines, a stored mutation result.
  const a = createArgs()
  const b = createArgs()
  const seeded = await api('POST', '/api/v1/sync/push', tokens.dispatcher, {
    clientId: 'fuzz-seed',
    mutations: [
      mutation(1, 'ticket.create', a),
      mutation(2, 'ticket.create', b),
      mutation(3, 'ticket.dispatch', { ticketId: a.ticket.id, unit: 'CITY-UM' }),
      mutation(4, 'ticket.note', { ticketId: b.ticket.id, text: '种子备注' }),
    ],
  })
  if (seeded.status !== 200) throw new Error(`seed push: ${seeded.status} ${seeded.text}`)

  const tables = async (): Promise<string[]> => {
    const q =
      engine === 'sqlite'
        ? sql<{ name: string }>`select name from sqlite_master where type = 'table'`
        : sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`
    return (await q.execute(reader.db)).rows.map((r) => r.name).sort()
  }
  const rows = async (table: string): Promise<string[]> => {
    const r = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
      reader.db,
    )
    return r.rows.map((row) => JSON.stringify(row)).sort()
  }
  return {
    engine,
    server,
    url,
    open311Key,
    tokens,
    ticketId: a.ticket.id,
    endpoints: routeTable(server),
    api,
    rows,
    takeErrors: () => errors.splice(0),
    async fingerprint() {
      const out: Record<string, { rows: number; hash: string }> = {}
      for (const t of await tables()) {
        const all = await rows(t)
        out[t] = {
          rows: all.length,
          hash: createHash('sha256').update(all.join('\n')).digest('hex'),
        }
      }
      return out
    },
    async close() {
      await server.close()
      await reader.close()
      await store.close()
      await db.drop()
    },
  }
}
