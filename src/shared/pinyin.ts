// Pinyin keys and a small matcher, so an agent finds a category or a unit by typing `jkq`,
// `jingkou`, `京口`, a code or a few English letters. Pure: no Node, no DOM.
import { pinyin } from 'pinyin-pro'

export interface PinyinKeys {
  /** Full pinyin of the most likely reading, no tones or spaces, lower case: `jingkouqu`. */
  full: string
  /** First letters of the same reading: `jkq`. */
  initials: string
  /** Every full-pinyin reading kept (the main one first), for polyphonic characters. */
  fullVariants: string[]
  /** Every initials string kept (the main one first), for polyphonic characters. */
  initialsVariants: string[]
}

/** How many readings of one name are kept at most (polyphonic characters multiply them). */
const MAX_VARIANTS = 8

const HAN = /\p{Script=Han}/u
const ALNUM = /^[\p{L}\p{N}]$/u

/** Readings of single characters (`multiple` mode), toneless, `ü` as `v`; built lazily. */
const readingCache = new Map<string, string[]>()

function readingsOf(ch: string): string[] {
  let r = readingCache.get(ch)
  if (!r) {
    const raw = pinyin(ch, { toneType: 'none', type: 'array', multiple: true, v: true })
    r = [...new Set(raw.map((s) => s.toLowerCase()).filter((s) => /^[a-z]+$/.test(s)))]
    readingCache.set(ch, r)
  }
  return r
}

/** One slot of a name: the main reading first, then alternatives (`lv` also as `lu`). */
function slotReadings(main: string, ch: string): string[] {
  const out = [main]
  for (const alt of readingsOf(ch)) if (!out.includes(alt)) out.push(alt)
  for (const r of [...out]) {
    const u = r.replace(/v/g, 'u')
    if (u !== r && !out.includes(u)) out.push(u)
  }
  return out
}

/**
 * Combinations of per-slot readings, the main one first, then those that differ from it in one
 * slot, then in two, …, stopping at `cap`.
 */
function combos(slots: string[][], cap: number): string[] {
  const choices = slots.map((s) => [...new Set(s)])
  const main = choices.map((c) => c[0] ?? '')
  const seen = new Set<string>([main.join('')])
  const out = [main.join('')]
  const poly = choices.map((c, i) => (c.length > 1 ? i : -1)).filter((i) => i >= 0)
  // Breadth-first over "how many slots differ from the main reading".
  let frontier: { parts: string[]; from: number }[] = [{ parts: main, from: 0 }]
  while (frontier.length > 0 && out.length < cap) {
    const next: { parts: string[]; from: number }[] = []
    for (const { parts, from } of frontier) {
      for (let k = from; k < poly.length; k++) {
        const slot = poly[k]!
        for (const alt of choices[slot]!.slice(1)) {
          const p = parts.slice()
          p[slot] = alt
          const s = p.join('')
          if (!seen.has(s)) {
            seen.add(s)
            out.push(s)
            if (out.length >= cap) return out
          }
          next.push({ parts: p, from: k + 1 })
        }
      }
    }
    frontier = next
  }
  return out
}

/**
 * Pinyin keys of a name. Chinese characters become toneless pinyin (context decides the main
 * reading: 镇江 zhenjiang, 长江 changjiang); letters and digits are kept, lower-cased; the rest
 * (spaces, brackets, punctuation) is dropped. Polyphonic characters add alternative readings,
 * capped at a few.
 */
export function pinyinKeys(name: string): PinyinKeys {
  const chars = Array.from(name)
  let mains: string[] = pinyin(name, { toneType: 'none', type: 'array', v: true })
  if (mains.length !== chars.length) {
    // Should not happen (one item a character in `spaced` mode); fall back to one at a time.
    mains = chars.map((ch) =>
      HAN.test(ch) ? (pinyin(ch, { toneType: 'none', type: 'array', v: true })[0] ?? ch) : ch,
    )
  }
  const slots: string[][] = []
  const initialSlots: string[][] = []
  let word = ''
  const flushWord = () => {
    if (word) {
      slots.push([word])
      initialSlots.push([word])
      word = ''
    }
  }
  chars.forEach((ch, i) => {
    const main = (mains[i] ?? '').toLowerCase()
    if (HAN.test(ch) && /^[a-z]+$/.test(main)) {
      flushWord()
      const readings = slotReadings(main, ch)
      slots.push(readings)
      initialSlots.push(readings.map((r) => r.charAt(0)))
    } else if (ALNUM.test(ch)) {
      word += ch.toLowerCase()
    } else {
      flushWord()
    }
  })
  flushWord()
  const fullVariants = combos(slots, MAX_VARIANTS)
  const initialsVariants = combos(initialSlots, MAX_VARIANTS)
  return {
    full: fullVariants[0] ?? '',
    initials: initialsVariants[0] ?? '',
    fullVariants,
    initialsVariants,
  }
}

// --- Matcher -----------------------------------------------------------------------------------

export interface MatchEntry {
  code: string
  name: string
  nameEn?: string
  /** Other names people use (经开区 for 镇江新区, 天然气 for 燃气): found like the name, after it. */
  aliases?: readonly string[]
}

/** How a key matched: exact, prefix, substring (lower ranks first). */
const EXACT = 0
const PREFIX = 1
const SUBSTRING = 2
const NO_MATCH = -1

/** Which key matched; lower ranks first within a tier. */
const Field = {
  name: 0,
  alias: 1,
  code: 2,
  initials: 3,
  aliasInitials: 4,
  full: 5,
  aliasFull: 6,
  english: 7,
} as const

