// The console's side of the server's HTTP API: JSON in and out, a timeout on every request, and
// failures sorted into what the sync client must do about them.
import type { Localized } from '../../shared/validation'

/**
 * `network`: no answer (server down, connection dropped, timeout) — retry later;
 * `unauthorized`: the token is no longer valid — log in again;
 * `temporary`: 5xx, 429 — retry later;
 * `rejected`: another 4xx — the request itself is wrong.
 */
export type FailureKind = 'network' | 'unauthorized' | 'temporary' | 'rejected'

export class HttpFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status: number | null,
    readonly code: string,
    readonly localized: Localized,
    readonly field?: string,
  ) {
    super(`${code}: ${localized.en}`)
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; localized?: Localized; field?: string }
}

export interface HttpOptions {
  baseUrl: string
  token: string | null
  timeoutMs?: number
  signal?: AbortSignal
  /** Extra request headers (a pull names its console in one, never in the URL). */
  headers?: Record<string, string>
}

function kindOf(status: number): FailureKind {
  if (status === 401) return 'unauthorized'
  if (status >= 500 || status === 429 || status === 408) return 'temporary'
  return 'rejected'
}

export async function requestJson<T>(
  opts: HttpOptions,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const { status, bytes } = await request(opts, method, path, body)
  const text = new TextDecoder().decode(bytes)
  try {
    return JSON.parse(text) as T
  } catch {
    throw new HttpFailure('temporary', status, 'bad_response', {
      zh: '服务器的应答无法解析',
      en: 'The server answered something that is not JSON',
    })
  }
}

/** A GET whose answer is a file (an export): its bytes and headers, failures as for JSON. */
export async function requestBytes(
  opts: HttpOptions,
  path: string,
): Promise<{ bytes: Buffer; headers: Headers }> {
  const { bytes, headers } = await request(opts, 'GET', path)
  return { bytes, headers }
}

async function request(
  opts: HttpOptions,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
  const signals = [AbortSignal.timeout(opts.timeoutMs ?? 30_000)]
  if (opts.signal) signals.push(opts.signal)
  let res: Response
  let bytes: Buffer
  try {
    res = await fetch(opts.baseUrl.replace(/\/+$/, '') + path, {
      method,
      headers: {
        // Large answers (snapshot pages, long pulls, searches) come compressed (issue 18);
        // fetch decodes them.
        'accept-encoding': 'br, gzip',
        ...opts.headers,
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.any(signals),
    })
    bytes = await bodyOf(res, signals)
  } catch (e) {
    const why =
      e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)
    throw new HttpFailure('network', null, 'network', {
      zh: `网络不通：${why}`,
      en: `Network error: ${why}`,
    })
  }
  if (res.ok) return { status: res.status, bytes, headers: res.headers }
  let err: ErrorBody['error'] = undefined
  try {
    err = (JSON.parse(new TextDecoder().decode(bytes)) as ErrorBody).error
  } catch {
    // not JSON: keep the status alone
  }
  const fallback = err?.message ?? `HTTP ${res.status}`
  throw new HttpFailure(
    kindOf(res.status),
    res.status,
    err?.code ?? `http_${res.status}`,
    err?.localized ?? { zh: fallback, en: fallback },
    err?.field,
  )
}

/**
 * The answer's body, or a failure as soon as any of `signals` fires. Node 20's fetch does not
 * always end a body read when its signal fires after the headers came: a console closing with a
 * slow answer half-read waited for it without end (found in CI, under load). Listened to on the
 * source signals themselves, not only on the composite one handed to fetch.
 */
function bodyOf(res: Response, signals: AbortSignal[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const stop = () => signals.forEach((s) => s.removeEventListener('abort', onAbort))
    function onAbort(this: AbortSignal | void) {
      stop()
      const fired = signals.find((s) => s.aborted)
      res.body?.cancel().catch(() => {})
      reject(fired?.reason ?? new Error('aborted'))
    }
    if (signals.some((s) => s.aborted)) return onAbort()
    signals.forEach((s) => s.addEventListener('abort', onAbort, { once: true }))
    res.arrayBuffer().then(
      (b) => {
        stop()
        resolve(Buffer.from(b))
      },
      (e: unknown) => {
        stop()
        reject(e instanceof Error ? e : new Error(String(e)))
      },
    )
  })
}

/** Exponential backoff with jitter: base·2^attempt, capped, then a random 50–100 % of it. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30))
  return Math.round(exp * (0.5 + Math.random() * 0.5))
}

/** Sleep that an abort ends early (resolving, not throwing: the caller checks why it woke). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = () => {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const t = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
