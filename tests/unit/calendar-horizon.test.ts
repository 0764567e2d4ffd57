// Issue 19: the calendar ends with 2026. The statutory holidays of a year without a notice are
// derived (checked against dates written out by hand from the lunar calendar), deadlines that
// reach into such a year are provisional, the horizon is watched, a year entered is checked, and
// entering it recounts open tickets' deadlines once.
import { describe, expect, it } from 'vitest'
import { WorkCalendar } from '../../src/shared/calendar'
import { checkCalendarYear } from '../../src/shared/calendar-check'
import { calendarHorizon } from '../../src/shared/calendar-horizon'
import { provisionalNow } from '../../src/shared/deadline-state'
import { computeDeadlines, type DeadlineInput } from '../../src/shared/deadlines'
import { statutoryYear } from '../../src/shared/holidays'
import type { Calendar, CalendarYear } from '../../src/shared/reference'
import { applyAction } from '../../src/shared/workflow'
import { at, calendar, calendarData, deadlineRules, iso } from '../helpers/calendar'
import { actors, created, ctx, step } from '../helpers/workflow'

const complaint: DeadlineInput = {
  urgency: 'normal',
  kind: 'complaint',
  channel: 'phone',
  category: '0301',
}
const datesOf = (y: CalendarYear, name: string) => y.holidays.find((h) => h.name === name)?.dates

describe('the statutory holidays of a year without a notice', () => {
  const y2027 = statutoryYear(2027)

  it('puts the lunar and solar-term days where the 2027 almanac has them', () => {
    // Lunar New Year 2027 is Saturday 6 February, so its Eve is Friday 5 February; Qingming
    // (the solar term) falls on Monday 5 April; 5th of the 5th month Wednesday 9 June; 15th of
    // the 8th month Wednesday 15 September.
    expect(datesOf(y2027, '春节')![0]).toBe('2027-02-05')
    expect(datesOf(y2027, '清明节')).toEqual(['2027-04-05'])
    expect(datesOf(y2027, '端午节')).toEqual(['2027-06-09'])
    expect(datesOf(y2027, '中秋节')).toEqual(['2027-09-15'])
    expect(datesOf(y2027, '元旦')).toEqual(['2027-01-01'])
    expect(y2027.workdays).toEqual([])
  })

  it('makes up statutory days that fall on a weekend on the next working days (art. 6)', () => {
    // Eve Fri 5, New Year Sat 6, 2nd Sun 7, 3rd Mon 8: Sat and Sun made up Tue 9 and Wed 10.
    expect(datesOf(y2027, '春节')).toEqual([
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
    ])
    // 1–2 May 2027 are Saturday and Sunday; 1–3 October Friday to Sunday.
    expect(datesOf(y2027, '劳动节')).toEqual([
      '2027-05-01',
      '2027-05-02',
      '2027-05-03',
      '2027-05-04',
    ])
    expect(datesOf(y2027, '国庆节')).toEqual([
      '2027-10-01',
      '2027-10-02',
      '2027-10-03',
      '2027-10-04',
      '2027-10-05',
    ])
  })

  it('makes up a day two holidays share (Mid-Autumn on 3 October 2028)', () => {
    const y2028 = statutoryYear(2028)
    expect(datesOf(y2028, '中秋节')).toEqual(['2028-10-03'])
    expect(datesOf(y2028, '国庆节')).toEqual([
      '2028-10-01',
      '2028-10-02',
      '2028-10-04',
      '2028-10-05',
    ])
  })

  it('agrees with the official 2026 notice: every statutory day is off there too', () => {
    const official = new Set(calendarData.years['2026']!.holidays.flatMap((h) => h.dates))
    const derived = statutoryYear(2026).holidays.flatMap((h) => h.dates)
    expect(derived.filter((d) => !official.has(d))).toEqual([])
  })
})

