// Generated pushes for fuzz-http.test.ts: valid tickets and notes carrying hostile text (which
// must be stored as the rules normalize it), and junk mutations in a valid push envelope (each
// must be rejected on its own, with a reason).
import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { actionArgSchemas } from '../../src/shared/actions'
import type { PullResponse } from '../../src/shared/sync'
import type { Ticket, TimelineEvent } from '../../src/shared/ticket'
import { hostileString, hostileValue, PROTO_KEYS } from './fuzz-inputs'
import type { FuzzServer } from './fuzz-server'

const createSchema = actionArgSchemas['ticket.create']
const noteSchema = actionArgSchemas['ticket.note']

/** A ticket whose description, caller name and address, and a note on it, are hostile text. */
export const hostileTicketText = fc
  .tuple(hostileString, hostileString, hostileString, hostileString)
  .map(([description, name, address, text]) => {
    const id = randomUUID()
    const create = {
      ticket: {
        id,
        channel: 'phone',
        kind: 'complaint',
        category: '0110',
        urgency: 'normal',
        caller: { name, phone: '13805290000' },
        description,
        location: { address, district: '321102' },
      },
    }
    const note = { ticketId: id, text }
    // The server drops NUL characters from every input (src/server/http/nul.ts), then the rules
    // normalize (trim): the text must come back exactly so.
    return {
      create,
      note,
      c: createSchema.safeParse(noNul(create)),
      n: noteSchema.safeParse(noNul(note)),
    }
  })
  // Only what the rules accept: a refused draft is salvaged for review, a different story.
  .filter((x) => x.c.success && x.n.success)
  .map(({ create, note, c, n }) => ({
    create,
    note,
    expected: {
      id: create.ticket.id,
      description: c.data!.ticket.description,
      callerName: c.data!.ticket.caller.name,
      address: c.data!.ticket.location.address,
      noteText: n.data!.text,
    },
  }))

const noNul = (v: unknown): unknown =>
  typeof v === 'string'
    ? v.replaceAll('\u0000', '')
    : v && typeof v === 'object'
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, noNul(x)]))
      : v

const NAMES = Object.keys(actionArgSchemas).filter((n) => !n.startsWith('ticket.create'))

/** 1–5 mutations no rule may accept: unknown names, or known names with args of the wrong shape. */
export function hostileMutations(ticketId: string) {
  const name = fc.oneof(
    fc.constantFrom(...NAMES),
    fc.constantFrom(...PROTO_KEYS, 'ticket.note@99', 'ticket.dispatch@0', 'ticket.', '@1'),
    hostileString.filter((s) => s.length >= 1 && s.length <= 100),
  )
  const args = fc.oneof(
    hostileValue,
    fc.record(
      {
        ticketId: fc.oneof(fc.constant(ticketId), fc.uuid(), hostileString),
        text: hostileValue,
        unit: hostileValue,
        reason: hostileValue,
      },
      { requiredKeys: ['ticketId'] },
    ),
  )
  const m = fc
    .record({
      key: fc.option(hostileString.filter((s) => s.length <= 100)),
      name,
      args,
      clientTime: fc.option(hostileString.filter((s) => s.length <= 64)),
    })
    .filter((x) => {
      const schema = (
        actionArgSchemas as Record<string, { safeParse(v: unknown): { success: boolean } }>
      )[x.name]
      return !(Object.hasOwn(actionArgSchemas, x.name) && schema?.safeParse(x.args).success)
    })
  return fc.array(m, { minLength: 1, maxLength: 5 })
}

/** Everything the server holds as this token's user sees it. */
export async function pullAll(s: FuzzServer, token: string) {
  const tickets = new Map<string, Ticket>()
  const events = new Map<string, TimelineEvent>()
  let cursor = 0
  for (;;) {
    const r = await s.api('GET', `/api/v1/sync/pull?cursor=${cursor}&limit=2000`, token)
    if (r.status !== 200) throw new Error(`pull: ${r.status} ${r.text}`)
    const page = r.body as PullResponse
    for (const t of page.tickets) tickets.set(t.id, t)
    for (const e of page.events) events.set(e.id, e)
    cursor = page.cursor
    if (!page.hasMore) break
  }
  return { tickets, events }
}
