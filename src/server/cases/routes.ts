// /api/v1/cases: exemplary cases (优秀案例, issue 6). Who may do what:
// - reading a year's list and exporting it: every role — it is to be published anyway — but unit
//   staff see only the cases of their own unit's tickets (as on pull);
// - nominating, editing, ranking and removing: supervisors only.
// A nomination must be a closed ticket a unit handled (not one answered on the call) whose
// caller called back satisfied or basically satisfied; anything else is refused with 409 and a
// code naming why. Ranks follow `rerank` (src/shared/cases.ts).
import { z } from 'zod'
import {
  caseExportQuerySchema,
  casesQuerySchema,
  nominateCaseSchema,
  updateCaseSchema,
  type CaseFormat,
} from '../../shared/cases'
import { STATUS_LABELS } from '../../shared/labels'
import { uuidv7 } from '../../shared/ids'
import { ROLES, type Ticket } from '../../shared/ticket'
import type { Localized } from '../../shared/validation'
import type { ServerContext } from '../context'
import { ApiError, notFound } from '../http/errors'
import { route, type RouteSpec } from '../http/route'
import { casesHtml, casesMarkdown, type DocumentInput } from './export'
import { oneCase, yearCases } from './views'
import { casesXlsx } from './xlsx'

const conflict = (code: string, localized: Localized, extra?: Record<string, unknown>) =>
  new ApiError(409, code, localized, undefined, extra)

const noCase = () => notFound({ zh: '没有这个案例', en: 'No such case' })

/** Why a ticket may not be nominated, or null when it may. */
export function refusal(t: Ticket): ApiError | null {
  if (t.status !== 'closed')
    return conflict('not_closed', {
      zh: `只能推荐已办结的工单：该工单当前为「${STATUS_LABELS[t.status].zh}」`,
      en: `Only a closed ticket can be nominated; this one is ${STATUS_LABELS[t.status].en}`,
    })
  if (t.unit == null || t.resolution?.kind !== 'replied')
    return conflict('not_handled_by_unit', {
      zh: '该工单为当场答复办结，没有承办单位办理，不能作为优秀案例',
      en: 'This ticket was answered on the call, not handled by a unit; it cannot be a case',
    })
  if (t.satisfaction === 'unsatisfied')
    return conflict('not_satisfied', {
      zh: '回访结果为不满意的工单不能作为优秀案例',
      en: 'The caller was unsatisfied; the ticket cannot be a case',
    })
  if (t.satisfaction == null)
    return conflict('not_satisfied', {
      zh: '该工单未经回访确认满意，不能作为优秀案例',
      en: 'No callback confirmed the caller was satisfied; the ticket cannot be a case',
    })
  return null
}

const MIME: Record<CaseFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

const caseId = z.uuid()

export function caseRoutes(ctx: ServerContext): RouteSpec[] {
  const idOf = (params: Record<string, string>) => {
    const id = caseId.safeParse(params.id)
    if (!id.success) throw noCase()
    return id.data
  }
  return [
    route({
      method: 'GET',
      url: '/api/v1/cases',
      roles: ROLES,
      query: casesQuerySchema,
      async handler({ user, query }) {
        return { year: query.year, cases: await yearCases(ctx, query.year, user) }
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/cases/export',
      roles: ROLES,
      query: caseExportQuerySchema,
      async handler({ user, query, reply }) {
        const ref = await ctx.reference()
        const doc: DocumentInput = {
          year: query.year,
          cases: await yearCases(ctx, query.year, user),
          calendar: ref.rules.calendar,
          now: ctx.now(),
        }
        const body =
          query.format === 'md'
            ? casesMarkdown(doc)
            : query.format === 'html'
              ? casesHtml(doc)
              : await casesXlsx(doc)
        const name = `hotline-cases-${query.year}.${query.format}`
        reply
          .type(MIME[query.format])
          .header('content-disposition', `attachment; filename="${name}"`)
          .header('cache-control', 'no-store')
          .header('x-case-count', String(doc.cases.length))
        return body
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/cases',
      roles: ['supervisor'],
      body: nominateCaseSchema,
      async handler({ user, body, reply }) {
        const ticket = await ctx.store.cases.ticket(body.ticketId)
        if (!ticket)
          throw new ApiError(
            404,
            'ticket_not_found',
            { zh: '没有这张工单', en: 'No such ticket' },
            'ticketId',
          )
        const refused = refusal(ticket)
        if (refused) throw refused
        const existing = await ctx.store.cases.byTicket(ticket.id)
        const already = (id: string | undefined) =>
          conflict(
            'already_nominated',
            {
              zh: `工单 ${ticket.number ?? ''} 已被推荐为优秀案例`,
              en: `Ticket ${ticket.number ?? ''} is already nominated`,
            },
            id ? { caseId: id } : undefined,
          )
        if (existing) throw already(existing.id)
        const ref = await ctx.reference()
        const nowMs = ctx.now()
        const now = new Date(nowMs).toISOString()
        const closed = Date.parse(ticket.closedAt ?? '')
        const id = uuidv7(nowMs)
        const inserted = await ctx.store.cases.insert({
          id,
          ticket_id: ticket.id,
          year: ref.rules.calendar.local(Number.isNaN(closed) ? nowMs : closed).y,
          title: body.title,
          write_up: body.writeUp,
          rank: null,
          nominated_by: user.id,
          nominated_at: now,
          updated_at: now,
        })
        // Two supervisors at once: the unique ticket_id decides.
        if (!inserted) throw already((await ctx.store.cases.byTicket(ticket.id))?.id)
        reply.code(201)
        return { case: await oneCase(ctx, id) }
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/cases/:id',
      roles: ['supervisor'],
      body: updateCaseSchema,
      async handler({ body, params }) {
        const id = idOf(params)
        if (body.title === undefined && body.writeUp === undefined && body.rank === undefined) {
          if (!(await ctx.store.cases.get(id))) throw noCase()
          throw new ApiError(400, 'nothing_to_change', {
            zh: '没有要修改的内容（标题、简介或排名）',
            en: 'Nothing to change (title, writeUp or rank)',
          })
        }
        const now = new Date(ctx.now()).toISOString()
        if (!(await ctx.store.cases.update(id, body, now))) throw noCase()
        return { case: await oneCase(ctx, id) }
      },
    }),
    route({
      method: 'DELETE',
      url: '/api/v1/cases/:id',
      roles: ['supervisor'],
      async handler({ params }) {
        const id = idOf(params)
        if (!(await ctx.store.cases.remove(id, new Date(ctx.now()).toISOString()))) throw noCase()
        return { deleted: id }
      },
    }),
  ]
}
