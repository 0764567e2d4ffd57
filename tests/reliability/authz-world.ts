// The world authz-matrix.test.ts checks: a real server (in process, real HTTP) over a scratch
// database with the demo users and demo tickets, plus tickets of two units made through the real
// workflow — unit A's, and unit B's with a caller and words found nowhere else — one of B's
// closed satisfied and nominated as an exemplary case; and a request posted through Open311.
import { randomInt, randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { seedDemoTickets } from '../../src/server/demo/tickets'
import type { Ticket } from '../../src/shared/ticket'
import {
  reference,
  startTestServer,
  type EngineName,
  type Json,
  type TestServer,
} from '../server/helpers'
import { createArgs, mutation } from '../server/tickets'

export const UNIT_A = 'CITY-UM'
export const UNIT_B = 'CITY-EE'

export interface World {
  t: TestServer
  tokens: Record<'agent' | 'dispatcher' | 'supervisor' | 'unit' | 'admin' | 'unitB', string>
  /** Unit A's own ticket (the control: A must see it). */
  mine: Ticket
  /** Unit B's open ticket (signed by B) and B's closed, nominated one. */
  theirs: Ticket
  theirsClosed: Ticket
  secret: { phone: string; name: string; words: string; caseTitle: string }
  /** The console ids that made B's tickets (the dispatcher's and unit B's). */
  consoles: { dispatcher: string; unitB: string }
  year: number
  service: string
  /** A request posted through Open311 (public by its channel), by number. */
  posted: string
}

/** Pushes mutations for one console and fails loudly on any rejection. */
async function pushOk(t: TestServer, token: string, clientId: string, ms: unknown[]) {
  const r = await t.api('POST', '/api/v1/sync/push', token, { clientId, mutations: ms })
  const bad = r.status !== 200 ? [r.body] : r.body.results.filter((x: Json) => x.status !== 'ok')
  if (bad.length) throw new Error(`setup push refused: ${JSON.stringify(bad)}`)
}

/** Every ticket (latest state) a token's pull brings from cursor 0, and every event. */
export async function fullPull(t: TestServer, token: string, clientId?: string) {
  const tickets = new Map<string, Ticket>()
  const events: Json[] = []
  const results: Json[] = []
  let cursor = 0
  for (let page = 0; page < 1000; page++) {
    const q = `cursor=${cursor}&limit=2000${clientId ? `&clientId=${clientId}` : ''}`
    const r = await t.api('GET', `/api/v1/sync/pull?${q}`, token)
    if (r.status !== 200) throw new Error(`pull: ${r.status} ${JSON.stringify(r.body)}`)
    for (const x of r.body.tickets) tickets.set(x.id, x)
    events.push(...r.body.events)
    results.push(...r.body.results)
    cursor = r.body.cursor
    if (!r.body.hasMore) return { tickets, events, results, cursor, last: r.body.lastMutationId }
  }
  throw new Error('pull never ended')
}

/** Every snapshot page a token gets. */
export async function fullSnapshot(t: TestServer, token: string) {
  const tickets: Ticket[] = []
  const events: Json[] = []
  let q = 'limit=500'
  for (let page = 0; page < 1000; page++) {
    const r = await t.api('GET', `/api/v1/sync/snapshot?${q}`, token)
    if (r.status !== 200) throw new Error(`snapshot: ${r.status} ${JSON.stringify(r.body)}`)
    tickets.push(...r.body.tickets)
    events.push(...r.body.events)
    if (!r.body.next) return { tickets, events }
    q = `limit=500&seq=${r.body.seq}&after=${encodeURIComponent(r.body.next)}`
  }
  throw new Error('snapshot never ended')
}

/** A ticket as the supervisor's full pull has it now. */
export async function serverTicket(w: World, id: string): Promise<Ticket> {
  const all = await fullPull(w.t, w.tokens.supervisor)
  const found = all.tickets.get(id)
  if (!found) throw new Error(`ticket ${id} not on the server`)
  return found
}

export async function buildWorld(engine: EngineName, demoTickets: number): Promise<World> {
  const t = await startTestServer(engine)
  const ref = await reference()
  await seedDemoTickets(t.store, ref, { count: demoTickets, seed: 7 })
  const tokens = {
    agent: await t.login('agent1'),
    dispatcher: await t.login('dispatcher1'),
    supervisor: await t.login('supervisor1'),
    unit: await t.login(`unit-${UNIT_A}`),
    admin: await t.login('admin1'),
    unitB: await t.login(`unit-${UNIT_B}`),
  }
  // Caller and words that appear in no other ticket.
  const tag = randomUUID().slice(0, 8)
  const secret = {
    phone: `139${String(randomInt(10_000_000, 99_999_999))}`,
    name: '欧阳紫萱',
    words: `紫藤苑锅炉房渗漏${tag}`,
    caseTitle: `热电厂噪声治理${tag}`,
  }
  const callerB = { name: secret.name, phone: secret.phone, anonymous: false }
  const mine = createArgs()
  const theirs = createArgs({ caller: callerB, description: `${secret.words}，夜间噪声扰民` })
  const closed = createArgs({ caller: callerB, description: `${secret.words}，已整改` })
  const consoles = { dispatcher: `disp-${randomUUID()}`, unitB: `unitb-${randomUUID()}` }
  const d = consoles.dispatcher
  await pushOk(t, tokens.dispatcher, d, [
    mutation(1, 'ticket.create', mine),
    mutation(2, 'ticket.create', theirs),
    mutation(3, 'ticket.create', closed),
    mutation(4, 'ticket.dispatch', { ticketId: mine.ticket.id, unit: UNIT_A }),
    mutation(5, 'ticket.dispatch', { ticketId: theirs.ticket.id, unit: UNIT_B }),
    mutation(6, 'ticket.dispatch', { ticketId: closed.ticket.id, unit: UNIT_B }),
  ])
  await pushOk(t, tokens.unitB, consoles.unitB, [
    mutation(1, 'ticket.sign', { ticketId: theirs.ticket.id }),
    mutation(2, 'ticket.sign', { ticketId: closed.ticket.id }),
    mutation(3, 'ticket.reply', { ticketId: closed.ticket.id, text: '已整改完毕', resolved: true }),
  ])
  await pushOk(t, tokens.dispatcher, d, [
    mutation(7, 'ticket.callback', { ticketId: closed.ticket.id, satisfaction: 'satisfied' }),
  ])
  const year = new Date().getUTCFullYear()
  const nominated = await t.api('POST', '/api/v1/cases', tokens.supervisor, {
    ticketId: closed.ticket.id,
    title: secret.caseTitle,
    writeUp: `${secret.words}：${secret.name}反映的问题一周内整改完毕。`,
  })
  if (nominated.status !== 201) throw new Error(`nominate: ${JSON.stringify(nominated.body)}`)
  const services = await t.api('GET', '/open311/v2/services.json')
  const filed = await postForm(t, '/open311/v2/requests.json', {
    api_key: t.open311Key,
    service_code: '0107',
    address_string: '镇江市京口区梦溪路 18 号',
    description: `公厕门锁坏了（${tag}）`,
    // With a contact (without one a request counts as anonymous, and is never public).
    first_name: '先生',
    last_name: '王',
    phone: '13800000042',
  })
  if (filed.status !== 200) throw new Error(`open311 post: ${filed.text}`)
  const posted = (JSON.parse(filed.text) as Json[])[0].service_request_id as string
  const all = await fullPull(t, tokens.supervisor)
  const get = (id: string) => all.tickets.get(id)!
  return {
    t,
    tokens,
    mine: get(mine.ticket.id),
    theirs: get(theirs.ticket.id),
    theirsClosed: get(closed.ticket.id),
    secret,
    consoles,
    year: Number(nominated.body.case.year ?? year),
    service: services.body[0].service_code,
    posted,
  }
}

/** A form-encoded POST (Open311 clients post forms), optionally with a bearer token. */
export async function postForm(
  t: TestServer,
  path: string,
  form: Record<string, string>,
  token?: string,
) {
  const res = await fetch(t.url + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: new URLSearchParams(form).toString(),
  })
  return { status: res.status, text: await res.text() }
}

/** The live socket as a console opens it: every message it gets until `ms` pass, and how it ends. */
export function liveSocket(
  url: string,
  token: string | null,
  ms: number,
  during?: (() => unknown) | 'ready',
) {
  return new Promise<{ messages: Json[]; closeCode: number | null }>((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/live`)
    const messages: Json[] = []
    let closeCode: number | null = null
    const done = () => {
      ws.terminate()
      resolve({ messages, closeCode })
    }
    const timer = setTimeout(done, ms)
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', token: token ?? '' })))
    ws.on('message', (d) => {
      const msg = JSON.parse(String(d))
      messages.push(msg)
      if (msg.type !== 'ready') return
      if (during === 'ready') done()
      else void Promise.resolve(during?.())
    })
    ws.on('close', (code) => {
      closeCode = code
      clearTimeout(timer)
      resolve({ messages, closeCode })
    })
    ws.on('error', () => {})
  })
}
