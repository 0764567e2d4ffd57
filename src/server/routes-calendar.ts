// The working calendar under /api/v1/admin/calendar (role `admin`), issue 19:
// - GET: the calendar as stored, how far its official years reach, and the years it assumes
//   (derived from the statutory holidays) — the template for entering the next notice.
// - PUT /calendar/years/:year: enters one year as the State Council's notice publishes it, in one
//   step; it replaces what was assumed for that year (or corrects an official year).
// - PUT /calendar: the whole calendar (time zone, working hours, weekend, years, lead time).
// Both PUTs check every year (dates real and inside the year, no day both off and worked,
// swapped working days on weekends) and answer 400 naming the field; after the change the open
// tickets' deadlines are recounted (jobs/recount.ts) and the answer says how many moved.
import { z } from 'zod'
import { checkCalendar, checkCalendarYear, type CalendarProblem } from '../shared/calendar-check'
import { calendarHorizon } from '../shared/calendar-horizon'
import { calendarSchema, calendarYearSchema, type Calendar } from '../shared/reference'
import type { ServerContext } from './context'
import { ApiError } from './http/errors'
import { route, type RouteSpec } from './http/route'
import { changedYears, recountDeadlines } from './jobs/recount'
import { changeReference } from './routes-admin'
import type { UserRecord } from './store'

const ADMIN = ['admin'] as const
const versionQuery = z.object({ baseVersion: z.coerce.number().int().min(1).optional() })
/** Years a notice may be entered for. */
const YEAR = /^(19|20|21)\d{2}$/

/** 400 naming the first problem's field (relative to the body), listing them all. */
function refuse(problems: CalendarProblem[], prefix: string): never {
  const first = problems[0]!
  const field = first.field.startsWith(prefix) ? first.field.slice(prefix.length) : first.field
  throw new ApiError(
    400,
    'invalid',
    { zh: `工作日历有误：${first.zh}`, en: `Calendar: ${first.en}` },
    field,
    { problems: problems.map((p) => ({ ...p, field: p.field.slice(prefix.length) || p.field })) },
  )
}

export function calendarRoutes(ctx: ServerContext): RouteSpec[] {
  /** Stores the new calendar, then recounts the open deadlines it concerns. */
  async function enter(
    user: UserRecord,
    base: number | undefined,
    next: (current: Calendar) => Calendar,
    reason: (before: Calendar) => string,
  ) {
    const out = await changeReference(ctx, user, base, 'calendar', (data) => ({
      ...data,
      calendar: next(data.calendar),
    }))
    const years = changedYears(out.before.calendar, out.data.calendar)
    const recount = await recountDeadlines(ctx, {
      years,
      provisional: 'all',
      reason: reason(out.before.calendar),
    })
    const ref = await ctx.reference()
    return {
      version: out.version,
      calendar: out.data.calendar,
      horizon: calendarHorizon(ref.rules.calendar, out.data.calendar, ctx.now()),
      rescheduled: recount.rescheduled,
    }
  }

  return [
    route({
      method: 'GET',
      url: '/api/v1/admin/calendar',
      roles: ADMIN,
      async handler() {
        const ref = await ctx.reference()
        const cal = ref.rules.calendar
        const horizon = calendarHorizon(cal, ref.data.calendar, ctx.now())
        // The years deadlines may reach now (up to two years ahead), as assumed.
        const provisionalYears: Record<string, unknown> = {}
        for (let y = horizon.firstProvisionalYear; y <= cal.local(ctx.now()).y + 2; y++) {
          const assumed = cal.provisionalYear(y)
          if (assumed) provisionalYears[y] = assumed
        }
        return { version: ref.version, calendar: ref.data.calendar, horizon, provisionalYears }
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/admin/calendar/years/:year',
      roles: ADMIN,
      body: calendarYearSchema,
      query: versionQuery,
      async handler({ user, body, query, params }) {
        const year = params.year ?? ''
        if (!YEAR.test(year))
          throw new ApiError(
            400,
            'invalid',
            { zh: `${year} 不是有效年份`, en: `${year} is not a year` },
            'year',
          )
        const ref = await ctx.reference()
        const problems = checkCalendarYear(year, body, ref.data.calendar.weekend)
        if (problems.length) refuse(problems, `years.${year}.`)
        return enter(
          user,
          query.baseVersion,
          (cal) => ({ ...cal, years: { ...cal.years, [year]: body } }),
          (before) =>
            before.years[year]
              ? `${year}年工作日历已更正`
              : `已录入${year}年节假日安排（此前按法定节假日暂定）`,
        )
      },
    }),
    route({
      method: 'PUT',
      url: '/api/v1/admin/calendar',
      roles: ADMIN,
      body: calendarSchema,
      query: versionQuery,
      async handler({ user, body, query }) {
        const problems = checkCalendar(body)
        if (problems.length) refuse(problems, '')
        return enter(
          user,
          query.baseVersion,
          () => body,
          () => '工作日历已更新',
        )
      },
    }),
  ]
}
