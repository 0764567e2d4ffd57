// Random sequences of actions by random actors at random times: whatever happens, the ticket
// never leaves the table of DESIGN.md §3, no event is dropped, and the version counts the
// actions applied.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ACTION_NAMES, type Action, type ActionName } from '../../src/shared/actions'
import { SATISFACTIONS, STATUSES, type Ticket, type TimelineEvent } from '../../src/shared/ticket'
import { allowedActions, applyAction } from '../../src/shared/workflow'
import { TABLE } from '../helpers/design-table'
import { chainOf, chainUnits, live, statusFromChain } from '../../src/shared/assignments'
import { actors, created, ctx, inChain, inState, type ActorKey } from '../helpers/workflow'

const ACTOR_KEYS = Object.keys(actors) as ActorKey[]
const NAMES = ACTION_NAMES.filter((n) => n !== 'ticket.create') as Exclude<
  ActionName,
  'ticket.create'
>[]
const UNITS = ['JK-ZDL', 'CITY-UM', 'CITY-EEB', 'JK-CENTER']
/** Where levels below the city pass tickets (the test context's units: a sub-centre's, a street's). */
const BELOW = ['JK-ZDL', 'JK-JKL', 'JK-UM', 'JK-ZDL-HJN']

// Uniform draws: fast-check's bias towards small numbers would always pick the first action.
const stepArb = fc.noBias(
  fc.record({
    name: fc.constantFrom(...NAMES),
    actor: fc.constantFrom(...ACTOR_KEYS),
    // Mostly minutes to hours apart, now and then days (so deadlines and windows pass).
    minutes: fc.oneof(
      { weight: 9, arbitrary: fc.integer({ min: 1, max: 240 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 10 * 24 * 60 }) },
    ),
    approve: fc.boolean(),
    satisfaction: fc.constantFrom(...SATISFACTIONS),
    unit: fc.constantFrom(...UNITS),
    extendDays: fc.integer({ min: 1, max: 16 }),
    /** Most steps pick among the actions the rules offer this actor, so runs get far. */
    preferAllowed: fc.integer({ min: 0, max: 9 }).map((n) => n < 8),
    pick: fc.nat(),
  }),
)
const startArb = fc.constantFrom<() => ReturnType<typeof inState>>(
  () => inState('new'),
  () => inState('dispatched'),
  () => inState('in_progress'),
  () => inState('in_progress', 'extensionPending'),
  () => inState('return_requested'),
  () => inState('replied'),
  () => inState('closed'),
  // Issue 16: lives that went down a level, with an assisting unit.
  () => inChain('down'),
  () => inChain('signed'),
  () => inChain('partIn'),
  () => inChain('replied'),
  () => inChain('returnAsked'),
)
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never

