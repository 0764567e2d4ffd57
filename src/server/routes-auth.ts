// Login, logout, who am I, and the reference data every console needs.
import { z } from 'zod'
import { ROLES } from '../shared/ticket'
import type { Held } from './auth/backoff'
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
        // The client's address as trustProxy lets the server see it (options.ts).
        const ip = request.ip
        const tooMany = (held: Held) => {
          const seconds = Math.ceil(held.waitMs / 1000)
          reply.header('retry-after', String(seconds))
          return new ApiError(
            429,
            'too_many_attempts',
            held.scope === 'account'
              ? {
                  zh: `登录失败次数过多，请 ${seconds} 秒后再试`,
                  en: `Too many failed logins; try again in ${seconds} s`,
                }
              : {
                  zh: `该网络地址登录失败次数过多，请 ${seconds} 秒后再试`,
                  en: `Too many failed logins from this address; try again in ${seconds} s`,
                },
            undefined,
            { retryAfterMs: held.waitMs },
          )
        }
        // Checked, given a hash place and counted in one synchronous step: guesses sent at once
        // are judged as they arrive, not after their hashes. Held or turned away, a login is not
        // counted (it was never tried).
        const waiting = ctx.backoff.held(body.username, ip)
        if (waiting) throw tooMany(waiting)
        const slot = ctx.hashes.enter()
        if (!slot) {
          reply.header('retry-after', '1')
          throw new ApiError(503, 'busy', {
            zh: '同时登录的人太多，请稍后再试',
            en: 'Too many logins at once; try again in a moment',
          })
        }
        const attempt = ctx.backoff.attempt(body.username, ip)
        if (!('succeeded' in attempt)) {
          slot.release()
          throw tooMany(attempt)
        }
        const check = async (): Promise<UserRecord | null> => {
          const found = await ctx.store.accounts.userByUsername(body.username)
          const hash = found?.active ? found.passwordHash : null
          // An unknown user costs as much as a wrong password: no way to probe usernames.
          const stored = hash ?? (await (dummy ??= dummyHash(ctx.scrypt)))
          const matches = await slot.run(() => verifyPassword(body.password, stored))
          return matches && hash !== null ? found : null
        }
        const user = await check().finally(() => slot.release())
        if (!user)
          throw new ApiError(401, 'invalid_credentials', {
            zh: '用户名或密码错误',
            en: 'Wrong username or password',
          })
        attempt.succeeded()
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
