// Unit scoring (issue 17): the weights, deductions and thresholds units are scored by, per unit
// group, kept in the reference data so every console scores with the same edition and each
// change is a new reference version (audited like the deadline rules). Under /api/v1/admin
// (role `admin`): GET /scoring answers the edition in force (DEFAULT_SCORING when none was set);
// PUT /scoring {label, contactWithinHours, groups} replaces it.
import { z } from 'zod'
import { DEFAULT_SCORING, scoringSchema } from '../shared/kpi-score'
import type { ServerContext } from './context'
import { route, type RouteSpec } from './http/route'
import { changeReference } from './routes-admin'

const ADMIN = ['admin'] as const
const versionQuery = z.object({ baseVersion: z.coerce.number().int().min(1).optional() })

export function scoringRoutes(ctx: ServerContext): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/admin/scoring',
      roles: ADMIN,
      async handler() {
        const ref = await ctx.reference()
        const set = ref.data.scoring
        return { version: ref.version, default: set == null, scoring: set ?? DEFAULT_SCORING }
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/admin/scoring',
      roles: ADMIN,
      body: scoringSchema,
      query: versionQuery,
      async handler({ user, body, query }) {
        const out = await changeReference(ctx, user, query.baseVersion, 'scoring', (data) => ({
          ...data,
          scoring: body,
        }))
        return { version: out.version, scoring: body }
      },
    }),
  ]
}
