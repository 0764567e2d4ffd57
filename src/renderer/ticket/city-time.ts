// Moments on the city's clock as people type them (`2026-12-03 17:30`), whatever zone the
// machine itself is set to.
import type { WorkCalendar } from '../../shared/calendar'

const pad = (n: number) => String(n).padStart(2, '0')

/** `2026-12-03 17:30` for an instant, on the calendar's clock. */
export function isoToCityInput(ms: number, cal: WorkCalendar): string {
  const l = cal.local(ms)
  const minute = Math.round(l.minute)
  return `${l.y}-${pad(l.m)}-${pad(l.d)} ${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`
}

/** The instant typed as `YYYY-MM-DD HH:MM` on the calendar's clock, or the text itself when it is
 *  not one (the schema then names the field). */
export function cityInputToIso(text: string, cal: WorkCalendar): string {
  const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})\s*$/.exec(text)
  if (!m) return text
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number]
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return text
  return new Date(cal.instant({ y, m: mo, d }, h * 60 + mi)).toISOString()
}
