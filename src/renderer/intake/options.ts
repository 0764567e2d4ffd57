// What the intake's pickers offer: leaf categories with their full path, districts, and the
// street offices and communities of the reference data (units of type street/town/community),
// each found by Chinese, pinyin or pinyin initials. Indexes are built once per reference data.
import { PinyinMatcher } from '../../shared/pinyin'
import type { Category, ReferenceData, Unit } from '../../shared/reference'
import { categoryPath } from '../../shared/reference-data'
import type { Lang } from '../../shared/validation'
import type { Names } from '../state/reference'

export interface PickerOption {
  code: string
  /** The chosen entry's own name. */
  label: string
  /** Where it sits (`城乡建设 › 噪音污染`), shown muted before the label. */
  path?: string
  /** A hint after the label: a code, a district. */
  detail?: string
}

interface Index {
  byCode: Map<string, Category>
  /** Active leaves under each category code (a leaf lists itself), in file order. */
  leavesUnder: Map<string, Category[]>
  units: Map<string, Unit>
  streets: PinyinMatcher<Unit>
  communities: PinyinMatcher<Unit>
}

const cache = new WeakMap<ReferenceData, Index>()

function indexOf(data: ReferenceData): Index {
  let ix = cache.get(data)
  if (ix) return ix
  const parents = new Set(data.categories.map((c) => c.parent).filter((p) => p != null))
  const byCode = new Map(data.categories.map((c) => [c.code, c]))
  const leavesUnder = new Map<string, Category[]>()
  for (const c of data.categories) {
    if (parents.has(c.code) || !c.active) continue
    for (let p: Category | undefined = c; p; p = p.parent ? byCode.get(p.parent) : undefined) {
      const list = leavesUnder.get(p.code) ?? []
      list.push(c)
      leavesUnder.set(p.code, list)
    }
  }
  const active = data.units.filter((u) => u.active)
  ix = {
    byCode,
    leavesUnder,
    units: new Map(data.units.map((u) => [u.code, u])),
    streets: new PinyinMatcher(active.filter((u) => u.type === 'street' || u.type === 'town')),
    communities: new PinyinMatcher(active.filter((u) => u.type === 'community')),
  }
  cache.set(data, ix)
  return ix
}

const nameIn = (e: { name: string; nameEn: string }, lang: Lang) =>
  lang === 'en' ? e.nameEn : e.name

/** `生态环境 › 噪音扰民 › 建筑施工噪音`; the code itself when unknown. */
export function categoryFullPath(names: Names, code: string, lang: Lang): string {
  const path = categoryPath(names.data.categories, code)
  return path.length ? path.map((c) => nameIn(c, lang)).join(' › ') : code
}

function categoryOption(names: Names, c: Category, lang: Lang): PickerOption {
  const path = categoryPath(names.data.categories, c.code).slice(0, -1)
  return {
    code: c.code,
    label: nameIn(c, lang),
    path: path.map((p) => nameIn(p, lang)).join(' › '),
    detail: c.code,
  }
}

/**
 * Leaf categories for a query: a matched leaf itself, a matched branch its leaves. Exact matches
 * come first, then prefixes, then the rest — a branch's leaves just after the leaves that match
 * as well as the branch did — so no exact match is pushed past the list's end by a long branch.
 */
export function categoryOptions(names: Names, q: string, lang: Lang, limit = 12): PickerOption[] {
  const ix = indexOf(names.data)
  const ranked: { leaf: Category; tier: number; at: number }[] = []
  const seen = new Set<string>()
  names.categories.searchRanked(q, 80).forEach(({ item, tier }, at) => {
    const leaves = ix.leavesUnder.get(item.code) ?? []
    const direct = leaves.length === 1 && leaves[0]!.code === item.code
    for (const leaf of leaves) {
      if (seen.has(leaf.code)) continue
      seen.add(leaf.code)
      ranked.push({ leaf, tier: direct ? tier : tier + 0.5, at })
    }
  })
  ranked.sort((a, b) => a.tier - b.tier || a.at - b.at)
  return ranked.slice(0, limit).map((r) => categoryOption(names, r.leaf, lang))
}

export const isLeaf = (names: Names, code: string): boolean =>
  indexOf(names.data)
    .leavesUnder.get(code)
    ?.some((c) => c.code === code) ?? false

export const categoryHints = (names: Names, code: string) => indexOf(names.data).byCode.get(code)

export function districtOptions(names: Names, q: string, lang: Lang): PickerOption[] {
  const list = q.trim() ? names.districts.search(q, 12) : names.data.districts
  return list.map((d) => ({ code: d.code, label: nameIn(d, lang), detail: d.code }))
}

const unitOption = (names: Names, u: Unit, lang: Lang): PickerOption => ({
  code: u.code,
  label: nameIn(u, lang),
  detail: u.districts.length === 1 ? names.district(u.districts[0]!, lang) : u.code,
})

/** Street offices and towns, of the district when one is chosen. */
export function streetOptions(names: Names, q: string, district: string, lang: Lang) {
  const ix = indexOf(names.data)
  const pool = q.trim()
    ? ix.streets.search(q, 200)
    : [...ix.units.values()].filter((u) => isStreet(u) && u.active)
  return pool
    .filter((u) => !district || u.districts.includes(district))
    .slice(0, 30)
    .map((u) => unitOption(names, u, lang))
}

/** Communities of the street when one is chosen, else of the district. */
export function communityOptions(
  names: Names,
  q: string,
  place: { district: string; street: string },
  lang: Lang,
) {
  const ix = indexOf(names.data)
  const pool = q.trim()
    ? ix.communities.search(q, 200)
    : [...ix.units.values()].filter((u) => u.type === 'community' && u.active)
  return pool
    .filter((u) => (place.street ? u.parent === place.street : true))
    .filter((u) => !place.district || u.districts.includes(place.district))
    .slice(0, 30)
    .map((u) => unitOption(names, u, lang))
}

const isStreet = (u: Unit) => u.type === 'street' || u.type === 'town'

export const unitOf = (names: Names, code: string): Unit | undefined =>
  indexOf(names.data).units.get(code)

export function unitName(names: Names, code: string, lang: Lang): string {
  const u = unitOf(names, code)
  return u ? nameIn(u, lang) : code
}

export function districtName(names: Names, code: string, lang: Lang): string {
  return code ? names.district(code, lang) : ''
}
