// Free-text search over Chinese (DESIGN.md §5). Terms are split on white space and all must match
// (each anywhere in the ticket):
// - a term of 3+ characters is a substring of phone, caller name, address or description, found
//   through the trigram index; one of 3+ digits may also be the start of the ticket number (a
//   B-tree range: numbers share their date prefix, so their trigrams would match everything);
// - a shorter term — 噪音, 路灯, 漏水, a surname — is a substring of caller name, address or
//   description, found through the gram index (every character and adjacent pair of non-digits
//   as a token); one with a digit or ASCII punctuation, which that index leaves out, by a scan.
// Case is folded for ASCII letters only.

/** Characters the gram index keeps: ASCII letters and non-ASCII (CJK) characters. */
const isGramChar = (c: string): boolean => /^[A-Za-z]$/.test(c) || c.charCodeAt(0) > 127

/**
 * The same test on a code point (of a character `for…of` gave), without regular expressions:
 * hl_grams() runs for every ticket written. Non-ASCII white space (what `\s` adds to ASCII's:
 * no-break and ideographic spaces, line separators …) is not kept.
 */
function isGramCode(cp: number): boolean {
  if (cp < 128) return (cp >= 65 && cp <= 90) || (cp >= 97 && cp <= 122)
  return !(
    cp === 0xa0 ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000 ||
    cp === 0xfeff
  )
}

/** The tokens of one document for the gram index: each character and each adjacent pair. */
export function gramsOf(...texts: Array<string | null | undefined>): string {
  const out = new Set<string>()
  for (const text of texts) {
    if (!text) continue
    let prev: string | null = null
    for (const c of text) {
      if (!isGramCode(c.codePointAt(0)!)) {
        prev = null
        continue
      }
      if (prev !== null) out.add(prev + c)
      out.add(c)
      prev = c
    }
  }
  return [...out].join(' ')
}

export type TermPath = 'trigram' | 'digits' | 'gram' | 'scan'

export function splitTerms(text: string): string[] {
  return [...new Set(text.split(/\s+/u).filter((t) => t.length > 0))]
}

export function termPath(term: string): TermPath {
  const chars = Array.from(term)
  if (chars.length >= 3) return /^\d+$/.test(term) ? 'digits' : 'trigram'
  return chars.every(isGramChar) ? 'gram' : 'scan'
}

export const phrase = (term: string): string => `"${term.replace(/"/g, '""')}"`

/** The terms of a query by the way each is found. */
export type TextPlan = Record<TermPath, string[]>

export function planText(text: string): TextPlan {
  const by: TextPlan = { trigram: [], digits: [], gram: [], scan: [] }
  for (const t of splitTerms(text)) by[termPath(t)].push(t)
  return by
}

/** An FTS5 MATCH expression requiring every term. */
export const matchAll = (terms: readonly string[]): string => terms.map(phrase).join(' AND ')

const WORDS = ['t.caller_name', 't.address', 't.description']
/** A substring of one of the columns, ASCII case folded. */
function within(columns: readonly string[], term: string, params: unknown[]): string {
  params.push(...columns.map(() => term))
  return `(${columns.map((c) => `instr(lower(coalesce(${c}, '')), lower(?)) > 0`).join(' OR ')})`
}

/**
 * SQL conditions on `tickets t` and their parameters for a plan. `index`: through the full-text
 * indexes (each term list materialized once); `verify`: by reading the row's own columns, for
 * the few rows another index already found.
 */
export function textConditions(
  plan: TextPlan,
  mode: 'index' | 'verify' = 'index',
): { sql: string[]; params: unknown[] } {
  const sql: string[] = []
  const params: unknown[] = []
  const member = (table: string, terms: readonly string[]) => {
    params.push(matchAll(terms))
    return `t.rid IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?)`
  }
  const prefix = (d: string) => {
    params.push(d, `${d}:`)
    return '(t.number >= ? AND t.number < ?)'
  }
  if (mode === 'index') {
    if (plan.trigram.length) sql.push(member('tickets_text', plan.trigram))
    for (const d of plan.digits) sql.push(`(${member('tickets_text', [d])} OR ${prefix(d)})`)
    if (plan.gram.length) sql.push(member('tickets_grams', plan.gram))
  } else {
    for (const t of plan.trigram) sql.push(within(['t.phone', ...WORDS], t, params))
    for (const d of plan.digits)
      sql.push(`(${prefix(d)} OR ${within(['t.phone', ...WORDS], d, params)})`)
    for (const t of plan.gram) sql.push(within(WORDS, t, params))
  }
  for (const t of plan.scan) sql.push(within(WORDS, t, params))
  return { sql, params }
}

/** Character bigrams of a text (its characters when shorter), for similarity scores. */
export function bigramSet(text: string): Set<string> {
  const chars = Array.from(text.replace(/[\s\p{P}]/gu, ''))
  if (chars.length < 2) return new Set(chars)
  const out = new Set<string>()
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!)
  return out
}

/** Dice coefficient of two bigram sets: 1 for the same text, 0 for nothing in common. */
export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  let common = 0
  for (const g of a) if (b.has(g)) common++
  return (2 * common) / (a.size + b.size)
}
