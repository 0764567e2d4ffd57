// Working time: which days are worked (weekends, public holidays, swapped working weekends) and
// which hours, counted in the hotline's time zone. Pure: time comes in as epoch milliseconds.
//
// The calendar's official years are those entered from the State Council's notices. Any other
// year is derived from the statutory holidays (./holidays.ts) when first needed and is
// provisional: arithmetic that reaches into it says so (`touchesProvisional`), and the horizon
// (`coveredUntil`) is where the official years end.
import { statutoryYear } from './holidays'
import type { Calendar, CalendarYear } from './reference'

const MINUTE = 60_000
const DAY = 86_400_000
/** Deadlines are never searched further out than this; a calendar with no working day is an error. */
const MAX_DAYS_AHEAD = 3660

export interface LocalDate {
  y: number
  m: number
  d: number
}

/** Offsets of a time zone from UTC, through Intl (ECMAScript, no DOM), cached per hour. */
class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat
  private readonly cache = new Map<number, number>()

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  }

  /** Minutes to add to UTC to get local wall-clock time at instant `ms`. */
  offsetAt(ms: number): number {
    const hour = Math.floor(ms / 3_600_000)
    const hit = this.cache.get(hour)
    if (hit !== undefined) return hit
    const p: Record<string, number> = {}
    for (const part of this.format.formatToParts(new Date(hour * 3_600_000))) {
      if (part.type !== 'literal') p[part.type] = Number(part.value)
    }
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
    const offset = Math.round((wall - hour * 3_600_000) / MINUTE)
    if (this.cache.size > 10_000) this.cache.clear()
    this.cache.set(hour, offset)
    return offset
  }
}

const pad = (n: number) => String(n).padStart(2, '0')
export const formatLocalDate = ({ y, m, d }: LocalDate): string => `${y}-${pad(m)}-${pad(d)}`

const parseClock = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number)
  return h! * 60 + m!
}

/** A calendar ready for arithmetic. Build once per reference-data version. */
export class WorkCalendar {
  readonly timeZone: string
  /** Working periods of a day in minutes after local midnight. */
  readonly periods: ReadonlyArray<readonly [number, number]>
  /** Working minutes in one full working day. */
  readonly dayMinutes: number
  private readonly weekend: ReadonlySet<number>
  private readonly holidays = new Map<string, string>()
  private readonly workdays = new Map<string, string>()
  /** Years entered from an official notice. */
  private readonly official: ReadonlySet<number>
  /** Years derived from the statutory holidays so far, by year. */
  private readonly derived = new Map<number, CalendarYear>()
  private readonly zone: ZoneOffsets

  constructor(cal: Calendar) {
    this.timeZone = cal.timeZone
    this.zone = new ZoneOffsets(cal.timeZone)
    this.periods = cal.workingHours
      .map((p) => [parseClock(p.start), parseClock(p.end)] as const)
      .sort((a, b) => a[0] - b[0])
    for (let i = 0; i < this.periods.length; i++) {
      const [s, e] = this.periods[i]!
      const prev = this.periods[i - 1]
      if (e <= s || (prev && s < prev[1]))
        throw new Error('calendar: working hours must be increasing, non-overlapping periods')
    }
    this.dayMinutes = this.periods.reduce((sum, [s, e]) => sum + e - s, 0)
    this.weekend = new Set(cal.weekend)
    for (const year of Object.values(cal.years)) this.enter(year)
    this.official = new Set(Object.keys(cal.years).map(Number))
  }

  private enter(year: CalendarYear): void {
    for (const h of year.holidays) for (const d of h.dates) this.holidays.set(d, h.name)
    for (const w of year.workdays) for (const d of w.dates) this.workdays.set(d, w.name)
  }

  /** Makes sure the holidays of `year` are known: official, or derived now. */
  private load(year: number): void {
    if (this.official.has(year) || this.derived.has(year)) return
    let entry: CalendarYear
    try {
      entry = statutoryYear(year, [...this.weekend])
    } catch {
      // Outside the lunar library's range (centuries away): weekends only, still provisional.
      entry = { holidays: [], workdays: [] }
    }
    this.derived.set(year, entry)
    this.enter(entry)
  }

  /** Whether the year was entered from an official notice (else it is derived, provisional). */
  coversYear(year: number): boolean {
    return this.official.has(year)
  }

  /** The holidays assumed for a year without an official notice; null for an official year. */
  provisionalYear(year: number): CalendarYear | null {
    if (this.official.has(year)) return null
    this.load(year)
    return this.derived.get(year)!
  }

  /**
   * The last day of the official years that run without a gap from the year of `nowMs`; when that
   * year itself is not official, the last day of the latest official year before it (the horizon
   * has passed); null when there is none.
   */
  coveredUntil(nowMs: number): LocalDate | null {
    let y = this.local(nowMs).y
    if (this.official.has(y)) while (this.official.has(y + 1)) y++
    else {
      const before = [...this.official].filter((o) => o < y)
      if (before.length === 0) return null
      y = Math.max(...before)
    }
    return { y, m: 12, d: 31 }
  }

