// Triage (DESIGN.md §7): from what the caller said, where, and what is known, rank categories and
// units, each with reasons a dispatcher reads at a glance. One pure, deterministic function for
// the intake form, the dispatch dialog, the server's pre-filled categories and the evaluation.
//
// What it weighs, in this order of strength:
//  - words: the categories' keywords and the colloquial words callers use (triage.json);
//  - organisations named in the text (中国电信, 华润燃气, 城管 …): for a matter they handle
//    themselves they go before the rule's default unit;
//  - the place: the gazetteer, committees, street offices and districts (with the names people
//    use: 经开区 → 镇江新区) found in the address and the words;
//  - the routing rules for the category in that district (and the street office of the place);
//  - the centre's history (the model the server builds, ./triage-model.ts): where tickets of the
//    category and district went, and which units returned tickets with words like these.
import type { ReferenceData } from './reference'
import { indexReference } from './reference-data'
import { findMatches, normalizeText, triageIndex, type Match, type PlaceRef } from './triage-index'
import { textFeatures } from './triage-model'
import type { Organisation, TriageModel } from './triage-data'
import { explain, type TriageReason } from './triage-reasons'

export type { TriageReason } from './triage-reasons'

export interface TriageInput {
  description: string
  address?: string | null
  district?: string | null
  street?: string | null
  /** The category already chosen (the dispatch dialog): units are ranked for it. */
  category?: string | null
  /** The caller is a company (a name, or true). */
  company?: string | boolean | null
}

export interface Ranked {
  code: string
  /** Relative strength; only the order and rough size mean anything. */
  score: number
  reasons: TriageReason[]
}

export interface TriagePlace {
  district: string | null
  street: string | null
  community: string | null
  reasons: TriageReason[]
}

export interface TriageResult {
  categories: Ranked[]
  units: Ranked[]
  place: TriagePlace
}

/** Rule positions: the first unit of a rule counts most, the others keep their order. */
const RULE_WEIGHTS = [1, 0.55, 0.4, 0.3, 0.25, 0.2]
const ORG_OWN = 1.5
const ORG_OTHER = 0.3
/** A named organisation's own matters gain this much when the words already point there. */
const ORG_HINT = 0.6
const HISTORY_CATEGORY = 1.2
const HISTORY_ROUTE = 0.5
/**
 * Returns lower a unit, but less than a rule or a name raises one: a return says "not always
 * here", and the words shared with the returned tickets (宽带) may not be what decided (电信).
 * A unit the caller named loses half as much. (Two-fold cross-validation on the tuning calls.)
 */
const RETURN_PENALTY = 0.7
const SIMILAR_SHARE = 0.3
const COMPANY_BRANCH = '13'
/** Company utilities (1307) take the words of water, power and gas (04) when a company calls. */
const COMPANY_UTILITIES = '1307'

class Scores {
  readonly map = new Map<string, Ranked>()
  add(code: string, score: number, reason?: TriageReason | null) {
    let r = this.map.get(code)
    if (!r) this.map.set(code, (r = { code, score: 0, reasons: [] }))
    r.score += score
    if (reason && !r.reasons.some((x) => x.zh === reason.zh)) r.reasons.push(reason)
  }
  /** Best first; `all` keeps entries pushed to zero or below (a unit lowered by its returns). */
  ranked(limit: number, order: (code: string) => number, all = false): Ranked[] {
    return [...this.map.values()]
      .filter((r) => all || r.score > 0)
      .sort((a, b) => b.score - a.score || order(a.code) - order(b.code))
      .slice(0, limit)
      .map((r) => ({ ...r, score: Math.round(r.score * 1000) / 1000 }))
  }
}

