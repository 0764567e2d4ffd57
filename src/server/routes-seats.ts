// Seats (issue 13): timelines name the console an action came from by a one-way label of its id
// (src/shared/ids.ts), which means nothing to staff. An admin names a console after its seat or
// desk — 受理 3 号座席 — and every timeline shows that name beside the person. The names are part
// of the reference data, so consoles get them with their next pull, offline too, and a rename
// shows on past events as well. Under /api/v1/admin (role `admin`):
// - GET /consoles: every console that ever pushed — its label, who used it last, when, its name.
// - PUT /seats/:console {name}: names (or renames) a console; DELETE /seats/:console: unnames it.
import { z } from 'zod'
import { consoleLabel } from '../shared/ids'
import { seatSchema, type ReferenceData } from '../shared/reference'
import type { ServerContext } from './context'
import { ApiError } from './http/errors'
import { route, type RouteSpec } from './http/route'
import { changeReference } from './routes-admin'

const ADMIN = ['admin'] as const
const versionQuery = z.object({ baseVersion: z.coerce.number().int().min(1).optional() })

/** The `:console` of a route: a label as timelines carry it. */
function labelParam(raw: string | undefined): string {
  const r = seatSchema.shape.console.safeParse(raw)
  if (!r.success)
    throw new ApiError(
      400,
      'invalid',
      {
        zh: `${raw ?? ''} 不是控制台编号（c 加 11 位数字或小写字母，见设置页“本机控制台”）`,
        en: `${raw ?? ''} is not a console label (c and 11 digits or letters; see Settings)`,
      },
      'console',
    )
  return r.data
}

const withSeat = (data: ReferenceData, console: string, name: string | null): ReferenceData => {
  const rest = (data.seats ?? []).filter((s) => s.console !== console)
  return { ...data, seats: name == null ? rest : [...rest, { console, name }] }
}

export function seatRoutes(ctx: ServerContext): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/admin/consoles',
      roles: ADMIN,
      async handler() {
        const [rows, users, ref] = await Promise.all([
          ctx.store.accounts.listConsoles(),
          ctx.store.accounts.listUsers(),
          ctx.reference(),
        ])
        const byId = new Map(users.map((u) => [u.id, u]))
        const seats = new Map((ref.data.seats ?? []).map((s) => [s.console, s.name]))
        // Filed as `user/clientId` (sync/console-key.ts); a console used by several people is
        // one console: listed once, under whoever used it last.
        const seen = new Map<
          string,
          { console: string; seat: string | null; user: unknown; lastAt: string }
        >()
        for (const r of rows) {
          const clientId = r.key.includes('/') ? r.key.slice(r.key.indexOf('/') + 1) : r.key
          const label = consoleLabel(clientId)
          if (seen.has(label)) continue
          const u = byId.get(r.userId)
          seen.set(label, {
            console: label,
            seat: seats.get(label) ?? null,
            user: u ? { username: u.username, displayName: u.displayName, role: u.role } : null,
            lastAt: r.lastAt,
          })
        }
        return { consoles: [...seen.values()] }
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/admin/seats/:console',
      roles: ADMIN,
      body: seatSchema.omit({ console: true }),
      query: versionQuery,
      async handler({ user, body, params, query }) {
        const label = labelParam(params.console)
        const out = await changeReference(ctx, user, query.baseVersion, 'seat', (data) =>
          withSeat(data, label, body.name),
        )
        return { version: out.version, seat: { console: label, name: body.name } }
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/admin/seats/:console',
      roles: ADMIN,
      query: versionQuery,
      async handler({ user, params, query }) {
        const label = labelParam(params.console)
        const out = await changeReference(ctx, user, query.baseVersion, 'seat', (data) =>
          withSeat(data, label, null),
        )
        return { version: out.version }
      },
    }),
  ]
}