  /** Whether working time counted from `fromMs` to `toMs` uses a provisional year. */
  touchesProvisional(fromMs: number, toMs: number): boolean {
    const last = this.local(Math.max(fromMs, toMs)).y
    for (let y = this.local(Math.min(fromMs, toMs)).y; y <= last; y++)
      if (!this.official.has(y)) return true
    return false
  }

  /** The local calendar date and minute of the day at instant `ms`. */
  local(ms: number): LocalDate & { minute: number; weekday: number } {
    const wall = ms + this.zone.offsetAt(ms) * MINUTE
    const dt = new Date(wall)
    return {
      y: dt.getUTCFullYear(),
      m: dt.getUTCMonth() + 1,
      d: dt.getUTCDate(),
      minute: dt.getUTCHours() * 60 + dt.getUTCMinutes() + dt.getUTCSeconds() / 60,
      weekday: dt.getUTCDay(),
    }
  }

  /** The instant of a local date and minute of the day. */
  instant(date: LocalDate, minute: number): number {
    const wall = Date.UTC(date.y, date.m - 1, date.d) + minute * MINUTE
    let ms = wall - this.zone.offsetAt(wall) * MINUTE
    ms = wall - this.zone.offsetAt(ms) * MINUTE
    return ms
  }

  isWorkingDay(date: LocalDate): boolean {
    this.load(date.y)
    const key = formatLocalDate(date)
    if (this.workdays.has(key)) return true
    if (this.holidays.has(key)) return false
    const weekday = new Date(Date.UTC(date.y, date.m - 1, date.d)).getUTCDay()
    return !this.weekend.has(weekday)
  }

  /** The holiday's or swapped working day's name, if the date is one. */
  dayName(date: LocalDate): string | null {
    this.load(date.y)
    const key = formatLocalDate(date)
    return this.holidays.get(key) ?? this.workdays.get(key) ?? null
  }

  /** Is `ms` inside working hours of a working day? */
  isWorkingTime(ms: number): boolean {
    const l = this.local(ms)
    return this.isWorkingDay(l) && this.periods.some(([s, e]) => l.minute >= s && l.minute < e)
  }

  /**
   * The instant `minutes` of working time after `startMs`. Time outside working hours does not
   * count, so a request arriving at night starts its clock at the next working period.
   */
  addWorkingMinutes(startMs: number, minutes: number): number {
    if (minutes <= 0) return startMs
    let remaining = minutes
    let date: LocalDate = this.local(startMs)
    let fromMinute = this.local(startMs).minute
    for (let i = 0; i < MAX_DAYS_AHEAD; i++) {
      if (this.isWorkingDay(date)) {
        for (const [s, e] of this.periods) {
          const begin = Math.max(s, fromMinute)
          if (begin >= e) continue
          if (remaining <= e - begin) return this.instant(date, begin + remaining)
          remaining -= e - begin
        }
      }
      date = nextDate(date)
      fromMinute = 0
    }
    throw new Error('calendar: no working time found within ten years')
  }

  addWorkingDays(startMs: number, days: number): number {
    return this.addWorkingMinutes(startMs, days * this.dayMinutes)
  }

  /** Working minutes between two instants (0 if `toMs` is not after `fromMs`). */
  workingMinutesBetween(fromMs: number, toMs: number): number {
    if (toMs <= fromMs) return 0
    let total = 0
    let date: LocalDate = this.local(fromMs)
    const fromMinute = this.local(fromMs).minute
    const end = this.local(toMs)
    for (let i = 0; i < MAX_DAYS_AHEAD; i++) {
      const first = i === 0
      const last = date.y === end.y && date.m === end.m && date.d === end.d
      if (this.isWorkingDay(date)) {
        for (const [s, e] of this.periods) {
          const a = Math.max(s, first ? fromMinute : 0)
          const b = Math.min(e, last ? end.minute : 24 * 60)
          if (b > a) total += b - a
        }
      }
      if (last) return total
      date = nextDate(date)
    }
    return total
  }

  /** The last moment of the local day of `ms` (23:59:59). */
  endOfDay(ms: number): number {
    return this.instant(this.local(ms), 24 * 60) - 1000
  }

  /**
   * Working days after the local day of `fromMs`, up to and including the local day of `toMs`.
   * Counted by dates, as people count "overdue by N working days": a ticket due on Monday is one
   * working day overdue on Tuesday morning, whatever the hour. At most ten years are counted.
   */
  workingDaysAfter(fromMs: number, toMs: number): number {
    const end = this.local(toMs)
    let date: LocalDate = this.local(fromMs)
    let n = 0
    for (let i = 0; i < 3660 && !sameDate(date, end); i++) {
      date = nextDate(date)
      if (this.isWorkingDay(date)) n++
    }
    return n
  }
}

const sameDate = (a: LocalDate, b: LocalDate) => a.y === b.y && a.m === b.m && a.d === b.d

export function nextDate({ y, m, d }: LocalDate): LocalDate {
  const t = new Date(Date.UTC(y, m - 1, d) + DAY)
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() }
}
