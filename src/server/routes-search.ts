// GET /api/v1/tickets/search?q=…&limit=…: tickets a console does not hold locally, found by
// number, caller phone, caller name, address or description (Chinese text of any length), as
// queue rows with the phone masked; unit staff find only their own unit's tickets (as on pull).
// A hit on a number (or an anonymous caller's name) the searcher may not see is left out, so a
// search cannot tell them whose number it is (sync/present.ts).
import { z } from 'zod'
import { maskPhone, provisionalNumber, type TicketRow } from '../shared/api'
import { deadlineState } from '../shared/deadline-state'
import { ROLES, type Ticket } from '../shared/ticket'
import { ticketFor } from '../shared/phone-access'
import type { ServerContext } from './context'
import { searchHitVisible } from './sync/present'
import { route, type RouteSpec } from './http/route'

const SUMMARY_CHARS = 80

/** Control characters (line breaks among them) as spaces. */
const withoutControls = (s: string) =>
  [...s].map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' ? ' ' : c)).join('')

export const searchQuerySchema = z.object({
  q: z
    .string()
    // Line breaks separate the fields in the index: they (and other controls) never match.
    .transform((s) => withoutControls(s).trim())
    .pipe(z.string().min(1).max(200)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

/** A ticket as a queue row (src/shared/api.ts `TicketRow`), phone masked. */
export function ticketRowOf(t: Ticket, nowMs: number, atRiskFraction: number): TicketRow {
  const firstLine = t.description.split('\n', 1)[0] ?? ''
  const chars = [...firstLine]
  return {
    id: t.id,
    number: t.number ?? provisionalNumber(t.id),
    provisional: t.number == null,
    status: t.status,
    channel: t.channel,
    kind: t.kind,
    category: t.category,
    urgency: t.urgency,
    unit: t.unit,
    district: t.location.district,
    address: t.location.address,
    callerPhoneMasked: maskPhone(t.caller.phone),
    callerName: t.caller.name,
    summary:
      chars.length > SUMMARY_CHARS ? `${chars.slice(0, SUMMARY_CHARS).join('')}…` : firstLine,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    dispatchedAt: t.dispatchedAt,
    signBy: t.signBy,
    dueAt: t.dueAt,
    deadlineState: deadlineState(t, nowMs, atRiskFraction),
    pending: false,
    version: t.version,
  }
}

export function searchRoutes(ctx: ServerContext): RouteSpec[] {
  return [
    route({
      method: 'GET',
      url: '/api/v1/tickets/search',
      roles: ROLES,
      query: searchQuerySchema,
      async handler({ user, query }) {
        const tickets = await ctx.store.search.search({
          q: query.q,
          limit: query.limit,
          unit: user.role === 'unit' ? (user.unit ?? '\u0000none') : null,
        })
        const ref = await ctx.reference()
        const now = ctx.now()
        const rows = tickets
          .filter((t) => searchHitVisible(user, t, query.q))
          .map((t) => ticketRowOf(ticketFor(user, t), now, ref.data.deadlines.atRiskFraction))
        return { rows }
      },
    }),
  ]
}
