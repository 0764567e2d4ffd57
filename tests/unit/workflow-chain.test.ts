// Issue 16: the chain of assignments — city → sub-centre → street → community — with nested
// deadlines, returns and replies going to the level that dispatched, recall and re-route, and
// assisting units' parts before the lead's reply.
import { describe, expect, it } from 'vitest'
import type { Action } from '../../src/shared/actions'
import { chainOf, chainUnits, holder, ladder, statusFromChain } from '../../src/shared/assignments'
import { maySeeFullPhone } from '../../src/shared/phone-access'
import type { Actor } from '../../src/shared/ticket'
import { applyAction } from '../../src/shared/workflow'
import { actors, ctx, inChain, inState, step, type Run } from '../helpers/workflow'

const MIN = 60_000
const act = (run: Run, action: Action, actor: Actor, minutes = 10) =>
  applyAction(run.ticket, action, actor, run.now + minutes * MIN, ctx)
const refusal = (r: ReturnType<typeof act>) => (r.ok ? null : r.refusal.code)
const id = (r: Run) => r.ticket.id

describe('dispatching down', () => {
  it('makes a two-level chain with the lower deadlines inside the upper ones', () => {
    const r = inChain('down')
    const [top, street, part] = chainOf(r.ticket)
    expect(r.ticket.status).toBe('in_progress')
    expect(r.ticket.unit).toBe('JK-CENTER')
    expect(top).toMatchObject({ level: 1, unit: 'JK-CENTER', state: 'signed', role: 'lead' })
    expect(street).toMatchObject({
      level: 2,
      unit: 'JK-ZDL',
      parent: top!.id,
      state: 'dispatched',
      instructions: '请街道核实',
      by: { userId: actors.centre.userId, unit: 'JK-CENTER' },
    })
    expect(part).toMatchObject({ level: 2, unit: 'JK-JKL', role: 'assist', lead: street!.id })
    // A five-working-day complaint: the street gets 80 % of the working time the centre has left.
    const left = ctx.calendar.workingMinutesBetween(Date.parse(street!.at), Date.parse(top!.dueAt))
    expect(
      ctx.calendar.workingMinutesBetween(Date.parse(street!.at), Date.parse(street!.dueAt)),
    ).toBe(Math.floor(left * 0.8))
    expect(Date.parse(street!.dueAt)).toBeLessThan(Date.parse(top!.dueAt))
    expect(Date.parse(part!.dueAt)).toBeLessThan(Date.parse(street!.dueAt))
    expect(Date.parse(street!.signBy)).toBeLessThanOrEqual(Date.parse(street!.dueAt))
    expect(r.events.at(-1)).toMatchObject({
      type: 'dispatched_down',
      data: { from: 'JK-CENTER', unit: 'JK-ZDL', level: 2, assisting: ['JK-JKL'] },
    })
    expect(ladder(chainOf(r.ticket)).map((a) => a.unit)).toEqual(['JK-CENTER', 'JK-ZDL'])
    expect(holder(chainOf(r.ticket))?.unit).toBe('JK-ZDL')
  })

  it('lets a sub-centre dispatch only to the units the reference data names', () => {
    const base = inState('new')
    const d = step(
      base,
      {
        name: 'ticket.dispatch',
        args: { ticketId: id(base), unit: 'JK-CENTER', coUnits: [], instructions: null },
      },
      actors.dispatcher,
    )
    const s = step(d, { name: 'ticket.sign', args: { ticketId: id(d) } }, actors.centre)
    const down = (unit: string) =>
      act(
        s,
        { name: 'ticket.dispatchDown', args: { ticketId: id(s), unit, instructions: null } },
        actors.centre,
      )
    expect(refusal(down('CITY-UM'))).toBe('not_below')
    expect(refusal(down('JK-CENTER'))).toBe('dispatch_to_self')
    expect(refusal(down('NOPE'))).toBe('unknown_unit')
    expect(refusal(down('JK-UM'))).toBeNull()
    // A unit outside the chain may not act on it at all.
    const foreign = act(
      s,
      { name: 'ticket.dispatchDown', args: { ticketId: id(s), unit: 'JK-UM', instructions: null } },
      actors.unit,
    )
    expect(refusal(foreign)).toBe('not_your_unit')
  })

  it('refuses to dispatch down before signing, and while a level below still holds it', () => {
    const base = inState('new')
    const d = step(
      base,
      {
        name: 'ticket.dispatch',
        args: { ticketId: id(base), unit: 'JK-CENTER', coUnits: [], instructions: null },
      },
      actors.dispatcher,
    )
    const args = { ticketId: id(d), unit: 'JK-ZDL', instructions: null }
    expect(refusal(act(d, { name: 'ticket.dispatchDown', args }, actors.centre))).toBe(
      'invalid_state',
    )
    const r = inChain('down')
    const again = act(
      r,
      { name: 'ticket.dispatchDown', args: { ...args, ticketId: id(r), unit: 'JK-JKL' } },
      actors.centre,
    )
    expect(refusal(again)).toBe('level_below_open')
    if (!again.ok) expect(again.refusal.message.zh).toContain('正东路街道')
  })

  it('goes three levels down: a street passes to its community', () => {
    let r = inChain('signed')
    r = step(
      r,
      {
        name: 'ticket.dispatchDown',
        args: { ticketId: id(r), unit: 'JK-ZDL-HJN', instructions: '请社区上门' },
      },
      actors.unit,
    )
    const bad = act(
      inChain('signed'),
      {
        name: 'ticket.dispatchDown',
        args: { ticketId: id(r), unit: 'JK-JKL', instructions: null },
      },
      actors.unit,
    )
    expect(refusal(bad)).toBe('not_below')
    const chain = chainOf(r.ticket)
    expect(ladder(chain).map((a) => [a.level, a.unit])).toEqual([
      [1, 'JK-CENTER'],
      [2, 'JK-ZDL'],
      [3, 'JK-ZDL-HJN'],
    ])
    const [street, community] = [ladder(chain)[1]!, ladder(chain)[2]!]
    expect(Date.parse(community.dueAt)).toBeLessThan(Date.parse(street.dueAt))
    // Everyone on the ladder sees the ticket; the community sees it too.
    expect(chainUnits(r.ticket).sort()).toEqual(['JK-CENTER', 'JK-JKL', 'JK-ZDL', 'JK-ZDL-HJN'])
    // The community signs and replies; the street approves; the centre approves; the city sees it.
    r = step(r, { name: 'ticket.sign', args: { ticketId: id(r) } }, actors.community)
    r = step(
      r,
      { name: 'ticket.reply', args: { ticketId: id(r), text: '已上门处理', resolved: true } },
      actors.community,
    )
    expect(r.ticket.status).toBe('in_progress')
    expect(r.events.at(-1)).toMatchObject({ type: 'level_replied', data: { level: 3 } })
    // The street's own part is in (inChain signed the assisting unit; it submits now).
    r = step(
      r,
      { name: 'ticket.submitPart', args: { ticketId: id(r), text: '已配合' } },
      actors.street2,
    )
    r = step(
      r,
      { name: 'ticket.reviewReply', args: { ticketId: id(r), approve: true, reason: null } },
      actors.unit,
    )
    expect(r.events.at(-1)).toMatchObject({ type: 'level_reply_approved', to: 'in_progress' })
    expect(holder(chainOf(r.ticket))?.unit).toBe('JK-CENTER')
    r = step(
      r,
      { name: 'ticket.reviewReply', args: { ticketId: id(r), approve: true, reason: null } },
      actors.centre,
    )
    expect(r.ticket.status).toBe('replied')
    expect(r.ticket.resolution).toMatchObject({ kind: 'replied', text: '已上门处理' })
    expect(r.events.at(-1)).toMatchObject({ type: 'replied', data: { via: 'JK-ZDL' } })
    // Only the city centre's review closes the loop: the agent calls back.
    r = step(
      r,
      {
        name: 'ticket.callback',
        args: { ticketId: id(r), satisfaction: 'satisfied', text: null },
      },
      actors.agent,
    )
    expect(r.ticket.status).toBe('closed')
  })
})

