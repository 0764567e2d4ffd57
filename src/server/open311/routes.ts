// Open311 GeoReport v2 under /open311/v2/: discovery, services, service definitions, requests
// (GET with the spec's filters, POST form-encoded with api_key), one request, tokens. Each as
// `.json` and `.xml`. Reads are public, as the spec allows, and show only what
// src/shared/publication.ts lets them (a request it does not is answered as if it did not exist);
// public reads are limited per client address. Posting needs an api_key; a channel that gives its
// api_key on a read also follows the requests it filed itself, and is not limited.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { WorkCalendar } from '../../shared/calendar'
import type { Status, Ticket } from '../../shared/ticket'
import { STATUSES } from '../../shared/ticket'
import { mayPublish, PUBLIC, type PublicReader } from '../../shared/publication'
import type { ServerContext } from '../context'
import { channelOfKey, createRequest } from './create'
import { CONTENT_TYPES, list, render, type Format, type Value } from './document'
import { errorsDocument, fail, Open311Error, say } from './errors'
import {
  EXPLAINED_BY_EVENT,
  localIso,
  publicStatus,
  requestDocument,
  type PublicStatus,
} from './present'
import { definitionDocument, serviceDocument, servicesOf } from './services'

export const OPEN311_PREFIX = '/open311/v2'
const FORMATS: readonly Format[] = ['json', 'xml']
const DAY = 86_400_000
const MAX_SPAN_DAYS = 90
const MAX_REQUESTS = 1000

/** The format asked for by the path's extension; XML (the spec's required format) otherwise. */
const formatOf = (url: string): Format => (url.split('?')[0]!.endsWith('.json') ? 'json' : 'xml')

function send(reply: FastifyReply, format: Format, status: number, root: string, doc: Value) {
  return reply
    .status(status)
    .header('content-type', CONTENT_TYPES[format])
    .send(render(format, root, doc))
}

/** `0101.json` → code and format; 404 for any other ending. */
function splitFile(file: string | undefined): { id: string; format: Format } {
  const m = /^(.+)\.(json|xml)$/.exec(file ?? '')
  if (!m) throw fail(404, '地址须以 .json 或 .xml 结尾', 'The path must end in .json or .xml')
  return { id: m[1]!, format: m[2] as Format }
}

/** A query parameter as text; repeated ones joined with commas (the spec allows both). */
function param(request: FastifyRequest, name: string): string | null {
  const v = (request.query as Record<string, unknown> | undefined)?.[name]
  const s = Array.isArray(v) ? v.join(',') : typeof v === 'string' ? v : null
  return s && s.trim() ? s.trim() : null
}

const commaList = (s: string | null): string[] | null =>
  s == null ? null : [...new Set(s.split(',').map((x) => x.trim()))].filter(Boolean)

const W3C =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * A W3C datetime as epoch ms. Without a zone it is the hotline's local time; a bare date is the
 * start of that local day, or its end for `end_date`.
 */