interface Indexed<T> {
  item: T
  order: number
  name: string
  nameLength: number
  code: string
  en: string
  fulls: string[]
  initials: string[]
  aliases: string[]
  aliasFulls: string[]
  aliasInitials: string[]
  /** Every ASCII key joined, to reject most entries with a single `includes`. */
  haystack: string
}

const SEP = '\n'

function tierOf(key: string, q: string): number {
  if (key === q) return EXACT
  const at = key.indexOf(q)
  if (at < 0) return NO_MATCH
  return at === 0 ? PREFIX : SUBSTRING
}

/**
 * Finds entries by Chinese substring, full pinyin (prefix or substring, spaces and case ignored),
 * pinyin initials (prefix or substring), code prefix or English substring. Build once, search
 * often. Ranking: exact before prefix before substring; within a tier name, code, initials, full
 * pinyin, English; then shorter names; then the order the entries were given in.
 */
export class PinyinMatcher<T extends MatchEntry> {
  private readonly entries: Indexed<T>[]
  /** Entries whose pinyin is worked out: the first `pinyinDone`. */
  private pinyinDone = 0

  /**
   * `aliasPinyin: false` finds aliases by Chinese only (a category's many colloquial words);
   * districts keep it, so `jkq` finds 经开区 too.
   */
  constructor(
    items: readonly T[],
    private readonly options: { aliasPinyin?: boolean } = {},
  ) {
    // Pinyin is worked out on the first query that needs it (letters, a code, English): a
    // Chinese query never does, and a thousand names take a noticeable while.
    this.entries = items.map((item, order) => ({
      item,
      order,
      name: item.name.toLowerCase(),
      nameLength: Array.from(item.name).length,
      code: item.code.toLowerCase(),
      en: (item.nameEn ?? '').toLowerCase().replace(/\s+/g, ' ').trim(),
      fulls: [],
      initials: [],
      aliases: (item.aliases ?? []).map((a) => a.toLowerCase()),
      aliasFulls: [],
      aliasInitials: [],
      haystack: '',
    }))
  }

  private ensurePinyin(): void {
    this.warm(Infinity)
  }

  /**
   * Works out pinyin for up to `budgetMs` of time; true when every entry has it. A screen calls
   * it in idle moments, so the first pinyin query does not pay for all entries at once.
   */
  warm(budgetMs: number): boolean {
    const until = Date.now() + budgetMs
    const withAliases = this.options.aliasPinyin !== false
    while (this.pinyinDone < this.entries.length) {
      const e = this.entries[this.pinyinDone++]!
      const keys = pinyinKeys(e.item.name)
      e.fulls = keys.fullVariants
      e.initials = keys.initialsVariants
      if (withAliases) {
        // One reading per alias: its main reading is the one people type.
        const aliasKeys = e.aliases.map((a) => pinyinKeys(a))
        e.aliasFulls = aliasKeys.map((k) => k.full).filter(Boolean)
        e.aliasInitials = aliasKeys.map((k) => k.initials).filter(Boolean)
      }
      e.haystack = [
        e.code,
        e.en,
        ...e.fulls,
        ...e.initials,
        ...e.aliasFulls,
        ...e.aliasInitials,
      ].join(SEP)
      if (Date.now() >= until) break
    }
    return this.pinyinDone >= this.entries.length
  }

  get size(): number {
    return this.entries.length
  }

  search(query: string, limit = 20): T[] {
    return this.searchRanked(query, limit).map((h) => h.item)
  }

  /**
   * Like `search`, with how each entry matched: `tier` 0 exact, 1 prefix, 2 substring — so a
   * caller merging lists (leaves under a matched branch) can keep exact matches first.
   */
  searchRanked(query: string, limit = 20): { item: T; tier: number }[] {
    const q = query.trim().toLowerCase().replace(/\s+/g, ' ')
    if (!q || limit <= 0) return []
    const compact = q.replace(/ /g, '')
    const hasHan = HAN.test(q)
    // Pinyin with the digits a name has in it (京口区12345热线分中心 → jkq12345rxfzx).
    const letters = /^(?=.*[a-z])[a-z0-9]+$/.test(compact)
    if (!hasHan) this.ensurePinyin()
    const hits: { e: Indexed<T>; score: number }[] = []

    for (const e of this.entries) {
      let best = Infinity
      const consider = (tier: number, field: number) => {
        if (tier >= 0) best = Math.min(best, tier * 10 + field)
      }
      consider(tierOf(e.name, q), Field.name)
      if (compact !== q) consider(tierOf(e.name, compact), Field.name)
      for (const a of e.aliases) consider(tierOf(a, compact), Field.alias)
      if (!hasHan && (e.haystack.includes(compact) || e.haystack.includes(q))) {
        if (e.code.startsWith(compact)) consider(tierOf(e.code, compact), Field.code)
        if (letters) {
          for (const k of e.initials) consider(tierOf(k, compact), Field.initials)
          for (const k of e.fulls) consider(tierOf(k, compact), Field.full)
          for (const k of e.aliasInitials) consider(tierOf(k, compact), Field.aliasInitials)
          for (const k of e.aliasFulls) consider(tierOf(k, compact), Field.aliasFull)
        }
        if (e.en) consider(tierOf(e.en, q), Field.english)
      }
      if (best !== Infinity) hits.push({ e, score: best })
    }

    hits.sort(
      (a, b) => a.score - b.score || a.e.nameLength - b.e.nameLength || a.e.order - b.e.order,
    )
    return hits.slice(0, limit).map((h) => ({ item: h.e.item, tier: Math.floor(h.score / 10) }))
  }
}
