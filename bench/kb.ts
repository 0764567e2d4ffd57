// Benchmark of knowledge-base search in the console cache (issue 15, DESIGN.md §8): 20,000
// entries — the demo's ~200 topics, each varied a hundred ways (district, year, a numbered
// variant, shuffled question forms) — loaded through the feed's apply path, then searches by
// query kind (1, 2 and 3+ Chinese characters, pinyin initials and full pinyin) and suggestions
// from callers' descriptions, p50/p95 over 200 runs each, beside the raw SQLite query doing the
// plainest version of the same work: a substring scan over title, questions, keywords and answer
// (`instr`, LIMIT 20, no ranking) — what a console without the indexes would run.
// Run: npm run bench:kb (ENTRIES=5000 for a quicker run).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalStore } from '../src/core/db'
import { demoKnowledge } from '../src/server/demo/knowledge'
import type { KbEntry } from '../src/shared/knowledge'
import { loadReference } from './core-fixtures'

const COUNT = Number(process.env.ENTRIES ?? 20_000)
const RUNS = 200
const NOW = Date.parse('2026-12-06T10:00:00+08:00')

function timeIt(fn: () => unknown, runs = RUNS): { p50: number; p95: number } {
  for (let i = 0; i < 10; i++) fn()
  const t: number[] = []
  for (let i = 0; i < runs; i++) {
    const s = process.hrtime.bigint()
    fn()
    t.push(Number(process.hrtime.bigint() - s) / 1e6)
  }
  t.sort((a, b) => a - b)
  return { p50: t[Math.floor(runs * 0.5)]!, p95: t[Math.floor(runs * 0.95)]! }
}

const PLACES = ['京口区', '润州区', '丹徒区', '镇江新区', '丹阳市', '扬中市', '句容市', '市区']
const base = demoKnowledge(loadReference(), NOW)
function* entries(): Generator<KbEntry> {
  for (let i = 0; i < COUNT; i++) {
    const b = base[i % base.length]!
    const v = Math.floor(i / base.length)
    const place = PLACES[v % PLACES.length]!
    const year = 2020 + (v % 7)
    yield {
      id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
      ...b.input,
      title: v === 0 ? b.input.title : `${b.input.title}（${place}·${year}版·${v}）`,
      questions: b.input.questions.map((q, j) => (j === v % 3 ? `${place}${q}` : q)),
      answer: `${b.input.answer}\n\n适用范围：${place}，${year} 年起执行。`,
      status: 'published',
      version: 1,
      updatedAt: new Date(NOW).toISOString(),
      updatedBy: null,
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'hl-bench-kb-'))
const store = LocalStore.open(dir, { synchronous: 'normal' })
const kb = store.knowledge()
const t0 = Date.now()
let page: KbEntry[] = []
let cursor = 0
for (const e of entries()) {
  page.push(e)
  if (page.length === 500) {
    kb.apply({ cursor: ++cursor, hasMore: true, entries: page, removed: [] })
    page = []
  }
}
if (page.length) kb.apply({ cursor: cursor + 1, hasMore: false, entries: page, removed: [] })
console.log(
  `kb: ${kb.count().toLocaleString()} entries loaded through the feed in ${((Date.now() - t0) / 1000).toFixed(1)} s (cache ${dir})`,
)

const raw = store.db.prepare(
  `SELECT id FROM kb_entries WHERE instr(title, ?) > 0 OR instr(questions, ?) > 0
     OR instr(keywords, ?) > 0 OR instr(answer, ?) > 0 OR instr(pinyin, ?) > 0 LIMIT 20`,
)
const QUERIES: Array<[string, string[]]> = [
  ['1 char', ['水', '狗', '税', '电', '房']],
  ['2 chars', ['公积', '低保', '停电', '落户', '噪音']],
  ['3+ chars', ['公积金', '提取公积金', '居住证', '燃气泄漏', '阶梯电价']],
  ['initials', ['gjj', 'jzz', 'db', 'rqxl', 'hyd']],
  ['pinyin', ['gongjijin', 'juzhuzheng', 'tingdian', 'dibao', 'ranqi']],
]
const f2 = (n: number) => n.toFixed(2).padStart(7)
console.log('\nsearch (20 best, ranked)        p50 ms   p95 ms | raw instr scan p50   p95 | hits')
for (const [kind, qs] of QUERIES) {
  let i = 0
  let hits = 0
  const ours = timeIt(() => {
    const q = qs[i++ % qs.length]!
    hits = kb.search(q, { mode: 'search', limit: 20, nowMs: NOW }).length
  })
  let j = 0
  const base2 = timeIt(() => {
    const q = qs[j++ % qs.length]!
    raw.all(q, q, q, q, q)
  })
  console.log(
    `${kind.padEnd(30)} ${f2(ours.p50)}  ${f2(ours.p95)} |          ${f2(base2.p50)} ${f2(base2.p95)} | ${hits}`,
  )
}
const DESCRIPTIONS = [
  '来电人准备租房，想问公积金怎么提取',
  '家里闻到煤气味，燃气泄漏了怎么办',
  '孩子刚出生，要上户口，需要什么材料',
  '楼上装修太吵了，晚上还在施工',
  '想问一下 12 路公交末班车几点',
]
let k = 0
const suggest = timeIt(() => {
  kb.search(DESCRIPTIONS[k++ % DESCRIPTIONS.length]!, { mode: 'suggest', limit: 5, nowMs: NOW })
})
console.log(
  `${'suggest (description, 5 best)'.padEnd(30)} ${f2(suggest.p50)}  ${f2(suggest.p95)} |  (no raw equivalent: a description is no substring)`,
)
console.log('\ntarget (DESIGN.md §8): p95 ≤ 10 ms over 20,000 entries')
store.close()
rmSync(dir, { recursive: true, force: true })