function actionFrom(s: Step, t: Ticket, targetId: string): Action {
  const ticketId = t.id
  const base = t.dueAt ? Date.parse(t.dueAt) : Date.now()
  const args: Record<ActionName, unknown> = {
    'ticket.create': null,
    'ticket.update': { ticketId, patch: { urgency: s.approve ? 'urgent' : 'normal' } },
    'ticket.answer': { ticketId, text: '已解答' },
    'ticket.dispatch': { ticketId, unit: s.unit, coUnits: [], instructions: null },
    'ticket.sign': { ticketId },
    'ticket.requestReturn': { ticketId, reason: '非本单位职责' },
    'ticket.decideReturn': { ticketId, approve: s.approve, reason: null },
    'ticket.requestExtension': {
      ticketId,
      until: new Date(base + s.extendDays * 86_400_000).toISOString(),
      reason: '需协调',
    },
    'ticket.decideExtension': { ticketId, approve: s.approve, reason: null },
    'ticket.note': { ticketId, text: '备注', internal: true },
    'ticket.urge': { ticketId, text: null },
    'ticket.supervise': { ticketId, text: null },
    'ticket.reply': { ticketId, text: '已处理', resolved: s.approve },
    'ticket.rejectReply': { ticketId, reason: '回复不充分' },
    'ticket.callback': { ticketId, satisfaction: s.satisfaction, text: null },
    'ticket.redo': { ticketId, reason: '未解决' },
    'ticket.closeWithoutCallback': { ticketId, reason: '市民拒绝回访' },
    'ticket.merge': { ticketId, targetId },
    'ticket.cancel': { ticketId, reason: '无效来电' },
    'ticket.viewPhone': { ticketId, via: 'pane' },
    'ticket.reschedule': { ticketId, reason: null },
    'ticket.dispatchDown': {
      ticketId,
      unit: BELOW[s.pick % BELOW.length],
      assisting: s.pick % 3 === 0 ? [BELOW[(s.pick + 1) % BELOW.length]] : [],
      instructions: null,
    },
    'ticket.reviewReturn': { ticketId, approve: s.approve, reason: null },
    'ticket.reviewReply': { ticketId, approve: s.approve, reason: s.approve ? null : '不充分' },
    'ticket.recall': { ticketId, reason: s.pick % 4 === 0 ? null : '派错' },
    'ticket.reroute': {
      ticketId,
      unit: [...UNITS, ...BELOW][s.pick % (UNITS.length + BELOW.length)],
      reason: '派错',
    },
    'ticket.submitPart': { ticketId, text: '协办意见' },
    'ticket.contact': { ticketId, text: null },
    'ticket.exempt': { ticketId, reason: 'historical_issue', text: null },
    'ticket.withdrawExemption': { ticketId, reason: null },
  }
  if (s.name === 'ticket.dispatch' && s.pick % 3 === 0)
    return {
      name: s.name,
      args: { ticketId, unit: s.unit, coUnits: [], instructions: null, assisting: ['CITY-UM'] },
    } as Action
  return { name: s.name, args: args[s.name] } as Action
}

/** What must hold of a ticket in each state, whatever path led there. */
function checkInvariants(t: Ticket) {
  expect(STATUSES).toContain(t.status)
  if (t.status === 'new') expect([t.unit, t.dueAt, t.signBy]).toEqual([null, null, null])
  if (['dispatched', 'in_progress', 'return_requested', 'replied'].includes(t.status)) {
    expect(t.unit).not.toBeNull()
    expect(t.dueAt).not.toBeNull()
    expect(Date.parse(t.signBy!)).toBeLessThanOrEqual(Date.parse(t.dueAt!))
  }
  if (t.status === 'in_progress') expect(t.signedAt).not.toBeNull()
  if (t.status === 'return_requested') expect(t.returnRequest).not.toBeNull()
  if (t.status === 'replied') expect(t.completedAt).not.toBeNull()
  if (t.status === 'closed') expect(t.closedAt).not.toBeNull()
  if (t.status === 'merged') expect(t.duplicateOf).not.toBeNull()
  for (const n of Object.values(t.counts)) expect(n).toBeGreaterThanOrEqual(0)
  // Issue 16: the status is the chain's; lower levels fall inside the level above.
  const fromChain = statusFromChain(t)
  if (fromChain) expect(t.status).toBe(fromChain)
  const chain = chainOf(t)
  const byId = new Map(chain.map((a) => [a.id, a]))
  for (const a of chain) {
    const above = byId.get((a.role === 'assist' ? a.lead : a.parent) ?? '')
    if (!above || !live(a)) continue
    expect(Date.parse(a.dueAt)).toBeLessThanOrEqual(Date.parse(above.dueAt))
    expect(Date.parse(a.signBy)).toBeLessThanOrEqual(Date.parse(a.dueAt))
  }
  // One live lead below each level at a time.
  for (const a of chain) {
    const below = chain.filter(
      (c) => c.parent === a.id && c.role === 'lead' && live(c) && c.review !== 'approved',
    )
    expect(below.length).toBeLessThanOrEqual(1)
  }
  if (t.extension.originalDueAt && t.dueAt)
    expect(Date.parse(t.dueAt)).toBeLessThanOrEqual(
      ctx.calendar.addWorkingDays(
        Date.parse(t.extension.originalDueAt),
        ctx.deadlines.extensionCapWorkingDays,
      ),
    )
}

