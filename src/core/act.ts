// `ticket.act`: every workflow action, creation included. The args are checked with the action's
// schema, the shared rules decide on the ticket as this console sees it, and the effect and the
// outbox row are written in one SQLite transaction — before, and whatever, the network does.
import {
  actionArgSchemas,
  ticketDraftSchema,
  type Action,
  type ActionName,
} from '../shared/actions'
import { ApiFailure, provisionalNumber, type ActionOutcome } from '../shared/api'
import type { Actor, Ticket } from '../shared/ticket'
import { applyAction } from '../shared/workflow'
import { consoleLabel } from '../shared/ids'
import type { LocalStoreApi } from './db/types'
import { invalidInput, notLoggedIn, notReady } from './failures'
import { uuid } from './ids'
import type { ReferenceCache } from './reference-cache'
import type { StoredSession } from './session'

export interface ActDeps {
  store: LocalStoreApi
  references: ReferenceCache
  clientId: string
  session(): StoredSession | null
  /** After the transaction: tell the screens, wake the pusher. */
  acted(ticketId: string): void
  now?: () => number
}

export const actorOf = (s: StoredSession, clientId: string): Actor => ({
  userId: s.user.id,
  role: s.user.role,
  unit: s.user.unit,
  name: s.user.displayName,
  // As the server labels it (src/shared/ids.ts): the timeline never shows the clientId itself.
  consoleId: consoleLabel(clientId),
})

/** The action's args, parsed; failures name the field as the screens know it. */
export function parseAction(name: ActionName, raw: unknown): Action {
  if (name === 'ticket.create') {
    // Parsed one level down so the shared labels apply (`caller.phone` → 来电号码), while the
    // field reported keeps its full path (`ticket.caller.phone`).
    const draft =
      raw != null && typeof raw === 'object' ? (raw as { ticket?: unknown }).ticket : raw
    const r = ticketDraftSchema.safeParse(draft)
    if (!r.success) throw invalidInput(r.error, 'ticket')
    return { name, args: { ticket: r.data } }
  }
  const r = actionArgSchemas[name].safeParse(raw)
  if (!r.success) throw invalidInput(r.error)
  return { name, args: r.data } as Action
}

export function act(deps: ActDeps, name: ActionName, raw: unknown): ActionOutcome {
  const action = parseAction(name, raw)
  const session = deps.session()
  if (!session) throw notLoggedIn()
  const ref = deps.references.get()
  if (!ref) throw notReady()
  const ticketId = action.name === 'ticket.create' ? action.args.ticket.id : action.args.ticketId
  const rules =
    action.name === 'ticket.merge'
      ? { ...ref.rules, target: deps.store.ticket(action.args.targetId)?.ticket ?? null }
      : ref.rules
  const actor = actorOf(session, deps.clientId)
  const nowMs = (deps.now ?? Date.now)()
  let after: Ticket | null = null
  const m = deps.store.enqueue(
    {
      key: uuid(),
      name: action.name,
      args: action.args,
      // The console's clock is data for the timeline; the server orders by its own.
      clientTime: new Date(nowMs).toISOString(),
      actor,
      ticketId,
    },
    (current) => {
      const r = applyAction(current, action, actor, nowMs, rules)
      if (!r.ok) throw new ApiFailure(r.refusal.code, r.refusal.message)
      after = r.ticket
      return { ticket: r.ticket, event: r.event }
    },
  )
  deps.acted(ticketId)
  const ticket = after as Ticket | null
  if (!ticket) throw new Error('the store did not apply the action')
  return {
    ticket,
    displayNumber: ticket.number ?? provisionalNumber(ticket.id),
    mutationId: m.id,
  }
}
