// Slowing down repeated failed logins, per username and address: after a few failures each
// further attempt must wait twice as long as the last, up to a cap. In memory: a restart forgets,
// which is fine for slowing guessing down (the hashes themselves are slow too).

export interface BackoffOptions {
  /** Failures allowed before any waiting. */
  free: number
  baseMs: number
  maxMs: number
  /** Failures older than this are forgotten. */
  forgetMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  free: 3,
  baseMs: 1000,
  maxMs: 5 * 60_000,
  forgetMs: 15 * 60_000,
}

interface Entry {
  failures: number
  until: number
  last: number
}

export class LoginBackoff {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {}

  private key(username: string, ip: string): string {
    return `${username.toLowerCase()}\u0000${ip}`
  }

  /** Milliseconds to wait before this attempt may be tried; 0 when it may go ahead. */
  waitMs(username: string, ip: string): number {
    const e = this.entries.get(this.key(username, ip))
    if (!e) return 0
    const now = this.now()
    if (now - e.last > this.options.forgetMs) {
      this.entries.delete(this.key(username, ip))
      return 0
    }
    return Math.max(0, e.until - now)
  }

  fail(username: string, ip: string): void {
    const key = this.key(username, ip)
    const now = this.now()
    const e = this.entries.get(key) ?? { failures: 0, until: 0, last: now }
    e.failures++
    e.last = now
    const over = e.failures - this.options.free
    e.until =
      over > 0 ? now + Math.min(this.options.maxMs, this.options.baseMs * 2 ** (over - 1)) : 0
    this.entries.set(key, e)
    if (this.entries.size > 100_000) this.prune(now)
  }

  succeed(username: string, ip: string): void {
    this.entries.delete(this.key(username, ip))
  }

  private prune(now: number): void {
    for (const [k, e] of this.entries)
      if (now - e.last > this.options.forgetMs) this.entries.delete(k)
  }
}
