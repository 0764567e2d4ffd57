// The knowledge base in the console cache (migration 0004): applying the feed, and search. The
// indexes find candidates (kb_head / kb_body for Chinese, kb_py and kb_text for letters), the
// scorer in src/shared/knowledge-rank.ts ranks them: title and question forms above keywords
// above the answer's text. Everything is local: search works with the server down.
import type Database from 'better-sqlite3'
import {
  cityDate,
  kbAnswerable,
  kbPastReview,
  kbValidity,
  type KbEntry,
  type KbPullResponse,
  type KbStats,
} from '../../shared/knowledge'
import {
  kbQueryPlan,
  scoreEntry,
  snippetOf,
  type KbDoc,
  type KbHit,
  type KbMode,
  type KbPlan,
} from '../../shared/knowledge-rank'
import { pinyinKeys } from '../../shared/pinyin'

export const KB_CURSOR = 'kb.cursor'

/** Pinyin keys of a title as stored: ` full initials` of each reading, deduplicated. */
export function pinyinColumn(title: string): string {
  const k = pinyinKeys(title)
  return ` ${[...new Set([...k.fullVariants, ...k.initialsVariants])].join(' ')}`
}

interface Row {
  rid: number
  id: string
  status: string
  unit: string
  title: string
  questions: string
  keywords: string
  answer: string
  categories: string
  pinyin: string
  valid_from: string | null
  valid_until: string | null
  review_by: string | null
  version: number
}

/** How many candidates an index hands the scorer at most (ranked lookups: fewer). */
const CANDIDATES = 150
const SUGGEST_CANDIDATES = 120

export class KnowledgeCache {
  private readonly s

