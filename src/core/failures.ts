// The refusals the core itself answers with (the workflow rules bring their own), in both
// languages, and turning a failed parse into an `invalid_input` failure naming the field.
import type { z } from 'zod'
import { ApiFailure, type ApiError } from '../shared/api'
import { fieldErrors, type Lang, type Localized } from '../shared/validation'

export const notLoggedIn = () =>
  new ApiFailure('not_logged_in', { zh: '请先登录', en: 'Log in first' })

export const notReady = () =>
  new ApiFailure('not_ready', {
    zh: '正在首次同步，基础数据尚未载入，请稍候',
    en: 'The first sync has not loaded the reference data yet; wait a moment',
  })

export const notFound = (id: string) =>
  new ApiFailure('not_found', { zh: `本机没有工单 ${id}`, en: `No ticket ${id} on this console` })

export const unreachable = (detail: string) =>
  new ApiFailure('offline', {
    zh: `无法连接服务器（${detail}）`,
    en: `Cannot reach the server (${detail})`,
  })

/**
 * The first problem of a failed parse. Labels come from the path inside `error` (so the shared
 * field names apply); the field reported is that path under `prefix` (`ticket.caller.phone`).
 */
export function invalidInput(error: z.ZodError, prefix = ''): ApiFailure {
  const first = fieldErrors(error)[0]
  if (!first)
    return new ApiFailure('invalid_input', { zh: '输入有误', en: 'Invalid input' }, prefix)
  const field = [prefix, first.field].filter(Boolean).join('.')
  return new ApiFailure('invalid_input', first.message, field)
}

export function toApiError(f: ApiFailure, lang: Lang): ApiError {
  return {
    code: f.code,
    message: f.localized[lang],
    localized: f.localized,
    ...(f.field !== undefined ? { field: f.field } : {}),
  }
}

export const internalError = (e: unknown): Localized => ({
  zh: `内部错误：${e instanceof Error ? e.message : String(e)}`,
  en: `Internal error: ${e instanceof Error ? e.message : String(e)}`,
})
