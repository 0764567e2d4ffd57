// Token buckets by key (a client address): each key may spend up to `capacity` at once, and gets
// one back every `refillMs`. Used to limit public Open311 reads per address and failed logins per
// address across user names (auth/backoff.ts). In memory, per server process: a restart or
// another process forgets, which is fine for slowing abuse down.

export interface BucketOptions {
  /** What a key may spend at once (a full bucket). */
  capacity: number
  /** One back every this many ms. */
  refillMs: number
}

interface Bucket {
  tokens: number
  at: number
}

/** Keys kept before full (idle) buckets are dropped. */
const MAX_KEYS = 100_000

export class KeyedBuckets {
  private readonly buckets = new Map<string, Bucket>()

  constructor(
    readonly options: BucketOptions,
    private readonly now: () => number = Date.now,
  ) {}

  private current(key: string): Bucket {
    const now = this.now()
    const b = this.buckets.get(key)
    if (!b) return { tokens: this.options.capacity, at: now }
    const gained = Math.floor((now - b.at) / this.options.refillMs)
    if (gained <= 0) return b
    const tokens = Math.min(this.options.capacity, b.tokens + gained)
    // Partial progress towards the next token is kept, unless the bucket is full.
    return {
      tokens,
      at: tokens === this.options.capacity ? now : b.at + gained * this.options.refillMs,
    }
  }

  /** Milliseconds until `key` has a token to spend; 0 when it has one now. */
  waitMs(key: string): number {
    const b = this.current(key)
    return b.tokens > 0 ? 0 : Math.max(1, b.at + this.options.refillMs - this.now())
  }

  /** Spends a token if there is one: 0, else the wait until there is (nothing spent). */
  take(key: string): number {
    const wait = this.waitMs(key)
    if (wait > 0) return wait
    const b = this.current(key)
    this.buckets.set(key, { tokens: b.tokens - 1, at: b.at })
    if (this.buckets.size > MAX_KEYS) this.prune()
    return 0
  }

  /** Gives `n` tokens back (never above a full bucket). */
  give(key: string, n = 1): void {
    if (n <= 0 || !this.buckets.has(key)) return
    const b = this.current(key)
    const tokens = Math.min(this.options.capacity, b.tokens + n)
    if (tokens === this.options.capacity) this.buckets.delete(key)
    else this.buckets.set(key, { tokens, at: b.at })
  }

  private prune(): void {
    for (const key of this.buckets.keys())
      if (this.current(key).tokens >= this.options.capacity) this.buckets.delete(key)
  }
}
