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
