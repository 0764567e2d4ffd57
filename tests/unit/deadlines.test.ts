// Hand-worked deadline cases on the 2026 calendar (08:30–12:00 and 13:30–17:30, 7.5 working
// hours a day, Asia/Shanghai). Each expected time was counted by hand; the working is in the name.
import { describe, expect, it } from 'vitest'
import {
  computeDeadlines,
  extensionLimit,
  nestedDeadlines,
  withinReturnWindow,
} from '../../src/shared/deadlines'
import { deadlineState } from '../../src/shared/deadline-state'
import type { DeadlineInput } from '../../src/shared/deadlines'
import { at, calendar, deadlineRules, iso } from '../helpers/calendar'

const complaint: DeadlineInput = {
  urgency: 'normal',
  kind: 'complaint',
  channel: 'phone',
  category: '0301',
}
const consultation: DeadlineInput = { ...complaint, kind: 'consultation' }
const deadlines = (t: DeadlineInput, local: string) =>
  computeDeadlines(t, at(local), deadlineRules, calendar)

describe('working calendar 2026', () => {
  it('knows weekends, holidays and swapped working days', () => {
    expect(calendar.isWorkingDay({ y: 2026, m: 11, d: 27 })).toBe(true) // Friday
    expect(calendar.isWorkingDay({ y: 2026, m: 11, d: 28 })).toBe(false) // Saturday
    expect(calendar.isWorkingDay({ y: 2026, m: 2, d: 17 })).toBe(false) // 春节, a Tuesday
    expect(calendar.isWorkingDay({ y: 2026, m: 2, d: 14 })).toBe(true) // swapped Saturday
    expect(calendar.isWorkingDay({ y: 2026, m: 9, d: 20 })).toBe(true) // swapped Sunday
    expect(calendar.isWorkingDay({ y: 2026, m: 10, d: 7 })).toBe(false) // 国庆节, a Wednesday
    expect(calendar.dayName({ y: 2026, m: 10, d: 1 })).toBe('国庆节')
    expect(calendar.coversYear(2026)).toBe(true)
    expect(calendar.coversYear(2027)).toBe(false)
  })

  it('counts working minutes only inside working hours', () => {
    // Fri 09:00→17:30 = 180 + 240; Mon full day 450; Tue 08:30→09:00 = 30
    expect(calendar.workingMinutesBetween(at('2026-11-27 09:00'), at('2026-12-01 09:00'))).toBe(900)
    expect(calendar.workingMinutesBetween(at('2026-11-28 09:00'), at('2026-11-29 18:00'))).toBe(0)
    expect(calendar.isWorkingTime(at('2026-11-27 12:30'))).toBe(false) // lunch
    expect(calendar.isWorkingTime(at('2026-11-27 13:30'))).toBe(true)
  })
})

describe('sign-by and due', () => {
  it('carries a working day over a weekend', () => {
    // Fri 16:00→17:30 = 90, Mon 08:30→12:00 = 210, 13:30 + 150 = 16:00
    expect(deadlines(complaint, '2026-11-27 16:00').signBy).toBe(iso('2026-11-30 16:00'))
  })

  it('counts the swapped working Saturday before the Spring Festival', () => {
    // Fri 02-13 10:00→17:30 = 360; Sat 02-14 is worked: 08:30 + 90 = 10:00
    expect(deadlines(complaint, '2026-02-13 10:00').signBy).toBe(iso('2026-02-14 10:00'))
  })

  it('skips the nine Spring Festival days', () => {
    // Sat 02-14 10:00→17:30 = 360; 15–23 off; Tue 02-24 08:30 + 90 = 10:00
    expect(deadlines(complaint, '2026-02-14 10:00').signBy).toBe(iso('2026-02-24 10:00'))
    // Complaint, 5 days = 2250 min: Fri 420, Sat 450, Tue 450, Wed 450, Thu 450, Fri 08:30 + 30
    expect(deadlines(complaint, '2026-02-13 09:00').dueAt).toBe(iso('2026-02-27 09:00'))
  })

  it('skips National Day and counts the swapped Saturday after it', () => {
    // Consultation, 3 days = 1350: Wed 09-30 15:00→17:30 = 150; Oct 1–7 off; Thu 450; Fri 450;
    // Sat 10-10 worked: 210 before noon, 13:30 + 90 = 15:00
    expect(deadlines(consultation, '2026-09-30 15:00').dueAt).toBe(iso('2026-10-10 15:00'))
  })

  it('starts on the swapped working Sunday when dispatched on the Saturday before', () => {
    expect(deadlines(complaint, '2026-09-19 10:00').signBy).toBe(iso('2026-09-20 17:30'))
  })

  it('starts the clock at the next working period for a request outside working hours', () => {
    expect(deadlines(complaint, '2026-11-24 20:00').signBy).toBe(iso('2026-11-25 17:30'))
    // Lunch break: 13:30→17:30 = 240, then Wed 08:30 + 210 = 12:00
    expect(deadlines(complaint, '2026-11-24 12:30').signBy).toBe(iso('2026-11-25 12:00'))
  })

  it('counts clock time for urgent and very urgent tickets, weekends included', () => {
    const urgent = deadlines({ ...complaint, urgency: 'urgent' }, '2026-11-28 22:00')
    expect(urgent.signBy).toBe(iso('2026-11-28 22:30'))
    expect(urgent.dueAt).toBe(iso('2026-11-29 22:00'))
    const veryUrgent = deadlines({ ...complaint, urgency: 'very_urgent' }, '2026-11-28 10:00')
    expect(veryUrgent.signBy).toBe(iso('2026-11-28 10:15'))
    expect(veryUrgent.dueAt).toBe('2026-11-28T15:59:59.000Z') // 23:59:59 local
  })

  it('never lets sign-by fall after the due time', () => {
    const late = deadlines({ ...complaint, urgency: 'very_urgent' }, '2026-11-28 23:50')
    expect(late.dueAt).toBe('2026-11-28T15:59:59.000Z')
    expect(late.signBy).toBe(late.dueAt)
  })

  it('gives company requests 3 working days whatever their kind', () => {
    // Mon 11-23 09:00 + 1350: Mon 420, Tue 450, Wed 450, Thu 08:30 + 30
    expect(deadlines({ ...complaint, channel: 'enterprise' }, '2026-11-23 09:00').dueAt).toBe(
      iso('2026-11-26 09:00'),
    )
    expect(deadlines({ ...complaint, category: '1302' }, '2026-11-23 09:00').dueRule).toMatch(
      /一企来办/,
    )
    expect(deadlines(complaint, '2026-11-23 09:00').dueAt).toBe(iso('2026-11-30 09:00'))
  })
})

