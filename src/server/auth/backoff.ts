// Slowing password guessing down (issue 12, finding 2). Two limits, both checked and charged in
// one synchronous step before the password hash runs — so guesses sent at once are counted as
// they arrive, not after their hashes finish (40 parallel guesses used to be judged all):
// - per user name and address: after a few failures each further attempt waits twice as long as
//   the last, up to a cap (a person mistyping is barely slowed, one account is guessed slowly);
// - per address, across user names: a budget of failures that refills slowly (password spraying
//   — one guess at each of many accounts — runs dry). A call centre behind one NAT address shares
//   this budget: it is set far above what a shift change spends (every attempt that then succeeds
//   gives its user's failures back, so only failures that stay failures use it up).
// Every attempt counts as a failure until its password proves right. In memory, per process: a
// restart forgets, which is fine for slowing guessing down (the hashes themselves are slow too).
// The address is the client's as `trustProxy` lets the server see it (options.ts).
import { KeyedBuckets, type BucketOptions } from '../http/buckets'

export interface BackoffOptions {
  /** Failures allowed per user name and address before any waiting. */
  free: number
  baseMs: number
  maxMs: number
  /** Failures older than this are forgotten. */
  forgetMs: number
  /** Failures per address across user names: the budget, and how fast it refills. */
  perAddress: BucketOptions
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  free: 3,
  baseMs: 1000,
  maxMs: 5 * 60_000,
  forgetMs: 15 * 60_000,
  // 200 failures at once, then one every 10 s (360 an hour, 8,640 a day).
  perAddress: { capacity: 200, refillMs: 10_000 },
}

interface Entry {
  failures: number
  until: number
  last: number
}

/** Why an attempt must wait: its account from this address, or this address altogether. */
export type Held = { waitMs: number; scope: 'account' | 'address' }

/** An attempt let through (already counted as a failure): tell it how the password went. */
export interface Attempt {
  succeeded(): void
}

export class LoginBackoff {
  private readonly entries = new Map<string, Entry>()
  private readonly addresses: KeyedBuckets

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {
    this.addresses = new KeyedBuckets(options.perAddress, now)
  }

  private key(username: string, ip: string): string {
    return `${username.toLowerCase()}\u0000${ip}`
  }

  private entry(key: string): Entry | undefined {
    const e = this.entries.get(key)
    if (e && this.now() - e.last > this.options.forgetMs) {
      this.entries.delete(key)
      return undefined
    }
    return e
  }

  /** How long this attempt must wait, or null when it may go ahead now. */
  held(username: string, ip: string): Held | null {
    const e = this.entry(this.key(username, ip))
    const account = e ? Math.max(0, e.until - this.now()) : 0
    if (account > 0) return { waitMs: account, scope: 'account' }
    const address = this.addresses.waitMs(ip)
    return address > 0 ? { waitMs: address, scope: 'address' } : null
  }

  /**
   * Lets an attempt through and counts it as a failure at once — or says how long to wait.
   * Synchronous: no other attempt can slip in between the check and the count.
   */
  attempt(username: string, ip: string): Attempt | Held {
    const held = this.held(username, ip)
    if (held) return held
    const key = this.key(username, ip)
    this.fail(key, ip)
    return {
      succeeded: () => {
        const e = this.entries.get(key)
        this.entries.delete(key)
        // The failures this user made from here were a person mistyping, not spraying.
        if (e) this.addresses.give(ip, e.failures)
      },
    }
  }

  private fail(key: string, ip: string): void {
    const now = this.now()
    const e = this.entry(key) ?? { failures: 0, until: 0, last: now }
    e.failures++
    e.last = now
    const over = e.failures - this.options.free
    e.until =
      over > 0 ? now + Math.min(this.options.maxMs, this.options.baseMs * 2 ** (over - 1)) : 0
    this.entries.set(key, e)
    this.addresses.take(ip)
    if (this.entries.size > 100_000) this.prune(now)
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries)
      if (now - e.last > this.options.forgetMs) this.entries.delete(k)
  }
}
