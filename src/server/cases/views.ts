// Cases as the API answers them: the stored nomination plus the ticket facts, computed afresh from
// the ticket and its timeline on every read (src/shared/case-facts.ts), in list order.
import { caseFacts, type FactsContext } from '../../shared/case-facts'
import { caseOrder, type CaseView } from '../../shared/cases'
import { indexReference } from '../../shared/reference-data'
import type { ServerContext } from '../context'
import type { CaseRecord, UserRecord } from '../store'

export async function factsContext(ctx: ServerContext): Promise<FactsContext> {
  const ref = await ctx.reference()
  return { calendar: ref.rules.calendar, index: indexReference(ref.data) }
}

/** Unit staff see only cases of tickets with their unit (as on pull); everyone else all. */
export const unitScope = (user: UserRecord): string | null =>
  user.role === 'unit' ? (user.unit ?? '\u0000none') : null

export async function caseViews(
  ctx: ServerContext,
  records: readonly CaseRecord[],
): Promise<CaseView[]> {
  const facts = await factsContext(ctx)
  const timelines = await ctx.store.cases.timelines(records.map((r) => r.ticket.id))
  return records
    .map(({ row, ticket, nominatorName }): CaseView => ({
      id: row.id,
      ticketId: row.ticket_id,
      year: Number(row.year),
      title: row.title,
      writeUp: row.write_up,
      rank: row.rank == null ? null : Number(row.rank),
      nominatedBy: { id: row.nominated_by, name: nominatorName },
      nominatedAt: row.nominated_at,
      updatedAt: row.updated_at,
      facts: caseFacts(ticket, timelines.get(ticket.id) ?? [], facts),
    }))
    .sort(caseOrder)
}

/** A year's cases in list order: ranked by rank, then the others by nomination. */
export async function yearCases(
  ctx: ServerContext,
  year: number,
  user: UserRecord,
): Promise<CaseView[]> {
  return caseViews(ctx, await ctx.store.cases.list(year, unitScope(user)))
}

export async function oneCase(ctx: ServerContext, id: string): Promise<CaseView | null> {
  const r = await ctx.store.cases.get(id)
  return r ? ((await caseViews(ctx, [r]))[0] ?? null) : null
}
