// PostgreSQL cannot hold U+0000 in text or jsonb ("invalid byte sequence for encoding UTF8: 0x00"),
// so a NUL in a ticket's description, a note, a mutation's name or a query parameter failed there
// as a server error — and a new ticket was lost. No hotline text needs one: every request's input
// loses its NUL characters before a route reads it, on both engines alike.
import type { FastifyInstance } from 'fastify'

const NUL = new RegExp(String.fromCharCode(0), 'g')

/** Drops NUL characters from every string and key in a parsed body or query, in place. */
export function withoutNul<T>(value: T): T {
  if (typeof value === 'string') return value.replace(NUL, '') as T
  if (typeof value !== 'object' || value === null) return value
  // Iterative: a body may nest far deeper than the call stack allows.
  const stack: object[] = [value]
  while (stack.length) {
    const node = stack.pop() as Record<string, unknown>
    for (const key of Object.keys(node)) {
      const v = node[key]
      const clean = key.includes('\u0000') ? key.replace(NUL, '') : key
      const next = typeof v === 'string' && v.includes('\u0000') ? v.replace(NUL, '') : v
      if (clean !== key) delete node[key]
      // defineProperty: an own `__proto__` key (a form body) stays a plain property.
      if (clean !== key || next !== v)
        Object.defineProperty(node, clean, {
          value: next,
          writable: true,
          enumerable: true,
          configurable: true,
        })
      if (typeof next === 'object' && next !== null) stack.push(next)
    }
  }
  return value
}

export function dropNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    request.body = withoutNul(request.body)
    request.query = withoutNul(request.query)
    request.params = withoutNul(request.params)
  })
}
