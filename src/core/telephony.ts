// Screen pop: the telephony system (the call switch / CTI) tells this console a call is ringing on
// its line, and the core passes it on as a `call.incoming` event. A tiny HTTP listener on loopback
// only, because the switch's connector runs on the agent's machine and nothing else should reach
// it. A ringing call opens a screen showing a citizen's number, so the listener wants the token
// from the console's settings file, refuses anything a browser page could send (an Origin header,
// a foreign Host for DNS rebinding) and pops the same call once however often the switch retries.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { join } from 'node:path'
import { z } from 'zod'
import { normalizePhone } from '../shared/actions'
import type { IncomingCall } from '../shared/api'
import { fieldErrors } from '../shared/validation'
import { privateDir } from './private-files'

export const DEFAULT_CALL_PORT = 8413
export const TELEPHONY_FILE = 'telephony.json'
/** A call body is a phone number and an id; anything near this size is not one. */
const MAX_BODY = 4 * 1024
/** Switches retry; the same call id within this window is acknowledged and not popped again. */
const DUPLICATE_WINDOW_MS = 10 * 60_000
const MAX_REMEMBERED_CALLS = 10_000

export interface TelephonySettings {
  port: number
  token: string
}

/** What a running listener tells the console's owner (tests, `npm start`). */
export interface TelephonyInfo extends TelephonySettings {
  /** The file the port and token come from: the telephony system is configured with them. */
  settingsFile: string
}

const settingsSchema = z.object({
  port: z.number().int().min(0).max(65535),
  token: z.string().min(16),
})

export const telephonySettingsFile = (dataDir: string): string => join(dataDir, TELEPHONY_FILE)

/** The settings in `file`; throws a message naming the file when it is unreadable or malformed. */
export function readTelephonySettings(file: string): TelephonySettings {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new Error(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, {
      cause: e,
    })
  }
  const parsed = settingsSchema.safeParse(raw)
  if (!parsed.success)
    throw new Error(
      `${file} must be {"port": 0–65535, "token": "at least 16 characters"}: ${parsed.error.issues[0]?.path.join('.')} is wrong`,
    )
  return parsed.data
}

/**
 * The console's telephony settings: the existing file's port and token, or a new file with a
 * random token and `port` (8413 unless given), readable by this user only.
 */
export function ensureTelephonySettings(dataDir: string, port = DEFAULT_CALL_PORT): TelephonyInfo {
  const settingsFile = telephonySettingsFile(dataDir)
  if (existsSync(settingsFile)) {
    const settings = readTelephonySettings(settingsFile)
    // The token is a secret: an edited or copied file may have lost its mode.
    if (process.platform !== 'win32') chmodSync(settingsFile, 0o600)
    return { ...settings, settingsFile }
  }
  const settings: TelephonySettings = { port, token: randomBytes(24).toString('base64url') }
  privateDir(dataDir)
  // Written whole and renamed into place: a crash never leaves half a file behind.
  const partial = `${settingsFile}.${process.pid}.tmp`
  writeFileSync(partial, JSON.stringify(settings, null, 2) + '\n', { mode: 0o600 })
  renameSync(partial, settingsFile)
  return { ...settings, settingsFile }
}

/** Equal-length digests, so neither the token nor its length leaks through timing. */
function sameToken(given: string, token: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(given), digest(token))
}

/**
 * The caller ID as the switch presents it: digits (maybe `+`), spaces and dashes dropped. Looser
 * than a ticket's number on purpose — a local call may come without its area code — the agent
 * sees the number in intake, which checks it by the full rules (phone-rules.ts) before saving.
 */
const callerId = z
  .string()
  .trim()
  .transform(normalizePhone)
  .pipe(z.string().regex(/^\+?\d{3,20}$/))

const callBody = z.object({
  // Switches send "" as readily as null or nothing for a withheld number.
  phone: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    callerId.nullish(),
  ),
  callId: z.string().trim().min(1).max(100).nullish(),
})

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

export interface CallListenerOptions {
  token: string
  /** 8413 unless given; 0 picks a free port (tests). */
  port?: number
  onCall: (call: IncomingCall) => void
  now?: () => number
  log?: (msg: string) => void
}

export interface CallListener {
  /** The port it listens on (the real one when 0 was asked for). */
  port: number
  close(): Promise<void>
}

