// The lookups triage needs, built once per reference data set: every word, organisation name and
// place name in one table keyed by its first character, so finding all of them in a caller's
// words is one pass over the text (no regexes, no loop over thousands of words). Pure.
import type { ReferenceData, Unit } from './reference'
import { indexReference, type ReferenceIndex } from './reference-data'
import type { GazetteerPlace, Organisation } from './triage-data'

/** What a matched piece of text stands for. */
export type Hit =
  | { type: 'word'; category: string; weight: number }
  | { type: 'org'; org: Organisation }
  | { type: 'place'; place: PlaceRef }
  | { type: 'district'; district: string }

export interface PlaceRef {
  /** How the place is called where it was defined (中营街, 梦溪社区, 延陵镇). */
  name: string
  district: string
  street: string | null
  community: string | null
  /** 3 gazetteer, 2 a committee, 1 a street office or town: finer places are surer. */
  rank: number
}

export interface Match {
  start: number
  end: number
  text: string
  hit: Hit
}

export interface TriageIndex {
  ref: ReferenceIndex
  /** First character → patterns starting with it, longest first. */
  patterns: Map<string, { text: string; hit: Hit }[]>
  /** Leaf category → words (for the reasons: which words matched). */
  leaves: string[]
}

/** Full-width letters and digits to ASCII, lower case, no spaces: what callers' words look like. */
export function normalizeText(s: string): string {
  let out = ''
  for (const ch of s) {
    const c = ch.charCodeAt(0)
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0)
    else if (c === 0x3000 || ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue
    else out += ch
  }
  return out.toLowerCase()
}

/** A word's weight grows with its length: 水 means little, 夜间施工 much. */
export const wordWeight = (word: string): number => {
  const n = Array.from(word).length
  return n <= 1 ? 0.4 : n === 2 ? 1 : n === 3 ? 1.6 : 2.2
}

/** A weak word's weight: it tips a close call, it does not make one. */
export const WEAK = 0.4

const STREET_TYPES = new Set(['street', 'town'])

/** 延陵镇 → 延陵, 大港街道 → 大港: callers drop the ending; two characters at least stay. */
function shortStreet(name: string): string | null {
  const core = name.replace(/(街道|镇|乡)$/, '')
  return core !== name && Array.from(core).length >= 2 ? core : null
}

function unitPlace(u: Unit, ref: ReferenceIndex): PlaceRef | null {
  const district = u.districts.length === 1 ? u.districts[0]! : null
  if (!district) return null
  if (STREET_TYPES.has(u.type))
    return { name: u.name, district, street: u.code, community: null, rank: 1 }
  const parent = u.parent ? ref.units.get(u.parent) : undefined
  if (u.type === 'community' && parent && STREET_TYPES.has(parent.type))
    return { name: u.name, district, street: parent.code, community: u.code, rank: 2 }
  return null
}

function gazetteerPlace(p: GazetteerPlace): PlaceRef {
  return {
    name: p.name,
    district: p.district,
    street: p.street,
    community: p.community ?? null,
    rank: 3,
  }
}

const cache = new WeakMap<ReferenceData, TriageIndex>()

export function triageIndex(data: ReferenceData): TriageIndex {
  const found = cache.get(data)
  if (found) return found
  const ref = indexReference(data)
  const patterns = new Map<string, { text: string; hit: Hit }[]>()
  const seen = new Set<string>()
  const add = (raw: string, hit: Hit) => {
    const text = normalizeText(raw)
    if (!text) return
    // One pattern text, one meaning per type: the first definition wins (gazetteer before units).
    const key = `${hit.type}|${hit.type === 'word' ? hit.category : ''}|${text}`
    if (seen.has(key)) return
    seen.add(key)
    const first = text.charAt(0)
    const list = patterns.get(first)
    if (list) list.push({ text, hit })
    else patterns.set(first, [{ text, hit }])
  }

  const leaves: string[] = []
  for (const c of data.categories) {
    if (!c.active || !ref.isLeaf(c.code)) continue
    leaves.push(c.code)
    add(c.name, { type: 'word', category: c.code, weight: wordWeight(c.name) + 0.5 })
  }
  for (const k of data.triage?.keywords ?? []) {
    for (const w of k.words) add(w, { type: 'word', category: k.category, weight: wordWeight(w) })
    for (const w of k.weak ?? []) add(w, { type: 'word', category: k.category, weight: WEAK })
  }
  for (const org of data.triage?.organisations ?? [])
    for (const name of [org.name, ...org.aliases]) add(name, { type: 'org', org })
  for (const p of data.triage?.gazetteer ?? []) {
    const place = gazetteerPlace(p)
    for (const name of [p.name, ...(p.aliases ?? [])]) add(name, { type: 'place', place })
  }
  for (const u of data.units) {
    if (!u.active) continue
    const place = unitPlace(u, ref)
    if (!place) continue
    add(u.name, { type: 'place', place })
    const short = STREET_TYPES.has(u.type) ? shortStreet(u.name) : null
    if (short) add(short, { type: 'place', place })
  }
  for (const d of data.districts)
    for (const name of [d.name, ...(d.aliases ?? [])])
      add(name, { type: 'district', district: d.code })

  for (const list of patterns.values()) list.sort((a, b) => b.text.length - a.text.length)
  const index: TriageIndex = { ref, patterns, leaves }
  cache.set(data, index)
  return index
}

/**
 * Every pattern found in `text` (already normalized). A match lying inside a longer match of the
 * same type is dropped: 诈骗短信 is not also 诈骗, 金山湖花园 not also 金山.
 */
export function findMatches(index: TriageIndex, text: string): Match[] {
  const all: Match[] = []
  for (let i = 0; i < text.length; i++) {
    const list = index.patterns.get(text.charAt(i))
    if (!list) continue
    for (const p of list)
      if (text.startsWith(p.text, i))
        all.push({ start: i, end: i + p.text.length, text: p.text, hit: p.hit })
  }
  return all.filter(
    (m) =>
      !all.some(
        (o) =>
          o !== m &&
          o.hit.type === m.hit.type &&
          o.start <= m.start &&
          o.end >= m.end &&
          o.end - o.start > m.end - m.start,
      ),
  )
}

/**
 * Categories with the words callers use as aliases, for the category pickers: 天然气 finds 燃气's
 * leaves, 断网 宽带故障, 夜间施工 建筑施工噪音 — and an organisation's names find the matters it
 * handles (电信 the telecom leaves, not only 电信网络诈骗).
 */
export function categoriesWithWords(
  data: ReferenceData,
): (ReferenceData['categories'][number] & { aliases: string[] })[] {
  const words = new Map<string, string[]>()
  const add = (code: string, list: readonly string[]) =>
    words.set(code, [...(words.get(code) ?? []), ...list])
  for (const k of data.triage?.keywords ?? []) add(k.category, [...k.words, ...(k.weak ?? [])])
  for (const org of data.triage?.organisations ?? [])
    for (const c of data.categories)
      if (org.categories.some((p) => c.code.startsWith(p))) add(c.code, [org.name, ...org.aliases])
  return data.categories.map((c) => ({ ...c, aliases: [...new Set(words.get(c.code) ?? [])] }))
}
