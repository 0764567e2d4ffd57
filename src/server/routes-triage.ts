// Triage over HTTP (DESIGN.md §7), the same function the consoles run offline:
//   POST /api/v1/triage/suggest — categories, the place and units with reasons, for integrations
//     and evaluation; the centre's roles only (a unit or an admin triages nothing);
//   GET /api/v1/admin/triage — the history model's version, build time and measured accuracy;
//   POST /api/v1/admin/triage/rebuild — build it now (returns it summarised).
import { z } from 'zod'
import type { ServerContext } from './context'
import { route, type RouteSpec } from './http/route'
import { indexReference } from '../shared/reference-data'
import { triage } from '../shared/triage'
import { triageInputSchema } from '../shared/triage-data'
import { modelSummary, type TriageModelJob } from './triage/model-job'

const CENTRE = ['agent', 'dispatcher', 'supervisor'] as const

export function triageRoutes(ctx: ServerContext, job: TriageModelJob): RouteSpec[] {
  return [
    route({
      method: 'POST',
      url: '/api/v1/triage/suggest',
      roles: CENTRE,
      body: triageInputSchema,
      async handler({ body }) {
        const ref = await ctx.reference()
        const { limit, ...input } = body
        const r = triage(ref.data, input, { categories: limit, units: limit })
        const ix = indexReference(ref.data)
        const category = (code: string) => ix.categories.get(code)
        const unit = (code: string) => ix.units.get(code)
        return {
          categories: r.categories.map((c) => ({
            ...c,
            name: category(c.code)?.name ?? c.code,
            nameEn: category(c.code)?.nameEn ?? c.code,
          })),
          units: r.units.map((u) => ({
            ...u,
            name: unit(u.code)?.name ?? u.code,
            nameEn: unit(u.code)?.nameEn ?? u.code,
          })),
          place: r.place,
          model: modelSummary(ref.data.triage?.model),
          referenceVersion: ref.version,
        }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/admin/triage',
      roles: ['admin'],
      async handler() {
        const ref = await ctx.reference()
        return { model: modelSummary(ref.data.triage?.model), referenceVersion: ref.version }
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/admin/triage/rebuild',
      roles: ['admin'],
      // Nothing to say but "now": anything else in the body is refused.
      body: z.object({}).strict(),
      async handler({ user }) {
        const model = await job.rebuild(ctx.now(), user.username)
        return { model: modelSummary(model) }
      },
    }),
  ]
}
