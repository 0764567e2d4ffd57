// What the routes share: the store, the reference data (cached, with the rules context built
// from it), login backoff, clocks and settings.
import type { FastifyBaseLogger } from 'fastify'
import type { ReferenceData } from '../shared/reference'
import { makeRulesContext, type RulesContext } from '../shared/workflow'
import { LoginBackoff, type BackoffOptions } from './auth/backoff'
import { HashGate, type HashGateOptions } from './auth/hash-gate'
import { DEFAULT_SCRYPT, type ScryptParams } from './auth/passwords'
import { KeyedBuckets, type BucketOptions } from './http/buckets'
import type { ServerMetrics } from './metrics'
import type { Store } from './store'

/** How long a cached reference version is trusted before asking the store again. */
const REFERENCE_RECHECK_MS = 2000

export interface Reference {
  version: number
  data: ReferenceData
  rules: RulesContext
}

export interface ContextOptions {
  sessionTtlMs?: number
  /**
   * How often live sockets' sessions are checked again (expired, or ended on another server
   * process); 30 s.
   */
  liveSweepMs?: number
  scrypt?: ScryptParams
  backoff?: BackoffOptions
  /** Password hashes at once, and waiting (auth/hash-gate.ts). */
  loginHashes?: HashGateOptions
  /**
   * Public Open311 reads per client address (a channel reading with its api_key is not
   * limited): 60 at once, one more a second.
   */
  open311ReadLimit?: BucketOptions
  now?: () => number
}

export const DEFAULT_OPEN311_READ_LIMIT: BucketOptions = { capacity: 60, refillMs: 1000 }

export class ServerContext {
  readonly backoff: LoginBackoff
  readonly hashes: HashGate
  readonly open311Reads: KeyedBuckets
  readonly sessionTtlMs: number
  readonly liveSweepMs: number
  readonly scrypt: ScryptParams
  readonly now: () => number
  private cached: Reference | null = null
  private checkedAt = 0
  /** Set by buildServer to the app's logger. */
  log: FastifyBaseLogger | null = null
  /** Set by buildServer: counters that push and pull feed (GET /metrics). */
  metrics: ServerMetrics | null = null
  /**
   * Set by buildServer: a user's sessions may have ended (logout, revocation, deactivation, a
   * changed role or password) — their consoles' live sockets are checked and closed at once.
   */
  sessionsEnded: (userId: string) => void = () => {}

  constructor(
    readonly store: Store,
    options: ContextOptions = {},
  ) {
    this.now = options.now ?? Date.now
    this.backoff = new LoginBackoff(options.backoff, this.now)
    this.hashes = new HashGate(options.loginHashes)
    this.open311Reads = new KeyedBuckets(
      options.open311ReadLimit ?? DEFAULT_OPEN311_READ_LIMIT,
      this.now,
    )
    this.sessionTtlMs = options.sessionTtlMs ?? 12 * 3600_000
    this.liveSweepMs = options.liveSweepMs ?? 30_000
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT
  }

  /**
   * The newest reference data; re-read from the store when `fresh` (it just changed). Another
   * server instance may change it too: the cached version is checked at most every few seconds.
   */
  async reference(fresh = false): Promise<Reference> {
    if (this.cached && !fresh) {
      if (Date.now() - this.checkedAt < REFERENCE_RECHECK_MS) return this.cached
      const version = await this.store.referenceVersion()
      this.checkedAt = Date.now()
      if (version === this.cached.version) return this.cached
    }
    this.checkedAt = Date.now()
    const r = await this.store.latestReference()
    if (!r)
      throw new Error('the store holds no reference data (start with --demo or load resources)')
    if (this.cached?.version !== r.version)
      this.cached = { version: r.version, data: r.data, rules: makeRulesContext(r.data) }
    return this.cached
  }
}
