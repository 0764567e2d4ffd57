// Who may see a citizen's full phone number (issue 7, "protecting citizens' data"), and the
// ticket, caller and timeline event as someone who may not is shown them. The one place this rule
// lives: the server presents pulls, snapshots and searches with it (so a full number never reaches
// a cache that may not hold it), the workflow rule of `ticket.viewPhone` refuses with it, and the
// screens decide with it whether a number can be revealed.
//
// - Agents, dispatchers and supervisors always: they talk to citizens and call them back.
// - Unit staff only on tickets their unit handles (the main unit, not a co-unit; issue 16: or a
//   lead unit at a lower level of the chain, which has to reach the citizen too — not an
//   assisting unit) whose caller did not ask to stay anonymous (匿名); for an anonymous caller the
//   name is withheld from them too.
// - Admins (and the server's own actors, and outside channels) never.
import { live } from './assignments'
import type { Actor, ActorRole, Caller, Ticket, TimelineEvent } from './ticket'
import { refuse, type Refusal } from './workflow-support'
import { ROLE_LABELS } from './labels'
import { maskDigits, maskNumbers } from './personal-data'

/**
 * A citizen's phone number as lists show it: `138****0001`, `88****34` (personal-data.ts, the
 * one masking of personal numbers). Idempotent.
 */
export const maskPhone = (phone: string | null): string | null => (phone ? maskDigits(phone) : null)

/** Who is looking: a role, and the unit for unit staff. */
export type PhoneViewer = Pick<Actor, 'role' | 'unit'>
/** What the rule needs of a ticket. */
export type PhoneTicket = Pick<Ticket, 'unit' | 'caller' | 'assignments'>

/** The unit handles the ticket: the main unit, or a live lead at any level of the chain. */
const handles = (t: PhoneTicket, unit: string): boolean =>
  t.unit === unit ||
  (t.assignments ?? []).some((a) => a.unit === unit && a.role === 'lead' && live(a))

const ALWAYS: readonly ActorRole[] = ['agent', 'dispatcher', 'supervisor']

/** Why this viewer may not see this ticket caller's full number, or null when they may. */
export function phoneRefusal(viewer: PhoneViewer, t: PhoneTicket): Refusal | null {
  if (ALWAYS.includes(viewer.role)) return null
  if (viewer.role !== 'unit') {
    const r = ROLE_LABELS[viewer.role]
    return refuse(
      'forbidden',
      `${r.zh}不能查看市民的完整号码`,
      `Your role (${r.en}) may not see citizens' full phone numbers`,
    )
  }
  if (viewer.unit == null || !handles(t, viewer.unit))
    return refuse(
      'not_your_unit',
      '只有承办单位可以查看该工单的来电号码',
      "Only the unit handling this ticket may see the caller's number",
    )
  if (t.caller.anonymous)
    return refuse(
      'anonymous_caller',
      '匿名来电：号码不向承办单位显示',
      'The caller asked to stay anonymous: the number is not shown to units',
    )
  return null
}

export const maySeeFullPhone = (viewer: PhoneViewer, t: PhoneTicket): boolean =>
  phoneRefusal(viewer, t) === null

/** The roles that see every full number whatever the ticket (no presenting needed). */
export const seesAllPhones = (viewer: PhoneViewer): boolean => ALWAYS.includes(viewer.role)

/**
 * A caller as this viewer may see them on ticket `t`: the number masked unless the rule allows
 * it, and an anonymous caller's name withheld as well. `caller` defaults to the ticket's own (an
 * edit's old and new caller are judged by the ticket they belong to).
 */
export function callerFor(viewer: PhoneViewer, t: PhoneTicket, caller: Caller = t.caller): Caller {
  if (maySeeFullPhone(viewer, t)) return caller
  return {
    ...caller,
    phone: maskPhone(caller.phone),
    name: caller.anonymous || t.caller.anonymous ? null : caller.name,
  }
}

/** The ticket as this viewer may see it (the same object when nothing is hidden). */
export function ticketFor<T extends Ticket>(viewer: PhoneViewer, t: T): T {
  if (maySeeFullPhone(viewer, t)) return t
  return { ...t, caller: callerFor(viewer, t) }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Any value given as a phone, masked whatever its type (a raw input may hold a JSON number). */
function maskAnyPhone(v: unknown): unknown {
  if (v == null) return null
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint')
    return maskPhone(String(v))
  return '***'
}

/**
 * A caller-shaped value found in event data (possibly malformed: a salvaged create's raw input).
 * Not an object (a caller typed as one string): its numbers masked, withheld whole when the
 * ticket's caller is anonymous (salvage.ts makes such a caller anonymous).
 */
function hideCallerLike(viewer: PhoneViewer, t: PhoneTicket, v: unknown): unknown {
  if (!isObject(v)) {
    if (v == null) return v
    return t.caller.anonymous ? null : maskNumbers(typeof v === 'string' ? v : JSON.stringify(v))
  }
  const anonymous = v.anonymous === true || t.caller.anonymous
  return {
    ...v,
    phone: maskAnyPhone(v.phone),
    ...('name' in v && anonymous ? { name: null } : {}),
  }
}

/**
 * A timeline event as this viewer may see it. Callers appear in an edit's changes
 * (`data.changes.caller.from/to`) and in a salvaged create's raw input (`data.invalid.caller`).
 * `t` is the ticket the event belongs to; without it the event is masked for anyone not always
 * allowed.
 */
export function eventFor(
  viewer: PhoneViewer,
  e: TimelineEvent,
  t: PhoneTicket | undefined,
): TimelineEvent {
  if (seesAllPhones(viewer) || (t && maySeeFullPhone(viewer, t))) return e
  const judge: PhoneTicket = t ?? { unit: null, caller: { anonymous: true } as Caller }
  const d = e.data
  let data = d
  const changes = d.changes
  if (isObject(changes) && isObject(changes.caller)) {
    const c = changes.caller
    data = {
      ...data,
      changes: {
        ...changes,
        caller: {
          from: hideCallerLike(viewer, judge, c.from),
          to: hideCallerLike(viewer, judge, c.to),
        },
      },
    }
  }
  const invalid = d.invalid
  if (isObject(invalid) && 'caller' in invalid)
    data = {
      ...data,
      invalid: { ...invalid, caller: hideCallerLike(viewer, judge, invalid.caller) },
    }
  return data === d ? e : { ...e, data }
}
