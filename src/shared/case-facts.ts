// The ticket facts an exemplary case shows (./cases.ts), computed from the ticket and its
// timeline: the timeline is the audit trail, so dates come from its events and the ticket's own
// fields only stand in where an event is missing. Handling time is the KPI's (./kpi-period.ts:
// completion − creation), in calendar days and in working days of the city's calendar. Cases are
// made to be published: the unit's reply comes with the caller's name and every personal number
// masked, as Open311 masks text (personal-data.ts; issue 12, finding 8).
import type { WorkCalendar } from './calendar'
import type { CaseFacts } from './cases'
import { isCompanyRequest } from './kpi-period'
import { maskPersonalText } from './personal-data'
import type { ReferenceIndex } from './reference-data'
import { SATISFACTIONS, type Satisfaction, type Ticket, type TimelineEvent } from './ticket'
import type { Localized } from './validation'

const DAY_MS = 86_400_000

export interface FactsContext {
  calendar: WorkCalendar
  index: ReferenceIndex
}

const round2 = (x: number) => Math.round(x * 100) / 100

function last(events: readonly TimelineEvent[], types: readonly string[]) {
  for (let i = events.length - 1; i >= 0; i--) if (types.includes(events[i]!.type)) return events[i]
  return undefined
}

export function caseFacts(
  t: Ticket,
  timeline: readonly TimelineEvent[],
  ctx: FactsContext,
): CaseFacts {
  const events = [...timeline].sort((a, b) => a.version - b.version)
  const firstDispatch = events.find((e) => e.type === 'dispatched')
  const completion = last(events, ['replied', 'answered'])
  const close = last(events, ['called_back', 'closed_without_callback'])
  const reply = last(events, ['replied'])
  const callback = last(events, ['called_back'])

  const completedAt = completion?.at ?? t.completedAt
  const created = Date.parse(t.createdAt)
  const done = completedAt == null ? NaN : Date.parse(completedAt)
  const span = Number.isFinite(created) && Number.isFinite(done) && done >= created
  const rated = callback?.data.satisfaction
  const satisfaction: Satisfaction | null =
    typeof rated === 'string' && (SATISFACTIONS as readonly string[]).includes(rated)
      ? (rated as Satisfaction)
      : close?.type === 'closed_without_callback'
        ? null
        : t.satisfaction
  const raw =
    typeof reply?.data.text === 'string'
      ? reply.data.text
      : t.resolution?.kind === 'replied'
        ? t.resolution.text
        : null
  const replyText = raw == null ? null : maskPersonalText(raw, [t.caller.name])

  const path = ctx.index.categoryPath(t.category)
  const district = t.location.district ? ctx.index.districts.get(t.location.district) : undefined
  const unit = t.unit ? ctx.index.units.get(t.unit) : undefined
  const named = (x: { name: string; nameEn: string } | undefined): Localized | null =>
    x ? { zh: x.name, en: x.nameEn } : null

  return {
    number: t.number,
    status: t.status,
    kind: t.kind,
    category: {
      code: t.category,
      name: path.length
        ? {
            zh: path.map((c) => c.name).join(' / '),
            en: path.map((c) => c.nameEn).join(' / '),
          }
        : { zh: t.category, en: t.category },
    },
    district: { code: t.location.district, name: named(district) },
    unit: { code: t.unit, name: named(unit) },
    createdAt: t.createdAt,
    dispatchedAt: firstDispatch?.at ?? t.dispatchedAt,
    completedAt,
    closedAt: close?.at ?? t.closedAt,
    handlingDays: span ? round2((done - created) / DAY_MS) : null,
    handlingWorkingDays: span
      ? round2(ctx.calendar.workingMinutesBetween(created, done) / ctx.calendar.dayMinutes)
      : null,
    satisfaction,
    company: isCompanyRequest(t),
    replyText,
  }
}
