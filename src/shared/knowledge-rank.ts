// Ranking knowledge entries against what an agent types (issue 15). Pure, so the console's
// cache, the benchmark and the tests share one definition.
// - `search` (the KB search box): every term must match somewhere. A Chinese term matches as a
//   substring, or — 3+ characters — when most of its character pairs occur in one field, so
//   提取公积金 finds 公积金提取; letters match the title's pinyin or initials (gjj, gongjijin),
//   best at the title's start, or the title and keywords. Title above question forms above keywords
//   above the answer's text.
// - `suggest` (beside the intake form, from the caller's description): how much of an entry's
//   title and of its best question form the description contains, and which keywords it names.
import type { KbStatus, KbValidity } from './knowledge'

export type KbMode = 'search' | 'suggest'
export type KbField = 'title' | 'question' | 'keyword' | 'pinyin' | 'answer'

export interface KbHit {
  id: string
  title: string
  unit: string
  version: number
  status: KbStatus
  validity: KbValidity
  pastReview: boolean
  /** Published and in force: may be answered from. */
  answerable: boolean
  score: number
  /** Where the query matched best. */
  matched: KbField
  /** A line of the answer (plain text), around the match when it was in the answer. */
  snippet: string
}

export interface KbDoc {
  title: string
  questions: string[]
  keywords: string[]
  /** The answer's text; or, when the store checked it in SQL, which Chinese terms it contains. */
  answer: string | { has: ReadonlySet<string> }
  /** ` full initials …` (see pinyinColumn). */
  pinyin: string
}

interface Term {
  text: string
  kind: 'han' | 'letters'
  grams: string[]
}

export interface KbPlan {
  mode: KbMode
  terms: Term[]
  /** Tokens for the gram index (characters and pairs). */
  grams: string[]
  /** Letter/digit words for the pinyin and title scan (lower case). */
  letters: string[]
  /** suggest: the description's pairs. */
  pairs: Set<string>
}

const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/gu
const WORD_RUN = /[a-z0-9]+/g
/** Pairs so common in what callers say that they find everything and mean nothing. */
const STOP_PAIRS = new Set(
  '怎么 什么 一下 我想 请问 可以 如何 哪里 需要 我们 你们 他们 这个 那个 现在 问一 想问 就是 还是 没有 已经 是不 不是 有没 知道 能不 不能 咨询 问题 情况 一个 时候 怎样 为什 么办'.split(
    ' ',
  ),
)
const MAX_SUGGEST_PAIRS = 48

export function pairsOf(text: string): string[] {
  const out: string[] = []
  for (const run of text.match(HAN_RUN) ?? []) {
    const cs = Array.from(run)
    for (let i = 0; i + 1 < cs.length; i++) out.push(cs[i]! + cs[i + 1]!)
  }
  return out
}

function hanGrams(run: string): string[] {
  const cs = Array.from(run)
  if (cs.length === 1) return cs
  return [...new Set(pairsOf(run))]
}

export function kbQueryPlan(q: string, mode: KbMode): KbPlan {
  const text = q.normalize('NFKC').toLowerCase()
  const terms: Term[] = []
  if (mode === 'search') {
    for (const word of text.split(/[\s,，、;；。.!！?？]+/u)) {
      for (const run of word.match(HAN_RUN) ?? [])
        terms.push({ text: run, kind: 'han', grams: hanGrams(run) })
      for (const run of word.match(WORD_RUN) ?? [])
        terms.push({ text: run, kind: 'letters', grams: [] })
    }
    const grams = [...new Set(terms.flatMap((t) => t.grams))]
    const letters = [...new Set(terms.filter((t) => t.kind === 'letters').map((t) => t.text))]
    return { mode, terms, grams, letters, pairs: new Set() }
  }
  const pairs = new Set(pairsOf(text).filter((p) => !STOP_PAIRS.has(p)))
  const grams = [...pairs].slice(0, MAX_SUGGEST_PAIRS)
  const letters = [...new Set((text.match(WORD_RUN) ?? []).filter((w) => w.length >= 3))]
  return { mode, terms: [], grams, letters, pairs }
}

const WEIGHT: Record<KbField, number> = {
  title: 10,
  question: 7,
  keyword: 6,
  pinyin: 8,
  answer: 2,
}

/** Share of `grams` found among the pairs (characters for a 1-grams list) of `text`. */
function coverage(grams: readonly string[], text: string): number {
  if (!grams.length) return 0
  let n = 0
  for (const g of grams) if (text.includes(g)) n++
  return n / grams.length
}