describe('the working calendar past its official years', () => {
  it('counts 2027 on the derived holidays, as provisional', () => {
    expect(calendar.coversYear(2027)).toBe(false)
    expect(calendar.isWorkingDay({ y: 2027, m: 1, d: 1 })).toBe(false)
    expect(calendar.isWorkingDay({ y: 2027, m: 2, d: 8 })).toBe(false) // 初三, a Monday
    expect(calendar.isWorkingDay({ y: 2027, m: 2, d: 11 })).toBe(true)
    expect(calendar.dayName({ y: 2027, m: 2, d: 5 })).toBe('春节')
    expect(calendar.provisionalYear(2026)).toBeNull()
    expect(calendar.provisionalYear(2027)?.holidays).toHaveLength(7)
  })

  it('marks a deadline across the year end provisional, and skips 1 January 2027', () => {
    // Mon 12-28 09:00: 420 + 450 ×3 (29, 30, 31) = 1770; Jan 1 off; 2–3 weekend; Mon 01-04 450
    // = 2220; Tue 01-05 08:30 + 30 = 09:00.
    const d = computeDeadlines(complaint, at('2026-12-28 09:00'), deadlineRules, calendar)
    expect(d.dueAt).toBe(iso('2027-01-05 09:00'))
    expect(d.provisional).toBe(true)
    // Inside 2026 nothing is provisional.
    expect(computeDeadlines(complaint, at('2026-12-01 09:00'), deadlineRules, calendar)).toEqual(
      expect.objectContaining({ provisional: false }),
    )
    // A span on the clock (24 h for an urgent ticket) does not depend on the calendar.
    const urgent = { ...complaint, urgency: 'urgent' as const }
    expect(
      computeDeadlines(urgent, at('2026-12-31 09:00'), deadlineRules, calendar).provisional,
    ).toBe(false)
  })

  it('carries the mark onto a dispatched ticket and its timeline', () => {
    const run = dispatchedOn28December()
    expect(run.ticket.deadlinesProvisional).toBe(true)
    expect(run.events.at(-1)!.data).toMatchObject({ provisional: true })
  })
})

/** A complaint logged at 08:50 and dispatched at 09:00 on Monday 28 December 2026. */
function dispatchedOn28December() {
  const run = created(at('2026-12-28 08:50'))
  const args = { ticketId: run.ticket.id, unit: 'JK-ZDL', coUnits: [], instructions: null }
  return step(run, { name: 'ticket.dispatch', args }, actors.dispatcher, 10)
}

describe('the horizon', () => {
  const horizon = (local: string, data: Partial<Calendar> = {}) =>
    calendarHorizon(calendar, data, at(local))

  it('is quiet until 60 days before the last official day', () => {
    expect(horizon('2026-10-31 09:00')).toMatchObject({
      coveredUntil: '2026-12-31',
      daysLeft: 61,
      state: 'ok',
      message: null,
    })
  })

  it('warns from 60 days before, saying what to do', () => {
    const h = horizon('2026-11-01 09:00')
    expect(h).toMatchObject({ daysLeft: 60, state: 'warning', firstProvisionalYear: 2027 })
    expect(h.message!.zh).toContain('2026-12-31')
    expect(h.message!.zh).toContain('PUT /api/v1/admin/calendar/years/2027')
    expect(h.message!.en).toContain('provisional')
  })

  it('takes the lead time from the calendar', () => {
    expect(horizon('2026-11-01 09:00', { horizonWarningDays: 30 }).state).toBe('ok')
    expect(horizon('2026-12-01 09:00', { horizonWarningDays: 30 }).state).toBe('warning')
  })

  it('is expired after the last official day', () => {
    const h = horizon('2027-01-05 09:00')
    expect(h).toMatchObject({ coveredUntil: '2026-12-31', daysLeft: -5, state: 'expired' })
    expect(h.message!.zh).toContain('已过期')
  })

  it('moves on when the next year is entered', () => {
    const withNext = new WorkCalendar({
      ...calendarData,
      years: { ...calendarData.years, '2027': statutoryYear(2027) },
    })
    expect(calendarHorizon(withNext, {}, at('2026-12-06 09:00'))).toMatchObject({
      coveredUntil: '2027-12-31',
      state: 'ok',
    })
  })
})

