// A caller's phone number by the rules people in China use (issue 13): mobile 11 digits
// (1[3-9]…), a landline with its area code (010/02x + 8 digits, 0xxx + 7–8 digits; the local
// number never starts with 0 or 1), short service numbers (95xxx, 96xxx, 12xxx, 100xx, and
// 110/119/120/122), 400/800 numbers (10 digits), an extension after a landline or 400/800 number
// (`-801`, `转801`, `ext 801`, `#801`), and foreign numbers with `+` or `00` and a country code
// (+86 is China: the rest must be a Chinese number). Anything else is refused with the reason —
// in Chinese and English — so the agent knows what to fix; a number is never cut to fit.
import type { Localized } from './validation'

export type PhoneKind = 'mobile' | 'landline' | 'service' | 'toll_free' | 'foreign'

export type PhoneCheck =
  | {
      ok: true
      kind: PhoneKind
      /** As stored and compared: digits (and `+`), `#` before an extension. */
      normalized: string
    }
  | { ok: false; reason: Localized }

const MOBILE = /^1[3-9]\d{9}$/
// 010 and 02x: 8-digit local numbers; other area codes (0 + 3 digits): 7 or 8 digits.
const LANDLINE = /^(?:0(?:10|2\d)[2-9]\d{7}|0[3-9]\d{2}[2-9]\d{6,7})$/
const SERVICE = /^(?:95\d{3,6}|96\d{3,6}|12\d{3}|100\d{2}|11[049]|12[02])$/
const TOLL_FREE = /^(?:400|800)\d{7}$/
/** What may follow the number to mark an extension. */
const EXTENSION = /^(.*?)(?:转|分机|ext\.?|x|#|,)\s*(\d{1,6})$/i

const why = (zh: string, en: string): { ok: false; reason: Localized } => ({
  ok: false,
  reason: { zh: `有误：${zh}`, en: `is not valid: ${en}` },
})

/** A Chinese number (no international prefix), digits only. */
function chinese(d: string): PhoneKind | null {
  if (MOBILE.test(d)) return 'mobile'
  if (LANDLINE.test(d)) return 'landline'
  if (TOLL_FREE.test(d)) return 'toll_free'
  if (SERVICE.test(d)) return 'service'
  return null
}

/** Why a string of digits is no Chinese number, as the agent would want to hear it. */
function reasonFor(d: string): { ok: false; reason: Localized } {
  const n = d.length
  if (d.startsWith('1') && n !== 11 && n > 5)
    return why(`手机号应为 11 位，现为 ${n} 位`, `a mobile number has 11 digits, this has ${n}`)
  if (d.startsWith('1') && n === 11)
    return why('手机号第二位应为 3–9', 'a mobile number starts with 13–19')
  if (/^(400|800)/.test(d))
    return why(`400/800 号码应为 10 位，现为 ${n} 位`, `a 400/800 number has 10 digits, not ${n}`)
  if (d.startsWith('0'))
    return why(
      `座机号码应为区号加 7–8 位号码（如 0511-85551234），现为 ${n} 位`,
      `a landline is the area code and 7–8 digits (e.g. 0511-85551234); this has ${n} digits`,
    )
  if (/^[2-9]\d{6,7}$/.test(d))
    return why('座机号码请加区号（如 0511-85551234）', 'add the area code (e.g. 0511-85551234)')
  return why(
    '应为 11 位手机号、带区号的座机、服务号码（如 95588、12345）、400/800 号码，或以 + 开头的国际号码',
    'expected an 11-digit mobile, a landline with area code, a service number (95588, 12345), a 400/800 number or an international number with +',
  )
}

export function checkPhone(raw: string): PhoneCheck {
  const typed = raw.trim()
  if (typed === '') return why('为空', 'is empty')
  let main = typed
  let ext: string | null = null
  const marked = EXTENSION.exec(typed)
  if (marked && /\d/.test(marked[1]!)) {
    main = marked[1]!
    ext = marked[2]!
  }
  if (!/^\+?[\d\s\-()（）]+$/.test(main))
    return why(
      '只能填数字（可带 +、-、空格、括号，分机号写在最后，如 转801）',
      'digits only (with +, -, spaces or brackets; an extension at the end, e.g. ext 801)',
    )
  const groups = main.split(/[\s\-()（）]+/).filter(Boolean)
  let digits = groups.join('')
  // `0511-85551234-801`: a third group after a whole landline or 400/800 number is an extension.
  if (!ext && groups.length >= 3) {
    const last = groups[groups.length - 1]!
    const before = groups.slice(0, -1).join('')
    const kind = chinese(before)
    if (last.length <= 6 && (kind === 'landline' || kind === 'toll_free')) {
      digits = before
      ext = last
    }
  }
  const international = /^(?:\+|00)/.exec(digits)
  if (international) {
    const rest = digits.slice(international[0].length)
    if (rest.startsWith('86')) {
      // China written internationally: +86 138…, +86 511 8555 1234 (the 0 of the area code goes).
      const national = rest.slice(2)
      // Short service numbers are not dialled from abroad.
      const home = chinese(national)
      const kind =
        (home === 'service' ? null : home) ?? (LANDLINE.test(`0${national}`) ? 'landline' : null)
      if (!kind) return reasonFor(national.startsWith('1') ? national : `0${national}`)
      // Stored the way it is dialled at home, so the caller's history finds it either way.
      const dialled = kind === 'landline' && !national.startsWith('0') ? `0${national}` : national
      return done(kind, dialled, ext)
    }
    if (!/^[1-9]\d{6,14}$/.test(rest))
      return why(
        '国际号码应为 + 加国家代码和号码，共 8–15 位',
        'an international number is + and 8–15 digits',
      )
    return done('foreign', `+${rest}`, ext)
  }
  const kind = chinese(digits)
  if (!kind) return reasonFor(digits)
  if (ext && (kind === 'mobile' || kind === 'service'))
    return why('手机号和服务号码没有分机号', 'mobile and service numbers have no extension')
  return done(kind, digits, ext)
}

const done = (kind: PhoneKind, digits: string, ext: string | null): PhoneCheck => ({
  ok: true,
  kind,
  normalized: ext ? `${digits}#${ext}` : digits,
})