/** Plain text of Markdown, for a snippet: marks, links' targets and extra space dropped. */
export function plainText(md: string): string {
  return md
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`#>|~]+/g, '')
    .replace(/^\s*[-+]\s+/gm, '')
    .replace(/\s+/g, ' ')
    .trim()
}

export function snippetOf(answer: string, around: string | null): string {
  const plain = plainText(answer)
  const at = around ? plain.indexOf(around) : -1
  if (at < 0) return plain.slice(0, 60)
  const from = Math.max(0, at - 20)
  return (from > 0 ? '…' : '') + plain.slice(from, from + 60)
}

function scoreTerm(t: Term, d: KbDoc): { score: number; field: KbField } | null {
  if (t.kind === 'letters') {
    if (d.pinyin.includes(` ${t.text} `) || d.pinyin.endsWith(` ${t.text}`))
      return { score: WEIGHT.pinyin + 1, field: 'pinyin' }
    if (d.pinyin.includes(` ${t.text}`)) return { score: WEIGHT.pinyin, field: 'pinyin' }
    // Initials or pinyin of a word inside the title (gjj in 住房公积金提取).
    if (t.text.length >= 2 && d.pinyin.includes(t.text))
      return { score: WEIGHT.pinyin - 2, field: 'pinyin' }
    if (d.title.toLowerCase().includes(t.text)) return { score: WEIGHT.title, field: 'title' }
    if (d.keywords.some((k) => k.toLowerCase().includes(t.text)))
      return { score: WEIGHT.keyword, field: 'keyword' }
    return null
  }
  if (d.title.includes(t.text))
    return { score: WEIGHT.title + (d.title === t.text ? 3 : 0), field: 'title' }
  if (d.questions.some((q) => q.includes(t.text)))
    return { score: WEIGHT.question, field: 'question' }
  if (d.keywords.some((k) => k.includes(t.text) || (k.length >= 2 && t.text.includes(k))))
    return { score: WEIGHT.keyword, field: 'keyword' }
  const inAnswer =
    typeof d.answer === 'string' ? d.answer.includes(t.text) : d.answer.has.has(t.text)
  if (inAnswer) return { score: WEIGHT.answer, field: 'answer' }
  // Word order differs (提取公积金 / 公积金提取): most of the pairs in one field.
  if (t.grams.length >= 2) {
    let best: { score: number; field: KbField } | null = null
    const consider = (field: KbField, c: number, min: number) => {
      if (c < min) return
      const s = WEIGHT[field] * 0.7 * c
      if (!best || s > best.score) best = { score: s, field }
    }
    consider('title', coverage(t.grams, d.title), 0.6)
    for (const q of d.questions) consider('question', coverage(t.grams, q), 0.6)
    consider('keyword', coverage(t.grams, d.keywords.join(' ')), 0.6)
    if (typeof d.answer === 'string') consider('answer', coverage(t.grams, d.answer), 0.75)
    return best
  }
  return null
}

/** Score of one entry for a plan: 0 when it does not match. */
export function scoreEntry(
  plan: KbPlan,
  d: KbDoc,
): { score: number; matched: KbField; snippet: string; around: string | null } {
  if (plan.mode === 'search') {
    let total = 0
    let first: KbField | null = null
    let around: string | null = null
    for (const t of plan.terms) {
      const s = scoreTerm(t, d)
      if (!s) return { score: 0, matched: 'answer', snippet: '', around: null }
      total += s.score
      first ??= s.field
      if (s.field === 'answer' && around == null) around = t.text
    }
    const snippet = typeof d.answer === 'string' ? snippetOf(d.answer, around) : ''
    return { score: total, matched: first ?? 'title', snippet, around }
  }
  // suggest: what share of the entry's own words the caller's description holds.
  const share = (text: string) => {
    const ps = [...new Set(pairsOf(text))].filter((p) => !STOP_PAIRS.has(p))
    if (!ps.length) return 0
    let n = 0
    for (const p of ps) if (plan.pairs.has(p)) n++
    return n / ps.length
  }
  const title = share(d.title)
  let question = 0
  for (const q of d.questions) question = Math.max(question, share(q))
  let keywords = 0
  for (const k of d.keywords) {
    const kp = pairsOf(k.toLowerCase())
    if (kp.length && kp.every((p) => plan.pairs.has(p))) keywords++
    else if (!kp.length && plan.letters.includes(k.toLowerCase())) keywords++
  }
  for (const l of plan.letters) if (d.pinyin.includes(` ${l}`)) keywords++
  const score = 6 * title + 5 * question + 2.5 * Math.min(keywords, 3)
  if (score < 2.5) return { score: 0, matched: 'answer', snippet: '', around: null }
  const matched: KbField =
    6 * title >= 5 * question && 6 * title >= 2.5 * keywords
      ? 'title'
      : 5 * question >= 2.5 * keywords
        ? 'question'
        : 'keyword'
  const snippet = typeof d.answer === 'string' ? snippetOf(d.answer, null) : ''
  return { score, matched, snippet, around: null }
}
