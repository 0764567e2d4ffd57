// What the workflow rules share: their context (reference data prepared for them), refusals,
// and the words used in refusals.
import type { ActionName } from './actions'
import { WorkCalendar } from './calendar'
import { ACTION_LABELS, ROLE_LABELS, STATUS_LABELS } from './labels'
import type { DeadlineRules, ReferenceData } from './reference'
import type { ActorRole, Status, Ticket } from './ticket'
import type { Localized } from './validation'

export interface UnitInfo {
  name: string
  nameEn: string
  active: boolean
  /** The unit's type and parent, and whom it may dispatch down to (issue 16). */
  type?: string
  parent?: string | null
  dispatchTo?: readonly string[]
}

export interface RulesContext {
  deadlines: DeadlineRules
  calendar: WorkCalendar
  /** Units by code; dispatch refuses an unknown or inactive unit. */
  units: ReadonlyMap<string, UnitInfo>
  /** Category codes known to the reference data; a create with another is flagged for review. */
  categories: ReadonlySet<string>
  /** For `ticket.merge`: the ticket merged into, as the acting side knows it. */
  target?: Ticket | null
}

export function makeRulesContext(ref: ReferenceData): RulesContext {
  return {
    deadlines: ref.deadlines,
    calendar: new WorkCalendar(ref.calendar),
    units: new Map(
      ref.units.map((u) => [
        u.code,
        {
          name: u.name,
          nameEn: u.nameEn,
          active: u.active,
          type: u.type,
          parent: u.parent,
          ...(u.dispatchTo ? { dispatchTo: u.dispatchTo } : {}),
        },
      ]),
    ),
    categories: new Set(ref.categories.map((c) => c.code)),
  }
}

export interface Refusal {
  code: string
  message: Localized
}

export const refuse = (code: string, zh: string, en: string): Refusal => ({
  code,
  message: { zh, en },
})

/** dispatcher+ in DESIGN.md: dispatchers and supervisors. */
export const DISPATCHER_PLUS: readonly ActorRole[] = ['dispatcher', 'supervisor']

export function forbidden(name: ActionName, role: ActorRole): Refusal {
  const a = ACTION_LABELS[name]
  const r = ROLE_LABELS[role]
  return refuse('forbidden', `${r.zh}不能${a.zh}`, `Your role (${r.en}) may not ${a.en}`)
}

export function wrongState(name: ActionName, status: Status): Refusal {
  const a = ACTION_LABELS[name]
  const s = STATUS_LABELS[status]
  return refuse(
    'invalid_state',
    `工单当前为「${s.zh}」，不能${a.zh}`,
    `The ticket is ${s.en}; you cannot ${a.en} it now`,
  )
}

/** A unit's display name, or its code when unknown. */
export function unitName(ctx: RulesContext, code: string | null): Localized {
  const u = code ? ctx.units.get(code) : undefined
  return u ? { zh: u.name, en: u.nameEn } : { zh: code ?? '—', en: code ?? '—' }
}

/** Local time as people read it in messages: `11-28 10:15`. */
export function shortTime(ctx: RulesContext, iso: string): string {
  const l = ctx.calendar.local(Date.parse(iso))
  const p = (n: number) => String(Math.floor(n)).padStart(2, '0')
  return `${p(l.m)}-${p(l.d)} ${p(l.minute / 60)}:${p(l.minute % 60)}`
}

/**
 * Whether unit `from` may dispatch a ticket down to unit `to` (issue 16): a unit with a
 * `dispatchTo` list (a sub-centre) to the units it names; any other unit to its own child units
 * (a street office to its communities).
 */
export function mayDispatchTo(ctx: RulesContext, from: string, to: string): boolean {
  const f = ctx.units.get(from)
  if (f?.dispatchTo) return f.dispatchTo.includes(to)
  return ctx.units.get(to)?.parent === from
}