describe('a year entered', () => {
  const weekend = [6, 0]
  it('accepts the official 2026 notice as it is', () => {
    expect(checkCalendarYear('2026', calendarData.years['2026']!, weekend)).toEqual([])
  })

  it('names every wrong date with its field', () => {
    const year: CalendarYear = {
      holidays: [{ name: '春节', nameEn: 'Spring Festival', dates: ['2027-02-05', '2027-02-30'] }],
      workdays: [
        { name: '调休', nameEn: 'Swapped', dates: ['2027-02-10', '2026-02-14', '2027-02-05'] },
      ],
    }
    const problems = checkCalendarYear('2027', year, weekend)
    expect(problems.map((p) => p.field)).toEqual([
      'years.2027.holidays.0.dates.1',
      'years.2027.workdays.0.dates.0',
      'years.2027.workdays.0.dates.1',
      'years.2027.workdays.0.dates.2',
      'years.2027.workdays.0.dates.2',
    ])
    expect(problems.map((p) => p.zh)).toEqual([
      '2027-02-30 不是有效日期',
      '2027-02-10 是星期三：调休上班日只能是周末',
      '2026-02-14 不在 2027 年内',
      '2027-02-05 不能既是放假日又是调休上班日',
      '2027-02-05 是星期五：调休上班日只能是周末',
    ])
  })
})

describe('entering a year recounts open deadlines', () => {
  // A hypothetical official 2027 whose New Year holiday runs to Monday 4 January.
  const official2027: CalendarYear = {
    holidays: [
      {
        name: '元旦',
        nameEn: "New Year's Day",
        dates: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'],
      },
    ],
    workdays: [],
  }
  const entered = {
    ...ctx,
    calendar: new WorkCalendar({
      ...calendarData,
      years: { ...calendarData.years, '2027': official2027 },
    }),
  }
  const dispatched = dispatchedOn28December

  it('moves a due time still ahead, clears the mark, and says so once', () => {
    const run = dispatched()
    expect(run.ticket.dueAt).toBe(iso('2027-01-05 09:00'))
    const action = {
      name: 'ticket.reschedule' as const,
      args: { ticketId: run.ticket.id, reason: '录入2027年' },
    }
    const r = applyAction(run.ticket, action, actors.system, at('2026-12-29 10:00'), entered)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    // Jan 4 now off as well: the last 450 + 30 minutes fall on Tue 5 and Wed 6.
    expect(r.ticket.dueAt).toBe(iso('2027-01-06 09:00'))
    expect(r.ticket.deadlinesProvisional).toBe(false)
    expect(r.ticket.extension.originalDueAt).toBe(iso('2027-01-06 09:00'))
    expect(r.event.type).toBe('rescheduled')
    expect(r.event.data).toMatchObject({
      dueAt: { from: iso('2027-01-05 09:00'), to: iso('2027-01-06 09:00') },
      provisional: false,
    })
    // The sign-by (Tue 12-29 09:00) had passed: it stays.
    expect(r.ticket.signBy).toBe(run.ticket.signBy)
    // Again: nothing to do.
    const again = applyAction(r.ticket, action, actors.system, at('2026-12-29 10:05'), entered)
    expect(again.ok).toBe(false)
    if (!again.ok) expect(again.refusal.code).toBe('deadlines_unchanged')
  })

  it('leaves a due time already past, and is the server’s alone', () => {
    const run = dispatched()
    const action = {
      name: 'ticket.reschedule' as const,
      args: { ticketId: run.ticket.id, reason: null },
    }
    const late = applyAction(run.ticket, action, actors.system, at('2027-01-06 10:00'), entered)
    expect(late.ok).toBe(false)
    // Its mark no longer shows: 2027 is official now.
    expect(provisionalNow(run.ticket, entered.calendar)).toBe(false)
    expect(provisionalNow(run.ticket, calendar)).toBe(true)
    for (const who of ['dispatcher', 'supervisor', 'unit', 'admin'] as const) {
      const r = applyAction(run.ticket, action, actors[who], at('2026-12-29 10:00'), entered)
      expect(r.ok).toBe(false)
    }
  })
})
