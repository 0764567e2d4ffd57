// What a schema cannot say about the working calendar's years: every date real and inside its
// year, no day both a holiday and a working day, swapped working days (调休上班) on weekends only,
// no day listed twice. Each problem names its field, as the admin API answers it.
import { formatLocalDate, type LocalDate } from './calendar'
import type { Calendar, CalendarYear } from './reference'

export interface CalendarProblem {
  /** Path in the calendar: `years.2027.workdays.0.dates.1`. */
  field: string
  en: string
  zh: string
}

const WEEKDAYS = {
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  zh: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
}

/** The date of `YYYY-MM-DD`, or null when no such day exists (2027-02-30). */
function realDate(s: string): (LocalDate & { weekday: number }) | null {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d))
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null
  return { y, m, d, weekday: t.getUTCDay() }
}

/** Problems of one year's entry; `weekend` lists the days of the week off (0 = Sunday). */
export function checkCalendarYear(
  year: string,
  entry: CalendarYear,
  weekend: readonly number[],
): CalendarProblem[] {
  const problems: CalendarProblem[] = []
  const seen = new Map<string, string>()
  for (const list of ['holidays', 'workdays'] as const) {
    entry[list].forEach((group, g) => {
      group.dates.forEach((s, i) => {
        const field = `years.${year}.${list}.${g}.dates.${i}`
        const date = realDate(s)
        if (!date) {
          problems.push({ field, en: `${s} is not a date`, zh: `${s} 不是有效日期` })
          return
        }
        if (String(date.y) !== year) {
          problems.push({
            field,
            en: `${s} is not in ${year}`,
            zh: `${s} 不在 ${year} 年内`,
          })
          return
        }
        const key = formatLocalDate(date)
        const before = seen.get(key)
        if (before === list)
          problems.push({ field, en: `${s} is listed twice`, zh: `${s} 重复列出` })
        else if (before)
          problems.push({
            field,
            en: `${s} is both a holiday and a working day`,
            zh: `${s} 不能既是放假日又是调休上班日`,
          })
        seen.set(key, list)
        if (list === 'workdays' && !weekend.includes(date.weekday))
          problems.push({
            field,
            en: `${s} is a ${WEEKDAYS.en[date.weekday]}: a swapped working day falls on a weekend`,
            zh: `${s} 是${WEEKDAYS.zh[date.weekday]}：调休上班日只能是周末`,
          })
      })
    })
  }
  return problems
}

/** Problems of every year of the calendar. */
export function checkCalendar(cal: Calendar): CalendarProblem[] {
  return Object.entries(cal.years).flatMap(([year, entry]) =>
    checkCalendarYear(year, entry, cal.weekend),
  )
}
