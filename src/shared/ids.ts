// Ticket ids are UUIDv7 (RFC 9562), made by the console that logs the ticket: time-ordered, so
// they index well, and unique without asking the server. Web Crypto is in Node 20 and browsers.

const hex = (bytes: Uint8Array) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** Web Crypto, typed here because src/shared is compiled without DOM or Node types. */
const webCrypto = (
  globalThis as unknown as { crypto: { getRandomValues(bytes: Uint8Array): Uint8Array } }
).crypto

let lastMs = 0
let counter = 0

/** A new UUIDv7: 48 bits of Unix milliseconds, then random bits (monotonic within this process). */
export function uuidv7(nowMs: number = Date.now()): string {
  const bytes = new Uint8Array(16)
  webCrypto.getRandomValues(bytes)
  // Same millisecond as the last id: bump a 12-bit counter in rand_a so ids stay increasing.
  if (nowMs <= lastMs) {
    counter = (counter + 1) & 0xfff
    if (counter === 0) lastMs += 1
    nowMs = lastMs
  } else {
    counter = ((bytes[6]! & 0x0f) << 8) | bytes[7]!
    counter &= 0x7ff // leave room to count up
    lastMs = nowMs
  }
  const ms = BigInt(nowMs)
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn)
  bytes[6] = 0x70 | ((counter >> 8) & 0x0f)
  bytes[7] = counter & 0xff
  bytes[8] = 0x80 | (bytes[8]! & 0x3f)
  const h = hex(bytes)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** The creation time encoded in a UUIDv7, or null for another kind of id. */
export function uuidv7Time(id: string): number | null {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id))
    return null
  return parseInt(id.replace(/-/g, '').slice(0, 12), 16)
}

/**
 * How a console appears in timelines (`actor.consoleId`): a one-way label of its clientId, never
 * the clientId itself. The clientId is what a push and a pull are filed under, so whoever learnt
 * it from a timeline could push under it — moving the console's lastMutationId past its real
 * mutations, which the server would then skip as repeats — or read its rejections. The label
 * tells consoles apart in the audit trail and reveals nothing (cyrb53: 53 bits of a uuid's 122).
 */
export function consoleLabel(clientId: string): string {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < clientId.length; i++) {
    const c = clientId.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  const n = 4294967296 * (2097151 & h2) + (h1 >>> 0)
  return `c${n.toString(36).padStart(11, '0')}`
}