export function triage(
  data: ReferenceData,
  input: TriageInput,
  limits: { categories?: number; units?: number } = {},
): TriageResult {
  const index = triageIndex(data)
  const ref = indexReference(data)
  const model = data.triage?.model ?? null
  const say = explain(data)
  const words = normalizeText(input.description)
  const address = normalizeText(input.address ?? '')
  const inWords = findMatches(index, words)
  const inAddress = address ? findMatches(index, address) : []
  const features = model ? textFeatures(input.description) : []

  const place = resolvePlace(data, input, inAddress, inWords, say)
  const orgs = uniqueOrgs(inWords)

  // --- Categories ---------------------------------------------------------------------------
  const cats = new Scores()
  const said = new Map<string, string[]>()
  for (const m of inWords) {
    if (m.hit.type !== 'word') continue
    const list = said.get(m.hit.category) ?? []
    if (!list.includes(m.text)) list.push(m.text)
    said.set(m.hit.category, list)
    cats.add(m.hit.category, m.hit.weight)
  }
  for (const [code, list] of said) cats.add(code, 0, say.words(list))
  for (const { org } of orgs)
    for (const prefix of org.categories)
      for (const leaf of index.leaves)
        if (leaf.startsWith(prefix) && cats.map.has(leaf)) cats.add(leaf, ORG_HINT)
  if (model) historyCategories(model, features, cats, say)
  const utility = input.company ? companyCategories(cats, say) : null

  const leafOrder = new Map(index.leaves.map((c, i) => [c, i]))
  const categories = cats.ranked(limits.categories ?? 5, (c) => leafOrder.get(c) ?? 1e6)

  // --- Units --------------------------------------------------------------------------------
  const basis: { code: string; p: number }[] = input.category
    ? [{ code: input.category, p: 1 }]
    : weights(categories.slice(0, 3))
  const units = new Scores()
  const district = place.district
  const named = new Set(
    orgs.map(({ org }) => orgUnit(data, org, district)).filter((u) => u != null),
  )
  for (const { code, p } of basis) {
    const rule = ref.ruleFor(code, district)
    ref.suggestUnits(code, district, place.street).forEach((u, i) => {
      const why =
        i === 0 && place.street === u ? say.place(place) : say.rule(code, rule?.district ?? null)
      units.add(u, p * (RULE_WEIGHTS[i] ?? 0.15), why)
    })
    if (code === COMPANY_UTILITIES && utility) {
      // The utility the words named serves the company too.
      const u = ref.suggestUnits(utility, district)[0]
      if (u) units.add(u, p * ORG_OWN * 0.8, say.rule(utility, district))
    }
    for (const { org, text } of orgs) {
      const u = orgUnit(data, org, district)
      if (!u) continue
      const own = org.categories.some((c) => code.startsWith(c))
      units.add(u, p * (own ? ORG_OWN : ORG_OTHER), say.organisation(org, text))
    }
    if (model) historyRoutes(model, code, district, p, units, named, say)
  }
  if (model) similarReturns(model, features, units, named, say)
  const active = (code: string) => ref.units.get(code)?.active === true
  for (const code of [...units.map.keys()]) if (!active(code)) units.map.delete(code)

  const unitOrder = new Map(data.units.map((u, i) => [u.code, i]))
  return {
    categories,
    // A unit lowered by returns stays listed, last, with its reason: the dispatcher sees why.
    units: units.ranked(limits.units ?? 8, (c) => unitOrder.get(c) ?? 1e6, true),
    place,
  }
}

/**
 * The top categories' shares (of squared scores: a clear winner carries its units, a near tie
 * splits them), so units are ranked for what the call most likely is, not for one guess.
 */
function weights(top: Ranked[]): { code: string; p: number }[] {
  const sum = top.reduce((s, r) => s + r.score * r.score, 0)
  return sum > 0 ? top.map((r) => ({ code: r.code, p: (r.score * r.score) / sum })) : []
}

/**
 * Organisations named, once each. A name inside a longer word is not a name: 电信诈骗 names no
 * operator, 消防通道 no fire brigade.
 */
function uniqueOrgs(matches: Match[]): { org: Organisation; text: string }[] {
  const words = matches.filter((m) => m.hit.type === 'word')
  const out: { org: Organisation; text: string }[] = []
  for (const m of matches) {
    if (m.hit.type !== 'org') continue
    const org = m.hit.org
    const inside = words.some(
      (w) => w.start <= m.start && w.end >= m.end && w.end - w.start > m.end - m.start,
    )
    if (!inside && !out.some((o) => o.org === org)) out.push({ org, text: m.text })
  }
  return out
}

/** The organisation's unit for the place: the narrowest covering the district, else the widest. */
function orgUnit(data: ReferenceData, org: Organisation, district: string | null): string | null {
  const ref = indexReference(data)
  const units = org.units.map((c) => ref.units.get(c)).filter((u) => u != null && u.active)
  if (units.length === 0) return null
  if (district) {
    const covering = units.filter((u) => u!.districts.includes(district))
    covering.sort((a, b) => a!.districts.length - b!.districts.length)
    if (covering[0]) return covering[0].code
  }
  return [...units].sort((a, b) => b!.districts.length - a!.districts.length)[0]!.code
}

function historyCategories(
  model: TriageModel,
  features: string[],
  cats: Scores,
  say: ReturnType<typeof explain>,
) {
  const share = new Map<string, number>()
  let seen = 0
  for (const f of features) {
    const fc = model.featureCategories[f]
    if (!fc) continue
    seen++
    const total = Object.values(fc).reduce((s, n) => s + n, 0)
    // Smoothed: a piece seen in one or two tickets says little yet.
    for (const [c, n] of Object.entries(fc)) share.set(c, (share.get(c) ?? 0) + n / (total + 2))
  }
  if (seen === 0) return
  for (const [c, s] of share) {
    const w = (HISTORY_CATEGORY * s) / seen
    if (w >= 0.05) cats.add(c, w, w >= 0.3 ? say.similarCategory() : null)
  }
}

