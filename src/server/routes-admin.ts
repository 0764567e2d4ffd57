// Administration under /api/v1/admin (role `admin` only): users, and the reference data — units,
// categories, routing rules and deadline rules (the working calendar: routes-calendar.ts). Every
// change lands on the admin audit log (src/server/http/audit.ts), which admins read at
// GET /admin/audit; an admin cannot change their own role (issue 12: admins never see full
// numbers, other roles do).
//
// Every reference change is checked with the shared schemas (400 naming the field) and then as a
// whole with `checkReferenceData` and the rules context the workflow builds from it (400 naming
// the field the problem is in, every problem listed in `problems`). It is stored as a new version
// under a lock, written to the change log so each console gets it on its next pull, and the
// server's own cached rules are replaced at once, so the next push already follows them.
// `?baseVersion=N` makes a change conditional: 409 if someone else changed the data since N.
import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import {
  categorySchema,
  deadlineRulesSchema,
  routingRuleSchema,
  unitSchema,
  type ReferenceData,
} from '../shared/reference'
import { checkReferenceData } from '../shared/reference-data'
import { ROLES } from '../shared/ticket'
import { makeRulesContext } from '../shared/workflow'
import { hashPassword } from './auth/passwords'
import type { ServerContext } from './context'
import { ApiError, notFound } from './http/errors'
import { route, type RouteSpec } from './http/route'
import { publicUser } from './routes-auth'
import type { UserRecord } from './store'
import { isUniqueViolation } from './store/db'

const ADMIN = ['admin'] as const

const username = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/)
const password = z.string().min(8).max(200)
const displayName = z.string().trim().min(1).max(100)

const newUserBody = z.object({
  username,
  displayName,
  role: z.enum(ROLES),
  unit: z.string().max(48).nullish(),
  password,
})

const userPatchBody = z
  .object({
    displayName,
    role: z.enum(ROLES),
    unit: z.string().max(48).nullable(),
    password,
    active: z.boolean(),
  })
  .partial()

const versionQuery = z.object({
  baseVersion: z.coerce.number().int().min(1).optional(),
})

const auditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.string().max(100).optional(),
})

const adminUser = (u: UserRecord) => ({ ...publicUser(u), active: u.active })

const invalid = (field: string, en: string, zh: string, extra?: Record<string, unknown>) =>
  new ApiError(400, 'invalid', { zh, en }, field, extra)

export type Where = 'unit' | 'category' | 'routing' | 'deadlines' | 'calendar' | 'seat' | 'scoring'

/** The field of the request body a `checkReferenceData` problem is about. */
function problemField(problem: string, where: Where, data: ReferenceData): string {
  const rule = /^routing rule #(\d+)/.exec(problem)
  if (rule) {
    const at = `rules.${Number(rule[1]) - 1}`
    if (where !== 'routing') return where === 'unit' ? 'districts' : 'code'
    if (/: category /.test(problem)) return `${at}.category`
    if (/: district /.test(problem)) return `${at}.district`
    if (/: unit /.test(problem)) return `${at}.units`
    return at
  }
  const deadline = /^deadline rule "(.*)" \((signBy|due)\)/.exec(problem)
  if (deadline && where === 'deadlines') {
    const list = deadline[2] as 'signBy' | 'due'
    const i = data.deadlines[list].findIndex((r) => r.name === deadline[1])
    return `${list}.${i}.when.category`
  }
  if (/^duplicate /.test(problem)) return 'code'
  if (/parent/.test(problem)) return where === 'routing' ? 'rules' : 'parent'
  if (/district \d+ does not exist/.test(problem)) return 'districts'
  if (/suggested unit/.test(problem))
    return where === 'unit' ? 'active' : where === 'routing' ? 'rules' : 'code'
  return where === 'routing' ? 'rules' : where === 'unit' || where === 'category' ? 'code' : ''
}

/** Refuses data the shared checks or the workflow's rules context would not accept. */
function validate(before: ReferenceData, after: ReferenceData, where: Where): void {
  const known = new Set(checkReferenceData(before))
  const problems = checkReferenceData(after).filter((p) => !known.has(p))
  if (problems.length)
    throw invalid(
      problemField(problems[0]!, where, after),
      `Reference data would be inconsistent: ${problems[0]}`,
      `参考数据不一致：${problems[0]}`,
      { problems },
    )
  try {
    makeRulesContext(after)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    const field = /working hours/.test(msg) ? 'workingHours' : 'timeZone'
    throw invalid(where === 'calendar' ? field : '', `Calendar: ${msg}`, `工作日历有误：${msg}`)
  }
}

