import { describe, it, expect, beforeAll } from 'vitest'
import { loadReferenceData } from '../../src/server/reference-files'
import type { ReferenceData } from '../../src/shared/reference'
import { PinyinMatcher, pinyinKeys, type MatchEntry } from '../../src/shared/pinyin'

let data: ReferenceData
let units: PinyinMatcher<MatchEntry>
let categories: PinyinMatcher<MatchEntry>
let all: PinyinMatcher<MatchEntry>

beforeAll(async () => {
  data = await loadReferenceData()
  units = new PinyinMatcher(data.units)
  categories = new PinyinMatcher(data.categories)
  all = new PinyinMatcher<MatchEntry>([...data.districts, ...data.units, ...data.categories])
})

const names = (items: MatchEntry[]) => items.map((i) => i.name)

describe('pinyinKeys', () => {
  it('gives full pinyin and initials', () => {
    const k = pinyinKeys('京口区')
    expect(k.full).toBe('jingkouqu')
    expect(k.initials).toBe('jkq')
    expect(pinyinKeys('镇江市').full).toBe('zhenjiangshi')
  })

  it('reads polyphonic characters from context and keeps alternatives', () => {
    expect(pinyinKeys('长江路').full).toBe('changjianglu')
    const k = pinyinKeys('长')
    expect(k.fullVariants).toEqual(expect.arrayContaining(['chang', 'zhang']))
    expect(k.initialsVariants).toEqual(expect.arrayContaining(['c', 'z']))
    expect(pinyinKeys('行长').fullVariants.length).toBeLessThanOrEqual(8)
  })

  it('keeps letters and digits, drops punctuation', () => {
    const k = pinyinKeys('12345热线（镇江）')
    expect(k.full).toBe('12345rexianzhenjiang')
    expect(k.initials).toBe('12345rxzj')
  })
})

describe('PinyinMatcher', () => {
  it('finds 京口区 by initials and by full pinyin', () => {
    expect(names(all.search('jkq', 5))[0]).toBe('京口区')
    expect(names(all.search('jingkou', 10))).toContain('京口区')
    expect(names(all.search('Jing Kou', 10))).toContain('京口区')
  })

  it('finds 正东路街道 by zdl', () => {
    expect(names(units.search('zdl', 5))).toContain('正东路街道')
  })

  it('finds the noise categories by a Chinese substring', () => {
    const found = names(categories.search('噪音', 20))
    expect(found).toContain('噪音扰民')
    expect(found).toContain('建筑施工噪音')
    expect(found).toContain('邻里生活噪音')
    expect(found.every((n) => n.includes('噪音'))).toBe(true)
  })

  it('finds every category and every unit by its own initials', () => {
    for (const [matcher, entries] of [
      [categories, data.categories],
      [units, data.units],
    ] as const) {
      for (const e of entries) {
        const found = matcher.search(pinyinKeys(e.name).initials, 100)
        expect(found, `${e.code} ${e.name}`).toContain(e)
      }
    }
  })

  it('finds by code prefix and by English substring', () => {
    expect(units.search('CITY-U', 5).map((u) => u.code)).toContain('CITY-UM')
    expect(categories.search('0301', 10).map((c) => c.code)).toContain('030101')
    expect(names(categories.search('gas leak', 5))).toContain('燃气泄漏')
    expect(names(units.search('urban management', 50))).toContain('京口区城市管理局')
  })

  it('ranks exact before prefix before substring, shorter names first', () => {
    const m = new PinyinMatcher([
      { code: 'a', name: '大港街道' }, // initials dgjd: `dg` is a prefix
      { code: 'b', name: '丁岗镇' }, // dgz: prefix, shorter
      { code: 'c', name: '金丹港' }, // jdg: substring
      { code: 'd', name: '东港' }, // dg: exact
    ])
    expect(m.search('dg', 10).map((e) => e.code)).toEqual(['d', 'b', 'a', 'c'])
  })

  it('returns nothing for no match, an empty query or a zero limit', () => {
    expect(all.search('xyzzyq', 10)).toEqual([])
    expect(all.search('   ', 10)).toEqual([])
    expect(all.search('jkq', 0)).toEqual([])
  })

  it('respects the limit', () => {
    expect(all.search('j', 3)).toHaveLength(3)
  })
})
