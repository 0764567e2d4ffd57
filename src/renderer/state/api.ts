// The renderer's handle on ConsoleApi, and small hooks over it. The screens never see a transport.
import { createContext, useContext, useEffect, useRef } from 'react'
import type {
  ApiArgs,
  ApiError,
  ApiMethod,
  ApiResults,
  ConsoleApi,
  ConsoleEvent,
} from '../../shared/api'
import type { Lang } from '../../shared/validation'

export const ApiContext = createContext<ConsoleApi | null>(null)

export function useApi(): ConsoleApi {
  const api = useContext(ApiContext)
  if (!api) throw new Error('ConsoleApi is not connected')
  return api
}

/** An error as the person reading it should see it, in their language. */
export const errorText = (e: ApiError, lang: Lang): string => e.localized?.[lang] ?? e.message

export class CallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
  }
}

/** Calls a method and returns its value, throwing a `CallError` for `{ok: false}`. */
export async function callOrThrow<M extends ApiMethod>(
  api: ConsoleApi,
  method: M,
  args: ApiArgs<M>,
): Promise<ApiResults[M]> {
  const r = await api.call(method, args)
  if (!r.ok) throw new CallError(r.error)
  return r.value
}

/** Subscribes to the event stream for the component's life; the handler may change freely. */
export function useConsoleEvents(api: ConsoleApi, handler: (e: ConsoleEvent) => void): void {
  const ref = useRef(handler)
  ref.current = handler
  useEffect(() => api.subscribe((e) => ref.current(e)), [api])
}
