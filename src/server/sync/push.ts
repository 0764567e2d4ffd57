// Applying pushed mutations (DESIGN.md §4): in order, each in its own transaction through the
// shared workflow rules, with the timeline event, the change-log row and the console's
// lastMutationId. Repeats are skipped; rejections are stored to be pulled back; a temporary
// database failure stops the batch (the route answers 503 and the console retries).
import { actionArgSchemas, isActionName, type Action } from '../../shared/actions'
import type { Actor } from '../../shared/ticket'
import type { Localized } from '../../shared/validation'
import { fieldErrors } from '../../shared/validation'
import { applyAction } from '../../shared/workflow'
import { consoleLabel } from '../../shared/ids'
import type { Reference, ServerContext } from '../context'
import { ApiError } from '../http/errors'
import { isTemporary, type MutationTx, type UserRecord } from '../store'
import { consoleKey, MAX_ID_JUMP } from './console-key'
import { salvageCreate } from './salvage'
import { prefillCategory } from '../triage/prefill'
import { MUTATION_VERSIONS, type PushMutation, type PushResult } from '../../shared/sync'

/** The longest a push runs before letting other work in. */
const YIELD_EVERY_MS = 20

type Outcome =
  { status: 'ok' } | { status: 'rejected'; code: string; message: Localized; field?: string }

const reject = (code: string, message: Localized, field?: string): Outcome => ({
  status: 'rejected',
  code,
  message,
  ...(field ? { field } : {}),
})

/** `ticket.dispatch@1` → `ticket.dispatch`; null for a version this server does not know. */
export function baseName(name: string): string | null {
  const [base, version] = name.split('@')
  if (version !== undefined && !MUTATION_VERSIONS.includes(Number(version) as 1)) return null
  return base ?? null
}

/** The local date `YYYYMMDD` in the city's time zone, for ticket numbers. */
function localDay(ref: Reference, nowMs: number): string {
  const l = ref.rules.calendar.local(nowMs)
  return `${l.y}${String(l.m).padStart(2, '0')}${String(l.d).padStart(2, '0')}`
}

async function applyOne(
  tx: MutationTx,
  m: PushMutation,
  actor: Actor,
  ref: Reference,
  nowMs: number,
  reservedNumber: string | null,
): Promise<Outcome> {
  const name = baseName(m.name)
  if (!name || !isActionName(name))
    return reject('unknown_mutation', {
      zh: `服务器不认识操作 ${m.name}`,
      en: `This server does not know the action ${m.name}`,
    })
  let action: Action
  let flagged: ReturnType<typeof salvageCreate> = null
  const parsed = actionArgSchemas[name].safeParse(m.args)
  if (parsed.success) action = { name, args: parsed.data } as Action
  else if (name === 'ticket.create' && (flagged = salvageCreate(m.args)))
    action = { name, args: { ticket: flagged.draft } }
  else {
    const first = fieldErrors(parsed.error)[0]
    return reject(
      'invalid_args',
      first?.message ?? { zh: '参数有误', en: 'Invalid arguments' },
      first?.field,
    )
  }

  // A new ticket without a usable category gets the one triage finds in its words, for review.
  const prefill =
    action.name === 'ticket.create' ? prefillCategory(ref.data, action.args.ticket) : null
  if (prefill && action.name === 'ticket.create')
    action = { ...action, args: { ticket: { ...action.args.ticket, category: prefill.category } } }
  const ticketId = action.name === 'ticket.create' ? action.args.ticket.id : action.args.ticketId
  const before = await tx.ticket(ticketId, true)
  const rules =
    action.name === 'ticket.merge'
      ? { ...ref.rules, target: await tx.ticket(action.args.targetId, false) }
      : ref.rules
  const res = applyAction(before, action, actor, nowMs, rules)
  if (!res.ok) return reject(res.refusal.code, res.refusal.message)

  const ticket = { ...res.ticket }
  const event = { ...res.event }
  if (flagged) {
    ticket.needsReview = true
    event.data = {
      ...event.data,
      needsReview: true,
      invalidFields: flagged.errors.map((e) => e.field),
      invalid: flagged.invalid,
    }
  }
  if (prefill) {
    ticket.needsReview = true
    event.data = {
      ...event.data,
      needsReview: true,
      categoryPrefilled: { from: prefill.from, to: prefill.category },
    }
  }
  if (ticket.number == null) {
    ticket.number = reservedNumber ?? (await tx.nextTicketNumber(localDay(ref, nowMs)))
    event.data = { ...event.data, number: ticket.number }
  }
  await tx.saveTicket(before, ticket, event)
  return { status: 'ok' }
}

