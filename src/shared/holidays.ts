// The statutory public holidays of a year, for a year whose official notice is not entered yet.
//
// The State Council publishes each year's holiday arrangement (国务院办公厅关于XXXX年部分节假日安排的
// 通知) around November; it lengthens holidays with swapped working weekends that no rule predicts.
// What the rules do fix is the statutory days (全国年节及纪念日放假办法, as revised in 2024,
// effective 2025, art. 2): New Year's Day 1 day (1 January), Spring Festival 4 days (the lunar
// New Year's Eve and the 1st to 3rd of the first lunar month), Qingming 1 day (the solar term),
// Labour Day 2 days (1–2 May), Dragon Boat 1 day (5th of the 5th lunar month), Mid-Autumn 1 day
// (15th of the 8th lunar month), National Day 3 days (1–3 October) — and art. 6: a holiday
// falling on a Saturday or Sunday is made up on a working day. The lunar dates and the solar
// term come from tyme4ts (6tail's maintained lunar calendar). A statutory day taken twice (the
// Mid-Autumn Festival on 1–3 October, as in 2028) is made up like a weekend one, so the year keeps
// its 13 statutory days off. Such a year is provisional: used until the notice is entered.
import { LunarDay, SolarDay, SolarTerm } from 'tyme4ts'
import type { CalendarYear } from './reference'

interface Statutory {
  name: string
  nameEn: string
  days: SolarDay[]
}

const iso = (d: SolarDay): string =>
  `${d.getYear()}-${String(d.getMonth()).padStart(2, '0')}-${String(d.getDay()).padStart(2, '0')}`

function statutoryDays(year: number): Statutory[] {
  const solar = (m: number, d: number) => SolarDay.fromYmd(year, m, d)
  const lunar = (m: number, d: number) => LunarDay.fromYmd(year, m, d).getSolarDay()
  const newYear = lunar(1, 1)
  return [
    { name: '元旦', nameEn: "New Year's Day", days: [solar(1, 1)] },
    {
      name: '春节',
      nameEn: 'Spring Festival',
      days: [newYear.next(-1), newYear, newYear.next(1), newYear.next(2)],
    },
    {
      name: '清明节',
      nameEn: 'Qingming Festival',
      days: [SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay()],
    },
    { name: '劳动节', nameEn: 'Labour Day', days: [solar(5, 1), solar(5, 2)] },
    { name: '端午节', nameEn: 'Dragon Boat Festival', days: [lunar(5, 5)] },
    { name: '中秋节', nameEn: 'Mid-Autumn Festival', days: [lunar(8, 15)] },
    { name: '国庆节', nameEn: 'National Day', days: [solar(10, 1), solar(10, 2), solar(10, 3)] },
  ]
}

/**
 * The statutory holidays of `year` with their make-up days, in the calendar's year shape (no
 * swapped working days: only the notice sets those). `weekend` lists the days of the week off
 * (0 = Sunday), as in the calendar.
 */
export function statutoryYear(year: number, weekend: readonly number[] = [6, 0]): CalendarYear {
  const off = new Set<string>()
  const isWeekend = (d: SolarDay) => weekend.includes(d.getWeek().getIndex())
  const holidays = statutoryDays(year).map((h) => {
    const dates: string[] = []
    let owed = 0
    for (const d of h.days) {
      const key = iso(d)
      if (off.has(key) || isWeekend(d)) owed++
      if (!off.has(key)) dates.push(key)
      off.add(key)
    }
    // Made up on the next working days after the holiday (art. 6).
    let d = h.days[h.days.length - 1]!
    while (owed > 0) {
      d = d.next(1)
      const key = iso(d)
      if (isWeekend(d) || off.has(key)) continue
      dates.push(key)
      off.add(key)
      owed--
    }
    return { name: h.name, nameEn: h.nameEn, dates }
  })
  return { holidays, workdays: [] }
}
