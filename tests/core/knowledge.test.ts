// The knowledge base in the console cache (issue 15), over the demo's ~200 entries: search by a
// word of the title (公积金), its initials (gjj), its pinyin, the words in another order
// (提取公积金), one and two characters, keywords; expired entries never offered while typing and
// shown last, marked, in search; the feed's pages replace and drop entries; answering from an
// entry records its id and version on the timeline event.
import { describe, expect, it } from 'vitest'
import { kbQueryPlan } from '../../src/shared/knowledge-rank'
import type { KbEntry } from '../../src/shared/knowledge'
import { demoKnowledge } from '../../src/server/demo/knowledge'
import { loadReferenceData } from '../../src/server/reference-files'
import { actors, created, draft, T0 } from '../helpers/workflow'
import { act, openStore } from './helpers'

const NOW = Date.parse('2026-12-06T10:00:00+08:00')
const reference = await loadReferenceData()
const ENTRIES: KbEntry[] = demoKnowledge(reference, NOW).map((e, i) => ({
  id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
  ...e.input,
  status: e.status,
  version: 1,
  updatedAt: new Date(NOW).toISOString(),
  updatedBy: null,
}))
const HOUSING_FUND = '住房公积金提取（购房、租房、退休）'

function loaded() {
  const store = openStore()
  store.knowledge().load(ENTRIES.filter((e) => e.status === 'published'))
  return store
}
const search = (store: ReturnType<typeof openStore>, q: string, limit = 5) =>
  store.knowledge().search(q, { mode: 'search', limit, nowMs: NOW })
const titles = (hits: Array<{ title: string }>) => hits.map((h) => h.title)

describe('knowledge search in the console cache', () => {
  it('finds the housing-fund withdrawal entry from 公积金, gjj, gongjijin and 提取公积金', () => {
    const store = loaded()
    for (const q of ['公积金', 'gjj', 'gongjijin', '提取公积金', '公积金 提取', 'GJJ'])
      expect(titles(search(store, q)), q).toContain(HOUSING_FUND)
    // The title's own words rank the entry first.
    expect(search(store, '公积金提取')[0]!.title).toBe(HOUSING_FUND)
    expect(search(store, '提取公积金')[0]!.title).toBe(HOUSING_FUND)
  })

  it('answers one- and two-character words, title above question forms above the answer', () => {
    const store = loaded()
    const dog = search(store, '狗', 10)
    expect(dog.length).toBeGreaterThan(0)
    expect(dog.every((h) => h.score > 0)).toBe(true)
    expect(titles(dog)).toContain('养犬登记与年检')
    const gas = search(store, '燃气', 50)
    // Entries with 燃气 in the title come before those that have it only in the answer.
    const firstBody = gas.findIndex((h) => h.matched === 'answer')
    const lastTitle = gas.map((h) => h.matched).lastIndexOf('title')
    expect(firstBody === -1 || firstBody > lastTitle).toBe(true)
    expect(gas[0]!.matched).toBe('title')
    // 低保 only as a keyword / title word.
    expect(titles(search(store, '低保'))[0]).toMatch(/低保/)
  })

  it('finds by keyword and by a question form a caller would say', () => {
    const store = loaded()
    expect(titles(search(store, '95598'))).toContain('停电查询与抢修（镇江市区）')
    expect(titles(search(store, '身份证丢了'))).toContain('居民身份证办理、补领与换领')
  })

  it('never offers expired entries while typing, and shows them last, marked, in search', () => {
    const store = loaded()
    const expired = ENTRIES.find(
      (e) => e.status === 'published' && e.validUntil && e.validUntil < '2026-12-06',
    )!
    expect(expired).toBeTruthy()
    const hits = search(store, expired.title, 20)
    const hit = hits.find((h) => h.id === expired.id)!
    expect(hit).toMatchObject({ answerable: false, validity: 'expired' })
    expect(hits.indexOf(hit)).toBe(hits.length - 1)
    const suggested = store.knowledge().search(`我想问${expired.title}`, {
      mode: 'suggest',
      limit: 20,
      nowMs: NOW,
    })
    expect(suggested.map((h) => h.id)).not.toContain(expired.id)
    expect(suggested.every((h) => h.answerable)).toBe(true)
  })

  it('suggests the entry from a caller’s description as it is typed', () => {
    const store = loaded()
    const s = (d: string) => store.knowledge().search(d, { mode: 'suggest', limit: 5, nowMs: NOW })
    expect(titles(s('来电人咨询公积金怎么提取，准备租房'))[0]).toBe(HOUSING_FUND)
    expect(titles(s('家里闻到煤气味，燃气泄漏了怎么办'))[0]).toMatch(/燃气泄漏应急处置/)
    expect(s('今天天气不错')).toEqual([])
  })

  it('applies feed pages: a new version replaces the old, a removed entry is gone', () => {
    const store = loaded()
    const kb = store.knowledge()
    const e = ENTRIES.find((x) => x.title === HOUSING_FUND)!
    kb.apply({
      cursor: 42,
      hasMore: false,
      entries: [{ ...e, version: 2, title: '公积金提取办理指南' }],
      removed: [],
    })
    expect(kb.cursor()).toBe(42)
    expect(kb.get(e.id)!.version).toBe(2)
    expect(titles(search(store, '办理指南'))).toEqual(['公积金提取办理指南'])
    kb.apply({ cursor: 43, hasMore: false, entries: [], removed: [e.id] })
    expect(kb.get(e.id)).toBeNull()
    expect(titles(search(store, 'gjj'))).not.toContain('公积金提取办理指南')
  })

  it('plans no lookup for an empty or punctuation-only query', () => {
    expect(kbQueryPlan('  ，。', 'search').grams).toEqual([])
    expect(loaded().knowledge().search('？', { mode: 'search', limit: 5, nowMs: NOW })).toEqual([])
  })
})

describe('answering from an entry', () => {
  it('records the entry id and version on the timeline event', () => {
    const store = openStore()
    const c = created(T0)
    act(store, { name: 'ticket.create', args: { ticket: draft(c.ticket.id) } }, actors.agent, T0)
    const kb = { entryId: ENTRIES[0]!.id, version: 3 }
    act(
      store,
      { name: 'ticket.answer', args: { ticketId: c.ticket.id, text: ENTRIES[0]!.answer, kb } },
      actors.agent,
      T0 + 60_000,
    )
    const t = store.ticket(c.ticket.id)!
    expect(t.ticket.status).toBe('closed')
    const answered = t.events.find((e) => e.type === 'answered')!
    expect(answered.data).toMatchObject({ kb, text: ENTRIES[0]!.answer })

    // The measures count it: one call answered on the call, from that entry.
    const kbc = store.knowledge()
    kbc.load([ENTRIES[0]!])
    // Typed as one search (公积, then 公积金) and opened; another found nothing.
    kbc.record('search', '找不到的问题', null, T0 - 600_000)
    kbc.record('search', '公积', null, T0)
    kbc.record('search', '公积金', null, T0 + 1000)
    kbc.record('open', '公积金', ENTRIES[0]!, T0 + 5000)
    const s = kbc.stats(T0 - 3_600_000, T0 + 3_600_000, T0)
    expect(s).toMatchObject({
      answered: 1,
      answeredFromKb: 1,
      used: [{ id: kb.entryId, title: ENTRIES[0]!.title, answers: 1 }],
      searches: 2,
      searchesUnopened: 1,
      unfound: [{ query: '找不到的问题', count: 1 }],
    })
  })
})
