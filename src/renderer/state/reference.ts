// Reference data as the screens need it: names by code in both languages, and matchers for
// type-ahead by Chinese, pinyin or initials.
import type { ReferenceData, Unit } from '../../shared/reference'
import { PinyinMatcher } from '../../shared/pinyin'
import type { Lang } from '../../shared/validation'

export interface Names {
  data: ReferenceData
  unit(code: string | null, lang: Lang): string
  category(code: string, lang: Lang): string
  district(code: string | null, lang: Lang): string
  units: PinyinMatcher<Unit>
  categories: PinyinMatcher<{ code: string; name: string; nameEn: string }>
  districts: PinyinMatcher<{ code: string; name: string; nameEn: string }>
}

/**
 * Where a ticket is, as people say it: district, street (街道/镇), community (社区/村) and the
 * address, in that order, without the parts it lacks.
 */
export function placeText(
  names: Names | null,
  loc: {
    district: string | null
    street: string | null
    community: string | null
    address: string
  },
  lang: Lang,
): string {
  const codes = [
    names && loc.district ? names.district(loc.district, lang) : loc.district,
    names && loc.street ? names.unit(loc.street, lang) : loc.street,
    names && loc.community ? names.unit(loc.community, lang) : loc.community,
  ]
  return [...codes, loc.address].filter(Boolean).join(' · ')
}

export function buildNames(data: ReferenceData): Names {
  const pick = <T extends { name: string; nameEn: string }>(m: Map<string, T>) => {
    return (code: string | null, lang: Lang) => {
      if (!code) return '—'
      const e = m.get(code)
      return e ? (lang === 'en' ? e.nameEn : e.name) : code
    }
  }
  return {
    data,
    unit: pick(new Map(data.units.map((u) => [u.code, u]))),
    category: pick(new Map(data.categories.map((c) => [c.code, c]))) as Names['category'],
    district: pick(new Map(data.districts.map((d) => [d.code, d]))),
    units: new PinyinMatcher(data.units.filter((u) => u.active)),
    categories: new PinyinMatcher(data.categories),
    districts: new PinyinMatcher(data.districts),
  }
}