describe('returns go to the level that dispatched', () => {
  it('a street asks the sub-centre, which approves and re-dispatches among its own units', () => {
    let r = inChain('returnAsked')
    expect(r.ticket.status).toBe('in_progress')
    expect(r.events.at(-1)).toMatchObject({
      type: 'level_return_requested',
      data: { unit: 'JK-ZDL', level: 2 },
    })
    // Not the city's to decide.
    expect(
      refusal(
        act(
          r,
          { name: 'ticket.decideReturn', args: { ticketId: id(r), approve: true, reason: null } },
          actors.dispatcher,
        ),
      ),
    ).toBe('invalid_state')
    r = step(
      r,
      { name: 'ticket.reviewReturn', args: { ticketId: id(r), approve: true, reason: null } },
      actors.centre,
    )
    const street = chainOf(r.ticket).find((a) => a.unit === 'JK-ZDL')!
    expect(street).toMatchObject({ state: 'returned', reason: '不在本街道辖区' })
    expect(chainUnits(r.ticket)).not.toContain('JK-ZDL')
    expect(chainUnits(r.ticket)).not.toContain('JK-JKL')
    r = step(
      r,
      {
        name: 'ticket.dispatchDown',
        args: { ticketId: id(r), unit: 'JK-JKL', instructions: '请健康路街道处理' },
      },
      actors.centre,
    )
    expect(holder(chainOf(r.ticket))?.unit).toBe('JK-JKL')
  })

  it('a sub-centre rejects the return, or returns the ticket up to the city itself', () => {
    let r = inChain('returnAsked')
    const rejected = step(
      r,
      {
        name: 'ticket.reviewReturn',
        args: { ticketId: id(r), approve: false, reason: '属于辖区' },
      },
      actors.centre,
    )
    expect(chainOf(rejected.ticket).find((a) => a.unit === 'JK-ZDL')?.returnRequest).toBeNull()
    expect(rejected.events.at(-1)?.type).toBe('level_return_rejected')
    // The centre cannot ask the city to take it back while its street still holds it …
    expect(
      refusal(
        act(
          r,
          { name: 'ticket.requestReturn', args: { ticketId: id(r), reason: '非本区' } },
          actors.centre,
        ),
      ),
    ).toBe('level_below_open')
    r = step(
      r,
      { name: 'ticket.reviewReturn', args: { ticketId: id(r), approve: true, reason: null } },
      actors.centre,
    )
    // … but once it is back, it returns it up with a reason, and the city decides.
    r = step(
      r,
      { name: 'ticket.requestReturn', args: { ticketId: id(r), reason: '不属于京口区' } },
      actors.centre,
    )
    expect(r.ticket.status).toBe('return_requested')
    r = step(
      r,
      { name: 'ticket.decideReturn', args: { ticketId: id(r), approve: true, reason: null } },
      actors.dispatcher,
    )
    expect(r.ticket.status).toBe('new')
    expect(chainOf(r.ticket)[0]).toMatchObject({ unit: 'JK-CENTER', state: 'returned' })
    expect(chainUnits(r.ticket)).toEqual([])
  })
})

