// The pieces every workflow rule is made of (workflow-rules.ts): a rule's shape, the common
// checks (role, unit, state) in `rule()`, and helpers several rules share.
import type { ActionArgs, ActionName, TicketPatch } from './actions'
import { assignmentOf, chainOf, chainUnits } from './assignments'
import { computeDeadlines } from './deadlines'
import type { Actor, ActorRole, EventType, Status, Ticket } from './ticket'
import { forbidden, refuse, wrongState, type Refusal, type RulesContext } from './workflow-support'

export interface Outcome {
  /** The changed ticket; the engine sets version and updatedAt. */
  ticket: Ticket
  event: EventType
  data: Record<string, unknown>
}

export interface Rule<N extends ActionName> {
  check(t: Ticket | null, actor: Actor, nowMs: number, ctx: RulesContext): Refusal | null
  apply(
    t: Ticket | null,
    args: ActionArgs<N>,
    actor: Actor,
    nowMs: number,
    ctx: RulesContext,
  ): Outcome | Refusal
}

export interface Spec<N extends ActionName> {
  /** Roles allowed; a function for rules that depend on the ticket (the creator while new). */
  roles: readonly ActorRole[] | ((actor: Actor, t: Ticket) => boolean)
  from: readonly Status[]
  /**
   * For unit staff: the ticket must be their unit's (`main`: the unit holds a live lead or
   * assisting assignment in the chain), or involve it in any way (`involved`: a co-unit too).
   */
  unitScope?: 'main' | 'involved'
  /** A precondition beyond role and state, still without arguments. */
  when?: (t: Ticket, actor: Actor, nowMs: number, ctx: RulesContext) => Refusal | null
  /** A refusal for the wrong state that says more than the generic one. */
  stateRefusal?: (t: Ticket, ctx: RulesContext) => Refusal | null
  apply: (
    t: Ticket,
    args: ActionArgs<N>,
    actor: Actor,
    nowMs: number,
    ctx: RulesContext,
  ) => Outcome | Refusal
}

const notFound = refuse('not_found', '找不到该工单', 'No such ticket')

export function rule<N extends ActionName>(name: N, spec: Spec<N>): Rule<N> {
  const check = (t: Ticket | null, actor: Actor, nowMs: number, ctx: RulesContext) => {
    if (!t) return notFound
    const allowed =
      typeof spec.roles === 'function' ? spec.roles(actor, t) : spec.roles.includes(actor.role)
    if (!allowed) return forbidden(name, actor.role)
    if (actor.role === 'unit' && spec.unitScope) {
      const mine =
        t.unit === actor.unit ||
        assignmentOf(chainOf(t), actor.unit) != null ||
        (spec.unitScope === 'involved' &&
          actor.unit != null &&
          (t.coUnits.includes(actor.unit) || chainUnits(t).includes(actor.unit)))
      if (!mine)
        return refuse('not_your_unit', '该工单不由你的单位承办', "This is not your unit's ticket")
    }
    if (!spec.from.includes(t.status))
      return spec.stateRefusal?.(t, ctx) ?? wrongState(name, t.status)
    return spec.when?.(t, actor, nowMs, ctx) ?? null
  }
  return {
    check,
    apply: (t, args, actor, nowMs, ctx) => spec.apply(t!, args, actor, nowMs, ctx),
  }
}

export const iso = (ms: number) => new Date(ms).toISOString()
export const ACTIVE: readonly Status[] = ['dispatched', 'in_progress']
export const OPEN: readonly Status[] = [
  'new',
  'dispatched',
  'in_progress',
  'return_requested',
  'replied',
]
export const UNIT_ONLY: readonly ActorRole[] = ['unit']
const NO_EXTENSION = {
  state: 'none',
  requestedUntil: null,
  reason: null,
  originalDueAt: null,
} as const

/** A ticket's dispatch fields as before any dispatch (a new ticket, an approved return). */
export const undispatched = () => ({
  unit: null,
  coUnits: [],
  instructions: null,
  dispatchedAt: null,
  signedAt: null,
  contactedAt: null,
  signBy: null,
  dueAt: null,
  deadlinesProvisional: false,
  extension: { ...NO_EXTENSION },
  returnRequest: null,
})

/** The same, keeping the chain (ended entries stay in it as history). */
export const undispatchedKeepingChain = (t: Ticket) => ({
  ...undispatched(),
  ...(t.assignments ? { assignments: t.assignments } : {}),
})

/** Fresh deadlines from `startMs`, with the extension state reset. */
export function deadlinesFrom(t: Ticket, startMs: number, ctx: RulesContext) {
  const d = computeDeadlines(t, startMs, ctx.deadlines, ctx.calendar)
  const data = { signBy: d.signBy, dueAt: d.dueAt, signRule: d.signRule, dueRule: d.dueRule }
  return {
    fields: {
      signBy: d.signBy,
      dueAt: d.dueAt,
      deadlinesProvisional: d.provisional,
      extension: { ...NO_EXTENSION, originalDueAt: d.dueAt },
    },
    // The timeline says when a deadline was counted on a provisional year.
    data: d.provisional ? { ...data, provisional: true } : data,
  }
}

export function checkUnits(unit: string, coUnits: string[], ctx: RulesContext): Refusal | null {
  for (const code of [unit, ...coUnits]) {
    const u = ctx.units.get(code)
    if (!u) return refuse('unknown_unit', `没有编码为 ${code} 的单位`, `There is no unit ${code}`)
    if (!u.active)
      return refuse('unit_inactive', `${u.name}已停用，不能派单`, `${u.nameEn} is no longer active`)
  }
  if (coUnits.includes(unit))
    return refuse(
      'co_unit_is_main',
      '协办单位不能与承办单位相同',
      'A co-unit cannot also be the main unit',
    )
  return null
}

/** The fields an edit changes, old and new, for the timeline. */
export function diff(
  t: Ticket,
  patch: TicketPatch,
): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {}
  for (const [key, value] of Object.entries(patch)) {
    const before = t[key as keyof TicketPatch]
    if (JSON.stringify(before) !== JSON.stringify(value)) changes[key] = { from: before, to: value }
  }
  return changes
}