function parseDate(raw: string, name: string, cal: WorkCalendar): number {
  const m = W3C.exec(raw)
  const bad = () =>
    fail(
      400,
      `${name} 须是 W3C 日期时间，如 2026-01-01T00:00:00+08:00`,
      `${name} must be a W3C datetime, eg 2010-01-01T00:00:00Z`,
    )
  if (!m) throw bad()
  const [, y, mo, d, hh, mi, ss, frac, zone] = m
  const date = { y: Number(y), m: Number(mo), d: Number(d) }
  const check = new Date(Date.UTC(date.y, date.m - 1, date.d))
  if (check.getUTCMonth() !== date.m - 1 || check.getUTCDate() !== date.d) throw bad()
  if (hh == null) return name === 'end_date' ? cal.instant(date, 24 * 60) - 1 : cal.instant(date, 0)
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss ?? 0) > 59) throw bad()
  const ms = Math.round(Number(frac ?? 0) * 1000)
  if (zone) {
    const z = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`
    const iso = `${y}-${mo}-${d}T${hh}:${mi}:${ss ?? '00'}.${String(ms).padStart(3, '0')}${z}`
    const t = Date.parse(iso)
    if (Number.isNaN(t)) throw bad()
    return t
  }
  return cal.instant(date, Number(hh) * 60 + Number(mi)) + Number(ss ?? 0) * 1000 + ms
}

const STATUSES_OF: Record<PublicStatus, Status[]> = {
  open: STATUSES.filter((s) => publicStatus(s) === 'open'),
  closed: STATUSES.filter((s) => publicStatus(s) === 'closed'),
}

export function open311Routes(ctx: ServerContext) {
  const store = ctx.store

  async function requestsDocument(tickets: Ticket[]): Promise<Value> {
    const ref = await ctx.reference()
    const explained = new Set(EXPLAINED_BY_EVENT.map((x) => x.status))
    const events = await store.open311.latestEvents(
      tickets.filter((t) => explained.has(t.status)).map((t) => t.id),
      EXPLAINED_BY_EVENT.map((x) => x.event),
    )
    const p = { ref: ref.data, cal: ref.rules.calendar, services: servicesOf(ref.data), events }
    return list(
      'request',
      tickets.map((t) => requestDocument(t, p)),
    )
  }

  /**
   * Who reads: the public, or the channel whose api_key the query carries (403 for a key that
   * is not one). Public reads spend a token of their address's bucket first (429 when empty).
   */
  async function readerOf(request: FastifyRequest, reply: FastifyReply): Promise<PublicReader> {
    const key = param(request, 'api_key')
    if (key != null) {
      const channel = await channelOfKey(ctx, key)
      if (!channel) throw fail(403, 'api_key 无效', 'Invalid api_key received')
      return { channel }
    }
    const wait = ctx.open311Reads.take(request.ip)
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000)
      void reply.header('retry-after', String(seconds))
      throw fail(
        429,
        `查询过于频繁，请 ${seconds} 秒后再试`,
        `Too many requests; try again in ${seconds} s`,
      )
    }
    return PUBLIC
  }

  async function findRequests(request: FastifyRequest, reader: PublicReader): Promise<Ticket[]> {
    return (await matchingRequests(request)).filter((t) => mayPublish(t, reader))
  }

  async function matchingRequests(request: FastifyRequest): Promise<Ticket[]> {
    const ids = commaList(param(request, 'service_request_id'))
    if (ids) {
      if (ids.length > MAX_REQUESTS)
        throw fail(
          400,
          `service_request_id 一次最多 ${MAX_REQUESTS} 个`,
          `At most ${MAX_REQUESTS} service_request_id at once`,
        )
      // "This overrides all other arguments."
      const base = { categories: null, statuses: null, from: '', to: '', limit: MAX_REQUESTS }
      return store.open311.requests({ ...base, numbers: ids })
    }
    const cal = (await ctx.reference()).rules.calendar
    const statuses: Status[] = []
    for (const s of commaList(param(request, 'status')) ?? ['open', 'closed']) {
      if (s !== 'open' && s !== 'closed')
        throw fail(400, `status 只能是 open 或 closed：${s}`, 'status must be open or closed')
      statuses.push(...STATUSES_OF[s])
    }
    const rawStart = param(request, 'start_date')
    const rawEnd = param(request, 'end_date')
    let start = rawStart == null ? null : parseDate(rawStart, 'start_date', cal)
    let end = rawEnd == null ? null : parseDate(rawEnd, 'end_date', cal)
    if (start != null && end != null) {
      if (end < start) throw fail(400, 'end_date 早于 start_date', 'end_date is before start_date')
      if (end - start > MAX_SPAN_DAYS * DAY)
        throw fail(
          400,
          `start_date 到 end_date 不能超过 ${MAX_SPAN_DAYS} 天`,
          `start_date to end_date may not span more than ${MAX_SPAN_DAYS} days`,
        )
    }
    if (start == null) {
      end ??= ctx.now()
      start = end - MAX_SPAN_DAYS * DAY
    } else end ??= start + MAX_SPAN_DAYS * DAY
    return store.open311.requests({
      numbers: null,
      categories: commaList(param(request, 'service_code')),
      statuses: [...new Set(statuses)],
      from: new Date(start).toISOString(),
      to: new Date(end).toISOString(),
      limit: MAX_REQUESTS,
    })
  }

  /** A request this reader may see; one it may not is as unknown as one that never was. */
  async function oneRequest(number: string, reader: PublicReader): Promise<Ticket> {
    const t = await store.open311.byNumber(number)
    if (!t || !mayPublish(t, reader))
      throw fail(404, `没有编号为 ${number} 的诉求`, `service_request_id ${number} was not found`)
    return t
  }

  return async function plugin(scope: FastifyInstance): Promise<void> {
    scope.setErrorHandler((err: FastifyError, request, reply) => {
      let e: Open311Error
      if (err instanceof Open311Error) e = err
      else if (err.statusCode != null && err.statusCode >= 400 && err.statusCode < 500)
        e = fail(400, '请求格式有误', `The request is invalid: ${err.message}`)
      else {
        request.log.error({ err }, 'open311 request failed')
        e = fail(
          400,
          '服务暂时出错，请稍后重试；如仍失败请联系我们',
          'General service error; try again, and tell us if it persists',
        )
      }
      return send(reply, formatOf(request.url), e.status, 'errors', errorsDocument(e.errors))
    })
    scope.setNotFoundHandler((request, reply) => {
      const e = fail(
        404,
        '没有这个资源',
        `No resource ${request.method} ${request.url.split('?')[0]}`,
      )
      return send(reply, formatOf(request.url), 404, 'errors', errorsDocument(e.errors))
    })

    for (const format of FORMATS) {
      scope.get(`/discovery.${format}`, async (request, reply) => {
        const changed = await store.open311.referenceChangedAt()
        const cal = (await ctx.reference()).rules.calendar
        const changeset = localIso(changed, cal) ?? ''
        return send(reply, format, 200, 'discovery', {
          changeset,
          contact: say(
            '12345 热线：拨打 12345，或联系热线管理员',
            'call 12345, or contact the hotline administrators',
          ),
          key_service: say(
            '提交诉求所需的 api_key 由 12345 热线管理员发放。通过本接口提交的诉求将公开（不含姓名、电话，地址只到街道）；查询无需 api_key，带上 api_key 还可查询本渠道提交的全部诉求',
            'api keys for posting requests are issued by the hotline administrators. Requests posted here are published (without name or phone, the address cut to the street); reading needs no key, and with its api_key a channel also reads every request it posted',
          ),
          endpoints: list('endpoint', [
            {
              specification: 'http://wiki.open311.org/GeoReport_v2',
              url: `${request.protocol}://${request.host}${OPEN311_PREFIX}`,
              changeset,
              type: 'production',
              formats: list('format', [CONTENT_TYPES.xml.split(';')[0]!, 'application/json']),
            },
          ]),
        })
      })

      scope.get(`/services.${format}`, async (_request, reply) => {
        const services = servicesOf((await ctx.reference()).data)
        return send(
          reply,
          format,
          200,
          'services',
          list('service', services.list.map(serviceDocument)),
        )
      })

      scope.get(`/requests.${format}`, async (request, reply) => {
        const reader = await readerOf(request, reply)
        const doc = await requestsDocument(await findRequests(request, reader))
        return send(reply, format, 200, 'service_requests', doc)
      })

      scope.post(`/requests.${format}`, async (request, reply) => {
        const body = request.body
        const form = body && typeof body === 'object' ? (body as Record<string, unknown>) : {}
        const { number, accountId } = await createRequest(ctx, form)
        return send(
          reply,
          format,
          200,
          'service_requests',
          list('request', [
            {
              service_request_id: number,
              service_notice: say(
                `已受理，工单编号 ${number}；将派给承办单位按时限办理，可凭编号查询进度`,
                `logged as ${number}; it will be dispatched to the responsible unit`,
              ),
              account_id: accountId,
            },
          ]),
        )
      })
    }

    scope.get('/services/:file', async (request, reply) => {
      const { id, format } = splitFile((request.params as Record<string, string>).file)
      const services = servicesOf((await ctx.reference()).data)
      if (!services.byCode.has(id))
        throw fail(404, `没有编码为 ${id} 的服务`, `service_code ${id} was not found`)
      return send(reply, format, 200, 'service_definition', definitionDocument(services, id))
    })

    scope.get('/requests/:file', async (request, reply) => {
      const { id, format } = splitFile((request.params as Record<string, string>).file)
      const doc = await requestsDocument([await oneRequest(id, await readerOf(request, reply))])
      return send(reply, format, 200, 'service_requests', doc)
    })

    // Requests are realtime: a POST answers with the service_request_id itself, so no other
    // token is ever issued, and a request's token is its id.
    scope.get('/tokens/:file', async (request, reply) => {
      const { id, format } = splitFile((request.params as Record<string, string>).file)
      const t = await oneRequest(id, await readerOf(request, reply))
      return send(
        reply,
        format,
        200,
        'service_requests',
        list('request', [{ service_request_id: t.number, token: id }]),
      )
    })
  }
}