describe('returns, extensions and deadline state', () => {
  it('allows a return within 2 working days of dispatch and not after', () => {
    const dispatched = iso('2026-11-27 09:00')
    expect(withinReturnWindow(dispatched, at('2026-12-01 09:00'), deadlineRules, calendar)).toBe(
      true,
    )
    expect(withinReturnWindow(dispatched, at('2026-12-01 09:01'), deadlineRules, calendar)).toBe(
      false,
    )
    // A weekend does not use up the window
    expect(withinReturnWindow(dispatched, at('2026-11-29 23:00'), deadlineRules, calendar)).toBe(
      true,
    )
  })

  it('caps extensions at 10 working days past the original due', () => {
    expect(extensionLimit(iso('2026-11-30 16:00'), deadlineRules, calendar)).toBe(
      at('2026-12-14 16:00'),
    )
    // Over National Day: Wed 09-30 16:00 + 10 working days: 10-08, 09, 10 (worked Saturday), 12–16,
    // 19, 20 → Tue 10-20 16:00
    expect(extensionLimit(iso('2026-09-30 16:00'), deadlineRules, calendar)).toBe(
      at('2026-10-20 16:00'),
    )
  })

  it('tells ok, at risk and overdue', () => {
    const t = {
      status: 'in_progress' as const,
      dispatchedAt: iso('2026-11-23 09:00'),
      signedAt: iso('2026-11-23 10:00'),
      signBy: iso('2026-11-24 09:00'),
      dueAt: iso('2026-11-30 09:00'),
    }
    const span = at('2026-11-30 09:00') - at('2026-11-23 09:00')
    expect(deadlineState(t, at('2026-11-24 12:00'), 0.2)).toBe('ok')
    expect(deadlineState(t, at('2026-11-30 09:00') - span * 0.19, 0.2)).toBe('at_risk')
    expect(deadlineState(t, at('2026-11-30 09:01'), 0.2)).toBe('overdue')
    // Unsigned past sign-by is overdue even with the due far away
    const unsigned = { ...t, status: 'dispatched' as const, signedAt: null }
    expect(deadlineState(unsigned, at('2026-11-24 09:01'), 0.2)).toBe('overdue')
    expect(deadlineState({ ...t, status: 'replied' as const }, at('2026-12-30 09:00'), 0.2)).toBe(
      'none',
    )
  })
})

describe('nested deadlines of a level below (issue 16)', () => {
  const complaint: DeadlineInput = {
    urgency: 'normal',
    kind: 'complaint',
    channel: 'phone',
    category: '0301',
  }
  it('gives the level below 80 % of the working time left, so the level above keeps a day', () => {
    // Dispatched Monday 09:00; the sub-centre's five working days end next Monday 09:00.
    const parent = computeDeadlines(complaint, at('2026-11-23 09:00'), deadlineRules, calendar)
    const d = nestedDeadlines(
      complaint,
      at('2026-11-23 09:00'),
      parent.dueAt,
      deadlineRules,
      calendar,
    )
    expect(d.share).toBe(0.8)
    expect(d.dueAt).toBe(iso('2026-11-27 09:00')) // four working days: one left to review
    expect(Date.parse(d.signBy)).toBeLessThanOrEqual(Date.parse(d.dueAt))
  })
  it('shares a short clock-time span on the clock, and past the due gives the due itself', () => {
    const start = at('2026-11-23 20:00')
    const parentDue = iso('2026-11-23 23:59')
    const d = nestedDeadlines(complaint, start, parentDue, deadlineRules, calendar)
    expect(Date.parse(d.dueAt)).toBeGreaterThan(start)
    expect(Date.parse(d.dueAt)).toBeLessThan(Date.parse(parentDue))
    const late = nestedDeadlines(
      complaint,
      at('2026-11-24 09:00'),
      parentDue,
      deadlineRules,
      calendar,
    )
    expect(late.dueAt).toBe(parentDue)
    expect(late.signBy).toBe(parentDue)
    // The share is configurable.
    const half = nestedDeadlines(
      complaint,
      at('2026-11-23 09:00'),
      iso('2026-11-25 09:00'),
      { ...deadlineRules, levelShare: 0.5 },
      calendar,
    )
    expect(half.dueAt).toBe(iso('2026-11-24 09:00'))
  })
})
