// Reference data as the screens need it: names by code in both languages, and matchers for
// type-ahead by Chinese, pinyin or initials.
import { WorkCalendar } from '../../shared/calendar'
import type { ReferenceData, Unit } from '../../shared/reference'
import { PinyinMatcher } from '../../shared/pinyin'
import { categoriesWithWords } from '../../shared/triage-index'
import type { Lang } from '../../shared/validation'

export interface Names {
  data: ReferenceData
  /** The working calendar, built once per reference version. */
  calendar: WorkCalendar
  unit(code: string | null, lang: Lang): string
  category(code: string, lang: Lang): string
  district(code: string | null, lang: Lang): string
  /** The name an admin gave the console with this label (a seat), or null. */
  seat(label: string): string | null
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
  const names: Names = {
    data,
    calendar: new WorkCalendar(data.calendar),
    unit: pick(new Map(data.units.map((u) => [u.code, u]))),
    category: pick(new Map(data.categories.map((c) => [c.code, c]))) as Names['category'],
    district: pick(new Map(data.districts.map((d) => [d.code, d]))),
    seat: (() => {
      const seats = new Map((data.seats ?? []).map((s) => [s.console, s.name]))
      return (label: string) => seats.get(label) ?? null
    })(),
    units: new PinyinMatcher(data.units.filter((u) => u.active)),
    categories: new PinyinMatcher(categoriesWithWords(data), { aliasPinyin: false }),
    districts: new PinyinMatcher(data.districts),
  }
  warmInIdleTime([names.districts, names.categories, names.units])
  return names
}

/**
 * Pinyin for a thousand units and committees takes a while: it is worked out in slices when
 * the page is idle, so neither the start nor the first pinyin query waits for it.
 */
function warmInIdleTime(matchers: { warm(budgetMs: number): boolean }[]) {
  // Only where the page has idle callbacks (the renderer); tests and Node search on demand.
  const idle = (
    globalThis as {
      requestIdleCallback?: (fn: () => void, options?: { timeout: number }) => number
    }
  ).requestIdleCallback
  if (!idle) return
  const step = () => {
    if (matchers.some((m) => !m.warm(8))) idle(step, { timeout: 2000 })
  }
  idle(step, { timeout: 2000 })
}
