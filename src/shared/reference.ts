// Reference data: categories, units, routing rules, deadline rules and the working calendar.
// The files live in resources/; the server owns them at run time and syncs them to consoles.
// Here are only their schemas and checks, so every process reads them the same way.
import { z } from 'zod'
import { categoryCode, districtCode, unitCode } from './actions'
import { CHANNELS, KINDS, URGENCIES } from './ticket'
import { triageDataSchema } from './triage-data'

const names = { name: z.string().min(1), nameEn: z.string().min(1) }

export const categorySchema = z.object({
  code: categoryCode,
  ...names,
  /** null for a top-level branch. */
  parent: categoryCode.nullable(),
  /** Defaults an agent starts from when picking the leaf; hints, not rules. */
  defaultKind: z.enum(KINDS).optional(),
  defaultUrgency: z.enum(URGENCIES).optional(),
  active: z.boolean().default(true),
})
export type Category = z.output<typeof categorySchema>

import { UNIT_TYPES } from './unit-types'
import { scoringSchema } from './kpi-score'
export { UNIT_TYPES } from './unit-types'
export type { UnitType } from './unit-types'

export const unitSchema = z.object({
  code: unitCode,
  ...names,
  type: z.enum(UNIT_TYPES),
  parent: unitCode.nullable(),
  /** District codes the unit covers; a city-wide unit lists all of them. */
  districts: z.array(districtCode).min(1),
  active: z.boolean().default(true),
  /** The statistics' 9- or 12-digit division code of a street office, town or committee. */
  division: z
    .string()
    .regex(/^\d{9}(\d{3})?$/)
    .optional(),
  /**
   * Units this one may dispatch down to (a sub-centre: its street offices, towns and district
   * bureaus). Without it a unit may pass a ticket only to its own child units (a street office
   * to its communities).
   */
  dispatchTo: z.array(unitCode).optional(),
})
export type Unit = z.output<typeof unitSchema>

export const districtSchema = z.object({
  code: districtCode,
  ...names,
  /** Names people use for it (经开区, 开发区 for 镇江新区): found by search and by triage. */
  aliases: z.array(z.string().min(1)).optional(),
})
export type District = z.output<typeof districtSchema>

/**
 * Routing: for a category (a leaf or any ancestor) and optionally a district, the suggested units
 * in order. The most specific rule wins: longer category code first, then district over none.
 */
export const routingRuleSchema = z.object({
  category: categoryCode,
  district: districtCode.nullable(),
  units: z.array(unitCode).min(1),
})
export type RoutingRule = z.output<typeof routingRuleSchema>

// --- Working calendar -----------------------------------------------------------------------

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)

/** One year of the calendar: public holidays, and weekend days worked instead (调休上班). */
export const calendarYearSchema = z.object({
  holidays: z.array(z.object({ ...names, dates: z.array(localDate).min(1) })),
  workdays: z.array(z.object({ ...names, dates: z.array(localDate).min(1) })),
})
export type CalendarYear = z.output<typeof calendarYearSchema>

/** How long before the calendar's last official day admins and supervisors are warned. */
export const DEFAULT_HORIZON_WARNING_DAYS = 60

export const calendarSchema = z.object({
  /** IANA time zone the hotline's working time is counted in. */
  timeZone: z.string().min(1),
  /** Working periods of a working day, local clock times, in order, not overlapping. */
  workingHours: z.array(z.object({ start: clock, end: clock })).min(1),
  /** Days of the week that are normally off: 0 = Sunday … 6 = Saturday. */
  weekend: z.array(z.number().int().min(0).max(6)),
  /**
   * Years as the State Council's notice published them. A year missing here is derived from the
   * statutory holidays and counted as provisional (./holidays.ts) until its notice is entered.
   */
  years: z.record(z.string().regex(/^\d{4}$/), calendarYearSchema),
  /** Warn this many days before the last official day (default 60). */
  horizonWarningDays: z.number().int().min(1).max(366).optional(),
})
export type Calendar = z.output<typeof calendarSchema>

// --- Deadline rules -------------------------------------------------------------------------

/** A span of time: clock time, working time, or until the end of the (local) day. */
export const durationSchema = z.union([
  z.object({ minutes: z.number().positive() }).strict(),
  z.object({ hours: z.number().positive() }).strict(),
  z.object({ workingDays: z.number().positive() }).strict(),
  z.object({ workingHours: z.number().positive() }).strict(),
  z.object({ endOfDay: z.literal(true) }).strict(),
])
export type Duration = z.output<typeof durationSchema>

const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)])

/** A rule applies when every given condition holds; the first rule that applies wins. */
export const deadlineRuleSchema = z.object({
  name: z.string().min(1),
  when: z
    .object({
      urgency: oneOrMany(z.enum(URGENCIES)),
      kind: oneOrMany(z.enum(KINDS)),
      channel: oneOrMany(z.enum(CHANNELS)),
      /** Category code prefixes. */
      category: oneOrMany(categoryCode),
    })
    .partial()
    .strict(),
  duration: durationSchema,
})
export type DeadlineRule = z.output<typeof deadlineRuleSchema>

export const deadlineRulesSchema = z.object({
  signBy: z.array(deadlineRuleSchema).min(1),
  due: z.array(deadlineRuleSchema).min(1),
  /** A ticket is at risk when less than this share of its time is left. */
  atRiskFraction: z.number().gt(0).lt(1),
  /** A unit may ask to return a ticket within this many working days of dispatch. */
  returnWindowWorkingDays: z.number().positive(),
  /** Extensions may move the due time this many working days past the original due at most. */
  extensionCapWorkingDays: z.number().positive(),
  /** A redo may follow an unsatisfied callback within this many (calendar) days. */
  redoWindowDays: z.number().positive(),
  /** Supervision (督办) is flagged for tickets overdue by this many working days. */
  superviseAfterOverdueWorkingDays: z.number().positive(),
  /**
   * A level below the city gets this share of the working time its dispatching level has left
   * (issue 16): 0.8 leaves a sub-centre one working day of a five-day ticket to review.
   */
  levelShare: z.number().gt(0).max(1).optional(),
})
export type DeadlineRules = z.output<typeof deadlineRulesSchema>

// --- The whole set --------------------------------------------------------------------------

/**
 * A console's name as staff know it (issue 13): the seat or desk an admin gave the console whose
 * label (`consoleLabel`, src/shared/ids.ts) timelines carry, e.g. 55v44o → 受理 3 号座席.
 */
export const seatSchema = z.object({
  console: z.string().regex(/^c[0-9a-z]{11}$/, 'a console label: c and 11 digits or letters a–z'),
  name: z.string().trim().min(1).max(40),
})
export type Seat = z.output<typeof seatSchema>

export const referenceDataSchema = z.object({
  districts: z.array(districtSchema).min(1),
  categories: z.array(categorySchema).min(1),
  units: z.array(unitSchema).min(1),
  routing: z.array(routingRuleSchema),
  deadlines: deadlineRulesSchema,
  calendar: calendarSchema,
  /** Words, organisations, the gazetteer and the history model for triage (./triage.ts). */
  triage: triageDataSchema.optional(),
  /** Names admins gave consoles, shown on timelines beside the person. */
  seats: z.array(seatSchema).max(10_000).optional(),
  /** Unit scoring (issue 17): weights and thresholds per unit group; DEFAULT_SCORING if absent. */
  scoring: scoringSchema.optional(),
})
export type ReferenceData = z.output<typeof referenceDataSchema>
