// Checks and lookups over the reference data (districts, categories, units, routing rules,
// deadline rules, calendar). The schemas are in ./reference; this file adds what a schema cannot
// say (codes unique, parents present, every leaf routable everywhere) and the lookups the
// console and the server share. Pure: no Node, no DOM.
import {
  referenceDataSchema,
  type Category,
  type District,
  type ReferenceData,
  type RoutingRule,
  type Unit,
} from './reference'
import { checkCalendar } from './calendar-check'
import { checkTriageData } from './triage-check'
import { fieldErrors, fieldLabel } from './validation'

/** Company requests (一企来办) live under category `13`. */
export const COMPANY_CATEGORY = '13'
export const isCompanyCategory = (code: string): boolean => code.startsWith(COMPANY_CATEGORY)

/** The parent code a category code implies: `0103` → `01`; null for a top-level code. */
export const impliedParent = (code: string): string | null =>
  code.length > 2 ? code.slice(0, -2) : null

const ruleKey = (category: string, district: string | null) => `${category}|${district ?? ''}`

/** Maps over one reference data set, built once. Get one with `indexReference(data)`. */
export class ReferenceIndex {
  readonly districts = new Map<string, District>()
  readonly categories = new Map<string, Category>()
  readonly units = new Map<string, Unit>()
  /** Category code → codes of its children, in file order. */
  readonly categoryChildren = new Map<string, string[]>()
  /** Unit code → codes of its children, in file order. */
  readonly unitChildren = new Map<string, string[]>()
  /** `category|district` (district empty for "any") → the rule. The first one wins. */
  readonly rules = new Map<string, RoutingRule>()

  constructor(readonly data: ReferenceData) {
    for (const d of data.districts) if (!this.districts.has(d.code)) this.districts.set(d.code, d)
    for (const c of data.categories) {
      if (!this.categories.has(c.code)) this.categories.set(c.code, c)
      if (c.parent != null) push(this.categoryChildren, c.parent, c.code)
    }
    for (const u of data.units) {
      if (!this.units.has(u.code)) this.units.set(u.code, u)
      if (u.parent != null) push(this.unitChildren, u.parent, u.code)
    }
    for (const r of data.routing) {
      const key = ruleKey(r.category, r.district)
      if (!this.rules.has(key)) this.rules.set(key, r)
    }
  }

  isLeaf(code: string): boolean {
    return this.categories.has(code) && !this.categoryChildren.has(code)
  }

  /** Categories from the top branch down to `code`; empty if `code` is unknown. */
  categoryPath(code: string): Category[] {
    const path: Category[] = []
    const seen = new Set<string>()
    let c = this.categories.get(code)
    while (c && !seen.has(c.code)) {
      seen.add(c.code)
      path.push(c)
      c = c.parent == null ? undefined : this.categories.get(c.parent)
    }
    return path.reverse()
  }

  /**
   * The rule that decides for `category` in `district`: the longest matching category prefix
   * wins, and at equal length a rule for the district wins over one for any district.
   */
  ruleFor(category: string, district: string | null): RoutingRule | undefined {
    for (let len = category.length; len >= 2; len -= 2) {
      const prefix = category.slice(0, len)
      const r =
        (district != null ? this.rules.get(ruleKey(prefix, district)) : undefined) ??
        this.rules.get(ruleKey(prefix, null))
      if (r) return r
    }
    return undefined
  }

  /**
   * Suggested units for a category in a district, in the rule's order, without duplicates,
   * unknown or inactive units. With `street`, that street office (or town) goes first when the
   * rule names it — street-level rules list every street of the district.
   */
  suggestUnits(category: string, district: string | null, street?: string | null): string[] {
    const rule = this.ruleFor(category, district)
    if (!rule) return []
    const out: string[] = []
    for (const code of rule.units) {
      const u = this.units.get(code)
      if (u && u.active && !out.includes(code)) out.push(code)
    }
    if (street != null) {
      const at = out.indexOf(street)
      if (at > 0) out.unshift(...out.splice(at, 1))
    }
    return out
  }
}

