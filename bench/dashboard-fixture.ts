// Tickets WITH their timelines for the dashboard benchmark: the core fixture's tickets
// (core-fixtures.ts), each given the events its state implies, and a few variants the KPIs must
// see — answered on the call, replied late, a return before the final dispatch, a redo after an
// unsatisfied callback, basically satisfied and unsatisfied callbacks — plus community codes on
// most addresses. Deterministic per index, like the core fixture.
import type { ReferenceData } from '../src/shared/reference'
import type { EventType, Satisfaction, Status, Ticket, TimelineEvent } from '../src/shared/ticket'
import { fixture, type Fixture } from './core-fixtures'

const HOUR = 3_600_000
const iso = (ms: number) => new Date(ms).toISOString()

export interface TimelineFixture extends Fixture {
  /** The ticket and its events (in time order). */
  run(i: number): { ticket: Ticket; events: TimelineEvent[] }
}

type EventActor = TimelineEvent['actor']
const AGENT: EventActor = {
  userId: 'u-agent1',
  role: 'agent',
  unit: null,
  name: '李话务',
  consoleId: null,
}
const DISPATCHER: EventActor = { ...AGENT, userId: 'u-disp1', role: 'dispatcher', name: '王派单' }

export function timelineFixture(ref: ReferenceData, count: number): TimelineFixture {
  const base = fixture(ref, count)
  const communities = ref.districts.flatMap((d) =>
    Array.from({ length: 40 }, (_, k) => `${d.code}${String(k + 1).padStart(3, '0')}`),
  )
  return {
    ...base,
    run(i) {
      let t = base.ticket(i)
      const v = (Math.imul(i + 1, 2654435761) >>> 0) % 1000
      const created = Date.parse(t.createdAt)
      const events: TimelineEvent[] = []
      let status: Status | null = null
      const add = (type: EventType, at: number, to: Status, data: Record<string, unknown> = {}) => {
        const unit = type === 'signed' || type === 'replied' ? t.unit : null
        events.push({
          id: `${t.id}/${events.length + 1}`,
          ticketId: t.id,
          type,
          version: events.length + 1,
          at: iso(at),
          actor: unit
            ? { userId: `u-${unit}`, role: 'unit', unit, name: unit, consoleId: null }
            : type === 'dispatched' || type === 'return_approved' || type === 'redone'
              ? DISPATCHER
              : AGENT,
          from: status,
          to,
          data,
        })
        status = to
      }
      if (v % 5 !== 0 && t.location.district) {
        t.location.community = communities[(i * 7919) % communities.length]!
      }
      add('created', created, 'new', { channel: t.channel, kind: t.kind, category: t.category })
      if (t.status === 'closed' && v < 50) {
        // Answered on the call.
        const at = created + 5 * 60_000
        t = {
          ...t,
          unit: null,
          dispatchedAt: null,
          signedAt: null,
          signBy: null,
          dueAt: null,
          completedAt: iso(at),
          closedAt: iso(at),
          satisfaction: null,
          resolution: {
            kind: 'answered',
            text: '已当场解答',
            resolved: true,
            at: iso(at),
            by: 'u1',
          },
        }
        add('answered', at, 'closed', { text: '已当场解答', dueAt: null })
        return { ticket: t, events }
      }
      if (t.status === 'new' || t.status === 'cancelled') {
        if (t.status === 'cancelled') add('cancelled', created + HOUR, 'cancelled')
        return { ticket: t, events }
      }
      const dispatched = Date.parse(t.dispatchedAt!)
      const due = Date.parse(t.dueAt!)
      const returned = v >= 70 && v < 100 && ['replied', 'closed'].includes(t.status)
      if (returned) {
        add('dispatched', dispatched - 10 * 60_000, 'dispatched', { unit: 'CITY-UM', dueAt: null })
        add('return_requested', dispatched - 6 * 60_000, 'return_requested', { reason: '非本单位' })
        add('return_approved', dispatched - 2 * 60_000, 'new', { unit: 'CITY-UM' })
        t.counts = { ...t.counts, returns: 1 }
      }
      add('dispatched', dispatched, 'dispatched', { unit: t.unit, dueAt: t.dueAt })
      if (t.status === 'dispatched') return { ticket: t, events }
      if (t.status === 'merged') {
        add('merged', dispatched + HOUR, 'merged')
        return { ticket: t, events }
      }
      add('signed', Date.parse(t.signedAt!), 'in_progress')
      if (t.status === 'in_progress') {
        if (t.extension.state === 'requested')
          add('extension_requested', dispatched + 3 * HOUR, 'in_progress')
        return { ticket: t, events }
      }
      if (t.status === 'return_requested') {
        add('return_requested', dispatched + 3 * HOUR, 'return_requested', { reason: '非本单位' })
        return { ticket: t, events }
      }
      const late = v >= 50 && v < 70
      let replied = late ? due + 2 * HOUR : Date.parse(t.completedAt!)
      const reply = (at: number) =>
        add('replied', at, 'replied', { text: '已处理', dueAt: t.dueAt, onTime: at <= due })
      reply(replied)
      if (t.status === 'closed') {
        const sat: Satisfaction =
          v >= 110 && v < 130
            ? 'basically_satisfied'
            : v >= 130 && v < 140
              ? 'unsatisfied'
              : 'satisfied'
        if (v >= 100 && v < 110) {
          add('called_back', replied + HOUR, 'closed', { satisfaction: 'unsatisfied' })
          add('redone', replied + 2 * HOUR, 'dispatched', { unit: t.unit, reason: '群众不满意' })
          add('signed', replied + 3 * HOUR, 'in_progress')
          replied += 6 * HOUR
          reply(replied)
          t.counts = { ...t.counts, reopens: 1 }
        }
        add('called_back', replied + HOUR, 'closed', { satisfaction: sat })
        t = { ...t, satisfaction: sat, closedAt: iso(replied + HOUR) }
      }
      t = { ...t, completedAt: iso(replied), version: events.length }
      return { ticket: t, events }
    },
  }
}
