// Compressed answers (issue 18): a district office syncing over a VPN of a few Mbit/s must not
// wait for 300 MiB of JSON. Every answer of more than THRESHOLD bytes whose type compresses (JSON,
// XML, text) goes out as brotli or gzip, whichever the client prefers of those it accepts (the
// console core asks for brotli; plain fetch clients get gzip). Small answers — the pull after a
// single change, a push's results — stay as they are: compressing them costs more than it saves.
// Compression runs on libuv's thread pool, off the event loop.
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { FastifyInstance } from 'fastify'

export const COMPRESS_THRESHOLD = 2048
const brotli = promisify(zlib.brotliCompress)
const gzip = promisify(zlib.gzip)
const COMPRESSIBLE = /json|xml|text|csv|markdown/

export type Encoding = 'br' | 'gzip'

/** The encoding to answer with: brotli or gzip by the client's q-values, else none. */
export function negotiate(header: string | string[] | undefined): Encoding | null {
  const raw = Array.isArray(header) ? header.join(',') : (header ?? '')
  let best: { enc: Encoding; q: number } | null = null
  for (const part of raw.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';')
    if (name !== 'br' && name !== 'gzip') continue
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const q = qp ? Number(qp.slice(2)) : 1
    if (!(q > 0)) continue
    // At equal weight brotli wins: smaller for the same CPU at the quality used here.
    if (!best || q > best.q || (q === best.q && name === 'br')) best = { enc: name, q }
  }
  return best?.enc ?? null
}

export interface CompressionObserver {
  (route: string, rawBytes: number, sentBytes: number): void
}

/** Compresses large answers; `observe` hears each answer's size before and after. */
export function compressAnswers(app: FastifyInstance, observe?: CompressionObserver): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload
    const route = request.routeOptions.url ?? 'unmatched'
    const raw = typeof payload === 'string' ? Buffer.from(payload) : payload
    const type = String(reply.getHeader('content-type') ?? '')
    const enc =
      raw.length >= COMPRESS_THRESHOLD &&
      COMPRESSIBLE.test(type) &&
      !reply.hasHeader('content-encoding')
        ? negotiate(request.headers['accept-encoding'])
        : null
    if (!enc) {
      observe?.(route, raw.length, raw.length)
      return payload
    }
    const out =
      enc === 'br'
        ? await brotli(raw, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: 4,
              [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
            },
          })
        : await gzip(raw, { level: 6 })
    void reply.header('content-encoding', enc)
    void reply.header('vary', 'accept-encoding')
    reply.removeHeader('content-length')
    observe?.(route, raw.length, out.length)
    return out
  })
}