function push(map: Map<string, string[]>, key: string, value: string) {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

const indexCache = new WeakMap<ReferenceData, ReferenceIndex>()

/** The index of a data set, built on first use and kept as long as the data object lives. */
export function indexReference(data: ReferenceData): ReferenceIndex {
  let index = indexCache.get(data)
  if (!index) {
    index = new ReferenceIndex(data)
    indexCache.set(data, index)
  }
  return index
}

export const isLeafCategory = (categories: readonly Category[], code: string): boolean =>
  categories.some((c) => c.code === code) && !categories.some((c) => c.parent === code)

/** Categories no other category names as parent, in file order. */
export function leafCategories(categories: readonly Category[]): Category[] {
  const parents = new Set(categories.map((c) => c.parent).filter((p) => p != null))
  return categories.filter((c) => !parents.has(c.code))
}

/** Categories from the top branch down to `code` (root → leaf); empty if `code` is unknown. */
export function categoryPath(categories: readonly Category[], code: string): Category[] {
  const byCode = new Map(categories.map((c) => [c.code, c]))
  const path: Category[] = []
  let c = byCode.get(code)
  while (c && !path.includes(c)) {
    path.push(c)
    c = c.parent == null ? undefined : byCode.get(c.parent)
  }
  return path.reverse()
}

/** Suggested unit codes for a category in a district (see `ReferenceIndex.suggestUnits`). */
export function suggestUnitsByRules(
  data: ReferenceData,
  category: string,
  district: string | null,
  street?: string | null,
): string[] {
  return indexReference(data).suggestUnits(category, district, street)
}

/** Everything wrong with a schema-valid data set, in words; empty when all is well. */
export function checkReferenceData(data: ReferenceData): string[] {
  const problems: string[] = []
  const index = indexReference(data)
  const { districts, categories, units } = index

  const duplicates = (what: string, codes: string[]) => {
    const seen = new Set<string>()
    const reported = new Set<string>()
    for (const code of codes) {
      if (seen.has(code) && !reported.has(code)) {
        problems.push(`duplicate ${what} code ${code}`)
        reported.add(code)
      }
      seen.add(code)
    }
  }
  duplicates(
    'district',
    data.districts.map((d) => d.code),
  )
  duplicates(
    'category',
    data.categories.map((c) => c.code),
  )
  duplicates(
    'unit',
    data.units.map((u) => u.code),
  )
  duplicates(
    'seat console',
    (data.seats ?? []).map((s) => s.console),
  )

  // Categories: the parent exists and is the code's own prefix; the chain reaches a top branch.
  for (const c of data.categories) {
    const implied = impliedParent(c.code)
    if (c.parent == null) {
      if (implied != null)
        problems.push(`category ${c.code} has no parent but its code implies parent ${implied}`)
    } else if (!categories.has(c.parent)) {
      problems.push(`category ${c.code}: parent ${c.parent} does not exist`)
    } else if (c.parent !== implied) {
      problems.push(
        `category ${c.code}: parent ${c.parent} is not its code prefix (expected ${implied ?? 'none'})`,
      )
    }
  }

  // Units: parent exists, no cycles, districts known.
  for (const u of data.units) {
    if (u.parent != null && !units.has(u.parent))
      problems.push(`unit ${u.code}: parent ${u.parent} does not exist`)
    if (u.parent === u.code) problems.push(`unit ${u.code} is its own parent`)
    for (const d of u.districts)
      if (!districts.has(d)) problems.push(`unit ${u.code}: district ${d} does not exist`)
  }
  for (const u of data.units)
    for (const code of u.dispatchTo ?? []) {
      const to = units.get(code)
      if (!to) problems.push(`unit ${u.code}: dispatchTo names unit ${code}, which does not exist`)
      else if (code === u.code) problems.push(`unit ${u.code}: dispatchTo names itself`)
    }
  for (const u of data.units) {
    // A unit on a loop of parents is reported itself; units merely leading into one are not.
    const seen = new Set<string>([u.code])
    let p = u.parent == null ? undefined : units.get(u.parent)
    while (p && !seen.has(p.code)) {
      seen.add(p.code)
      p = p.parent == null ? undefined : units.get(p.parent)
    }
    if (p && p.code === u.code && u.parent !== u.code)
      problems.push(`unit ${u.code}: parent chain loops (${[...seen, u.code].join(' → ')})`)
  }

  // Routing rules: everything they name exists; no two rules for the same key.
  const ruleKeys = new Set<string>()
  data.routing.forEach((r, i) => {
    const where = `routing rule #${i + 1} (category ${r.category}, district ${r.district ?? 'any'})`
    const key = ruleKey(r.category, r.district)
    if (ruleKeys.has(key)) problems.push(`${where} repeats an earlier rule for the same key`)
    ruleKeys.add(key)
    if (!categories.has(r.category))
      problems.push(`${where}: category ${r.category} does not exist`)
    if (r.district != null && !districts.has(r.district))
      problems.push(`${where}: district ${r.district} does not exist`)
    for (const code of r.units) {
      const u = units.get(code)
      if (!u) problems.push(`${where}: unit ${code} does not exist`)
      else if (r.district != null && !u.districts.includes(r.district))
        problems.push(`${where}: unit ${code} does not cover district ${r.district}`)
    }
  })

  // Every active leaf gets a suggestion in every district, led by a unit that covers it.
  for (const c of data.categories) {
    if (!c.active || !index.isLeaf(c.code)) continue
    for (const d of data.districts) {
      const suggested = index.suggestUnits(c.code, d.code)
      if (suggested.length === 0) {
        problems.push(`category ${c.code} (${c.name}) has no suggested unit in district ${d.code}`)
        continue
      }
      const first = units.get(suggested[0]!)
      if (first && !first.districts.includes(d.code))
        problems.push(
          `category ${c.code} (${c.name}) in district ${d.code}: first suggested unit ${first.code} does not cover the district`,
        )
    }
  }

  // Deadline rules may name category prefixes: those must exist.
  for (const [list, rules] of [
    ['signBy', data.deadlines.signBy],
    ['due', data.deadlines.due],
  ] as const) {
    for (const rule of rules) {
      const cats = rule.when.category
      if (cats == null) continue
      for (const code of Array.isArray(cats) ? cats : [cats])
        if (!categories.has(code))
          problems.push(`deadline rule "${rule.name}" (${list}): category ${code} does not exist`)
    }
  }

  for (const p of checkCalendar(data.calendar)) problems.push(`calendar ${p.field}: ${p.en}`)
  problems.push(...checkTriageData(index))

  return problems
}

/** Thrown by `parseReferenceData`; `problems` lists every problem found, one a line. */
export class ReferenceDataError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `reference data has ${problems.length} problem(s):\n${problems.map((p) => `- ${p}`).join('\n')}`,
    )
    this.name = 'ReferenceDataError'
  }
}

/** Parses and checks a whole data set; throws a `ReferenceDataError` listing every problem. */
export function parseReferenceData(raw: unknown): ReferenceData {
  const parsed = referenceDataSchema.safeParse(raw)
  if (!parsed.success) {
    throw new ReferenceDataError(
      fieldErrors(parsed.error).map((e) => {
        // The message starts with the field's label; name the field by its path instead.
        const label = fieldLabel(e.field).en
        const text = e.message.en.toLowerCase().startsWith(label.toLowerCase())
          ? e.message.en.slice(label.length).trim()
          : e.message.en
        return `${e.field || '(root)'}: ${text}`
      }),
    )
  }
  const problems = checkReferenceData(parsed.data)
  if (problems.length > 0) throw new ReferenceDataError(problems)
  return parsed.data
}
