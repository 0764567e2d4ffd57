// Who may see a citizen's full phone number (src/shared/phone-access.ts, issue 7): every role
// against own-unit, co-unit, other-unit and anonymous tickets; what the others are shown of the
// ticket and its timeline; and the recorded view (`ticket.viewPhone`) refused by the same rule,
// in every state, without touching anything but the timeline.
import { describe, expect, it } from 'vitest'
import { maskPhone } from '../../src/shared/api'
import { eventFor, maySeeFullPhone, phoneRefusal, ticketFor } from '../../src/shared/phone-access'
import type { Ticket, TimelineEvent } from '../../src/shared/ticket'
import { applyAction } from '../../src/shared/workflow'
import { actors, ctx, inState, type ActorKey } from '../helpers/workflow'

/** A ticket dispatched to JK-ZDL with CITY-EEB as co-unit; anonymous or not. */
function ticket(anonymous: boolean): Ticket {
  const t = inState('in_progress').ticket
  return { ...t, coUnits: ['CITY-EEB'], caller: { ...t.caller, anonymous } }
}

describe('the rule', () => {
  const named = ticket(false)
  const anonymous = ticket(true)
  const cases: Array<[ActorKey, boolean, boolean]> = [
    // actor, may see on a named caller's ticket, on an anonymous caller's
    ['agent', true, true],
    ['dispatcher', true, true],
    ['supervisor', true, true],
    ['unit', true, false],
    ['coUnit', false, false],
    ['otherUnit', false, false],
    ['admin', false, false],
    ['system', false, false],
    ['open311', false, false],
  ]
  it.each(cases)('%s: named %s, anonymous %s', (key, onNamed, onAnonymous) => {
    expect(maySeeFullPhone(actors[key], named)).toBe(onNamed)
    expect(maySeeFullPhone(actors[key], anonymous)).toBe(onAnonymous)
  })

  it('says why, in both languages', () => {
    expect(phoneRefusal(actors.admin, named)?.code).toBe('forbidden')
    expect(phoneRefusal(actors.coUnit, named)?.code).toBe('not_your_unit')
    const r = phoneRefusal(actors.unit, anonymous)!
    expect(r.code).toBe('anonymous_caller')
    expect(r.message.zh).toContain('匿名')
    expect(r.message.en).toMatch(/anonymous/)
    // A unit user without a unit sees nothing, even on a ticket with no unit.
    const undispatched = { ...named, unit: null }
    expect(maySeeFullPhone({ role: 'unit', unit: null }, undispatched)).toBe(false)
  })
})

describe('what is shown to whoever may not see', () => {
  it('masks the number, and withholds an anonymous caller’s name', () => {
    const t = ticket(true)
    t.caller.name = '赵女士'
    const shown = ticketFor(actors.unit, t)
    expect(shown.caller.phone).toBe(maskPhone(t.caller.phone))
    expect(shown.caller.phone).not.toBe(t.caller.phone)
    expect(shown.caller.name).toBeNull()
    expect(shown.caller.anonymous).toBe(true)
    expect(JSON.stringify(shown)).not.toContain(t.caller.phone!)
    // The original is not changed, and those who may see get it as it is.
    expect(t.caller.name).toBe('赵女士')
    expect(ticketFor(actors.agent, t)).toBe(t)
    // An admin: masked number, a named caller's name kept.
    const named = ticket(false)
    expect(ticketFor(actors.admin, named).caller).toMatchObject({
      phone: '138****0001',
      name: named.caller.name,
    })
  })

  it('masks callers inside an edit’s changes and a salvaged create’s raw input', () => {
    const t = ticket(true)
    const edit: TimelineEvent = {
      ...inState('new').events[0]!,
      ticketId: t.id,
      type: 'updated',
      data: {
        changes: {
          caller: {
            from: { ...t.caller, phone: '13912345678', name: '赵女士' },
            to: { ...t.caller, phone: '13800000001' },
          },
        },
        invalid: { caller: { phone: '1380000000x', name: '赵女士' } },
      },
    }
    for (const viewer of [actors.unit, actors.admin]) {
      const shown = JSON.stringify(eventFor(viewer, edit, t))
      expect(shown).not.toContain('13912345678')
      expect(shown).not.toContain('13800000001')
      expect(shown).not.toContain('1380000000x')
      expect(shown).not.toContain('赵女士')
      expect(shown).toContain('139****5678')
    }
    // Without the ticket at hand: masked too.
    expect(JSON.stringify(eventFor(actors.unit, edit, undefined))).not.toContain('13912345678')
    expect(eventFor(actors.dispatcher, edit, undefined)).toBe(edit)
  })
})

describe('ticket.viewPhone', () => {
  const view = (t: Ticket, key: ActorKey) =>
    applyAction(
      t,
      { name: 'ticket.viewPhone', args: { ticketId: t.id, via: 'pane' } },
      actors[key],
      Date.parse(t.updatedAt) + 60_000,
      ctx,
    )

  it('is refused with the rule’s reason to whoever may not see', () => {
    const t = ticket(true)
    for (const key of ['unit', 'coUnit', 'admin'] as const) {
      const r = view(t, key)
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.refusal).toEqual(phoneRefusal(actors[key], t))
    }
  })

  it('only adds to the timeline, in every state', () => {
    for (const status of ['new', 'dispatched', 'replied', 'closed', 'cancelled'] as const) {
      const t = inState(status).ticket
      const r = view(t, 'agent')
      expect(r.ok, status).toBe(true)
      if (!r.ok) continue
      expect(r.event).toMatchObject({ type: 'phone_viewed', from: status, to: status })
      expect(r.event.data).toEqual({ via: 'pane' })
      // Nothing but the version and the time moves.
      const { version: _v, updatedAt: _u, ...after } = r.ticket
      const { version: _v0, updatedAt: _u0, ...before } = t
      expect(after).toEqual(before)
    }
  })
})
