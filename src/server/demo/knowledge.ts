// Demo knowledge base (issue 15): about 200 entries for Zhenjiang from the tables in
// knowledge-topics.ts — the city-wide topics, each district's service hall, each utility's
// services and the bus lines — each owned by a unit of the reference data, with review-by dates
// spread over the coming year, a few past review and a few expired, a few drafts and retired
// ones, and two units' proposals waiting in the review queue.
import type { KbEntryInput, KbStatus } from '../../shared/knowledge'
import { cityDate } from '../../shared/knowledge'
import { uuidv7 } from '../../shared/ids'
import type { ReferenceData } from '../../shared/reference'
import type { Store } from '../store'
import {
  BUS_LINES,
  DISTRICTS,
  HALL_SERVICES,
  PROVIDERS,
  TOPICS,
  UTILITY_SERVICES,
} from './knowledge-topics'

const DAY = 86_400_000
const HALL_UNIT_SUFFIX = ['', '-HRSS', '', '-SAMR', '-CA', '-EDU', '-UM', '-PSB', '', '-CA']

export interface DemoEntry {
  input: KbEntryInput
  status: KbStatus
}

/** The demo entries, deterministic for a given `nowMs` (dates are relative to it). */
export function demoKnowledge(reference: ReferenceData, nowMs: number): DemoEntry[] {
  const units = new Set(reference.units.map((u) => u.code))
  const categories = new Set(reference.categories.map((c) => c.code))
  const unitOr = (code: string, fallback: string) => (units.has(code) ? code : fallback)
  const raw: Array<Omit<KbEntryInput, 'validFrom' | 'validUntil' | 'reviewBy'>> = []

  for (const t of TOPICS)
    raw.push({
      title: t.t,
      questions: t.q,
      answer: t.a,
      categories: t.c,
      keywords: t.k,
      unit: t.u,
      source: t.s ? { name: t.s[0], number: t.s[1], url: null } : null,
    })
  for (const d of DISTRICTS)
    HALL_SERVICES.forEach((h, i) => {
      const suffix = HALL_UNIT_SUFFIX[i] ?? ''
      raw.push({
        title: `${d.name}${h.t}`,
        questions: h.q.map((q) => `${d.name}${q}`),
        answer: `**${d.hall}**\n\n${h.a}`,
        categories: h.c,
        keywords: [...h.k, d.name],
        unit: unitOr(`${d.unit}${suffix}`, d.unit),
        source: null,
      })
    })
  for (const p of PROVIDERS)
    for (const s of UTILITY_SERVICES[p.kind]) {
      const name = reference.units.find((u) => u.code === p.unit)?.name ?? p.unit
      raw.push({
        title: `${s.t}（${p.area}）`,
        questions: s.q,
        answer: `${s.a}\n\n服务单位：${name}。`,
        categories: [s.cat],
        keywords: [...s.k, p.area],
        unit: p.unit,
        source: null,
      })
    }
  for (const [line, from, to, first, last] of BUS_LINES)
    raw.push({
      title: `${line} 路公交首末班时间`,
      questions: [`${line}路几点有车`, `${line}路末班车几点`, `${line}路公交线路`],
      answer: `${line} 路：**${from} ⇄ ${to}**。首班 **${first}**，末班 **${last}**（冬季末班提前 30 分钟）。\n\n实时到站可查“镇江公交”App 或微信公众号。`,
      categories: ['0204'],
      keywords: ['公交', `${line}路`, from, to],
      unit: 'CITY-TRANS',
      source: null,
    })

  return raw.map((e, i) => {
    const reviewIn = 30 + ((i * 53) % 360)
    const pastReview = i % 23 === 7
    const expired = i % 41 === 9
    const status: KbStatus = i % 67 === 20 ? 'retired' : i % 31 === 11 ? 'draft' : 'published'
    return {
      status,
      input: {
        ...e,
        categories: e.categories.filter((c) => categories.has(c)),
        validFrom: cityDate(nowMs - (200 + (i % 300)) * DAY),
        validUntil: expired ? cityDate(nowMs - (10 + (i % 40)) * DAY) : null,
        reviewBy: cityDate(nowMs + (pastReview ? -(15 + (i % 45)) : reviewIn) * DAY),
      },
    }
  })
}

/** Loads the demo knowledge base into an empty one; answers how many entries it wrote. */
export async function seedDemoKnowledge(
  store: Store,
  reference: ReferenceData,
  nowMs = Date.now(),
): Promise<number> {
  if ((await store.knowledge.list({})).length > 0) return 0
  const by = (await store.accounts.userByUsername('supervisor1'))?.id ?? 'demo'
  const unitHf = (await store.accounts.userByUsername('unit-CITY-HF'))?.id ?? by
  const entries = demoKnowledge(reference, nowMs)
  const at = new Date(nowMs).toISOString()
  for (const [i, e] of entries.entries())
    await store.knowledge.create(
      uuidv7(nowMs - (entries.length - i) * 1000),
      e.input,
      e.status,
      by,
      at,
    )
  // Two proposals waiting for a supervisor: an edit and a new entry.
  const hf = entries.find((e) => e.input.unit === 'CITY-HF' && e.status === 'published')
  const hfEntry =
    hf && (await store.knowledge.list({ unit: 'CITY-HF' })).find((x) => x.title === hf.input.title)
  if (hfEntry)
    await store.knowledge.propose({
      id: uuidv7(nowMs),
      entryId: hfEntry.id,
      baseVersion: hfEntry.version,
      unit: 'CITY-HF',
      entry: {
        ...hf.input,
        answer: `${hf.input.answer}\n\n2026 年起，退休提取可在“镇江公积金”App 刷脸办理，无需到窗口。`,
      },
      note: '补充退休提取的线上办理方式',
      by: unitHf,
      at,
    })
  return entries.length
}
