// The real calendar and deadline rules from resources/, parsed through the shared schemas.
import { readFileSync } from 'node:fs'
import { WorkCalendar } from '../../src/shared/calendar'
import { calendarSchema, deadlineRulesSchema } from '../../src/shared/reference'

const read = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../resources/${name}`, import.meta.url), 'utf8'))

export const calendarData = calendarSchema.parse(read('calendar.json'))
export const deadlineRules = deadlineRulesSchema.parse(read('deadline-rules.json'))
export const calendar = new WorkCalendar(calendarData)

/** A local (Asia/Shanghai, +08:00) wall-clock time as epoch ms: `at('2026-02-13 10:00')`. */
export const at = (local: string): number => Date.parse(`${local.replace(' ', 'T')}:00+08:00`)
/** ISO string of a local wall-clock time, as deadlines are stored. */
export const iso = (local: string): string => new Date(at(local)).toISOString()
