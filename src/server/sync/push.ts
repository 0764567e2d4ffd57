// Applying pushed mutations (DESIGN.md §4): in order, through the shared workflow rules, with
// the timeline event, the change-log row and the console's lastMutationId. Up to GROUP of them
// commit together in one transaction, a savepoint each (group commit, issue 18), so a rejected
// or failed mutation still rolls back alone. Repeats are skipped; rejections are stored to be
// pulled back; a temporary database failure stops the push (the route answers 503 and the
// console retries; what committed before it is skipped as a repeat).
import { actionArgSchemas, isActionName, type Action } from '../../shared/actions'
import type { Actor } from '../../shared/ticket'
import type { Localized } from '../../shared/validation'
import { fieldErrors } from '../../shared/validation'
import { applyAction } from '../../shared/workflow'
import { consoleLabel } from '../../shared/ids'
import type { Reference, ServerContext } from '../context'
import { ApiError } from '../http/errors'
import {
  isTemporary,
  isUniqueViolation,
  type BatchWriter,
  type ClientLasts,
  type ClientUpdate,
  type MutationTx,
  type UserRecord,
} from '../store'
import { BatchFallback, type MutationWrites } from '../store/batch'
import { committer } from './group-commit'
import { consoleKey, MAX_ID_JUMP } from './console-key'
import { salvageCreate } from './salvage'
import { prefillCategory } from '../triage/prefill'
import { MUTATION_VERSIONS, type PushMutation, type PushResult } from '../../shared/sync'

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
  tx: MutationWrites,
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

/** Mutations applied in one transaction (group commit): one commit, one fsync, for up to this many. */
export const GROUP = 50

type Done = Outcome | 'skipped'

interface GroupResult {
  outcomes: Done[]
  /** The console's lastMutationId after the group. */
  last: number
  /** Index in the group of a mutation whose id jumps too far (nothing from it on was applied). */
  jumpAt: number | null
  /** Errors that rejected a mutation as a server error, to log once the group is committed. */
  errors: Array<{ error: unknown; name: string }>
}

/** The tickets a mutation names (its own, a merge's target), to read with the batch's. */
function namedTickets(m: PushMutation): string[] {
  const a = (m.args ?? {}) as { ticketId?: unknown; targetId?: unknown; ticket?: { id?: unknown } }
  const ids = [a.ticketId, a.targetId, a.ticket?.id]
  return ids.filter((id): id is string => typeof id === 'string')
}

