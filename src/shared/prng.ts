// A small seeded generator (mulberry32), so the same seed gives the same demo data, the same
// benchmark fixtures and the same chaos run. Not for anything secret: ids and tokens use crypto.

/** The next number in [0, 1) each call. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The generator with the two questions its users ask most: pick one of these, and yes or no. */
export function prng(seed: number) {
  const next = mulberry32(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!
  return { next, pick, chance: (p: number) => next() < p }
}
