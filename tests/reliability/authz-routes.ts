// The expected authorization table for authz-matrix.test.ts, written out by hand, and the list of
// routes the server really has (read from fastify itself, so a route added anywhere — a RouteSpec,
// Open311, a plain app.get — fails the matrix until it gets a row here).
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import type { Role } from '../../src/shared/ticket'

/** Who calls: no token, a made-up token, a logged-out (revoked) token, or a logged-in role. */
export const CALLERS = [
  'none',
  'bad',
  'revoked',
  'agent',
  'dispatcher',
  'supervisor',
  'unit',
  'admin',
] as const
export type Caller = (typeof CALLERS)[number]

const ALL: readonly Role[] = ['agent', 'dispatcher', 'supervisor', 'unit', 'admin']
const ADMIN: readonly Role[] = ['admin']
const SUPERVISOR: readonly Role[] = ['supervisor']
const KB_EDITORS: readonly Role[] = ['supervisor', 'admin']

export interface Row {
  /**
   * Who may call: roles (401 without a valid session, 403 for another role); 'public' (anyone,
   * token or not); 'apiKey' (Open311 posting: 403 without a valid api_key, whatever the token);
   * 'socket' (the live WebSocket, checked by its own test).
   */
  allow: readonly Role[] | 'public' | 'apiKey' | 'socket'
  /** The statuses an admitted caller gets for `path` and `body` (the sample request). */
  ok: readonly number[]
  path?: string
  body?: unknown
  form?: Record<string, string>
}

/** Values the sample requests need (a published request's number, a service code). */
export interface Samples {
  number: string
  service: string
  year: number
}

const uuid = () => randomUUID()

/** `METHOD /url` (as declared) → who may call it and what an admitted caller gets. */
export function expectedTable(s: Samples): Record<string, Row> {
  return {
    'GET /healthz': { allow: 'public', ok: [200] },
    'POST /api/v1/auth/login': { allow: 'public', ok: [400], body: {} },
    'POST /api/v1/auth/logout': { allow: ALL, ok: [200] },
    'GET /api/v1/auth/me': { allow: ALL, ok: [200] },
    'GET /api/v1/reference': { allow: ALL, ok: [200] },
    'POST /api/v1/sync/push': {
      allow: ALL,
      ok: [200],
      body: () => ({ clientId: `authz-${uuid()}`, mutations: [] }),
    },
    'GET /api/v1/sync/pull': { allow: ALL, ok: [200], path: '/api/v1/sync/pull?cursor=0&limit=1' },
    'GET /api/v1/sync/snapshot': {
      allow: ALL,
      ok: [200],
      path: '/api/v1/sync/snapshot?limit=1',
    },
    'GET /api/v1/tickets/search': {
      allow: ALL,
      ok: [200],
      path: '/api/v1/tickets/search?q=%E8%B7%AF',
    },
    'GET /api/v1/admin/users': { allow: ADMIN, ok: [200] },
    'POST /api/v1/admin/users': { allow: ADMIN, ok: [400], body: {} },
    'PUT /api/v1/admin/users/:id': { allow: ADMIN, ok: [400, 404], body: {} },
    'POST /api/v1/admin/users/:id/deactivate': { allow: ADMIN, ok: [404] },
    'POST /api/v1/admin/users/:id/revoke-sessions': { allow: ADMIN, ok: [200, 404] },
    'GET /api/v1/admin/audit': { allow: ADMIN, ok: [200] },
    'GET /api/v1/admin/reference': { allow: ADMIN, ok: [200] },
    'PUT /api/v1/admin/units/:code': { allow: ADMIN, ok: [400], body: {} },
    'PUT /api/v1/admin/categories/:code': { allow: ADMIN, ok: [400], body: {} },
    'PUT /api/v1/admin/routing': { allow: ADMIN, ok: [400], body: {} },
    'PUT /api/v1/admin/deadlines': { allow: ADMIN, ok: [400], body: {} },
    'GET /api/v1/admin/scoring': { allow: ADMIN, ok: [200] },
    'PUT /api/v1/admin/scoring': { allow: ADMIN, ok: [400], body: {} },
    'PUT /api/v1/admin/calendar': { allow: ADMIN, ok: [400], body: {} },
    'GET /api/v1/admin/calendar': { allow: ADMIN, ok: [200] },
    'PUT /api/v1/admin/calendar/years/:year': { allow: ADMIN, ok: [400], body: {} },
    'GET /api/v1/admin/consoles': { allow: ADMIN, ok: [200] },
    'PUT /api/v1/admin/seats/:console': { allow: ADMIN, ok: [400], body: {} },
    'DELETE /api/v1/admin/seats/:console': { allow: ADMIN, ok: [400] },
    'POST /api/v1/triage/suggest': {
      allow: ['agent', 'dispatcher', 'supervisor'],
      ok: [200],
      body: { description: '路灯坏了' },
    },
    'GET /api/v1/admin/triage': { allow: ADMIN, ok: [200] },
    'POST /api/v1/admin/triage/rebuild': { allow: ADMIN, ok: [200] },
    'GET /api/v1/cases': { allow: ALL, ok: [200], path: `/api/v1/cases?year=${s.year}` },
    'GET /api/v1/cases/export': {
      allow: ALL,
      ok: [200],
      path: `/api/v1/cases/export?year=${s.year}&format=md`,
    },
    'POST /api/v1/cases': { allow: SUPERVISOR, ok: [400], body: {} },
    'PUT /api/v1/cases/:id': { allow: SUPERVISOR, ok: [404], body: { title: 'x' } },
    'DELETE /api/v1/cases/:id': { allow: SUPERVISOR, ok: [404] },
    'GET /api/v1/kb/pull': { allow: ALL, ok: [200] },
    'GET /api/v1/kb/entries': { allow: ALL, ok: [200] },
    'GET /api/v1/kb/entries/:id': { allow: ALL, ok: [404], path: `/api/v1/kb/entries/${uuid()}` },
    'POST /api/v1/kb/entries': { allow: KB_EDITORS, ok: [400], body: {} },
    'PUT /api/v1/kb/entries/:id': { allow: KB_EDITORS, ok: [400], body: {} },
    'POST /api/v1/kb/entries/:id/publish': { allow: KB_EDITORS, ok: [400], body: {} },
    'POST /api/v1/kb/entries/:id/retire': { allow: KB_EDITORS, ok: [400], body: {} },
    'POST /api/v1/kb/proposals': { allow: ['unit'], ok: [400], body: {} },
    'GET /api/v1/kb/proposals': { allow: ['unit', ...KB_EDITORS], ok: [200] },
    'POST /api/v1/kb/proposals/:id/decide': { allow: KB_EDITORS, ok: [400], body: {} },
    'GET /metrics': { allow: ADMIN, ok: [200] },
    'GET /api/v1/live': { allow: 'socket', ok: [] },
    'GET /open311/v2/discovery.json': { allow: 'public', ok: [200] },
    'GET /open311/v2/discovery.xml': { allow: 'public', ok: [200] },
    'GET /open311/v2/services.json': { allow: 'public', ok: [200] },
    'GET /open311/v2/services.xml': { allow: 'public', ok: [200] },
    'GET /open311/v2/services/:file': {
      allow: 'public',
      ok: [200],
      path: `/open311/v2/services/${s.service}.json`,
    },
    'GET /open311/v2/requests.json': { allow: 'public', ok: [200] },
    'GET /open311/v2/requests.xml': { allow: 'public', ok: [200] },
    'GET /open311/v2/requests/:file': {
      allow: 'public',
      ok: [200],
      path: `/open311/v2/requests/${s.number}.json`,
    },
    'GET /open311/v2/tokens/:file': {
      allow: 'public',
      ok: [200],
      path: `/open311/v2/tokens/${s.number}.json`,
    },
    // Posting needs an api_key: a session token of any role is no substitute.
    'POST /open311/v2/requests.json': { allow: 'apiKey', ok: [400], form: {} },
    'POST /open311/v2/requests.xml': { allow: 'apiKey', ok: [400], form: {} },
  }
}

