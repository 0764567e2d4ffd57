// POST /api/v1/sync/push and GET /api/v1/sync/pull (DESIGN.md §4). Pulled and snapshot tickets
// carry the caller's full number only to users who may see it (sync/present.ts, issue 7).
import { ROLES } from '../shared/ticket'
import type { ServerContext } from './context'
import { route, type RouteSpec } from './http/route'
import { push } from './sync/push'
import { presentPull, presentSnapshot } from './sync/present'
import {
  CLIENT_ID_HEADER,
  clientIdSchema,
  pullQuerySchema,
  pushBodySchema,
  SNAPSHOT_PAGE_MAX,
  snapshotQuerySchema,
} from '../shared/sync'
import { consoleKey } from './sync/console-key'
import { answerFrom } from './sync/shared-pages'
import { PageReader, viewerUnit } from './sync/page-reader'
import { ApiError, badRequest } from './http/errors'
import { SnapshotTokenError, snapshotJson } from './store'

/** Closed tickets updated within this many days come with a first sync; older ones on demand. */
const SNAPSHOT_RECENT_DAYS = 90

/** `pages`: the page reader the live hub shares, so pulls and pushed pages read once. */
export function syncRoutes(
  ctx: ServerContext,
  pages: PageReader = new PageReader(ctx, () => 0),
): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/v1/sync/push',
      roles: ROLES,
      body: pushBodySchema,
      handler: ({ user, body }) => push(ctx, user, body.clientId, body.mutations),
    }),
    route({
      method: 'GET',
      url: '/api/v1/sync/pull',
      roles: ROLES,
      query: pullQuerySchema,
      async handler({ user, query, request, reply }) {
        // The console, by header (the query's clientId from older consoles): its results and
        // lastMutationId are the ones filed under this user (sync/console-key.ts).
        const header = request.headers[CLIENT_ID_HEADER]
        const named = header === undefined ? query.clientId : clientIdOf(header)
        const key = named === undefined ? null : consoleKey(user.id, named)
        // Changes below the floor are forgotten: this console must start again from a snapshot.
        const floor = await ctx.store.changeLogFloor()
        if (query.cursor < floor - 1)
          throw new ApiError(
            410,
            'cursor_stale',
            {
              zh: '本地数据已过期太久，需要重新同步',
              en: 'This cursor is older than the kept change log; start again from a snapshot',
            },
            'cursor',
          )
        const unit = viewerUnit(user)
        if (key != null) {
          // The page most consoles pulling this range get: read once (see sync/shared-pages.ts).
          const page = await pages.shared(user, query.cursor, query.limit)
          const tail = await ctx.store.consoleTail(key, query.cursor, page.cursor)
          if (!tail.results) {
            ctx.metrics?.pulled(key, page.cursor)
            void reply.type('application/json; charset=utf-8')
            return answerFrom(page, tail.lastMutationId)
          }
        }
        // This console has results in the range (or names no console): a page of its own.
        ctx.metrics?.pullPage('own')
        const stored = await ctx.store.pull({
          cursor: query.cursor,
          limit: query.limit,
          clientId: key,
          unit,
        })
        const page = presentPull(user, stored)
        ctx.metrics?.pulled(key ?? `${user.id}/`, page.cursor)
        return {
          ...(await pages.body(page, query.cursor)),
          results: page.results.map((r) => ({
            id: r.id,
            key: r.key,
            name: r.name,
            status: r.status,
            code: r.code,
            message: r.message,
          })),
          lastMutationId: page.lastMutationId,
        }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/sync/snapshot',
      roles: ROLES,
      query: snapshotQuerySchema,
      // A SnapshotResponse, spliced from the stored JSON of its rows (see store/snapshot.ts).
      async handler({ user, query, reply }): Promise<Buffer> {
        try {
          const page = await ctx.store.snapshot({
            seq: query.seq ?? null,
            after: query.after ?? null,
            limit: query.limit,
            recentDays: SNAPSHOT_RECENT_DAYS,
            unit: viewerUnit(user),
            nowMs: ctx.now(),
          })
          void reply.type('application/json; charset=utf-8')
          return snapshotJson(presentSnapshot(user, page), SNAPSHOT_PAGE_MAX)
        } catch (e) {
          if (!(e instanceof SnapshotTokenError)) throw e
          throw badRequest([
            {
              field: 'after',
              code: 'invalid_position',
              message: {
                zh: '翻页位置无效，请重新开始同步',
                en: 'Not a page position of this server; start over',
              },
            },
          ])
        }
      },
    }),
  ]
}

/** The console a pull names in its header; 400 naming the header when it is not a clientId. */
function clientIdOf(header: string | string[]): string {
  const r = clientIdSchema.safeParse(header)
  if (r.success) return r.data
  throw badRequest([
    {
      field: CLIENT_ID_HEADER,
      code: 'invalid_client_id',
      message: {
        zh: '控制台编号无效（字母、数字、- 或 _，最多 100 个）',
        en: 'is not a console id (letters, digits, - or _, at most 100)',
      },
    },
  ])
}
