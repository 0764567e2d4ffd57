// Declaring a route: method, path, the roles allowed, and the zod schemas of its input. One
// helper registers them all, so every route checks its token and role the same way, the role
// matrix test can enumerate them, and every admin change lands on the audit log (./audit.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { Role } from '../../shared/ticket'
import { parseWith } from '../../shared/validation'
import { hashToken } from '../auth/tokens'
import type { Store, UserRecord } from '../store'
import { auditEntry, isAudited } from './audit'
import { badRequest, forbiddenRole, unauthorized } from './errors'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

export interface RouteInput<B, Q> {
  user: UserRecord
  /** The bearer token's hash (for logout). */
  tokenHash: string
  body: B
  query: Q
  params: Record<string, string>
  request: FastifyRequest
  reply: FastifyReply
}

export interface RouteSpec<B = unknown, Q = unknown> {
  method: Method
  url: string
  /** Roles that may call it; 'public' for login. */
  roles: readonly Role[] | 'public'
  /**
   * A credential other than a session that admits a request by itself (the scraper's static
   * METRICS_TOKEN on /metrics). The handler then gets no user.
   */
  allow?(request: FastifyRequest): boolean
  body?: z.ZodType<B>
  query?: z.ZodType<Q>
  handler(input: RouteInput<B, Q>): Promise<unknown>
}

export const route = <B = unknown, Q = unknown>(spec: RouteSpec<B, Q>): RouteSpec<B, Q> => spec

export async function authenticate(store: Store, header: string | undefined, nowMs: number) {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  if (!m) return null
  const tokenHash = hashToken(m[1]!)
  const user = await store.accounts.sessionUser(tokenHash, new Date(nowMs).toISOString())
  return user ? { user, tokenHash } : null
}

export function registerRoutes(
  app: FastifyInstance,
  store: Store,
  routes: RouteSpec[],
  now: () => number = Date.now,
): void {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      handler: async (request, reply) => {
        let auth: { user: UserRecord; tokenHash: string } | null = null
        if (spec.roles !== 'public' && !spec.allow?.(request)) {
          auth = await authenticate(store, request.headers.authorization, now())
          if (!auth) throw unauthorized()
          if (!spec.roles.includes(auth.user.role)) throw forbiddenRole()
        }
        let body: unknown = request.body
        if (spec.body) {
          const r = parseWith(spec.body, request.body ?? {})
          if (!r.ok) throw badRequest(r.errors)
          body = r.value
        }
        let query: unknown = request.query
        if (spec.query) {
          const r = parseWith(spec.query, request.query ?? {})
          if (!r.ok) throw badRequest(r.errors)
          query = r.value
        }
        const params = (request.params ?? {}) as Record<string, string>
        const out = await spec.handler({
          user: auth?.user as UserRecord,
          tokenHash: auth?.tokenHash ?? '',
          body,
          query,
          params,
          request,
          reply,
        })
        if (auth && isAudited(spec))
          await store.audit.record(
            auditEntry(
              spec,
              { user: auth.user, params, query, body },
              out,
              reply.statusCode,
              now(),
            ),
          )
        return out === undefined ? reply : out
      },
    })
  }
}
