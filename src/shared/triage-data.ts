// What triage reads besides categories, units and rules (resources/reference/triage.json, plus the
// model the server builds from the centre's history): the words callers use for each category,
// the organisations they name, and a gazetteer of roads, compounds and landmarks. Schemas only;
// the function is ./triage.ts.
import { z } from 'zod'
import { categoryCode, districtCode, unitCode } from './actions'

/** Words callers use for a leaf category: its keywords and colloquial names (天然气, 断网 …). */
export const categoryWordsSchema = z.object({
  category: categoryCode,
  words: z.array(z.string().min(1)).min(1),
  /** Words that lean towards the category without deciding it (半夜, 楼上, 学校). */
  weak: z.array(z.string().min(1)).optional(),
})
export type CategoryWords = z.output<typeof categoryWordsSchema>

/**
 * An organisation callers name: a company, a utility, a bureau. `units` are the units that act
 * for it (the one covering the place is taken); `categories` (code prefixes) are the matters it
 * handles itself — named there, it goes before the rule's default unit.
 */
export const organisationSchema = z.object({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)),
  units: z.array(unitCode).min(1),
  categories: z.array(categoryCode),
})
export type Organisation = z.output<typeof organisationSchema>

export const PLACE_KINDS = ['road', 'compound', 'landmark'] as const

/** A road, compound (小区) or landmark and the street office and community it lies in. */
export const placeSchema = z.object({
  name: z.string().min(1),
  kind: z.enum(PLACE_KINDS),
  aliases: z.array(z.string().min(1)).optional(),
  district: districtCode,
  street: unitCode,
  community: unitCode.optional(),
})
export type GazetteerPlace = z.output<typeof placeSchema>

const counts = z.tuple([z.number().int().min(0), z.number().int().min(0)])

/**
 * The centre's history, condensed on the server (src/server/triage) and shipped to consoles with
 * the reference data. `[kept, returned]`: dispatches to a unit that stood, and that the unit
 * returned (退单 approved).
 */
export const triageModelSchema = z.object({
  version: z.number().int().min(1),
  builtAt: z.string(),
  /** Dispatched tickets it learnt from, and the time span they were created in. */
  tickets: z.number().int().min(0),
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** `category|district` → unit → [kept, returned]. */
  routes: z.record(z.string(), z.record(z.string(), counts)),
  /** Text feature (a two-character piece) → unit → [kept, returned]; informative ones only. */
  features: z.record(z.string(), z.record(z.string(), counts)),
  /** Text feature → category → tickets. */
  featureCategories: z.record(z.string(), z.record(z.string(), z.number().int().min(0))),
  /** Measured on recent tickets the model was not built from (null before there are any). */
  accuracy: z
    .object({
      tickets: z.number().int().min(0),
      categoryTop1: z.number(),
      unitTop1: z.number(),
      unitTop3: z.number(),
    })
    .nullable(),
})
export type TriageModel = z.output<typeof triageModelSchema>

export const triageDataSchema = z.object({
  keywords: z.array(categoryWordsSchema),
  organisations: z.array(organisationSchema),
  gazetteer: z.array(placeSchema),
  model: triageModelSchema.nullable().optional(),
})
export type TriageData = z.output<typeof triageDataSchema>

/** What triage is asked (the console's `triage.suggest`, the server's POST /triage/suggest). */
export const triageInputSchema = z.object({
  description: z.string().max(4000),
  address: z.string().max(200).optional(),
  district: districtCode.optional(),
  street: unitCode.optional(),
  category: categoryCode.optional(),
  /** The caller's company, or true for "a company" unnamed. */
  company: z.union([z.string().max(100), z.boolean()]).optional(),
  limit: z.number().int().min(1).max(20).default(5),
})
export type TriageInputArgs = z.output<typeof triageInputSchema>
