// Login, logout, who am I, and the reference data every console needs.
import { z } from 'zod'
import { ROLES } from '../shared/ticket'
import { dummyHash, verifyPassword } from './auth/passwords'
import { hashToken, newToken } from './auth/tokens'
import type { ServerContext } from './context'
import { ApiError } from './http/errors'
import { route, type RouteSpec } from './http/route'
import type { UserRecord } from './store'

const loginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
})

export const publicUser = (u: UserRecord) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  unit: u.unit,
})

export function authRoutes(ctx: ServerContext): RouteSpec[] {
  let dummy: Promise<string> | null = null
  return [
    route({
      method: 'POST',
      url: '/api/v1/auth/login',
      roles: 'public',
      body: loginBody,
      async handler({ body, request, reply }) {
        const ip = request.ip
        const wait = ctx.backoff.waitMs(body.username, ip)
        if (wait > 0) {
          reply.header('retry-after', String(Math.ceil(wait / 1000)))
          throw new ApiError(
            429,
            'too_many_attempts',
            {
              zh: `登录失败次数过多，请 ${Math.ceil(wait / 1000)} 秒后再试`,
              en: `Too many failed logins; try again in ${Math.ceil(wait / 1000)} s`,
            },
            undefined,
            { retryAfterMs: wait },
          )
        }
        const user = await ctx.store.accounts.userByUsername(body.username)
        let ok = false
        if (user && user.active) ok = await verifyPassword(body.password, user.passwordHash)
        // An unknown user costs as much time as a wrong password: no way to probe usernames.
        else await verifyPassword(body.password, await (dummy ??= dummyHash(ctx.scrypt)))
        if (!ok || !user) {
          ctx.backoff.fail(body.username, ip)
          throw new ApiError(401, 'invalid_credentials', {
            zh: '用户名或密码错误',
            en: 'Wrong username or password',
          })
        }
        ctx.backoff.succeed(body.username, ip)
        const token = newToken()
        const expiresAt = new Date(ctx.now() + ctx.sessionTtlMs).toISOString()
        await ctx.store.accounts.createSession(hashToken(token), user.id, expiresAt)
        return { token, expiresAt, user: publicUser(user) }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/logout',
      roles: ROLES,
      async handler({ user, tokenHash }) {
        await ctx.store.accounts.revokeSession(tokenHash)
        ctx.sessionsEnded(user.id)
        return { ok: true }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/auth/me',
      roles: ROLES,
      handler: async ({ user }) => ({ user: publicUser(user) }),
    }),
    route({
      method: 'GET',
      url: '/api/v1/reference',
      roles: ROLES,
      async handler() {
        const ref = await ctx.reference()
        const users = (await ctx.store.accounts.listUsers()).filter((u) => u.active).map(publicUser)
        return { version: ref.version, ...ref.data, users }
      },
    }),
  ]
}
