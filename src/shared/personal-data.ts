// Personal numbers and names in text that leaves the centre (issue 12): Open311 reads, exemplary
// case exports, a caller's number in lists. One masking for all of them, so a number hidden in
// one place is hidden in every other. People type numbers in many forms — full-width digits from
// Chinese input methods (`１３９１２３４５６７８`), dots and spaces (`139.1234.5678`), 8-digit local
// numbers, ID card numbers with a final X — so the text is folded to ASCII first (on a copy of
// the same length, so the original text around a number is kept as written) and every run of 7
// or more digits is masked, whatever its separators.

/** Full-width ASCII (U+FF01–FF5E) and the ideographic space, as their ASCII forms. */
export function foldWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  )
}

/**
 * A number shown with most of it hidden: 11 characters or more keep the first 3 and last 4
 * (`138****0001`, the convention for mobiles; an ID card keeps 7 of 18); 7–10 keep at most 3 and
 * 2 and hide at least half (`88****34` for an 8-digit local number); 5–6 (service numbers) the
 * first 1 and last 2.
 * Idempotent: a masked number masks to itself.
 */
export function maskDigits(n: string): string {
  const len = n.length
  if (len <= 4) return '*'.repeat(len)
  // Four stars however long: a masked number looks the same in every list and masks to itself.
  if (len >= 11) return `${n.slice(0, 3)}****${n.slice(-4)}`
  const head = len >= 10 ? 3 : len >= 8 ? 2 : 1
  return `${n.slice(0, head)}${'*'.repeat(len - head - 2)}${n.slice(-2)}`
}

/** The fewest digits a run needs to count as a personal number (a 7-digit local number). */
const MIN_DIGITS = 7
/**
 * A run of digits with at most a few separators between them (`+86 139-1234-5678`,
 * `(0511)8888 1234`, `3211 0219 8001 0112 3X`), on folded text. A final X belongs to an ID card.
 */
const RUN = /\+?\d(?:[ \t.\-()/·\u2010-\u2015\u2212]{0,3}\d)*(?:[ \t]?[Xx](?![A-Za-z]))?/g
/**
 * Dates (with the hour a time that follows brings: the run stops at its colon) and decimals are
 * not personal: `2026-11-28`, `2026.11.28 09:30`, `119.452012`.
 */
const NOT_PERSONAL = /^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}(?:[ \t]+\d{1,2})?|\d+\.\d+)$/
/** The hotline's own ticket numbers (`20261128000123`) are public identifiers, not personal. */
const TICKET_NUMBER = /^20\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{6}$/

/** Every personal number in `text` masked; everything else kept as it was written. */
export function maskNumbers(text: string): string {
  const folded = foldWidth(text)
  let out = ''
  let at = 0
  for (const m of folded.matchAll(RUN)) {
    const run = m[0]
    const digits = run.replace(/[^\dXx]/g, '')
    if (digits.replace(/[Xx]/g, '').length < MIN_DIGITS) continue
    if (NOT_PERSONAL.test(run) || TICKET_NUMBER.test(digits)) continue
    // Folding keeps lengths (every folded character is one UTF-16 unit), so indexes agree.
    out += text.slice(at, m.index) + maskDigits(digits.replace(/^\+/, ''))
    at = m.index + run.length
  }
  return out + text.slice(at)
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g

/** An e-mail address shown as its first character and its domain: `o***@example.cn`. */
const maskEmail = (e: string) => `${e[0]}***${e.slice(e.indexOf('@'))}`

/** A name shown as its first character: `欧阳建国` → `欧***`. */
export const maskName = (name: string): string => {
  const chars = Array.from(name)
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1))
}

/**
 * Free text made fit to leave the centre: the given names (the caller's) masked wherever they
 * appear, then every personal number and e-mail address.
 */
export function maskPersonalText(text: string, names: ReadonlyArray<string | null> = []): string {
  let out = text
  for (const raw of names) {
    const name = raw?.trim()
    // A one-character "name" would mask that character everywhere in the text.
    if (name && Array.from(name).length >= 2) out = out.split(name).join(maskName(name))
  }
  return maskNumbers(out).replace(EMAIL, maskEmail)
}
