// The rules' finer points: deadlines set on dispatch, the return window, the extension cap,
// review of a reply, redo after an unsatisfied callback, merge, cancel, edits, refusals' words.
import { describe, expect, it } from 'vitest'
import type { Action } from '../../src/shared/actions'
import { computeDeadlines } from '../../src/shared/deadlines'
import type { Actor } from '../../src/shared/ticket'
import { allowedActions, applyAction } from '../../src/shared/workflow'
import { at, iso } from '../helpers/calendar'
import { actors, created, ctx, draft, inState, step, type Run } from '../helpers/workflow'

const tryAction = (
  run: Run,
  action: Action,
  actor: Actor = actors.dispatcher,
  atMs = run.now + 60_000,
) => applyAction(run.ticket, action, actor, atMs, ctx)
const refusalOf = (r: ReturnType<typeof tryAction>) => (r.ok ? null : r.refusal)

describe('dispatch', () => {
  it('sets unit, co-units and both deadlines from the rules', () => {
    const run = inState('dispatched')
    const expected = computeDeadlines(
      run.ticket,
      Date.parse(run.ticket.dispatchedAt!),
      ctx.deadlines,
      ctx.calendar,
    )
    expect(run.ticket).toMatchObject({
      unit: 'JK-ZDL',
      coUnits: ['CITY-EEB'],
      signBy: expected.signBy,
      dueAt: expected.dueAt,
    })
    // Created Mon 09:00, dispatched 09:10: sign by Tue 09:10, complaint due Mon 11-30 09:10
    expect(run.ticket.signBy).toBe(iso('2026-11-24 09:10'))
    expect(run.ticket.dueAt).toBe(iso('2026-11-30 09:10'))
    expect(run.events.at(-1)!.data).toMatchObject({
      unit: 'JK-ZDL',
      dueRule: expect.stringContaining('5个工作日'),
    })
  })

  it('names who has the ticket when it is dispatched twice', () => {
    const run = inState('dispatched')
    const r = refusalOf(
      tryAction(run, {
        name: 'ticket.dispatch',
        args: { ticketId: run.ticket.id, unit: 'CITY-UM', coUnits: [], instructions: null },
      }),
    )
    expect(r?.code).toBe('already_dispatched')
    expect(r?.message.zh).toContain('正东路街道')
    expect(r?.message.zh).toContain('11-23 09:10')
    expect(r?.message.en).toContain('Zhengdonglu Subdistrict')
  })

  it('refuses unknown and inactive units, and a co-unit that is the main unit', () => {
    const run = created()
    const dispatch = (unit: string, coUnits: string[] = []) =>
      refusalOf(
        tryAction(run, {
          name: 'ticket.dispatch',
          args: { ticketId: run.ticket.id, unit, coUnits, instructions: null },
        }),
      )?.code
    expect(dispatch('NOPE')).toBe('unknown_unit')
    expect(dispatch('OLD-UNIT')).toBe('unit_inactive')
    expect(dispatch('CITY-UM', ['CITY-UM'])).toBe('co_unit_is_main')
    expect(dispatch('CITY-UM', ['NOPE'])).toBe('unknown_unit')
  })
})

describe('returns', () => {
  it('allows a return within 2 working days of dispatch, across a weekend, and not after', () => {
    const run = inState('in_progress') // dispatched Mon 11-23 09:10
    const ask: Action = {
      name: 'ticket.requestReturn',
      args: { ticketId: run.ticket.id, reason: '不属于本单位职责' },
    }
    expect(tryAction(run, ask, actors.unit, at('2026-11-25 09:10')).ok).toBe(true)
    const late = refusalOf(tryAction(run, ask, actors.unit, at('2026-11-25 09:11')))
    expect(late?.code).toBe('return_window_passed')
    expect(late?.message.zh).toContain('2 个工作日')
  })

  it('approval sends the ticket back to the queue, rejection back to where it was', () => {
    const run = inState('return_requested')
    const approved = step(
      run,
      {
        name: 'ticket.decideReturn',
        args: { ticketId: run.ticket.id, approve: true, reason: null },
      },
      actors.dispatcher,
    )
    expect(approved.ticket).toMatchObject({
      status: 'new',
      unit: null,
      signBy: null,
      dueAt: null,
      counts: { returns: 1 },
    })
    const redispatched = step(
      approved,
      {
        name: 'ticket.dispatch',
        args: {
          ticketId: run.ticket.id,
          unit: 'CITY-UM',
          coUnits: [],
          instructions: '请城管局处理',
        },
      },
      actors.dispatcher,
    )
    expect(redispatched.ticket).toMatchObject({ status: 'dispatched', unit: 'CITY-UM' })
    const rejected = step(
      run,
      {
        name: 'ticket.decideReturn',
        args: { ticketId: run.ticket.id, approve: false, reason: '属于街道职责' },
      },
      actors.supervisor,
    )
    expect(rejected.ticket).toMatchObject({
      status: 'dispatched',
      unit: 'JK-ZDL',
      returnRequest: null,
      counts: { returns: 0 },
    })
  })
})

