// Errors as every API route answers them: `{error: {code, message, field?}}`, with the message
// in English for logs and `localized` for people, and never a 500 for a malformed request.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import type { FieldError, Localized } from '../../shared/validation'
import { isTemporary } from '../store'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly localized: Localized,
    readonly field?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(localized.en)
  }
}

export const badRequest = (errors: FieldError[]): ApiError => {
  const first = errors[0] ?? {
    field: '',
    code: 'invalid',
    message: { zh: '请求有误', en: 'Invalid request' },
  }
  return new ApiError(400, first.code, first.message, first.field, { fields: errors })
}

export const unauthorized = () =>
  new ApiError(401, 'unauthorized', {
    zh: '请先登录',
    en: 'Log in first (missing or expired token)',
  })

export const forbiddenRole = () =>
  new ApiError(403, 'forbidden', { zh: '你的角色无权访问', en: 'Your role may not use this' })

export const notFound = (what: Localized = { zh: '找不到', en: 'Not found' }) =>
  new ApiError(404, 'not_found', what)

export function errorBody(e: ApiError) {
  return {
    error: {
      code: e.code,
      message: e.localized.en,
      localized: e.localized,
      ...(e.field !== undefined ? { field: e.field } : {}),
      ...e.extra,
    },
  }
}

/** Fastify's own 4xx (bad JSON, wrong content type, too large) keep their status and say so. */
function frameworkError(e: FastifyError): ApiError | null {
  const status = e.statusCode
  if (status == null || status < 400 || status >= 500) return null
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(e.message))
    // The parser refuses prototype keys as it refuses broken JSON, and does not say which.
    return new ApiError(status, 'invalid_json', {
      zh: '请求不是有效的 JSON，或含有不允许的键（__proto__、constructor.prototype）',
      en: 'Body is not valid JSON, or holds a forbidden key (__proto__, constructor.prototype)',
    })
  return new ApiError(status, 'bad_request', { zh: '请求格式有误', en: e.message })
}

/**
 * Errors fastify meets before routing (a URL that does not decode, `%zz`): answered in the API's
 * own shape. Passed as the `frameworkErrors` option when the app is made.
 */
export function routingError(err: FastifyError, _req: unknown, reply: FastifyReply): void {
  void reply
    .status(400)
    .send(errorBody(new ApiError(400, 'bad_url', { zh: '地址格式有误', en: err.message })))
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, req, reply) => {
    const e = err as FastifyError
    const api =
      err instanceof ApiError
        ? err
        : err instanceof SyntaxError
          ? new ApiError(400, 'invalid_json', {
              zh: '请求不是有效的 JSON',
              en: 'Body is not valid JSON',
            })
          : frameworkError(e)
    if (api) return reply.status(api.status).send(errorBody(api))
    if (isTemporary(err)) {
      req.log.warn({ err }, 'temporary failure')
      return reply
        .status(503)
        .header('retry-after', '1')
        .send(
          errorBody(
            new ApiError(503, 'unavailable', {
              zh: '服务暂时不可用，请稍后重试',
              en: 'Temporarily unavailable; try again',
            }),
          ),
        )
    }
    req.log.error({ err }, 'unexpected error')
    return reply
      .status(500)
      .send(
        errorBody(
          new ApiError(500, 'internal', { zh: '服务器内部错误', en: 'Internal server error' }),
        ),
      )
  })
  app.setNotFoundHandler((req, reply) =>
    reply
      .status(404)
      .send(
        errorBody(
          notFound({ zh: '没有这个地址', en: `No route ${req.method} ${req.url.split('?')[0]}` }),
        ),
      ),
  )
}
