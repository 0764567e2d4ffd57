// Watching the working calendar's horizon (issue 19): once a local day (and at start) the server
// logs how far the official years reach — a warning from the lead time before the end, an error
// once it has passed — and finishes any recount a calendar change left undone. /healthz and
// /metrics read the same horizon.
import { formatLocalDate } from '../../shared/calendar'
import { calendarHorizon, type CalendarHorizon } from '../../shared/calendar-horizon'
import type { ServerContext } from '../context'
import { recountDeadlines } from './recount'

export class CalendarWatch {
  private checkedDay: string | null = null

  constructor(private readonly ctx: ServerContext) {}

  /** Where the calendar stands at `nowMs`. */
  async horizon(nowMs: number = this.ctx.now()): Promise<CalendarHorizon> {
    const ref = await this.ctx.reference()
    return calendarHorizon(ref.rules.calendar, ref.data.calendar, nowMs)
  }

  /** The day's check, if not done yet today: the log line, and the catch-up recount. */
  async check(nowMs: number = this.ctx.now()): Promise<CalendarHorizon | null> {
    const ref = await this.ctx.reference()
    const day = formatLocalDate(ref.rules.calendar.local(nowMs))
    if (day === this.checkedDay) return null
    this.checkedDay = day
    const h = await this.horizon(nowMs)
    const fields = {
      job: 'calendar-watch',
      coveredUntil: h.coveredUntil,
      daysLeft: h.daysLeft,
      state: h.state,
    }
    if (h.state === 'ok')
      this.ctx.log?.info(fields, `working calendar covered until ${h.coveredUntil}`)
    else if (h.state === 'warning') this.ctx.log?.warn(fields, h.message!.en)
    else this.ctx.log?.error(fields, h.message!.en)
    // Tickets still marked provisional although their year has been entered: a recount that was
    // cut short (a restart), or one that ran on another server process against an older copy.
    await recountDeadlines(
      this.ctx,
      { years: new Set(), provisional: 'entered', reason: '工作日历已录入正式安排' },
      nowMs,
    )
    return h
  }
}
