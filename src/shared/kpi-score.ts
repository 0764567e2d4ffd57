// Unit score (考核得分, issue 17): the rates of kpi-units.ts weighted per unit type, less
// deductions, against thresholds — as Beijing's 接诉即办 考评 weighs the three rates (响应 30 %,
// 解决 35 %, 满意 35 % by default here) and Lianyungang zeroes signing below 80 %. The weights and
// thresholds are configuration an admin edits (PUT /api/v1/admin/scoring), carried in the
// reference data and versioned with it; a `label` names the edition (e.g. 2026 版).
import { z } from 'zod'
import { UNIT_TYPES, type UnitType } from './unit-types'
import type { Ratio } from './kpi'
import type { UnitFigures } from './kpi-units'

export const RATES = ['signing', 'completion', 'response', 'resolution', 'satisfaction'] as const
export type RateName = (typeof RATES)[number]

const share = z.number().min(0).max(1)
const points = z.number().min(0).max(100)

export const scoringGroupSchema = z.object({
  /** `districts`, `bureaus`, `utilities` …: units are ranked within their group. */
  code: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
  name: z.string().min(1),
  nameEn: z.string().min(1),
  types: z.array(z.enum(UNIT_TYPES)).min(1),
  /** Weights of the rates; they must add up to 1. A rate with nothing to judge is left out and
   * the others weigh proportionally more. */
  weights: z.object(
    Object.fromEntries(RATES.map((r) => [r, share])) as Record<RateName, typeof share>,
  ),
  /** A rate below this scores 0 for its part (Lianyungang: signing below 80 %). */
  zeroBelow: z
    .object(Object.fromEntries(RATES.map((r) => [r, share])) as Record<RateName, typeof share>)
    .partial()
    .default({}),
  /** Points taken off per overdue ticket, per refused (unjustified) return, per supervision. */
  deductions: z.object({ overdue: points, unjustifiedReturn: points, supervised: points }),
  /** At most this many points are taken off in all. */
  maxDeduction: points,
  /**
   * A unit is listed in the bulletin below this score, or below `rate` on any rate judged over
   * at least `minBase` assignments or callbacks (3 tickets are no basis to name a unit on).
   */
  thresholds: z.object({
    score: points,
    rate: share,
    minBase: z.number().int().min(0).default(20),
  }),
})
export type ScoringGroup = z.output<typeof scoringGroupSchema>

export const scoringSchema = z
  .object({
    label: z.string().min(1).max(40),
    /** The citizen must be contacted within this many hours of dispatch (响应率). */
    contactWithinHours: z.number().positive().max(720),
    groups: z.array(scoringGroupSchema).min(1).max(20),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<UnitType>()
    s.groups.forEach((g, i) => {
      const sum = RATES.reduce((a, r) => a + g.weights[r], 0)
      if (Math.abs(sum - 1) > 1e-6)
        ctx.addIssue({
          code: 'custom',
          path: ['groups', i, 'weights'],
          message: `weights must add up to 1 (they add up to ${sum.toFixed(3)})`,
        })
      for (const t of g.types) {
        if (seen.has(t))
          ctx.addIssue({
            code: 'custom',
            path: ['groups', i, 'types'],
            message: `unit type ${t} is in two groups`,
          })
        seen.add(t)
      }
    })
  })
export type Scoring = z.output<typeof scoringSchema>

const group = (
  code: string,
  name: string,
  nameEn: string,
  types: UnitType[],
  overdue: number,
): ScoringGroup => ({
  code,
  name,
  nameEn,
  types,
  weights: { signing: 0, completion: 0, response: 0.3, resolution: 0.35, satisfaction: 0.35 },
  zeroBelow: { signing: 0.8 },
  deductions: { overdue, unjustifiedReturn: 0.5, supervised: 1 },
  maxDeduction: 20,
  thresholds: { score: 90, rate: 0.95, minBase: 20 },
})