  constructor(private readonly db: Database.Database) {
    this.s = {
      upsertDelete: db.prepare<[string]>('DELETE FROM kb_entries WHERE id = ?'),
      insert: db.prepare(
        `INSERT INTO kb_entries (id, status, unit, title, questions, keywords, answer, categories,
           pinyin, valid_from, valid_until, review_by, version, data)
         VALUES (@id, @status, @unit, @title, @questions, @keywords, @answer, @categories,
           @pinyin, @valid_from, @valid_until, @review_by, @version, @data)`,
      ),
      get: db.prepare<[string], { data: string }>('SELECT data FROM kb_entries WHERE id = ?'),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM kb_entries'),
      getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[string, string]>(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
      usage: db.prepare<[number, string, string | null, string | null, number | null]>(
        'INSERT INTO kb_usage (at, kind, query, entry_id, version) VALUES (?, ?, ?, ?, ?)',
      ),
    }
  }

  private readonly stmts = new Map<string, Database.Statement>()
  private stmt(sql: string): Database.Statement {
    let st = this.stmts.get(sql)
    if (!st) this.stmts.set(sql, (st = this.db.prepare(sql)))
    return st
  }

  cursor(): number {
    return Number(this.s.getMeta.get(KB_CURSOR)?.value ?? 0)
  }

  count(): number {
    return this.s.count.get()!.n
  }

  /** One page of the feed, in one transaction: entries replaced, removed ones dropped, cursor. */
  apply(page: KbPullResponse): void {
    this.db
      .transaction(() => {
        for (const id of page.removed) this.s.upsertDelete.run(id)
        for (const e of page.entries) this.put(e)
        this.s.setMeta.run(KB_CURSOR, String(page.cursor))
      })
      .immediate()
  }

  /** Many entries at once (tests, the benchmark), in one transaction. */
  load(entries: Iterable<KbEntry>): void {
    this.db.transaction(() => {
      for (const e of entries) this.put(e)
    })()
  }

  private put(e: KbEntry): void {
    // Delete and insert (not UPDATE): the triggers keep both indexes exact.
    this.s.upsertDelete.run(e.id)
    this.s.insert.run({
      id: e.id,
      status: e.status,
      unit: e.unit,
      title: e.title,
      questions: e.questions.join('\n'),
      keywords: e.keywords.join(' '),
      answer: e.answer,
      categories: `|${e.categories.join('|')}|`,
      pinyin: pinyinColumn(e.title),
      valid_from: e.validFrom,
      valid_until: e.validUntil,
      review_by: e.reviewBy,
      version: e.version,
      data: JSON.stringify(e),
    })
  }

  get(id: string): KbEntry | null {
    const r = this.s.get.get(id)
    return r ? (JSON.parse(r.data) as KbEntry) : null
  }

  clear(): void {
    this.db.exec('DELETE FROM kb_entries')
  }

  /**
   * Ranked entries for a query (`search`: every term must match) or for a caller's description
   * (`suggest`: how much of an entry's title, question forms and keywords the text contains).
   * `suggest` offers only entries that can be answered from now; `search` shows expired ones
   * last, marked so. `category` lifts entries of that category (and its parents' codes).
   */
  search(
    q: string,
    opts: { mode: KbMode; limit: number; nowMs: number; category?: string | null },
  ): KbHit[] {
    const plan = kbQueryPlan(q, opts.mode)
    if (!plan.grams.length && !plan.letters.length) return []
    const hans = plan.terms.filter((t) => t.kind === 'han').map((t) => t.text)
    const rids = this.candidates(plan, hans, opts.limit)
    if (!rids.size) return []
    // The answers stay in the database: SQL says which terms each holds.
    const flags = hans.map((_, i) => `instr(answer, ?) > 0 AS a${i}`).join(', ')
    const rows = this.stmt(
      `SELECT rid, id, status, unit, title, questions, keywords, categories, pinyin,
         valid_from, valid_until, review_by, version${flags ? `, ${flags}` : ''}
       FROM kb_entries WHERE rid IN (SELECT value FROM json_each(?))`,
    ).all(...hans, JSON.stringify([...rids])) as Array<Row & Record<string, number>>
    const hits: Array<KbHit & { around: string | null }> = []
    for (const r of rows) {
      const has = new Set(hans.filter((_, i) => r[`a${i}`] === 1))
      const doc: KbDoc = {
        title: r.title,
        questions: r.questions ? r.questions.split('\n') : [],
        keywords: r.keywords ? r.keywords.split(' ') : [],
        answer: { has },
        pinyin: r.pinyin,
      }
      const s = scoreEntry(plan, doc)
      if (s.score <= 0) continue
      const e = {
        status: r.status as KbEntry['status'],
        validFrom: r.valid_from,
        validUntil: r.valid_until,
      }
      const answerable = kbAnswerable(e, opts.nowMs)
      if (opts.mode === 'suggest' && !answerable) continue
      let score = s.score
      if (opts.category && r.categories.split('|').some((c) => c && opts.category!.startsWith(c)))
        score *= 1.5
      if (!answerable) score *= 0.01
      hits.push({
        id: r.id,
        title: r.title,
        unit: r.unit,
        version: r.version,
        status: r.status as KbEntry['status'],
        validity: kbValidity(e, opts.nowMs),
        pastReview: kbPastReview({ reviewBy: r.review_by }, opts.nowMs),
        answerable,
        score: Math.round(score * 1000) / 1000,
        matched: s.matched,
        snippet: '',
        around: s.around,
      })
    }
    hits.sort((a, b) => b.score - a.score || a.title.localeCompare(b.title, 'zh'))
    const top = hits.slice(0, opts.limit)
    // Snippets for the few shown only: their answers are read now.
    const answers = new Map(
      (
        this.stmt(
          'SELECT id, answer FROM kb_entries WHERE id IN (SELECT value FROM json_each(?))',
        ).all(JSON.stringify(top.map((h) => h.id))) as Array<{ id: string; answer: string }>
      ).map((r) => [r.id, r.answer]),
    )
    return top.map(({ around, ...h }) => ({
      ...h,
      snippet: snippetOf(answers.get(h.id) ?? '', around),
    }))
  }

  /**
   * Rows worth scoring, from the indexes: title, question forms and keywords first (all the
   * query's characters and pairs; those with the first term in the title ahead), the answers'
   * only when that found too few, and for a 3+-character term whose words may stand in another
   * order, the entries sharing most of its pairs (ranked by the index). Letters: the title's
   * pinyin — a word start for 1–2 letters, anywhere for more.
   */
  private candidates(plan: KbPlan, hans: string[], limit: number): Set<number> {
    const rids = new Set<number>()
    const add = (rows: unknown[]) => {
      for (const r of rows as Array<{ rid: number }>) rids.add(r.rid)
    }
    const all = (grams: readonly string[]) => grams.map((g) => `"${g}"`).join(' AND ')
    const any = (grams: readonly string[]) => grams.map((g) => `"${g}"`).join(' OR ')
    if (plan.mode === 'suggest') {
      if (plan.grams.length)
        add(
          this.stmt(
            `SELECT rowid AS rid FROM kb_head WHERE kb_head MATCH ? ORDER BY rank LIMIT ${SUGGEST_CANDIDATES}`,
          ).all(any(plan.grams)),
        )
    } else if (plan.grams.length) {
      // Entries with the first term in their title first, then the rest: each lookup stops at
      // its limit rather than ordering every entry that shares a common character.
      const first = hans[0] ?? ''
      const head = `rid IN (SELECT rowid FROM kb_head WHERE kb_head MATCH ?)`
      if (first)
        add(
          this.stmt(
            `SELECT rid FROM kb_entries WHERE ${head} AND instr(title, ?) > 0 LIMIT ${CANDIDATES}`,
          ).all(all(plan.grams), first),
        )
      if (rids.size < CANDIDATES)
        add(
          this.stmt(`SELECT rid FROM kb_entries WHERE ${head} LIMIT ${CANDIDATES}`).all(
            all(plan.grams),
          ),
        )
      if (rids.size < limit)
        add(
          this.stmt(
            `SELECT rowid AS rid FROM kb_body WHERE kb_body MATCH ? LIMIT ${CANDIDATES}`,
          ).all(all(plan.grams)),
        )
      const reordered = plan.terms.filter((t) => t.kind === 'han' && t.grams.length >= 2)
      if (rids.size < limit)
        for (const t of reordered)
          add(
            this.stmt(
              `SELECT rowid AS rid FROM kb_head WHERE kb_head MATCH ? ORDER BY rank LIMIT ${SUGGEST_CANDIDATES}`,
            ).all(any(t.grams)),
          )
    }
    for (const letters of plan.letters) {
      if (letters.length <= 2)
        add(
          this.stmt(`SELECT rowid AS rid FROM kb_py WHERE kb_py MATCH ? LIMIT ${CANDIDATES}`).all(
            `"${letters}"*`,
          ),
        )
      else
        add(
          this.stmt(
            `SELECT rowid AS rid FROM kb_text WHERE kb_text MATCH ? LIMIT ${CANDIDATES}`,
          ).all(`{pinyin title keywords} : "${letters}"`),
        )
    }
    return rids
  }

  /**
   * The knowledge base's measures over `[fromMs, toMs)`, from what this cache holds: calls
   * answered on the call and how many of them from an entry (the timeline's `answered` events
   * carry it), the entries answered from most, searches on this console and how many led to no
   * entry being opened, and published entries past their review-by date.
   */
  stats(fromMs: number, toMs: number, nowMs: number, top = 10): KbStats {
    const answered = this.stmt(
      `SELECT count(*) AS n, count(json_extract(data, '$.data.kb.entryId')) AS kb
       FROM events WHERE at >= ? AND at < ? AND json_extract(data, '$.type') = 'answered'`,
    ).get(fromMs, toMs) as { n: number; kb: number }
    const used = this.stmt(
      `SELECT json_extract(e.data, '$.data.kb.entryId') AS id, count(*) AS n,
         (SELECT title FROM kb_entries k WHERE k.id = json_extract(e.data, '$.data.kb.entryId'))
           AS title
       FROM events e WHERE e.at >= ? AND e.at < ? AND json_extract(e.data, '$.type') = 'answered'
         AND json_extract(e.data, '$.data.kb.entryId') IS NOT NULL
       GROUP BY 1 ORDER BY n DESC, id LIMIT ?`,
    ).all(fromMs, toMs, top) as Array<{ id: string; n: number; title: string | null }>
    // A search is the last query typed before a pause of 10 s (the box searches as one types:
    // 公, 公积, 公积金 are one search); it found something when an entry was opened within two
    // minutes after it.
    const final = `s.kind = 'search' AND s.at >= ? AND s.at < ? AND NOT EXISTS (SELECT 1 FROM
      kb_usage n WHERE n.kind = 'search' AND n.at > s.at AND n.at <= s.at + 10000)`
    const unopened = `NOT EXISTS (SELECT 1 FROM kb_usage o WHERE o.kind = 'open'
      AND o.at >= s.at AND o.at < s.at + 120000)`
    const searches = this.stmt(
      `SELECT count(*) AS n, coalesce(sum(${unopened}), 0) AS unopened FROM kb_usage s
       WHERE ${final}`,
    ).get(fromMs, toMs) as { n: number; unopened: number }
    const unfound = this.stmt(
      `SELECT query, count(*) AS n FROM kb_usage s WHERE ${final} AND ${unopened}
       GROUP BY query ORDER BY n DESC, query LIMIT ?`,
    ).all(fromMs, toMs, top) as Array<{ query: string; n: number }>
    const today = cityDate(nowMs)
    const past = this.stmt(
      `SELECT count(*) AS n FROM kb_entries WHERE status = 'published' AND review_by < ?`,
    ).get(today) as { n: number }
    return {
      answered: answered.n,
      answeredFromKb: answered.kb,
      used: used.map((u) => ({ id: u.id, title: u.title, answers: u.n })),
      searches: searches.n,
      searchesUnopened: searches.unopened,
      unfound: unfound.map((u) => ({ query: u.query, count: u.n })),
      pastReview: past.n,
    }
  }

  /** A search, an entry opened, or one answered from (the measures' raw facts). */
  record(
    kind: 'search' | 'open' | 'answer',
    query: string | null,
    entry: KbEntry | null,
    nowMs: number,
  ): void {
    this.s.usage.run(nowMs, kind, query, entry?.id ?? null, entry?.version ?? null)
  }
}
