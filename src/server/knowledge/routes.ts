// /api/v1/kb: the knowledge base (知识库, issue 15). Who may do what:
// - the feed (`/kb/pull`) and reading entries: every role; the published entries to all, drafts
//   and retired ones to supervisors and admins, and to a unit only its own unit's;
// - writing (create, edit, publish, retire): supervisors and admins;
// - proposing a new entry or an edit: unit staff, for their own unit's entries only; deciding a
//   proposal (approve publishes it, refuse needs a reason): supervisors and admins.
// Every write is a new version; an edit names the version it started from and is refused (409
// `stale`) when someone wrote another meanwhile.
import { z } from 'zod'
import { uuidv7 } from '../../shared/ids'
import {
  KB_EDITORS,
  kbCreateSchema,
  kbDecideSchema,
  kbEditSchema,
  kbListQuerySchema,
  kbProposalsQuerySchema,
  kbProposeSchema,
  kbPublishSchema,
  kbPullQuerySchema,
  kbRetireSchema,
  kbVisible,
  type KbEntryInput,
} from '../../shared/knowledge'
import { ROLES } from '../../shared/ticket'
import type { Localized } from '../../shared/validation'
import type { ServerContext } from '../context'
import { ApiError, notFound } from '../http/errors'
import { route, type RouteSpec } from '../http/route'
import type { KbWrite, UserRecord } from '../store'

const noEntry = () => notFound({ zh: '没有这个知识条目', en: 'No such knowledge entry' })
const noProposal = () => notFound({ zh: '没有这个提议', en: 'No such proposal' })
const conflict = (code: string, localized: Localized, extra?: Record<string, unknown>) =>
  new ApiError(409, code, localized, undefined, extra)
const forbidden = (localized: Localized, field?: string) =>
  new ApiError(403, 'forbidden', localized, field)

const REFUSALS: Record<string, Localized> = {
  already_published: { zh: '该条目已是发布状态', en: 'The entry is published already' },
  already_retired: { zh: '该条目已停用', en: 'The entry is retired already' },
  already_decided: { zh: '该提议已被处理', en: 'The proposal has been decided already' },
}

const entryId = z.uuid()