describe('random action sequences', () => {
  it('stay inside the table, keep every event and count versions', () => {
    const appliedNames = new Set<ActionName>()
    fc.assert(
      fc.property(startArb, fc.array(stepArb, { minLength: 1, maxLength: 60 }), (from, steps) => {
        // Start anywhere in the ticket's life, so short runs reach the rare actions too.
        const start = from()
        const target = created().ticket
        let ticket = start.ticket
        let now = start.now
        const events: TimelineEvent[] = [...start.events]
        let applied = start.ticket.version
        for (const s of steps) {
          now += s.minutes * 60_000
          // Most steps: an action the rules offer somebody now (each name equally likely), by
          // one of those it is offered to.
          const offered = new Map<ActionName, ActorKey[]>()
          for (const k of ACTOR_KEYS)
            for (const n of allowedActions(ticket, actors[k], now, ctx))
              offered.set(n, [...(offered.get(n) ?? []), k])
          const names = [...offered.keys()]
          let name: ActionName = s.name
          let actorKey = s.actor
          if (s.preferAllowed && names.length) {
            name = names[s.pick % names.length]!
            const who = offered.get(name)!
            actorKey = who[Math.floor(s.pick / names.length) % who.length]!
          }
          const action = actionFrom({ ...s, name: name as typeof s.name }, ticket, target.id)
          const r = applyAction(ticket, action, actors[actorKey], now, { ...ctx, target })
          if (!r.ok) {
            expect(r.refusal.message.zh).not.toBe('')
            continue
          }
          applied++
          appliedNames.add(action.name)
          // Issue 16: unit staff act only on tickets their unit is on (the chain, or co-unit).
          const who = actors[actorKey]
          if (who.role === 'unit')
            expect(
              [ticket.unit, ...ticket.coUnits, ...chainUnits(ticket)],
              `${action.name} by ${actorKey}`,
            ).toContain(who.unit)
          const row = TABLE[action.name as keyof typeof TABLE]
          expect(
            [...row.from, ...(row.chainFrom ?? [])],
            `${action.name} applied from ${ticket.status}`,
          ).toContain(ticket.status)
          const to = (x: string) => (x === 'same' ? ticket.status : x)
          const allowedTo =
            action.name === 'ticket.decideReturn'
              ? ['new', 'dispatched', 'in_progress']
              : [to(row.to), ...(row.alsoTo ?? []).map(to)]
          expect(allowedTo, `${action.name} from ${ticket.status}`).toContain(r.ticket.status)
          expect(r.event.version).toBe(ticket.version + 1)
          expect(r.event.from).toBe(ticket.status)
          expect(r.event.to).toBe(r.ticket.status)
          events.push(r.event)
          ticket = r.ticket
          checkInvariants(ticket)
        }
        expect(ticket.version).toBe(applied)
        expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1))
        expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
      }),
      { numRuns: 800 },
    )
    // The runs went everywhere: every action was applied somewhere — but the recount, which
    // changes nothing while the calendar stays as it is (tests/unit/calendar-horizon.test.ts).
    const unapplied = NAMES.filter((n) => !appliedNames.has(n) && n !== 'ticket.reschedule')
    expect(unapplied).toEqual([])
  })

  it('never change the ticket they are given, allowed or refused', () => {
    const states = STATUSES.filter((st) => st !== 'merged')
    fc.assert(
      fc.property(stepArb, fc.constantFrom(...states), (s, status) => {
        const run = inState(status)
        const before = structuredClone(run.ticket)
        const r = applyAction(
          run.ticket,
          actionFrom(s, run.ticket, run.ticket.id),
          actors[s.actor],
          run.now,
          ctx,
        )
        expect(run.ticket).toEqual(before)
        if (r.ok) expect(r.ticket).not.toBe(run.ticket)
      }),
      { numRuns: 300 },
    )
  })
})