/**
 * A mutation id far beyond the console's last (sync/console-key.ts): refused with the push, and
 * nothing from it on is applied; a real console never sends one.
 */
const idJump = (index: number, last: number) =>
  new ApiError(
    400,
    'id_jump',
    {
      zh: `变更编号跳跃过大（上一个为 ${last}），已拒绝`,
      en: `The mutation id jumps too far past the last one (${last}); refused`,
    },
    `mutations.${index}.id`,
  )

/** The ticket a mutation acts on, read from its raw args (null when they do not say). */
function targetTicketId(m: PushMutation): string | null {
  const args = m.args as { ticketId?: unknown; ticket?: { id?: unknown } } | null
  const id = baseName(m.name) === 'ticket.create' ? args?.ticket?.id : args?.ticketId
  return typeof id === 'string' && id.length <= 100 ? id : null
}

export async function push(
  ctx: ServerContext,
  user: UserRecord,
  clientId: string,
  mutations: PushMutation[],
): Promise<{ results: PushResult[]; lastMutationId: number }> {
  const ref = await ctx.reference()
  const actor: Actor = {
    userId: user.id,
    role: user.role,
    unit: user.unit,
    name: user.displayName,
    // Timelines show a label, never the id pushes are filed under (src/shared/ids.ts).
    consoleId: consoleLabel(clientId),
  }
  // Filed under the user and the console together: nobody else's pushes touch this line.
  const key = consoleKey(user.id, clientId)
  const legacy = { id: clientId, maxFloor: MAX_ID_JUMP }
  const results: PushResult[] = []
  let lastMutationId = 0
  const skipped: number[] = []
  let yieldedAt = Date.now()
  for (const m of mutations) {
    // SQLite answers synchronously: without a pause a long batch would hold the event loop, and
    // with it every other console's request, the health check and a SIGTERM, until it is done.
    if (Date.now() - yieldedAt > YIELD_EVERY_MS) {
      await new Promise((resolve) => setImmediate(resolve))
      yieldedAt = Date.now()
    }
    const record = (tx: MutationTx, o: Outcome) =>
      o.status === 'rejected'
        ? tx.saveResult({
            clientId: key,
            id: m.id,
            key: m.key ?? null,
            name: m.name,
            status: 'rejected',
            code: o.code,
            message: o.message,
          })
        : Promise.resolve()
    let outcome: Outcome | 'skipped'
    const nowMs = ctx.now()
    try {
      // On PostgreSQL a creation's number is taken first, outside its transaction (migration
      // 0004); a create that proves to be a repeat leaves a gap in the day's numbers.
      const reserved =
        baseName(m.name) === 'ticket.create'
          ? await ctx.store.reserveTicketNumber(localDay(ref, nowMs))
          : null
      outcome = await ctx.store.mutate(
        async (tx) => {
          const last = await tx.lockClient(key, user.id, legacy)
          if (m.id <= last) {
            lastMutationId = last
            return 'skipped' as const
          }
          if (m.id - last > MAX_ID_JUMP) throw idJump(results.length, last)
          const o = await applyOne(tx, m, actor, ref, nowMs, reserved)
          await record(tx, o)
          await tx.setLastMutationId(key, user.id, m.id)
          lastMutationId = m.id
          return o
        },
        { clientId: key, ticketId: targetTicketId(m) },
      )
    } catch (e) {
      if (isTemporary(e) || e instanceof ApiError) throw e
      // A bug must not wedge the console's outbox: reject this one mutation and go on.
      const o = reject('server_error', {
        zh: '服务器处理该操作时出错，已记录',
        en: 'The server failed on this action; it has been logged',
      })
      outcome = await ctx.store.mutate(async (tx) => {
        const last = await tx.lockClient(key, user.id, legacy)
        if (m.id <= last) return 'skipped' as const
        await record(tx, o)
        await tx.setLastMutationId(key, user.id, m.id)
        lastMutationId = m.id
        return o
      })
      ctx.log?.error({ err: e, mutation: m.name }, 'mutation failed')
    }
    ctx.metrics?.mutation(
      outcome === 'skipped' ? 'repeated' : outcome.status === 'ok' ? 'applied' : 'rejected',
    )
    if (outcome === 'skipped') {
      skipped.push(m.id)
      results.push({ id: m.id, status: 'ok' })
    } else results.push({ id: m.id, ...outcome })
  }
  if (skipped.length) {
    // Report repeats as they went the first time.
    const stored = await ctx.store.storedResults(key, skipped)
    for (const r of results) {
      const s = stored.get(r.id)
      if (s && s.status === 'rejected') {
        r.status = 'rejected'
        if (s.code) r.code = s.code
        if (s.message) r.message = s.message
      }
    }
  }
  return { results, lastMutationId }
}
