// Sockets for fuzz-ws.test.ts: a WebSocket to /api/v1/live that records what it hears and how it
// ends, a raw TCP connection to speak broken WebSocket by hand, and a console that must keep
// hearing pokes whatever the others do.
import { connect, type Socket } from 'node:net'
import WebSocket from 'ws'
import type { FuzzServer } from './fuzz-server'

export interface Live {
  ws: WebSocket
  messages: Array<{ type: string; seq?: number }>
  /** The close code and reason, once closed. */
  closed: Promise<{ code: number; reason: string }>
  opened: Promise<void>
}

export function openLive(url: string, headers: Record<string, string> = {}): Live {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + '/api/v1/live', {
    headers,
    maxPayload: 1024 * 1024,
  })
  const messages: Live['messages'] = []
  ws.on('message', (d) => {
    try {
      messages.push(JSON.parse(String(d)))
    } catch {
      messages.push({ type: `not json: ${String(d).slice(0, 80)}` })
    }
  })
  ws.on('error', () => {}) // the close event says the rest
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  )
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade ${res.statusCode}`)))
    ws.once('close', () => reject(new Error('closed before open')))
  })
  opened.catch(() => {})
  return { ws, messages, closed, opened }
}

export const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_r, reject) =>
      setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms).unref(),
    ),
  ])

export const waitUntil = async (pred: () => boolean, ms: number, what: string) => {
  const t0 = Date.now()
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error(`${what}: not within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** An authenticated console and a check that it still hears every commit. */
export async function goodConsole(s: FuzzServer) {
  const live = openLive(s.url)
  await within(live.opened, 5000, 'good console open')
  live.ws.send(JSON.stringify({ type: 'auth', token: s.tokens.supervisor }))
  await waitUntil(() => live.messages.some((m) => m.type === 'ready'), 5000, 'ready')
  let id = 0
  return {
    live,
    /** Commits a note and waits for the poke announcing it. */
    async heardPoke(): Promise<number> {
      const r = await s.api('POST', '/api/v1/sync/push', s.tokens.dispatcher, {
        clientId: 'fuzz-ws-good',
        mutations: [
          { id: ++id, name: 'ticket.note', args: { ticketId: s.ticketId, text: `ping ${id}` } },
        ],
      })
      if (r.status !== 200 || r.body.results[0].status !== 'ok')
        throw new Error(`push: ${r.status} ${r.text}`)
      const latest = Number(/hotline_changelog_latest_seq (\d+)/.exec(await metrics(s))?.[1])
      await waitUntil(
        () => live.messages.some((m) => m.type === 'poke' && (m.seq ?? 0) >= latest),
        5000,
        `poke for seq ${latest}`,
      )
      return latest
    },
  }
}

export async function metrics(s: FuzzServer): Promise<string> {
  return (await s.api('GET', '/metrics', s.tokens.admin)).text
}

/**
 * A raw TCP connection: send `head` (an upgrade request, valid or not), then `after` once the
 * server answered; resolves with what the server said when it hung up (or after `ms`).
 */
export function rawExchange(port: number, head: string, after: Buffer | null, ms = 3000) {
  return new Promise<{ text: string; ended: boolean }>((resolve) => {
    const sock: Socket = connect(port, '127.0.0.1')
    let text = ''
    let sent = false
    const done = (ended: boolean) => {
      clearTimeout(timer)
      sock.destroy()
      resolve({ text, ended })
    }
    const timer = setTimeout(() => done(false), ms)
    sock.on('data', (d) => {
      text += d.toString('latin1')
      if (!sent && after && text.includes('\r\n\r\n')) {
        sent = true
        sock.write(after)
      }
    })
    sock.on('close', () => done(true))
    sock.on('error', () => done(true))
    sock.write(head)
  })
}

export const upgradeHead = (key = 'dGhlIHNhbXBsZSBub25jZQ==', extra = '') =>
  'GET /api/v1/live HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
  `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`

/** A client frame: FIN + opcode, masked (as clients must) unless told otherwise. */
export function frame(opcode: number, payload: Buffer, masked = true, fin = true): Buffer {
  const len = payload.length
  const head = [((fin ? 0x80 : 0) | opcode) & 0xff]
  const maskBit = masked ? 0x80 : 0
  if (len < 126) head.push(maskBit | len)
  else head.push(maskBit | 126, (len >> 8) & 0xff, len & 0xff)
  const mask = Buffer.from([1, 2, 3, 4])
  const body = Buffer.from(payload)
  if (masked) for (let i = 0; i < body.length; i++) body[i]! ^= mask[i % 4]!
  return Buffer.concat([Buffer.from(head), masked ? mask : Buffer.alloc(0), body])
}