/** The scoring used when the reference data carries none. */
export const DEFAULT_SCORING: Scoring = {
  label: '默认（三率 30/35/35）',
  // Clock hours from dispatch. Beijing asks for contact within 24 h of an ordinary request; 48 h of
  // clock time here, as units do not work weekends and this is not counted in working time yet.
  contactWithinHours: 48,
  groups: [
    group(
      'districts',
      '区、街道、社区',
      'Districts and streets',
      ['district', 'centre', 'street', 'town', 'community'],
      0.5,
    ),
    group('bureaus', '职能部门', 'Government departments', ['bureau', 'police', 'other'], 0.5),
    group(
      'utilities',
      '公共服务企业',
      'Utilities and companies',
      ['utility', 'telecom', 'enterprise'],
      1,
    ),
  ],
}

export interface UnitScore {
  unit: string
  level: UnitFigures['level']
  group: string
  /** 0..100, null with nothing to rate. */
  score: number | null
  /** Points from the weighted rates before deductions. */
  base: number | null
  deduction: number
  /** Rates below the group's threshold, and the score's. */
  below: Array<RateName | 'score'>
  /** 1-based rank within the group; null when unscored. */
  rank: number | null
  figures: UnitFigures
}

const rateOf = (f: UnitFigures, r: RateName): Ratio => f[r]

export const groupOf = (scoring: Scoring, type: UnitType): ScoringGroup | null =>
  scoring.groups.find((g) => g.types.includes(type)) ?? null

/** One unit's score under its group's weights. */
export function scoreUnit(f: UnitFigures, g: ScoringGroup): Omit<UnitScore, 'rank'> {
  let weight = 0
  let sum = 0
  const below: UnitScore['below'] = []
  for (const r of RATES) {
    const { rate, denominator } = rateOf(f, r)
    if (rate == null) continue
    if (rate < g.thresholds.rate && denominator >= g.thresholds.minBase) below.push(r)
    const w = g.weights[r]
    if (w === 0) continue
    weight += w
    const zero = g.zeroBelow[r]
    sum += w * (zero != null && rate < zero ? 0 : rate)
  }
  const deduction = Math.min(
    g.maxDeduction,
    f.overdue * g.deductions.overdue +
      f.returnsRejected * g.deductions.unjustifiedReturn +
      f.supervised * g.deductions.supervised,
  )
  const base = weight === 0 ? null : (100 * sum) / weight
  const score = base == null ? null : Math.max(0, round2(base - deduction))
  // Named for its score too only on a sufficient base (its judged assignments and callbacks).
  const judged = f.signing.denominator + f.completion.denominator + f.satisfaction.denominator
  if (score != null && score < g.thresholds.score && judged >= g.thresholds.minBase)
    below.push('score')
  return { unit: f.unit, level: f.level, group: g.code, score, base, deduction, below, figures: f }
}

const round2 = (n: number) => Math.round(n * 100) / 100

/** Every unit scored under its group and ranked within it (best first, unscored last). */
export function scoreUnits(
  figures: UnitFigures[],
  typeOf: (unit: string) => UnitType | null,
  scoring: Scoring,
): UnitScore[] {
  const scored: Array<Omit<UnitScore, 'rank'>> = []
  for (const f of figures) {
    const t = typeOf(f.unit)
    const g = t ? groupOf(scoring, t) : null
    if (g) scored.push(scoreUnit(f, g))
  }
  const order = scoring.groups.map((g) => g.code)
  scored.sort(
    (a, b) =>
      order.indexOf(a.group) - order.indexOf(b.group) ||
      (b.score ?? -1) - (a.score ?? -1) ||
      (a.unit < b.unit ? -1 : 1),
  )
  const out: UnitScore[] = []
  let prev: Omit<UnitScore, 'rank'> | null = null
  let rank = 0
  for (const s of scored) {
    if (!prev || prev.group !== s.group) rank = 0
    rank++
    // Equal scores share a rank (1, 2, 2, 4).
    const same = prev && prev.group === s.group && prev.score === s.score
    const r = s.score == null ? null : same ? out[out.length - 1]!.rank : rank
    out.push({ ...s, rank: r })
    prev = s
  }
  return out
}
