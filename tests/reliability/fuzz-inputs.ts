// Hostile inputs for the fuzz tests: the strings attackers and unlucky clients send (SQL and
// full-text injection, markup, path traversal, unicode edge cases, prototype keys, numbers that
// are not), JSON values of the wrong type and shape, bodies that are not JSON at all, and the
// content types and tokens that go with them. Generators only; the tests decide what to expect.
import fc from 'fast-check'

export const SQL_INJECTION = [
  "' OR 1=1 --",
  '"; DROP TABLE tickets; --',
  "'; DELETE FROM users; --",
  "') UNION SELECT token_hash, user_id FROM sessions --",
  "1' AND sleep(5) --",
  "%' OR '%'='",
  "\\'; DROP TABLE users; --",
  "admin'--",
  '1; UPDATE tickets SET status = $$closed$$',
]

export const FTS_SYNTAX = [
  '"unbalanced',
  'NEAR(a b, 2)',
  '*',
  'a AND OR NOT b',
  '^col',
  'a:b',
  '"" ""',
]

export const UNICODE_EDGES = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'a\uD83D', // emoji cut in half
  'nul\u0000byte',
  '\u202Eevil\u202C', // right-to-left override
  '\u200F\u200E', // RTL / LTR marks
  '👩\u200D👩\u200D👧\u200D👦', // zero-width joiners
  'zero\u200Bwidth\uFEFF',
  '🚒🔥🧯',
  'e\u0301\u0302\u0303\u0304\u0305', // stacked combining marks
  '𠀀𪚥𰻞𩸽', // 4-byte CJK (planes 2 and 3)
  '镇江市京口区梦溪路',
  'line\u2028sep\u2029para',
  '\u0001\u0007\u001b[31mred\u001b[0m',
  '\r\nSet-Cookie: x=1',
  '\uFFFE\uFFFF',
]

export const MARKUP = [
  '<script>alert(1)</script>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
  ']]><![CDATA[',
  '${7*7}{{7*7}}%s%s%n',
  '../../../../etc/passwd',
  '..%2f..%2f..%2fetc%2fpasswd',
  '..\\..\\windows\\win.ini',
  'javascript:alert(1)',
]

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']

export const NOT_NUMBERS = [
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  '0x10',
  '-1',
  '1.5',
  ' 7 ',
  '',
]

export const HOSTILE_STRINGS = [
  ...SQL_INJECTION,
  ...FTS_SYNTAX,
  ...UNICODE_EDGES,
  ...MARKUP,
  ...PROTO_KEYS,
  ...NOT_NUMBERS,
  ' ',
  '\t\n',
]

/** A hostile string: a known nasty one, random full-range unicode, or a mix, now and then huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'grapheme', maxLength: 10 }))
      .map(([a, b]) => a + b),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom('A', '镇', '😀', "'", '\u0000'),
        fc.integer({ min: 1000, max: 70_000 }),
      )
      .map(([c, n]) => c.repeat(n)),
  },
)

/** Printable ASCII only: what can travel in a header or be typed into a URL as is. */
export const asciiHostile: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SQL_INJECTION, ...MARKUP, ...NOT_NUMBERS, ...PROTO_KEYS),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
)

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.constantFrom(
    0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER + 2,
    -Number.MAX_VALUE,
    1e308,
    true,
    false,
    null,
  ),
)

/** Any JSON value, with hostile strings, hostile keys and some depth. */
export const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTO_KEYS), hostileString), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value

/** `[[[[…]]]]` and `{"a":{"a":…}}` this deep. */
export const nested = (depth: number, kind: 'array' | 'object'): string =>
  kind === 'array'
    ? '['.repeat(depth) + ']'.repeat(depth)
    : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)

export const INVALID_JSON = [
  '',
  '{',
  '{"a":}',
  "{'a': 1}",
  'undefined',
  'NaN',
  '{"a":1}garbage',
  '[1,2',
  '\uFEFF{}',
  '{"a":"\\uZZZZ"}',
  '\u0000',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  nested(5_000, 'array'),
  nested(5_000, 'object'),
]

export const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/json; charset=utf-16',
  null,
] as const

/** A body: an object with the route's own field names (wrong values) or anything at all. */
export function hostileBody(fieldNames: string[]): fc.Arbitrary<string> {
  const keys = fc.oneof(
    fieldNames.length ? fc.constantFrom(...fieldNames) : hostileString,
    fc.constantFrom(...PROTO_KEYS),
    hostileString,
  )
  return fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(keys, hostileValue, { maxKeys: 6 }).map(toJson) },
    { weight: 2, arbitrary: hostileValue.map(toJson) },
    { weight: 2, arbitrary: fc.constantFrom(...INVALID_JSON) },
    {
      weight: 1,
      arbitrary: fc.tuple(keys, hostileString).map(([k, v]) => `${enc(k)}=${enc(v)}&api_key=x`),
    },
  )
}

/** JSON text as a client would send it (undefined, from a bare `undefined`, becomes `null`). */
export const toJson = (v: unknown): string => JSON.stringify(v) ?? 'null'

/** A query string from the route's own parameter names and hostile ones, hostile values. */
export function hostileQuery(paramNames: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    paramNames.length ? fc.constantFrom(...paramNames) : fc.constant('q'),
    fc.constantFrom('__proto__[polluted]', 'constructor[prototype][x]', 'a[]', 'a[b][c]'),
    hostileString,
  )
  const value = fc.oneof(hostileString, fc.constantFrom(...NOT_NUMBERS))
  const pair = fc.oneof(
    { weight: 5, arbitrary: fc.tuple(key, value).map(([k, v]) => `${enc(k)}=${enc(v)}`) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '=', '&&', 'a=%00', 'x') },
  )
  return fc.array(pair, { maxLength: 5 }).map((ps) => (ps.length ? '?' + ps.join('&') : ''))
}

/** A path parameter: hostile text, percent-encoded (a lone surrogate cannot be: sent raw). */
export const hostileParam: fc.Arbitrary<string> = fc.oneof(
  hostileString.map(enc),
  fc.constantFrom('%', '%zz', '..', '.', '%2e%2e', 'a%2Fb', 'x'.repeat(250), '%00'),
)

export function enc(s: string): string {
  try {
    return encodeURIComponent(s)
  } catch {
    return escape(s) // lone surrogates: %uD800, which no server decodes
  }
}