export function knowledgeRoutes(ctx: ServerContext): RouteSpec[] {
  const idOf = (params: Record<string, string>, missing = noEntry) => {
    const id = entryId.safeParse(params.id)
    if (!id.success) throw missing()
    return id.data
  }
  const nowIso = () => new Date(ctx.now()).toISOString()

  /** Units and categories must be the reference data's. */
  const checkCodes = async (e: KbEntryInput) => {
    const ref = (await ctx.reference()).data
    if (!ref.units.some((u) => u.code === e.unit))
      throw new ApiError(
        400,
        'unknown_unit',
        { zh: `没有这个单位：${e.unit}`, en: `No such unit: ${e.unit}` },
        'entry.unit',
      )
    e.categories.forEach((c, i) => {
      if (!ref.categories.some((x) => x.code === c))
        throw new ApiError(
          400,
          'unknown_category',
          { zh: `没有这个分类：${c}`, en: `No such category: ${c}` },
          `entry.categories.${i}`,
        )
    })
  }

  const unwrap = <T>(w: KbWrite<T>): T => {
    if (w.ok) return w.value
    const f = w.failure
    if (f.kind === 'not_found') throw noEntry()
    if (f.kind === 'stale')
      throw conflict(
        'stale',
        {
          zh: `该条目已被他人修改（现为第 ${f.current} 版），请刷新后再改`,
          en: `Someone changed the entry meanwhile (now version ${f.current}); reload and try again`,
        },
        { currentVersion: f.current },
      )
    throw conflict(f.code, REFUSALS[f.code] ?? { zh: '不允许', en: 'Not allowed' })
  }

  const visibleEntry = async (id: string, user: UserRecord) => {
    const e = await ctx.store.knowledge.get(id)
    if (!e || !kbVisible(e, user)) throw noEntry()
    return e
  }

  return [
    route({
      method: 'GET',
      url: '/api/v1/kb/pull',
      roles: ROLES,
      query: kbPullQuerySchema,
      async handler({ user, query }) {
        return ctx.store.knowledge.pull(query.cursor, query.limit, user)
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/kb/entries',
      roles: ROLES,
      query: kbListQuerySchema,
      async handler({ user, query }) {
        const editor = KB_EDITORS.includes(user.role)
        if (editor) return { entries: await ctx.store.knowledge.list(query) }
        if (user.role === 'unit')
          return {
            entries: await ctx.store.knowledge.list({ ...query, publishedOr: user.unit ?? '' }),
          }
        if (query.status && query.status !== 'published')
          throw forbidden(
            {
              zh: '只有班长和管理员可以查看未发布的条目',
              en: 'Only editors see unpublished entries',
            },
            'status',
          )
        return { entries: await ctx.store.knowledge.list({ ...query, status: 'published' }) }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/kb/entries/:id',
      roles: ROLES,
      async handler({ user, params }) {
        const entry = await visibleEntry(idOf(params), user)
        const versions = await ctx.store.knowledge.versions(entry.id)
        // A unit or an agent sees the versions it may see: the published ones, or its own unit's.
        return {
          entry,
          versions: versions.filter((v) => kbVisible(v.entry, user)),
        }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/kb/entries',
      roles: KB_EDITORS,
      body: kbCreateSchema,
      async handler({ user, body, reply }) {
        await checkCodes(body.entry)
        const entry = await ctx.store.knowledge.create(
          uuidv7(ctx.now()),
          body.entry,
          body.publish ? 'published' : 'draft',
          user.id,
          nowIso(),
        )
        reply.code(201)
        return { entry }
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/kb/entries/:id',
      roles: KB_EDITORS,
      body: kbEditSchema,
      async handler({ user, body, params }) {
        const id = idOf(params)
        await checkCodes(body.entry)
        const entry = unwrap(
          await ctx.store.knowledge.change(id, body.baseVersion, user.id, nowIso(), () => ({
            input: body.entry,
            action: 'edited',
          })),
        )
        return { entry }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/kb/entries/:id/publish',
      roles: KB_EDITORS,
      body: kbPublishSchema,
      async handler({ user, body, params }) {
        const entry = unwrap(
          await ctx.store.knowledge.change(
            idOf(params),
            body.baseVersion,
            user.id,
            nowIso(),
            (c) =>
              c.status === 'published'
                ? { refuse: 'already_published' }
                : { status: 'published', action: 'published' },
          ),
        )
        return { entry }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/kb/entries/:id/retire',
      roles: KB_EDITORS,
      body: kbRetireSchema,
      async handler({ user, body, params }) {
        const entry = unwrap(
          await ctx.store.knowledge.change(
            idOf(params),
            body.baseVersion,
            user.id,
            nowIso(),
            (c) =>
              c.status === 'retired'
                ? { refuse: 'already_retired' }
                : { status: 'retired', action: 'retired', note: body.reason },
          ),
        )
        return { entry }
      },
    }),

    // --- Proposals ------------------------------------------------------------------------------
    route({
      method: 'POST',
      url: '/api/v1/kb/proposals',
      roles: ['unit'],
      body: kbProposeSchema,
      async handler({ user, body, reply }) {
        if (body.entry.unit !== user.unit)
          throw forbidden(
            {
              zh: '只能为本单位的知识条目提出修改或新增',
              en: "A unit proposes entries of its own unit's only",
            },
            'entry.unit',
          )
        await checkCodes(body.entry)
        if (body.entryId) {
          const current = await ctx.store.knowledge.get(body.entryId)
          if (!current || !kbVisible(current, user)) throw noEntry()
          if (current.unit !== user.unit)
            throw forbidden(
              { zh: '该条目不属于本单位', en: "The entry is not your unit's" },
              'entryId',
            )
          if (body.baseVersion == null)
            throw new ApiError(
              400,
              'required',
              { zh: '修改提议须注明基于的版本', en: 'An edit names the version it started from' },
              'baseVersion',
            )
        }
        const proposal = await ctx.store.knowledge.propose({
          id: uuidv7(ctx.now()),
          entryId: body.entryId,
          baseVersion: body.entryId ? body.baseVersion : null,
          unit: user.unit!,
          entry: body.entry,
          note: body.note,
          by: user.id,
          at: nowIso(),
        })
        reply.code(201)
        return { proposal }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/kb/proposals',
      roles: ['unit', ...KB_EDITORS],
      query: kbProposalsQuerySchema,
      async handler({ user, query }) {
        const unit = user.role === 'unit' ? (user.unit ?? '') : undefined
        return { proposals: await ctx.store.knowledge.proposals({ ...query, unit }) }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/kb/proposals/:id/decide',
      roles: KB_EDITORS,
      body: kbDecideSchema,
      async handler({ user, body, params }) {
        const id = idOf(params, noProposal)
        const p = await ctx.store.knowledge.proposal(id)
        if (!p) throw noProposal()
        if (p.status !== 'pending') throw conflict('already_decided', REFUSALS.already_decided!)
        const now = nowIso()
        if (!body.approve) {
          if (!(await ctx.store.knowledge.refuse(id, user.id, now, body.reason!)))
            throw conflict('already_decided', REFUSALS.already_decided!)
          return { proposal: await ctx.store.knowledge.proposal(id), entry: null }
        }
        await checkCodes(p.entry)
        const entry = unwrap(
          p.entryId
            ? await ctx.store.knowledge.approveEdit(p, user.id, now)
            : await ctx.store.knowledge.approveNew(p, uuidv7(ctx.now()), user.id, now),
        )
        return { proposal: await ctx.store.knowledge.proposal(id), entry }
      },
    }),
  ]
}