/** What a caller should get from a row: the exact refusal, or one of the row's ok statuses. */
export function expectedStatuses(row: Row, caller: Caller): readonly number[] {
  if (row.allow === 'public') return row.ok
  if (row.allow === 'apiKey') return [403]
  if (row.allow === 'socket') throw new Error('sockets are checked on their own')
  if (caller === 'none' || caller === 'bad' || caller === 'revoked') return [401]
  return row.allow.includes(caller) ? row.ok : [403]
}

/** The concrete path of a row: its sample, else the url with made-up ids. */
export const samplePath = (url: string, row: Row): string =>
  row.path ??
  url
    .replace(/:id\b/g, uuid())
    .replace(/:code\b/g, 'NOPE')
    .replace(/:file\b/g, 'x')

/** The body of a row's sample request (a function makes a fresh one per call). */
export const sampleBody = (row: Row): unknown =>
  typeof row.body === 'function' ? (row.body as () => unknown)() : row.body

/**
 * Every route fastify serves, as `METHOD /url`, from its own route tree (HEAD, which fastify adds
 * for each GET and answers through the same handler, left out).
 */
export function servedRoutes(app: FastifyInstance): string[] {
  const out: string[] = []
  const stack: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ├└─]*)(\S+)(?: \(([^)]*)\))?\s*$/.exec(line)
    if (!m) continue
    const level = Math.max(0, Math.floor(m[1]!.length / 4) - 1)
    stack.length = level
    const url = (level > 0 ? stack[level - 1]! : '') + m[2]!
    stack.push(url)
    for (const method of (m[3] ?? '').split(',').map((x) => x.trim()))
      if (method && method !== 'HEAD') out.push(`${method} ${url}`)
  }
  return out.sort()
}