describe('extensions', () => {
  it('a granted extension moves the due time; refused leaves it', () => {
    const run = inState('in_progress', 'extensionPending')
    const due = run.ticket.dueAt!
    const asked = run.ticket.extension.requestedUntil!
    const granted = step(
      run,
      {
        name: 'ticket.decideExtension',
        args: { ticketId: run.ticket.id, approve: true, reason: null },
      },
      actors.dispatcher,
    )
    expect(granted.ticket.dueAt).toBe(asked)
    expect(granted.ticket.extension).toMatchObject({ state: 'granted', originalDueAt: due })
    expect(granted.events.at(-1)!.data).toMatchObject({ until: asked, previousDueAt: due })
    const refused = step(
      run,
      {
        name: 'ticket.decideExtension',
        args: { ticketId: run.ticket.id, approve: false, reason: '期限足够' },
      },
      actors.dispatcher,
    )
    expect(refused.ticket.dueAt).toBe(due)
    expect(refused.ticket.extension.state).toBe('refused')
  })

  it('caps extensions at 10 working days past the original due, in all', () => {
    const run = inState('in_progress') // due Mon 11-30 09:10
    const ask = (r: Run, until: string) =>
      tryAction(
        r,
        {
          name: 'ticket.requestExtension',
          args: { ticketId: r.ticket.id, until, reason: '需协调' },
        },
        actors.unit,
      )
    // 10 working days after Mon 11-30 09:10 is Mon 12-14 09:10
    expect(ask(run, iso('2026-12-14 09:10')).ok).toBe(true)
    expect(refusalOf(ask(run, iso('2026-12-14 09:11')))?.code).toBe('extension_cap')
    // A first extension of a week, granted; a second one still counts from the original due
    let r = step(
      run,
      {
        name: 'ticket.requestExtension',
        args: { ticketId: run.ticket.id, until: iso('2026-12-07 09:10'), reason: '需协调' },
      },
      actors.unit,
    )
    r = step(
      r,
      {
        name: 'ticket.decideExtension',
        args: { ticketId: run.ticket.id, approve: true, reason: null },
      },
      actors.dispatcher,
    )
    expect(ask(r, iso('2026-12-14 09:00')).ok).toBe(true)
    expect(refusalOf(ask(r, iso('2026-12-15 09:00')))?.code).toBe('extension_cap')
    expect(refusalOf(ask(r, iso('2026-12-01 09:00')))?.code).toBe('extension_not_later')
  })

  it('allows one pending request at a time and no decision without one', () => {
    const run = inState('in_progress', 'extensionPending')
    const again = tryAction(
      run,
      {
        name: 'ticket.requestExtension',
        args: { ticketId: run.ticket.id, until: iso('2026-12-10 09:00'), reason: '再延' },
      },
      actors.unit,
    )
    expect(refusalOf(again)?.code).toBe('extension_pending')
    const plain = inState('in_progress')
    const decide = tryAction(plain, {
      name: 'ticket.decideExtension',
      args: { ticketId: plain.ticket.id, approve: true, reason: null },
    })
    expect(refusalOf(decide)?.code).toBe('no_extension_pending')
  })
})

describe('reply, review, callback and redo', () => {
  it('review sends an inadequate reply back to the unit', () => {
    const run = inState('replied')
    expect(run.ticket.completedAt).not.toBeNull()
    const back = step(
      run,
      { name: 'ticket.rejectReply', args: { ticketId: run.ticket.id, reason: '未说明整改结果' } },
      actors.dispatcher,
    )
    expect(back.ticket).toMatchObject({
      status: 'in_progress',
      completedAt: null,
      resolution: null,
    })
  })

  it('redo follows an unsatisfied callback within 7 days, to the same unit with new deadlines', () => {
    const run = inState('closed') // unsatisfied
    const redo: Action = {
      name: 'ticket.redo',
      args: { ticketId: run.ticket.id, reason: '问题未解决' },
    }
    const later = run.now + 7 * 86_400_000
    const r = applyAction(run.ticket, redo, actors.dispatcher, later, ctx)
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.ticket).toMatchObject({
        status: 'dispatched',
        unit: 'JK-ZDL',
        satisfaction: null,
        counts: { reopens: 1 },
      })
      expect(r.ticket.dispatchedAt).toBe(new Date(later).toISOString())
      expect(Date.parse(r.ticket.dueAt!)).toBeGreaterThan(later)
    }
    expect(refusalOf(applyAction(run.ticket, redo, actors.dispatcher, later + 1, ctx))?.code).toBe(
      'redo_window_passed',
    )
    const satisfied = step(
      inState('replied'),
      {
        name: 'ticket.callback',
        args: { ticketId: run.ticket.id, satisfaction: 'satisfied', text: null },
      },
      actors.agent,
    )
    expect(refusalOf(tryAction(satisfied, redo))?.code).toBe('redo_not_unsatisfied')
    expect(refusalOf(tryAction(inState('closed', 'answered'), redo))?.code).toBe(
      'redo_not_unsatisfied',
    )
  })

  it('answering on the call closes a new ticket at once', () => {
    const run = inState('closed', 'answered')
    expect(run.ticket).toMatchObject({ status: 'closed', resolution: { kind: 'answered' } })
    expect(run.ticket.completedAt).toBe(run.ticket.closedAt)
  })
})

