// The web host: the console for a browser, where Electron is not installed and in browser tests.
// It serves the built renderer and carries ConsoleApi over HTTP (calls) and a WebSocket (events)
// to the same core Electron would run. It holds citizens' data, so it binds to loopback only,
// refuses a foreign Host or Origin (no DNS rebinding, no cross-site requests from other pages in
// the same browser), and wants the secret made at each start on every call and event stream.
// The secret reaches the page in the URL's fragment, which browsers never send to a server.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, resolve, sep } from 'node:path'
import websocket from '@fastify/websocket'
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify'
import { API_METHODS, type ApiMethod, type ConsoleEvent } from '../../shared/api'
import type { CacheProtection } from '../../shared/settings'
import { contentSecurityPolicy } from './csp'
import { EXPORT_TYPES, exportFile } from './export-files'

/** What the host carries: the core's two entry points. */
/**
 * The cache as the web host runs it: a browser has no keychain to keep a key in, so the cache is
 * not encrypted at rest — the settings screen and the start-up line say so plainly.
 */
export const WEB_HOST_CACHE = {
  key: null,
  protection: { encrypted: false, keyStore: null, reason: 'web_host' },
} as const satisfies { key: null; protection: CacheProtection }

export interface HostedCore {
  call(method: ApiMethod, args: unknown): Promise<unknown>
  subscribe(listener: (event: ConsoleEvent) => void): () => void
  /** Where the core writes its exports: `GET /exports/<name>` serves them (issue 6). */
  readonly exportsDir?: string
}

export interface WebHostOptions {
  core: HostedCore
  /** The built renderer (index.html and assets). */
  rendererDir: string
  port?: number
  /** Fixed for tests; made at random otherwise. */
  secret?: string
}

export interface WebHost {
  /** `http://127.0.0.1:PORT` */
  origin: string
  /** The address to open: the origin with the secret in the fragment. */
  url: string
  secret: string
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json; charset=utf-8',
}

const sameSecret = (given: string | undefined, secret: string): boolean => {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const secret = opts.secret ?? randomBytes(32).toString('base64url')
  const root = resolve(opts.rendererDir)
  // forceCloseConnections: stopping the console must not wait for a browser's idle keep-alive.
  const app: FastifyInstance = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    forceCloseConnections: true,
  })
  // JSON only: a form or text/plain post is what another site could send without a preflight.
  app.removeContentTypeParser(['text/plain'])
  let origin = ''
  const allowedHosts = new Set<string>()

  // Every request: our Host only; and when a browser says where a request comes from, our origin.
  app.addHook('onRequest', async (req, reply) => {
    const refuse = (status: number, code: string, message: string) => {
      // A refused WebSocket upgrade owns its socket: end it, or it stays open (and close() waits).
      if (req.headers.upgrade) reply.raw.once('finish', () => req.raw.socket.destroy())
      return reply.code(status).send({ error: { code, message } })
    }
    if (!allowedHosts.has(req.headers.host ?? ''))
      return refuse(421, 'wrong_host', 'Misdirected request')
    const from = req.headers.origin
    if (
      from !== undefined &&
      from !== origin &&
      from !== origin.replace('127.0.0.1', 'localhost')
    ) {
      return refuse(403, 'foreign_origin', 'Foreign origin')
    }
    reply.header('x-content-type-options', 'nosniff')
    reply.header('x-frame-options', 'DENY')
    reply.header('referrer-policy', 'no-referrer')
    reply.header('cross-origin-opener-policy', 'same-origin')
    reply.header('cross-origin-resource-policy', 'same-origin')
  })

  const authorized = (req: FastifyRequest) =>
    sameSecret(req.headers.authorization?.replace(/^Bearer /, ''), secret)

  app.post('/api/call', async (req, reply) => {
    if (!authorized(req))
      return reply.code(401).send({ error: { code: 'no_secret', message: 'Unauthorized' } })
    const body = req.body as { method?: unknown; args?: unknown } | undefined
    const method = body?.method
    if (typeof method !== 'string' || !API_METHODS.includes(method as ApiMethod))
      return reply.code(400).send({
        ok: false,
        error: {
          code: 'unknown_method',
          message: `Unknown method ${String(method)}`,
          field: 'method',
        },
      })
    return opts.core.call(method as ApiMethod, body?.args ?? {})
  })

  // A finished export, as a download. The page fetches it with the secret in the header, like a
  // call (so the secret never sits in a URL or the browser's download list), and saves it.
  app.get('/exports/:name', async (req, reply) => {
    if (!authorized(req))
      return reply.code(401).send({ error: { code: 'no_secret', message: 'Unauthorized' } })
    const { name } = req.params as { name: string }
    const file = await exportFile(opts.core.exportsDir, name)
    if (!file)
      return reply.code(404).send({ error: { code: 'not_found', message: 'No such export' } })
    const size = (await stat(file)).size
    reply.header('content-disposition', `attachment; filename="${name}"`)
    reply.header('content-length', size)
    reply.header('cache-control', 'no-store')
    return reply
      .type(EXPORT_TYPES[name.slice(name.lastIndexOf('.') + 1)]!)
      .send(createReadStream(file))
  })

  await app.register(websocket, { options: { maxPayload: 16 * 1024 } })
  app.register(async (scope) => {
    scope.get('/api/events', { websocket: true }, (socket) => {
      let unsubscribe: (() => void) | null = null
      const timer = setTimeout(() => socket.close(4401, 'no secret'), 5000)
      socket.once('message', (data) => {
        clearTimeout(timer)
        let given: string | undefined
        try {
          given = (JSON.parse(String(data)) as { secret?: string }).secret
        } catch {
          given = undefined
        }
        if (!sameSecret(given, secret)) return socket.close(4401, 'no secret')
        unsubscribe = opts.core.subscribe((event) => socket.send(JSON.stringify(event)))
        socket.send(JSON.stringify({ type: 'hello' }))
      })
      socket.on('close', () => {
        clearTimeout(timer)
        unsubscribe?.()
      })
    })
  })

  const csp = contentSecurityPolicy()
  app.get('/*', async (req, reply) => {
    let path: string
    try {
      path = decodeURIComponent(req.url.split('?')[0]!.split('#')[0]!)
    } catch {
      return reply.code(400).send({ error: { code: 'bad_path', message: 'Malformed path' } })
    }
    if (path.includes('\0')) return reply.code(400).send()
    const file = normalize(join(root, path === '/' ? 'index.html' : path))
    if (file !== root && !file.startsWith(root + sep)) return reply.code(404).send()
    const found = await stat(file).catch(() => null)
    // Client-side routes fall back to the app itself.
    const target = found?.isFile() ? file : join(root, 'index.html')
    const body = await readFile(target).catch(() => null)
    if (!body)
      return reply.code(404).send({ error: { code: 'not_built', message: 'renderer not built' } })
    const type = MIME[extname(target)] ?? 'application/octet-stream'
    if (type.startsWith('text/html')) reply.header('content-security-policy', csp)
    reply.header('cache-control', 'no-cache')
    return reply.type(type).send(body)
  })

  await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' })
  const addr = app.server.address()
  const port = typeof addr === 'object' && addr ? addr.port : 0
  origin = `http://127.0.0.1:${port}`
  allowedHosts.add(`127.0.0.1:${port}`)
  allowedHosts.add(`localhost:${port}`)
  return {
    origin,
    url: `${origin}/#secret=${secret}`,
    secret,
    close: () => app.close(),
  }
}
