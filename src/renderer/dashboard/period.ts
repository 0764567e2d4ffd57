// The dashboard's periods on the city's calendar: today, this week (from Monday), this month,
// quarter and year, or a custom span of dates — each as the half-open [from, to) the core takes.
import { nextDate, type LocalDate, type WorkCalendar } from '../../shared/calendar'
import { citySpans } from '../../shared/dashboard'

export const PERIODS = ['today', 'week', 'month', 'quarter', 'year', 'custom'] as const
export type PeriodKind = (typeof PERIODS)[number]

export interface PeriodChoice {
  kind: PeriodKind
  /** Custom only: first and last city date, inclusive (`2026-11-01`). */
  first?: string
  last?: string
}

const iso = (ms: number) => new Date(ms).toISOString()
const pad = (n: number) => String(n).padStart(2, '0')
export const dateText = (d: LocalDate): string => `${d.y}-${pad(d.m)}-${pad(d.d)}`

export function parseDate(text: string): LocalDate | null {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$/.exec(text)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const t = new Date(Date.UTC(y, mo - 1, d))
  if (t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return null
  return { y, m: mo, d }
}

/** The span of a choice at `now`, or an error naming what is wrong with a custom one. */
export function periodSpan(
  choice: PeriodChoice,
  cal: WorkCalendar,
  now: number,
): { from: string; to: string } | { error: 'first' | 'last' | 'order' } {
  const l = cal.local(now)
  const spans = citySpans(cal, now)
  switch (choice.kind) {
    case 'today':
      return { from: iso(spans.day.from), to: iso(spans.day.to) }
    case 'week':
      return { from: iso(spans.week.from), to: iso(spans.week.to) }
    case 'month':
      return { from: iso(spans.month.from), to: iso(spans.month.to) }
    case 'quarter': {
      const q = Math.floor((l.m - 1) / 3) * 3 + 1
      const end = q + 3 > 12 ? { y: l.y + 1, m: 1, d: 1 } : { y: l.y, m: q + 3, d: 1 }
      return { from: iso(cal.instant({ y: l.y, m: q, d: 1 }, 0)), to: iso(cal.instant(end, 0)) }
    }
    case 'year':
      return {
        from: iso(cal.instant({ y: l.y, m: 1, d: 1 }, 0)),
        to: iso(cal.instant({ y: l.y + 1, m: 1, d: 1 }, 0)),
      }
    case 'custom': {
      const first = parseDate(choice.first ?? '')
      if (!first) return { error: 'first' }
      const last = parseDate(choice.last ?? '')
      if (!last) return { error: 'last' }
      const from = cal.instant(first, 0)
      const to = cal.instant(nextDate(last), 0)
      if (to <= from) return { error: 'order' }
      return { from: iso(from), to: iso(to) }
    }
  }
}