describe('replies go up for review', () => {
  it('the sub-centre sends a reply back with a reason, then approves the second one', () => {
    let r = inChain('replied')
    expect(statusFromChain(r.ticket)).toBe('in_progress')
    const noReason = act(
      r,
      { name: 'ticket.reviewReply', args: { ticketId: id(r), approve: false, reason: null } },
      actors.centre,
    )
    expect(refusal(noReason)).toBe('reason_required')
    r = step(
      r,
      { name: 'ticket.reviewReply', args: { ticketId: id(r), approve: false, reason: '未附照片' } },
      actors.centre,
    )
    expect(chainOf(r.ticket).find((a) => a.unit === 'JK-ZDL')).toMatchObject({
      state: 'signed',
      reply: null,
    })
    r = step(
      r,
      { name: 'ticket.reply', args: { ticketId: id(r), text: '已整改，附照片', resolved: true } },
      actors.unit,
    )
    r = step(
      r,
      { name: 'ticket.reviewReply', args: { ticketId: id(r), approve: true, reason: null } },
      actors.centre,
    )
    expect(r.ticket.status).toBe('replied')
    expect(r.ticket.resolution?.text).toBe('已整改，附照片')
    // The city's review may still send it back: the sub-centre handles it again.
    r = step(
      r,
      { name: 'ticket.rejectReply', args: { ticketId: id(r), reason: '市民反映仍有噪音' } },
      actors.dispatcher,
    )
    expect(r.ticket.status).toBe('in_progress')
    expect(chainOf(r.ticket)[0]).toMatchObject({ state: 'signed', reply: null })
    expect(holder(chainOf(r.ticket))?.unit).toBe('JK-CENTER')
  })

  it('a sub-centre cannot reply over a street that still holds the ticket', () => {
    const r = inChain('signed')
    const out = act(
      r,
      { name: 'ticket.reply', args: { ticketId: id(r), text: '已办', resolved: true } },
      actors.centre,
    )
    expect(refusal(out)).toBe('level_below_open')
  })
})