describe('merge, cancel, edit', () => {
  it('merges into a live ticket only, never into itself', () => {
    const run = created()
    const target = created().ticket
    const merge = (targetId: string, t = target) =>
      applyAction(
        run.ticket,
        { name: 'ticket.merge', args: { ticketId: run.ticket.id, targetId } },
        actors.dispatcher,
        run.now,
        { ...ctx, target: t },
      )
    const ok = merge(target.id)
    expect(ok.ok && ok.ticket).toMatchObject({ status: 'merged', duplicateOf: target.id })
    expect(refusalOf(merge(run.ticket.id, run.ticket))?.code).toBe('merge_self')
    expect(refusalOf(merge(target.id, { ...target, id: 'x' }))?.code).toBe('merge_target_missing')
    expect(refusalOf(merge(target.id, { ...target, status: 'cancelled' }))?.code).toBe(
      'merge_target_closed',
    )
  })

  it('only a supervisor cancels, and only a new ticket', () => {
    const run = created()
    const cancel: Action = {
      name: 'ticket.cancel',
      args: { ticketId: run.ticket.id, reason: '骚扰电话' },
    }
    expect(refusalOf(tryAction(run, cancel, actors.dispatcher))?.message.zh).toBe('派单员不能作废')
    expect(tryAction(run, cancel, actors.supervisor).ok).toBe(true)
  })

  it('lets the creating agent edit while new; changing urgency after dispatch moves the deadlines', () => {
    const run = created()
    const edit: Action = {
      name: 'ticket.update',
      args: { ticketId: run.ticket.id, patch: { urgency: 'urgent' } },
    }
    expect(tryAction(run, edit, actors.agent).ok).toBe(true)
    expect(refusalOf(tryAction(run, edit, actors.agent2))?.code).toBe('forbidden')
    const dispatched = inState('dispatched')
    const r = tryAction(dispatched, {
      ...edit,
      args: { ...edit.args, ticketId: dispatched.ticket.id },
    } as Action)
    expect(r.ok).toBe(true)
    if (r.ok) {
      // Urgent: 30 minutes to sign, 24 hours to finish, from the dispatch at 09:10
      expect(r.ticket.signBy).toBe(iso('2026-11-23 09:40'))
      expect(r.ticket.dueAt).toBe(iso('2026-11-24 09:10'))
      expect(r.event.data).toMatchObject({ changes: { urgency: { from: 'normal', to: 'urgent' } } })
    }
  })

  it("lets a pending or granted extension lapse when the ticket's urgency changes", () => {
    const run = inState('in_progress', 'extensionPending')
    const r = step(
      run,
      { name: 'ticket.update', args: { ticketId: run.ticket.id, patch: { urgency: 'urgent' } } },
      actors.dispatcher,
    )
    expect(r.ticket.extension).toMatchObject({
      state: 'none',
      requestedUntil: null,
      originalDueAt: r.ticket.dueAt,
    })
    expect(r.events.at(-1)!.data).toMatchObject({ extensionLapsed: true })
    const decide = tryAction(r, {
      name: 'ticket.decideExtension',
      args: { ticketId: run.ticket.id, approve: true, reason: null },
    })
    expect(refusalOf(decide)?.code).toBe('no_extension_pending')
  })

  it('flags a new ticket with an unknown category for review instead of refusing it', () => {
    const r = applyAction(
      null,
      { name: 'ticket.create', args: { ticket: { ...draft(), category: '9999' } } },
      actors.agent,
      Date.now(),
      ctx,
    )
    expect(r.ok && r.ticket.needsReview).toBe(true)
  })
})

describe('allowedActions', () => {
  it('offers what the rules allow for this actor now', () => {
    const run = inState('in_progress')
    // Issue 16: a street office that signed may also pass the ticket down to its community.
    expect(allowedActions(run.ticket, actors.unit, run.now, ctx).sort()).toEqual(
      [
        'ticket.dispatchDown',
        'ticket.contact',
        'ticket.note',
        'ticket.reply',
        'ticket.requestExtension',
        'ticket.requestReturn',
        'ticket.viewPhone',
      ].sort(),
    )
    expect(allowedActions(run.ticket, actors.otherUnit, run.now, ctx)).toEqual([])
    expect(allowedActions(run.ticket, actors.agent, run.now, ctx)).toEqual([
      'ticket.note',
      'ticket.viewPhone',
    ])
    expect(allowedActions(run.ticket, actors.admin, run.now, ctx)).toEqual([])
  })
})