const serverError = () =>
  reject('server_error', {
    zh: '服务器处理该操作时出错，已记录',
    en: 'The server failed on this action; it has been logged',
  })

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

  const record = (tx: MutationWrites, m: PushMutation, o: Outcome) =>
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

  /**
   * One group in one transaction, a savepoint a mutation: a mutation that fails rolls back
   * alone and is rejected; a temporary failure (or a deadlock, retried by the store) undoes
   * the whole group, which the console pushes again.
   */
  const applyGroup = async (
    tx: MutationTx,
    seqs: number[],
    group: PushMutation[],
    reserved: Array<string | null>,
    nowMs: number,
  ): Promise<GroupResult> => {
    const first = await tx.lockClient(key, user.id, legacy)
    let last = first
    const outcomes: Done[] = []
    const errors: GroupResult['errors'] = []
    let jumpAt: number | null = null
    for (const [i, m] of group.entries()) {
      if (m.id <= last) {
        outcomes.push('skipped')
        continue
      }
      if (m.id - last > MAX_ID_JUMP) {
        jumpAt = i
        break
      }
      await tx.useSeq(seqs[i]!)
      await tx.savepoint()
      let outcome: Outcome | null = null
      for (let attempt = 0; outcome == null; attempt++) {
        try {
          const o = await applyOne(tx, m, actor, ref, nowMs, reserved[i] ?? null)
          await record(tx, m, o)
          await tx.flush()
          outcome = o
        } catch (e) {
          await tx.rollbackToSavepoint()
          if (isTemporary(e) || e instanceof ApiError) throw e
          // Two consoles created the same ticket at once: read it again, now that it is there.
          if (isUniqueViolation(e) && attempt < 2) continue
          // A bug must not wedge the console's outbox: reject this one mutation and go on.
          errors.push({ error: e, name: m.name })
          const o = serverError()
          await record(tx, m, o)
          outcome = o
        }
      }
      outcomes.push(outcome)
      last = m.id
    }
    if (last > first) await tx.setLastMutationId(key, user.id, last)
    return { outcomes, last, jumpAt, errors }
  }

  /**
   * The same group the fast way (store/batch.ts), maybe beside other consoles' groups in one
   * transaction (sync/group-commit.ts): its tickets read and locked with the batch's, its writes
   * sent with the batch's at the end. Anything failing but a temporary failure or a deadlock
   * sends the group the slow way (`applyGroup`) in a transaction of its own.
   */
  const applyGroupFast = async (
    w: BatchWriter,
    tx: MutationTx,
    seqs: number[],
    clients: ClientLasts | null,
    group: PushMutation[],
    reserved: Array<string | null>,
    nowMs: number,
  ): Promise<{ result: GroupResult; client: ClientUpdate | null }> => {
    try {
      const first = clients?.get(key) ?? (await tx.lockClient(key, user.id, legacy))
      let last = first
      const runs: number[] = []
      let jumpAt: number | null = null
      for (const [i, m] of group.entries()) {
        if (m.id <= last) continue
        if (m.id - last > MAX_ID_JUMP) {
          jumpAt = i
          break
        }
        runs.push(i)
        last = m.id
      }
      await w.prefetch(runs.flatMap((i) => namedTickets(group[i]!)))
      const outcomes: Done[] = []
      for (const [i, m] of group.entries()) {
        if (i === jumpAt) break
        if (!runs.includes(i)) {
          outcomes.push('skipped')
          continue
        }
        w.begin(seqs[i]!)
        const o = await applyOne(w, m, actor, ref, nowMs, reserved[i] ?? null)
        await record(w, m, o)
        w.commit()
        outcomes.push(o)
      }
      const lastRun = runs[runs.length - 1]
      return {
        result: { outcomes, last, jumpAt, errors: [] },
        client:
          lastRun == null
            ? null
            : { clientId: key, userId: user.id, last, lastSeq: seqs[lastRun]! },
      }
    } catch (e) {
      w.discard()
      throw BatchFallback.unless(e)
    }
  }

  for (let start = 0; start < mutations.length; start += GROUP) {
    // SQLite answers synchronously: without a pause a long push would hold the event loop, and
    // with it every other console's request, the health check and a SIGTERM, until it is done.
    if (start > 0) await new Promise((resolve) => setImmediate(resolve))
    const group = mutations.slice(start, start + GROUP)
    const nowMs = ctx.now()
    // On PostgreSQL a creation's number is taken first, outside the transaction (migration
    // 0004); a create that proves to be a repeat leaves a gap in the day's numbers.
    const reserved = await Promise.all(
      group.map((m) =>
        baseName(m.name) === 'ticket.create'
          ? ctx.store.reserveTicketNumber(localDay(ref, nowMs))
          : null,
      ),
    )
    let done: GroupResult
    try {
      done = await committer(ctx.store).submit({
        n: group.length,
        clientId: key,
        ticketIds: group.flatMap(namedTickets),
        run: (w, tx, seqs, clients) => applyGroupFast(w, tx, seqs, clients, group, reserved, nowMs),
      })
      ctx.metrics?.pushGroup('fast')
    } catch (e) {
      if (!(e instanceof BatchFallback)) throw e
      ctx.metrics?.pushGroup('slow')
      done = await ctx.store.mutateBatch(group.length, (tx, seqs) =>
        applyGroup(tx, seqs, group, reserved, nowMs),
      )
    }
    for (const { error, name } of done.errors)
      ctx.log?.error({ err: error, mutation: name }, 'mutation failed')
    lastMutationId = Math.max(lastMutationId, done.last)
    for (const [i, outcome] of done.outcomes.entries()) {
      const m = group[i]!
      ctx.metrics?.mutation(
        outcome === 'skipped' ? 'repeated' : outcome.status === 'ok' ? 'applied' : 'rejected',
      )
      if (outcome === 'skipped') {
        skipped.push(m.id)
        results.push({ id: m.id, status: 'ok' })
      } else results.push({ id: m.id, ...outcome })
    }
    // What came before is committed; the jump and everything after it are refused.
    if (done.jumpAt != null) throw idJump(start + done.jumpAt, done.last)
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