function checkBase(current: number, base: number | undefined): void {
  if (base !== undefined && base !== current)
    throw new ApiError(
      409,
      'conflict',
      {
        zh: `参考数据已被他人修改（当前版本 ${current}），请刷新后再改`,
        en: `The reference data changed meanwhile (now version ${current}); reload and retry`,
      },
      'baseVersion',
      { version: current },
    )
}

/**
 * Applies one change to the newest reference data and makes the server use it at once. Returns
 * the new version's data and, for whoever needs to compare (the calendar's recount), the data it
 * replaced.
 */
export async function changeReference(
  ctx: ServerContext,
  user: UserRecord,
  base: number | undefined,
  where: Where,
  change: (data: ReferenceData) => ReferenceData,
): Promise<{ version: number; data: ReferenceData; before: ReferenceData }> {
  let before: ReferenceData | null = null
  const out = await ctx.store.changeReference(user.id, (current) => {
    checkBase(current.version, base)
    const next = change(current.data)
    validate(current.data, next, where)
    before = current.data
    return next
  })
  await ctx.reference(true)
  return { version: out.version, data: out.data, before: before! }
}

export function adminRoutes(ctx: ServerContext): RouteSpec[] {
  const change = async (
    user: UserRecord,
    base: number | undefined,
    where: Where,
    fn: (data: ReferenceData) => ReferenceData,
  ) => {
    const out = await changeReference(ctx, user, base, where, fn)
    return { version: out.version, ...out.data }
  }

  async function checkRoleUnit(role: string, unit: string | null | undefined) {
    if (role !== 'unit') {
      if (unit != null)
        throw invalid('unit', 'Only unit staff belong to a unit', '只有承办单位人员才属于某个单位')
      return
    }
    const ref = await ctx.reference()
    if (unit == null)
      throw invalid('unit', 'Unit staff need a unit', '承办单位人员必须指定所属单位')
    if (!ref.data.units.some((u) => u.code === unit))
      throw invalid('unit', `Unit ${unit} does not exist`, `单位 ${unit} 不存在`)
  }

  const userNotFound = () => notFound({ zh: '没有这个用户', en: 'No such user' })

  return [
    route({
      method: 'GET',
      url: '/api/v1/admin/users',
      roles: ADMIN,
      async handler() {
        return { users: (await ctx.store.accounts.listUsers()).map(adminUser) }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/admin/users',
      roles: ADMIN,
      body: newUserBody,
      async handler({ body, reply }) {
        await checkRoleUnit(body.role, body.unit)
        const user: UserRecord = {
          id: randomUUID(),
          username: body.username,
          displayName: body.displayName,
          role: body.role,
          unit: body.role === 'unit' ? (body.unit ?? null) : null,
          active: true,
          passwordHash: await hashPassword(body.password, ctx.scrypt),
        }
        try {
          await ctx.store.accounts.createUsers([user])
        } catch (e) {
          if (!isUniqueViolation(e)) throw e
          throw new ApiError(
            409,
            'username_taken',
            { zh: `用户名 ${body.username} 已被使用`, en: `Username ${body.username} is taken` },
            'username',
          )
        }
        reply.status(201)
        return { user: adminUser(user) }
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/admin/users/:id',
      roles: ADMIN,
      body: userPatchBody,
      async handler({ user: admin, body, params }) {
        const before = await ctx.store.accounts.userById(params.id!)
        if (!before) throw userNotFound()
        if (before.id === admin.id && body.role !== undefined && body.role !== before.role)
          throw new ApiError(
            403,
            'own_role',
            {
              zh: '不能修改自己的角色：请另一位管理员操作（操作会记入审计日志）',
              en: 'You cannot change your own role: ask another admin (it goes on the audit log)',
            },
            'role',
          )
        const role = body.role ?? before.role
        const unit = body.unit !== undefined ? body.unit : role === 'unit' ? before.unit : null
        await checkRoleUnit(role, unit)
        const after = await ctx.store.accounts.updateUser(before.id, {
          ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
          ...(body.role !== undefined ? { role: body.role } : {}),
          ...(unit !== before.unit ? { unit } : {}),
          ...(body.active !== undefined ? { active: body.active } : {}),
          ...(body.password !== undefined
            ? { passwordHash: await hashPassword(body.password, ctx.scrypt) }
            : {}),
        })
        if (!after) throw userNotFound()
        ctx.sessionsEnded(after.id)
        return { user: adminUser(after) }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/admin/users/:id/deactivate',
      roles: ADMIN,
      async handler({ params }) {
        const after = await ctx.store.accounts.updateUser(params.id!, { active: false })
        if (!after) throw userNotFound()
        ctx.sessionsEnded(after.id)
        return { user: adminUser(after) }
      },
    }),
    route({
      // A lost laptop, a shared password: every console of this user stops syncing and locks
      // (its live socket is closed now; one on another server process at its next poke).
      method: 'POST',
      url: '/api/v1/admin/users/:id/revoke-sessions',
      roles: ADMIN,
      async handler({ params }) {
        const user = await ctx.store.accounts.userById(params.id!)
        if (!user) throw userNotFound()
        const revoked = await ctx.store.accounts.revokeUserSessions(user.id)
        ctx.sessionsEnded(user.id)
        return { user: adminUser(user), revoked }
      },
    }),
    route({
      // The audit log, newest first; `before` the last id of a page for the next.
      method: 'GET',
      url: '/api/v1/admin/audit',
      roles: ADMIN,
      query: auditQuery,
      async handler({ query }) {
        const entries = await ctx.store.audit.list(query.limit, query.before ?? null)
        return { entries, next: entries.length === query.limit ? entries.at(-1)!.id : null }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/admin/reference',
      roles: ADMIN,
      async handler() {
        const ref = await ctx.reference(true)
        return { version: ref.version, ...ref.data }
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/admin/units/:code',
      roles: ADMIN,
      body: unitSchema.omit({ code: true }),
      query: versionQuery,
      handler: ({ user, body, params, query }) =>
        change(user, query.baseVersion, 'unit', (data) => {
          const code = codeParam(params.code, 'unit')
          return { ...data, units: upsert(data.units, { code, ...body }) }
        }),
    }),
    route({
      method: 'PUT',
      url: '/api/v1/admin/categories/:code',
      roles: ADMIN,
      body: categorySchema.omit({ code: true }),
      query: versionQuery,
      handler: ({ user, body, params, query }) =>
        change(user, query.baseVersion, 'category', (data) => {
          const code = codeParam(params.code, 'category')
          return { ...data, categories: upsert(data.categories, { code, ...body }) }
        }),
    }),
    route({
      method: 'PUT',
      url: '/api/v1/admin/routing',
      roles: ADMIN,
      body: z.object({ rules: z.array(routingRuleSchema).max(10_000) }),
      query: versionQuery,
      handler: ({ user, body, query }) =>
        change(user, query.baseVersion, 'routing', (data) => ({
          ...data,
          routing: body.rules,
        })),
    }),
    route({
      method: 'PUT',
      url: '/api/v1/admin/deadlines',
      roles: ADMIN,
      body: deadlineRulesSchema,
      query: versionQuery,
      handler: ({ user, body, query }) =>
        change(user, query.baseVersion, 'deadlines', (data) => ({
          ...data,
          deadlines: body,
        })),
    }),
  ]
}

/** The `:code` of a unit or category route, checked with the shared schema. */
function codeParam(raw: string | undefined, what: 'unit' | 'category'): string {
  const schema = what === 'unit' ? unitSchema.shape.code : categorySchema.shape.code
  const r = schema.safeParse(raw)
  if (!r.success)
    throw invalid(
      'code',
      `${raw ?? ''} is not a valid ${what} code`,
      `${raw ?? ''} 不是有效的${what === 'unit' ? '单位' : '分类'}代码`,
    )
  return r.data
}

/** Replaces the entry with the same code in place, or appends a new one. */
function upsert<T extends { code: string }>(list: readonly T[], item: T): T[] {
  const i = list.findIndex((x) => x.code === item.code)
  return i < 0 ? [...list, item] : list.map((x, j) => (j === i ? item : x))
}
