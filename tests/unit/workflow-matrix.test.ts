// Every action × every state × every kind of actor, against the table of DESIGN.md §3 written
// out below as data: allowed where the table says so (with the right event, state and version),
// refused with a readable reason everywhere else.
import { describe, expect, it } from 'vitest'
import type { Action, ActionName } from '../../src/shared/actions'
import { STATUSES, type Status } from '../../src/shared/ticket'
import { TABLE, type Row } from '../helpers/design-table'
import { applyAction } from '../../src/shared/workflow'
import {
  actors,
  created,
  ctx,
  inState,
  recountCtx,
  step,
  type ActorKey,
  type Run,
} from '../helpers/workflow'

const ACTOR_KEYS = Object.keys(actors) as ActorKey[]

/** Valid arguments for the action on this ticket, and the merge target it needs. */
function actionFor(name: ActionName, run: Run): { action: Action; target?: Run['ticket'] } {
  const ticketId = run.ticket.id
  const later = (iso: string | null) =>
    new Date((iso ? Date.parse(iso) : run.now) + 86_400_000).toISOString()
  const args: Record<string, unknown> = {
    'ticket.update': { ticketId, patch: { description: '噪音问题仍在持续，补充：每晚十点后' } },
    'ticket.answer': { ticketId, text: '已告知办理流程' },
    'ticket.dispatch': { ticketId, unit: 'CITY-UM', coUnits: [], instructions: null },
    'ticket.sign': { ticketId },
    'ticket.requestReturn': { ticketId, reason: '不属于本单位职责' },
    'ticket.decideReturn': { ticketId, approve: true, reason: null },
    'ticket.requestExtension': { ticketId, until: later(run.ticket.dueAt), reason: '需协调' },
    'ticket.decideExtension': { ticketId, approve: true, reason: null },
    'ticket.note': { ticketId, text: '已电话联系商户', internal: true },
    'ticket.urge': { ticketId, text: null },
    'ticket.supervise': { ticketId, text: null },
    'ticket.reply': { ticketId, text: '已现场核查并整改', resolved: true },
    'ticket.rejectReply': { ticketId, reason: '回复未说明整改结果' },
    'ticket.callback': { ticketId, satisfaction: 'satisfied', text: null },
    'ticket.redo': { ticketId, reason: '市民反映问题未解决' },
    'ticket.closeWithoutCallback': { ticketId, reason: '市民拒绝回访' },
    'ticket.merge': { ticketId, targetId: '' },
    'ticket.cancel': { ticketId, reason: '无效来电' },
    'ticket.viewPhone': { ticketId, via: 'pane' },
    'ticket.reschedule': { ticketId, reason: null },
    'ticket.dispatchDown': { ticketId, unit: 'JK-ZDL-HJN', instructions: '请社区上门核实' },
    'ticket.reviewReturn': { ticketId, approve: true, reason: null },
    'ticket.reviewReply': { ticketId, approve: true, reason: null },
    'ticket.recall': { ticketId, reason: '派错单位' },
    'ticket.reroute': { ticketId, unit: 'CITY-UM', reason: '派错单位' },
    'ticket.submitPart': { ticketId, text: '已配合核查' },
    'ticket.contact': { ticketId, text: null },
    'ticket.exempt': { ticketId, reason: 'historical_issue', text: null },
    'ticket.withdrawExemption': { ticketId, reason: null },
  }
  if (name === 'ticket.merge') {
    const target = created().ticket
    return { action: { name, args: { ticketId, targetId: target.id } }, target }
  }
  return { action: { name, args: args[name] } as Action }
}

function fixture(name: ActionName, status: Status): Run {
  if (status === 'merged') {
    const target = created().ticket
    const run = created()
    const merge: Action = {
      name: 'ticket.merge',
      args: { ticketId: run.ticket.id, targetId: target.id },
    }
    return step(run, merge, actors.dispatcher, 10, { target })
  }
  const run = inState(status, name === 'ticket.decideExtension' ? 'extensionPending' : undefined)
  // Withdrawing needs an exemption to withdraw (where one can be made).
  if (name !== 'ticket.withdrawExemption' || !TABLE['ticket.exempt'].from.includes(status))
    return run
  const exempt: Action = {
    name: 'ticket.exempt',
    args: { ticketId: run.ticket.id, reason: 'outside_remit', text: null },
  }
  return step(run, exempt, actors.supervisor, 5)
}

