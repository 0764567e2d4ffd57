// Test harness for the server: the engines to run against (SQLite always, PostgreSQL when it is
// reachable or required), fresh stores per test file, and a started server with demo users.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { buildServer, type HotlineServer, type ServerOptions } from '../../src/server/app'
import { seedDemoUsers, createOpen311Key } from '../../src/server/demo/seed'
import { loadReferenceData } from '../../src/server/reference-files'
import { Store, type ConnectOptions } from '../../src/server/store'
import type { ReferenceData } from '../../src/shared/reference'

/** JSON answers as tests read them: loosely, checked by the assertions themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-side view of arbitrary JSON
export type Json = any

export type EngineName = 'sqlite' | 'postgres'

export const PG_ADMIN_URL = process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
/** A public Open311 read limit no test reaches unless it means to. */
export const UNLIMITED_READS = { capacity: 1_000_000, refillMs: 1 }

/** Cheap scrypt for tests: the real cost is a deliberate second per login. */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 }

let pgReachable: Promise<string | null> | null = null
/** null when PostgreSQL answers, else the reason it does not. */
function pgProblem(): Promise<string | null> {
  pgReachable ??= (async () => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 })
    try {
      await c.connect()
      await c.query('select 1')
      return null
    } catch (e) {
      return (e as Error).message
    } finally {
      await c.end().catch(() => {})
    }
  })()
  return pgReachable
}

/** The engines to test: PostgreSQL is skipped, loudly, when unreachable unless REQUIRE_POSTGRES=1. */
export async function testEngines(): Promise<EngineName[]> {
  const problem = await pgProblem()
  if (!problem) return ['sqlite', 'postgres']
  if (process.env.REQUIRE_POSTGRES === '1')
    throw new Error(`PostgreSQL is required (REQUIRE_POSTGRES=1) but unreachable: ${problem}`)
  console.warn(`skipping PostgreSQL server tests: ${PG_ADMIN_URL} unreachable (${problem})`)
  return ['sqlite']
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}

/** A fresh, empty database for one engine, and how to throw it away. */
export async function scratchDatabase(engine: EngineName): Promise<{
  options: ConnectOptions
  url: string | null
  dir: string | null
  drop(): Promise<void>
}> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-test-'))
    return {
      options: { dataDir: dir },
      url: null,
      dir,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const name = `hotline_test_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`create database ${name}`))
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`)
  return {
    options: { databaseUrl: url, poolSize: 12 },
    url,
    dir: null,
    drop: () =>
      admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {}),
  }
}

let referenceCache: Promise<ReferenceData> | null = null
export const reference = () => (referenceCache ??= loadReferenceData())

export interface TestServer {
  engine: EngineName
  server: HotlineServer
  store: Store
  url: string
  /** The scratch PostgreSQL database's URL (null on SQLite). */
  databaseUrl: string | null
  open311Key: string
  login(username: string, password?: string): Promise<string>
  api(
    method: string,
    path: string,
    token?: string | null,
    body?: unknown,
  ): Promise<{ status: number; body: Json }>
  close(): Promise<void>
}

/** A listening server over a scratch database, with the demo users (password `demo`). */
export async function startTestServer(
  engine: EngineName,
  extra: Partial<ServerOptions> = {},
): Promise<TestServer> {
  const db = await scratchDatabase(engine)
  const store = await Store.open(db.options)
  const ref = await reference()
  await store.putReference(ref, null)
  await seedDemoUsers(store, ref, 'demo', TEST_SCRYPT)
  const open311Key = await createOpen311Key(store, 'test')
  const server = await buildServer({
    store,
    scrypt: TEST_SCRYPT,
    // Tests read Open311 far faster than a public reader may; the limit has its own tests.
    open311ReadLimit: UNLIMITED_READS,
    ...extra,
  })
  const url = await server.listen(0)
  const api: TestServer['api'] = async (method, path, token, body) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // not JSON: leave the text
    }
    return { status: res.status, body: parsed }
  }
  return {
    engine,
    server,
    store,
    url,
    databaseUrl: db.url,
    open311Key,
    api,
    async login(username, password = 'demo') {
      const r = await api('POST', '/api/v1/auth/login', null, { username, password })
      if (r.status !== 200)
        throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body.token as string
    },
    async close() {
      await server.close()
      await store.close()
      await db.drop()
    },
  }
}