/** Listens on 127.0.0.1 for `POST /call` and `GET /health`; rejects if the port is taken. */
export async function startCallListener(opts: CallListenerOptions): Promise<CallListener> {
  const now = opts.now ?? Date.now
  const log = opts.log ?? (() => {})
  const seen = new Map<string, number>()
  let allowedHosts = new Set<string>()

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts.has((req.headers.host ?? '').toLowerCase()))
      throw new Refusal(
        403,
        'wrong_host',
        `Host ${req.headers.host ?? '(none)'} is not this machine`,
      )
    // Telephony connectors send no Origin; a browser always does on a POST. No page may pop calls.
    if (req.headers.origin !== undefined)
      throw new Refusal(403, 'browser_origin', 'Requests from web pages are not accepted')
    const path = (req.url ?? '/').split('?')[0]
    const allowed = path === '/call' ? 'POST' : path === '/health' ? 'GET' : null
    if (!allowed) throw new Refusal(404, 'not_found', `No ${path}: POST /call or GET /health`)
    if (req.method !== allowed) {
      res.setHeader('allow', allowed)
      throw new Refusal(405, 'method_not_allowed', `${path} takes ${allowed}, not ${req.method}`)
    }
    const auth = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')
    if (!auth?.[1] || !sameToken(auth[1], opts.token))
      throw new Refusal(401, 'unauthorized', 'Missing or wrong token (Authorization: Bearer …)')
    if (allowed === 'GET') return reply(res, 200, { ok: true })

    const raw = await readBody(req)
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      throw new Refusal(400, 'invalid_json', 'The body is not JSON')
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new Refusal(
        400,
        'invalid_input',
        'The body must be an object: {"phone": …, "callId": …}',
      )
    // With the input reported, a number where text belongs reads "must be text", not "required".
    const parsed = callBody.safeParse(body, { reportInput: true })
    if (!parsed.success) {
      const first = fieldErrors(parsed.error)[0]
      throw new Refusal(400, 'invalid_input', first?.message.en ?? 'Invalid body', first?.field)
    }
    const callId = parsed.data.callId ?? null
    const at = now()
    for (const [id, t] of seen) if (at - t > DUPLICATE_WINDOW_MS) seen.delete(id)
    if (callId !== null && seen.has(callId)) {
      seen.delete(callId)
      seen.set(callId, at)
      return reply(res, 200, { ok: true, duplicate: true })
    }
    if (callId !== null) {
      if (seen.size >= MAX_REMEMBERED_CALLS) seen.delete(seen.keys().next().value!)
      seen.set(callId, at)
    }
    opts.onCall({ phone: parsed.data.phone ?? null, callId, at: new Date(at).toISOString() })
    reply(res, 202, { ok: true })
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!(e instanceof Refusal)) log(`screen pop: ${e instanceof Error ? e.message : String(e)}`)
      const r =
        e instanceof Refusal
          ? e
          : new Refusal(500, 'internal', e instanceof Error ? e.message : String(e))
      const error = { code: r.code, message: r.message, ...(r.field ? { field: r.field } : {}) }
      // An unread body stays on the socket: do not offer the connection for another request.
      if (!req.complete) res.setHeader('connection', 'close')
      reply(res, r.status, { error })
    })
  })
  server.requestTimeout = 10_000
  server.headersTimeout = 5_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? DEFAULT_CALL_PORT, '127.0.0.1', () => {
      server.off('error', reject)
      // Later errors (out of file handles …) must not take the console down.
      server.on('error', (e) => log(`screen pop: ${e.message}`))
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  if (port === 80) allowedHosts = new Set([...allowedHosts, '127.0.0.1', 'localhost'])

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  res.end(JSON.stringify(body))
}

function readBody(req: IncomingMessage): Promise<string> {
  const tooLarge = () =>
    new Refusal(413, 'too_large', `The body is over ${MAX_BODY} bytes: send a phone and a callId`)
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) return Promise.reject(tooLarge())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        req.removeAllListeners('data')
        req.pause()
        reject(tooLarge())
      } else chunks.push(chunk)
    })
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.once('error', reject)
  })
}

/**
 * Screen pop for a console: its settings (made on first start), and the listener, which emits
 * each new call through `onCall`. Null, with the reason logged, when it cannot start (the port is
 * taken, the settings file is broken): the console works on without screen pop.
 */
export async function startTelephony(opts: {
  dataDir: string
  /** The port a new settings file gets; an existing file's port wins. */
  port?: number
  onCall: (call: IncomingCall) => void
  log: (msg: string) => void
}): Promise<(TelephonyInfo & { close(): Promise<void> }) | null> {
  let settings: TelephonyInfo
  try {
    settings = ensureTelephonySettings(opts.dataDir, opts.port)
  } catch (e) {
    opts.log(`screen pop is off: ${e instanceof Error ? e.message : String(e)}`)
    return null
  }
  try {
    const listener = await startCallListener({
      token: settings.token,
      port: settings.port,
      onCall: opts.onCall,
      log: opts.log,
    })
    return { ...settings, port: listener.port, close: listener.close }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    opts.log(
      code === 'EADDRINUSE'
        ? `screen pop is off: port ${settings.port} is in use (another console?); set another "port" in ${settings.settingsFile}`
        : `screen pop is off: cannot listen on 127.0.0.1:${settings.port} (${e instanceof Error ? e.message : String(e)})`,
    )
    return null
  }
}

/** The line `npm start` and the Electron main print; `dataDir` when the CLI needs `--data`. */
export function screenPopLine(t: TelephonyInfo, dataDir?: string): string {
  const data = dataDir ? ` --data ${/\s/.test(dataDir) ? `"${dataDir}"` : dataDir}` : ''
  return `screen pop: POST http://127.0.0.1:${t.port}/call (token in ${t.settingsFile}) — or: npm run call -- <phone>${data}`
}