/** What the table says should happen: null when allowed, else the refusal code. */
function expected(
  name: Exclude<ActionName, 'ticket.create'>,
  row: Row,
  status: Status,
  key: ActorKey,
  run: Run,
) {
  const actor = actors[key]
  const creatorEdit = name === 'ticket.update' && key === 'agent' && status === 'new'
  const roleAllowed = creatorEdit || row.who.some((k) => actors[k].role === actor.role)
  if (!roleAllowed) return 'forbidden'
  if (actor.role === 'unit') {
    const involved =
      name === 'ticket.note' ? [run.ticket.unit, ...run.ticket.coUnits] : [run.ticket.unit]
    if (!involved.includes(actor.unit)) return 'not_your_unit'
  }
  if (!row.from.includes(status))
    return name === 'ticket.dispatch' && (status === 'dispatched' || status === 'in_progress')
      ? 'already_dispatched'
      : 'invalid_state'
  return row.fixtureRefusal?.[key] ?? null
}

describe.each(Object.entries(TABLE))('%s', (name, row) => {
  const action = name as Exclude<ActionName, 'ticket.create'>
  it.each(STATUSES.map((s) => [s]))('from %s, for every actor', (status) => {
    for (const key of ACTOR_KEYS) {
      // A merged fixture carries a fresh ticket; build per actor so no actor sees another's effect.
      const run = fixture(action, status)
      const { action: a, target } = actionFor(action, run)
      // The recount has work only once the calendar changed.
      const rules = action === 'ticket.reschedule' ? recountCtx : ctx
      const result = applyAction(run.ticket, a, actors[key], run.now + 60_000, { ...rules, target })
      const want = expected(action, row, status, key, run)
      const label = `${action} from ${status} by ${key}`
      if (want === null) {
        expect(
          result.ok,
          `${label} should be allowed: ${!result.ok ? result.refusal.message.en : ''}`,
        ).toBe(true)
        if (!result.ok) continue
        expect(result.ticket.version, label).toBe(run.ticket.version + 1)
        expect(result.event.type, label).toBe(row.event)
        expect(result.event.from, label).toBe(status)
        expect(result.ticket.status, label).toBe(row.to === 'same' ? status : row.to)
        expect(result.event.id, label).toBe(`${run.ticket.id}/${run.ticket.version + 1}`)
        expect(result.event.actor.userId, label).toBe(actors[key].userId)
      } else {
        expect(result.ok, `${label} should be refused (${want})`).toBe(false)
        if (result.ok) continue
        expect(result.refusal.code, label).toBe(want)
        expect(result.refusal.message.zh.length, label).toBeGreaterThan(3)
        expect(result.refusal.message.en.length, label).toBeGreaterThan(3)
      }
    }
  })
})

describe('ticket.create', () => {
  it.each(ACTOR_KEYS.map((k) => [k]))('by %s', (key) => {
    const run = created()
    const allowed = ['agent', 'agent2', 'dispatcher', 'supervisor', 'open311'].includes(key)
    const r = applyAction(
      null,
      {
        name: 'ticket.create',
        args: { ticket: { ...run.ticket, id: '0190f5c2-0000-7000-8000-ffffffffffff' } },
      } as Action,
      actors[key],
      run.now,
      ctx,
    )
    expect(r.ok).toBe(allowed)
    if (r.ok) {
      expect(r.ticket).toMatchObject({
        status: 'new',
        version: 1,
        number: null,
        createdBy: actors[key].userId,
      })
      expect(r.event).toMatchObject({ type: 'created', from: null, to: 'new', version: 1 })
    } else {
      expect(r.refusal.code).toBe('forbidden')
    }
  })

  it('refuses to create a ticket that exists', () => {
    const run = created()
    const r = applyAction(
      run.ticket,
      { name: 'ticket.create', args: { ticket: run.ticket } } as Action,
      actors.agent,
      run.now,
      ctx,
    )
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.refusal.code).toBe('already_exists')
  })
})
