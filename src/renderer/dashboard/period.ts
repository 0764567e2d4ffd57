// The dashboard's periods on the city's calendar: today, this week (from Monday), this month,
// quarter and year, or a custom span of dates — each as the half-open [from, to) the core takes,
// with the span it is compared with. Like with like (issue 13): a calendar period runs to now and
// is set against the same stretch of the period before (the first 6 days of last month for the
// first 6 of this one — not the whole of last month); a custom span against the equally long span
// just before it.
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

export interface PeriodSpan {
  from: string
  to: string
  /** What the period is compared with. */
  previous: { from: string; to: string }
  /** The same stretch of the period before (a calendar period so far), not merely as long. */
  sameStretch: boolean
}

const DAY = 86_400_000

/**
 * A calendar period from `start`, so far at `now`, beside the same stretch of the one that began
 * at `prevStart` (at most all of it: March's 31st is compared with all of February).
 */
function soFar(start: number, now: number, prevStart: number): PeriodSpan {
  const to = Math.max(now, start + 1)
  return {
    from: iso(start),
    to: iso(to),
    previous: { from: iso(prevStart), to: iso(Math.min(prevStart + (to - start), start)) },
    sameStretch: true,
  }
}

/** The span of a choice at `now`, or an error naming what is wrong with a custom one. */
export function periodSpan(
  choice: PeriodChoice,
  cal: WorkCalendar,
  now: number,
): PeriodSpan | { error: 'first' | 'last' | 'order' } {
  const l = cal.local(now)
  const spans = citySpans(cal, now)
  const day = (y: number, m: number) =>
    // Months past December or before January roll into the next or previous year.
    cal.instant({ y: y + Math.floor((m - 1) / 12), m: ((((m - 1) % 12) + 12) % 12) + 1, d: 1 }, 0)
  switch (choice.kind) {
    case 'today':
      return soFar(spans.day.from, now, spans.day.from - DAY)
    case 'week':
      return soFar(spans.week.from, now, spans.week.from - 7 * DAY)
    case 'month':
      return soFar(spans.month.from, now, day(l.y, l.m - 1))
    case 'quarter': {
      const q = Math.floor((l.m - 1) / 3) * 3 + 1
      return soFar(day(l.y, q), now, day(l.y, q - 3))
    }
    case 'year':
      return soFar(day(l.y, 1), now, day(l.y - 1, 1))
    case 'custom': {
      const first = parseDate(choice.first ?? '')
      if (!first) return { error: 'first' }
      const last = parseDate(choice.last ?? '')
      if (!last) return { error: 'last' }
      const from = cal.instant(first, 0)
      const to = cal.instant(nextDate(last), 0)
      if (to <= from) return { error: 'order' }
      const prev = { from: iso(from - (to - from)), to: iso(from) }
      return { from: iso(from), to: iso(to), previous: prev, sameStretch: false }
    }
  }
}