describe('assisting units (协办)', () => {
  it('the lead replies only once every part is in', () => {
    const r = inChain('signed')
    const early = act(
      r,
      { name: 'ticket.reply', args: { ticketId: id(r), text: '已办', resolved: true } },
      actors.unit,
    )
    expect(refusal(early)).toBe('parts_missing')
    if (!early.ok) expect(early.refusal.message.zh).toContain('健康路街道')
    const done = inChain('partIn')
    const part = chainOf(done.ticket).find((a) => a.role === 'assist')!
    expect(part).toMatchObject({ state: 'replied', reply: { text: '已配合现场核查' } })
    expect(done.events.at(-1)).toMatchObject({ type: 'part_submitted', data: { onTime: true } })
    const ok = act(
      done,
      { name: 'ticket.reply', args: { ticketId: id(done), text: '已办', resolved: true } },
      actors.unit,
    )
    expect(refusal(ok)).toBeNull()
  })

  it('after a part is overdue the lead may reply, and the missing part is recorded against it', () => {
    const r = inChain('signed')
    const part = chainOf(r.ticket).find((a) => a.role === 'assist')!
    const later = Date.parse(part.dueAt) - r.now + MIN
    const out = act(
      r,
      { name: 'ticket.reply', args: { ticketId: id(r), text: '已办', resolved: true } },
      actors.unit,
      later / MIN,
    )
    expect(out.ok).toBe(true)
    if (!out.ok) return
    expect(out.event.data).toMatchObject({ missingParts: ['JK-JKL'] })
    expect(chainOf(out.ticket).find((a) => a.role === 'assist')?.missedPart).toBe(true)
  })

  it('a city dispatch may name assisting units; only they submit parts, after signing', () => {
    const base = inState('new')
    let r = step(
      base,
      {
        name: 'ticket.dispatch',
        args: {
          ticketId: id(base),
          unit: 'JK-ZDL',
          coUnits: [],
          instructions: null,
          assisting: ['CITY-UM'],
        },
      },
      actors.dispatcher,
    )
    expect(r.events.at(-1)?.data).toMatchObject({ assisting: ['CITY-UM'] })
    const part = { name: 'ticket.submitPart', args: { ticketId: id(r), text: '意见' } } as const
    expect(refusal(act(r, part, actors.otherUnit))).toBe('sign_first')
    expect(refusal(act(r, part, actors.unit))).toBe('not_assisting')
    r = step(r, { name: 'ticket.sign', args: { ticketId: id(r) } }, actors.otherUnit)
    // An assisting unit's signing does not sign for the lead.
    expect(r.ticket.status).toBe('dispatched')
    expect(r.events.at(-1)?.type).toBe('level_signed')
    r = step(r, part, actors.otherUnit)
    expect(refusal(act(r, part, actors.otherUnit))).toBe('part_submitted')
    const bad = act(
      base,
      {
        name: 'ticket.dispatch',
        args: {
          ticketId: id(base),
          unit: 'JK-ZDL',
          coUnits: [],
          instructions: null,
          assisting: ['JK-ZDL'],
        },
      },
      actors.dispatcher,
    )
    expect(refusal(bad)).toBe('co_unit_is_main')
  })
})