/**
 * A company calling: company services weigh more, and water, power or gas trouble is the
 * company-utilities category (1307). Returns the utility matter the words pointed to, whose
 * units serve 1307 (a factory without power wants the power company, not the gas company).
 */
function companyCategories(cats: Scores, say: ReturnType<typeof explain>): string | null {
  let best: Ranked | null = null
  for (const r of cats.map.values()) {
    if (r.code.startsWith(COMPANY_BRANCH)) r.score *= 1.4
    else if (r.code.startsWith('04') && (!best || r.score > best.score)) best = r
  }
  if (best) cats.add(COMPANY_UTILITIES, best.score + 0.6, say.company())
  for (const r of cats.map.values())
    if (r.code.startsWith(COMPANY_BRANCH)) cats.add(r.code, 0, say.company())
  return best?.code ?? null
}

function historyRoutes(
  model: TriageModel,
  category: string,
  district: string | null,
  p: number,
  units: Scores,
  named: Set<string>,
  say: ReturnType<typeof explain>,
) {
  const bucket = model.routes[`${category}|${district ?? ''}`]
  if (!bucket) return
  const total = Object.values(bucket).reduce((s, [k]) => s + k, 0)
  for (const [u, [kept, returned]] of Object.entries(bucket)) {
    const score = total > 0 ? (HISTORY_ROUTE * kept) / total : 0
    const penalty = ((named.has(u) ? 0.5 : 1) * RETURN_PENALTY * returned) / (kept + returned)
    units.add(u, p * (score - penalty), say.route(kept, returned))
  }
}

/** Units that returned tickets with words like these go down; where they went and stayed, up. */
function similarReturns(
  model: TriageModel,
  features: string[],
  units: Scores,
  named: Set<string>,
  say: ReturnType<typeof explain>,
) {
  const kept = new Map<string, number>()
  const returned = new Map<string, number>()
  let seen = 0
  let keptAll = 0
  for (const f of features) {
    const fu = model.features[f]
    if (!fu) continue
    seen++
    for (const [u, [k, r]] of Object.entries(fu)) {
      kept.set(u, (kept.get(u) ?? 0) + k)
      returned.set(u, (returned.get(u) ?? 0) + r)
      keptAll += k
    }
  }
  if (seen === 0) return
  for (const [u, r] of returned) {
    if (r === 0 || !units.map.has(u)) continue
    const k = kept.get(u) ?? 0
    // Share of this unit's similar dispatches that came back, and how many pieces agree.
    const frac = r / (k + r)
    const cover = Math.min(1, r / seen)
    const weight = (named.has(u) ? 0.5 : 1) * RETURN_PENALTY
    units.add(u, -weight * frac * cover, say.returns(maxReturns(model, features, u)))
  }
  // Only units already in the running (by a rule, a name, the category's history) gain: words
  // alone (家里, 反映) bring in no unit.
  for (const [u, k] of kept)
    if (keptAll > 0 && units.map.has(u)) units.add(u, (SIMILAR_SHARE * k) / keptAll)
}

function maxReturns(model: TriageModel, features: string[], unit: string): number {
  let n = 0
  for (const f of features) n = Math.max(n, model.features[f]?.[unit]?.[1] ?? 0)
  return n
}

function resolvePlace(
  data: ReferenceData,
  input: TriageInput,
  inAddress: Match[],
  inWords: Match[],
  say: ReturnType<typeof explain>,
): TriagePlace {
  const ref = indexReference(data)
  const reasons: TriageReason[] = []
  const named = [...inAddress, ...inWords].filter((m) => m.hit.type === 'district')
  let district = input.district ?? null
  if (!district && named[0]?.hit.type === 'district') {
    district = named[0].hit.district
    reasons.push(say.district(named[0].text, district))
  }
  const places: { m: Match; place: PlaceRef; where: number }[] = []
  for (const [where, list] of [inAddress, inWords].entries())
    for (const m of list) if (m.hit.type === 'place') places.push({ m, place: m.hit.place, where })
  const fits = (p: PlaceRef) =>
    (!district || p.district === district) && (!input.street || p.street === input.street)
  const pool = places.some((x) => fits(x.place)) ? places.filter((x) => fits(x.place)) : []
  pool.sort(
    (a, b) =>
      a.where - b.where ||
      b.place.rank - a.place.rank ||
      b.m.end - b.m.start - (a.m.end - a.m.start) ||
      a.m.start - b.m.start,
  )
  const best = pool[0]
  let street = input.street ?? null
  let community: string | null = null
  if (best) {
    district ??= best.place.district
    street ??= best.place.street
    community = best.place.street === street ? best.place.community : null
    reasons.push(say.placeFound(best.m.text, best.place))
  } else if (street && !district) {
    const u = ref.units.get(street)
    if (u?.districts.length === 1) district = u.districts[0]!
  }
  return { district, street, community, reasons }
}
