// How far the working calendar's official years reach, and what to tell admins and supervisors
// about it (issue 19). One definition for the server's log, /healthz and /metrics and for the
// console's banner, so they never disagree.
import { formatLocalDate, nextDate, type LocalDate, type WorkCalendar } from './calendar'
import { DEFAULT_HORIZON_WARNING_DAYS, type Calendar } from './reference'
import type { Localized } from './validation'

export type HorizonState = 'ok' | 'warning' | 'expired'

export interface CalendarHorizon {
  /** The last day of the official years, `YYYY-MM-DD`; null when no official year applies. */
  coveredUntil: string | null
  /** Days from today (local) to that day: 0 on the day itself, negative once it has passed. */
  daysLeft: number | null
  /** `warning` from `warningDays` days before the last official day on, `expired` after it. */
  state: HorizonState
  warningDays: number
  /** The first year without an official notice: provisional, derived from the statutory days. */
  firstProvisionalYear: number
  /** What is wrong and what to do, for a log line or a banner; null while all is well. */
  message: Localized | null
}

const DAY = 86_400_000
const dayNumber = (d: LocalDate) => Date.UTC(d.y, d.m - 1, d.d) / DAY

/** Where the calendar stands at `nowMs`. */
export function calendarHorizon(
  cal: WorkCalendar,
  data: Pick<Calendar, 'horizonWarningDays'>,
  nowMs: number,
): CalendarHorizon {
  const warningDays = data.horizonWarningDays ?? DEFAULT_HORIZON_WARNING_DAYS
  const today = cal.local(nowMs)
  const until = cal.coveredUntil(nowMs)
  const daysLeft = until ? dayNumber(until) - dayNumber(today) : null
  const firstProvisionalYear = until ? nextDate(until).y : today.y
  const state: HorizonState =
    daysLeft == null || daysLeft < 0 ? 'expired' : daysLeft <= warningDays ? 'warning' : 'ok'
  const coveredUntil = until ? formatLocalDate(until) : null
  return {
    coveredUntil,
    daysLeft,
    state,
    warningDays,
    firstProvisionalYear,
    message:
      state === 'ok' ? null : horizonMessage(state, coveredUntil, daysLeft, firstProvisionalYear),
  }
}

function horizonMessage(
  state: Exclude<HorizonState, 'ok'>,
  until: string | null,
  daysLeft: number | null,
  year: number,
): Localized {
  const route = `PUT /api/v1/admin/calendar/years/${year}`
  const format = `{"holidays":[{"name":"春节","nameEn":"Spring Festival","dates":["${year}-MM-DD",…]},…],"workdays":[{"name":"春节调休上班","nameEn":"…","dates":["${year}-MM-DD"]}]}`
  const what =
    state === 'expired'
      ? {
          zh: until
            ? `工作日历的正式节假日安排只到 ${until}，已过期。`
            : '工作日历没有今年的正式节假日安排。',
          en: until
            ? `The working calendar's official holidays ended on ${until}.`
            : 'The working calendar has no official holidays for this year.',
        }
      : {
          zh: `工作日历的正式节假日安排只到 ${until}（还剩 ${daysLeft} 天）。`,
          en: `The working calendar's official holidays end on ${until} (${daysLeft} days left).`,
        }
  return {
    zh:
      `${what.zh}${year}年的期限暂按法定节假日推算（不含调休），标为“暂定”。` +
      `国务院办公厅发布${year}年部分节假日安排的通知后，请管理员录入：${route}，格式：${format}`,
    en:
      `${what.en} Deadlines in ${year} are counted on the statutory holidays only (no swapped ` +
      `working days) and marked provisional. When the State Council publishes its notice on the ` +
      `${year} holidays, an admin enters it: ${route} with ${format}`,
  }
}