describe('recall and re-route (撤回 / 改派)', () => {
  const dispatched = () => inState('dispatched')

  it('the city recalls an unsigned dispatch at once, and a signed one only with a reason', () => {
    const d = dispatched()
    const r = step(
      d,
      { name: 'ticket.recall', args: { ticketId: id(d), reason: null } },
      actors.dispatcher,
    )
    expect(r.ticket).toMatchObject({ status: 'new', unit: null, dueAt: null })
    expect(r.ticket.counts.recalls).toBe(1)
    expect(chainOf(r.ticket)[0]).toMatchObject({ unit: 'JK-ZDL', state: 'recalled' })
    expect(r.events.at(-1)).toMatchObject({ type: 'recalled', data: { signed: false } })
    const s = inState('in_progress')
    const noReason = act(
      s,
      { name: 'ticket.recall', args: { ticketId: id(s), reason: null } },
      actors.dispatcher,
    )
    expect(refusal(noReason)).toBe('reason_required')
    const withReason = act(
      s,
      { name: 'ticket.recall', args: { ticketId: id(s), reason: '派错区' } },
      actors.dispatcher,
    )
    expect(withReason.ok && withReason.ticket.status).toBe('new')
    // Re-dispatch after the recall.
    const again = step(
      r,
      {
        name: 'ticket.dispatch',
        args: { ticketId: id(r), unit: 'CITY-UM', coUnits: [], instructions: null },
      },
      actors.dispatcher,
    )
    expect(chainOf(again.ticket).map((a) => [a.unit, a.state])).toEqual([
      ['JK-ZDL', 'recalled'],
      ['CITY-UM', 'dispatched'],
    ])
    expect(chainUnits(again.ticket)).toEqual(['CITY-UM'])
  })

  it('the city re-routes in one step; the whole chain below ends with it', () => {
    let r = inChain('signed')
    r = step(
      r,
      {
        name: 'ticket.reroute',
        args: { ticketId: id(r), unit: 'CITY-UM', reason: '属市级职能', instructions: null },
      },
      actors.dispatcher,
    )
    expect(r.ticket).toMatchObject({ status: 'dispatched', unit: 'CITY-UM', signedAt: null })
    expect(chainUnits(r.ticket)).toEqual(['CITY-UM'])
    expect(r.events.at(-1)).toMatchObject({
      type: 'rerouted',
      data: { from: 'JK-CENTER', unit: 'CITY-UM', level: 1, signed: true },
    })
  })

  it('a sub-centre re-routes its street; the unit cannot recall what the city sent it', () => {
    let r = inChain('signed')
    expect(
      refusal(
        act(r, { name: 'ticket.recall', args: { ticketId: id(r), reason: 'x' } }, actors.unit),
      ),
    ).toBe('nothing_to_recall')
    const same = act(
      r,
      {
        name: 'ticket.reroute',
        args: { ticketId: id(r), unit: 'JK-ZDL', reason: 'x', instructions: null },
      },
      actors.centre,
    )
    expect(refusal(same)).toBe('reroute_same_unit')
    r = step(
      r,
      {
        name: 'ticket.reroute',
        args: { ticketId: id(r), unit: 'JK-UM', reason: '属城管职责', instructions: '请处理' },
      },
      actors.centre,
    )
    expect(r.ticket.status).toBe('in_progress')
    expect(r.ticket.counts.recalls).toBe(1)
    expect(ladder(chainOf(r.ticket)).map((a) => a.unit)).toEqual(['JK-CENTER', 'JK-UM'])
    expect(chainUnits(r.ticket).sort()).toEqual(['JK-CENTER', 'JK-UM'])
  })
})

describe('urging reaches the level that holds the ticket', () => {
  it('names the holder below the city', () => {
    const r = inChain('signed')
    const u = step(
      r,
      { name: 'ticket.urge', args: { ticketId: id(r), text: null } },
      actors.dispatcher,
    )
    expect(u.events.at(-1)?.data).toMatchObject({ holder: 'JK-ZDL', holderLevel: 2 })
  })
})

describe('tickets from before the chain', () => {
  it('read as a one-level chain and keep working', () => {
    const r = inState('in_progress')
    const { assignments: _gone, ...old } = r.ticket
    const legacy = { ...r, ticket: old }
    expect(chainOf(legacy.ticket)).toMatchObject([
      { level: 1, unit: 'JK-ZDL', state: 'signed', dueAt: r.ticket.dueAt },
    ])
    const replied = step(
      legacy,
      { name: 'ticket.reply', args: { ticketId: id(r), text: '已办', resolved: true } },
      actors.unit,
    )
    expect(replied.ticket.status).toBe('replied')
    expect(replied.ticket.assignments).toBeUndefined()
    const down = step(
      legacy,
      {
        name: 'ticket.dispatchDown',
        args: { ticketId: id(r), unit: 'JK-ZDL-HJN', instructions: null },
      },
      actors.unit,
    )
    expect(down.ticket.assignments?.map((a) => a.unit)).toEqual(['JK-ZDL', 'JK-ZDL-HJN'])
  })
})

describe("the caller's number below the city (issue 7's rule, issue 16's levels)", () => {
  it('is shown to a lead unit at any level, not to an assisting unit or a recalled one', () => {
    const r = inChain('signed')
    expect(maySeeFullPhone(actors.centre, r.ticket)).toBe(true)
    expect(maySeeFullPhone(actors.unit, r.ticket)).toBe(true)
    expect(maySeeFullPhone(actors.street2, r.ticket)).toBe(false) // assisting
    const away = step(
      r,
      {
        name: 'ticket.reroute',
        args: { ticketId: r.ticket.id, unit: 'JK-UM', reason: '属城管', instructions: null },
      },
      actors.centre,
    )
    expect(maySeeFullPhone(actors.unit, away.ticket)).toBe(false)
  })
})
