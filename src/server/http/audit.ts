// Admin actions on the audit log (issue 12): every route only admins may call that changes
// something (not a GET) is recorded once it succeeds — who, when, the route, its `:id`/`:code`,
// the params, query and body with secrets as `***`, and what it answered about a user or a
// version. Chosen by the route table, not route by route, so an admin route added later is
// audited without anyone remembering to. Refused requests change nothing and are not logged.
import { uuidv7 } from '../../shared/ids'
import type { AuditEntry, UserRecord } from '../store'
import type { RouteSpec } from './route'

export const isAudited = (spec: RouteSpec): boolean =>
  spec.method !== 'GET' &&
  spec.roles !== 'public' &&
  spec.roles.length === 1 &&
  spec.roles[0] === 'admin'

const SECRET = /^(password|passwordHash|secret|token|apiKey|api_key)$/i
/** A body this big (the routing table, a calendar) is summarized by its keys. */
const MAX_BODY = 8_000

function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact)
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, SECRET.test(k) ? '***' : redact(x)]),
    )
  return v
}

function bodyOf(body: unknown): unknown {
  if (body == null) return null
  const text = JSON.stringify(redact(body))
  if (text.length <= MAX_BODY) return JSON.parse(text)
  return {
    omitted: 'too long to keep whole',
    bytes: text.length,
    keys: body && typeof body === 'object' ? Object.keys(body) : [],
  }
}

/** What the answer said about the user or the reference version changed. */
function resultOf(out: unknown): unknown {
  if (!out || typeof out !== 'object') return null
  const o = out as { user?: Record<string, unknown>; version?: unknown; revoked?: unknown }
  if (o.user) {
    const { id, username, displayName, role, unit, active } = o.user
    return { user: { id, username, displayName, role, unit, active }, revoked: o.revoked }
  }
  return o.version !== undefined ? { version: o.version } : null
}

export function auditEntry(
  spec: RouteSpec,
  input: { user: UserRecord; params: Record<string, string>; query: unknown; body: unknown },
  out: unknown,
  status: number,
  nowMs: number,
): AuditEntry {
  return {
    id: uuidv7(nowMs),
    at: new Date(nowMs).toISOString(),
    actor: { id: input.user.id, name: input.user.displayName },
    action: `${spec.method} ${spec.url}`,
    target: input.params.id ?? input.params.code ?? input.params.console ?? null,
    status,
    details: {
      params: input.params,
      query: redact(input.query ?? {}),
      body: bodyOf(input.body),
      result: resultOf(out),
    },
  }
}
