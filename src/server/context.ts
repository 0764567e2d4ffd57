// What the routes share: the store, the reference data (cached, with the rules context built
// from it), login backoff, clocks and settings.
import type { FastifyBaseLogger } from 'fastify'
import type { ReferenceData } from '../shared/reference'
import { makeRulesContext, type RulesContext } from '../shared/workflow'
import { LoginBackoff, type BackoffOptions } from './auth/backoff'
import { DEFAULT_SCRYPT, type ScryptParams } from './auth/passwords'
import type { Store } from './store'

export interface Reference {
  version: number
  data: ReferenceData
  rules: RulesContext
}

export interface ContextOptions {
  sessionTtlMs?: number
  scrypt?: ScryptParams
  backoff?: BackoffOptions
  now?: () => number
}

export class ServerContext {
  readonly backoff: LoginBackoff
  readonly sessionTtlMs: number
  readonly scrypt: ScryptParams
  readonly now: () => number
  private cached: Reference | null = null
  /** Set by buildServer to the app's logger. */
  log: FastifyBaseLogger | null = null

  constructor(
    readonly store: Store,
    options: ContextOptions = {},
  ) {
    this.now = options.now ?? Date.now
    this.backoff = new LoginBackoff(options.backoff, this.now)
    this.sessionTtlMs = options.sessionTtlMs ?? 12 * 3600_000
    this.scrypt = options.scrypt ?? DEFAULT_SCRYPT
  }

  /** The newest reference data; re-read from the store when `fresh` (another instance changed it). */
  async reference(fresh = false): Promise<Reference> {
    if (this.cached && !fresh) return this.cached
    const r = await this.store.latestReference()
    if (!r)
      throw new Error('the store holds no reference data (start with --demo or load resources)')
    if (this.cached?.version !== r.version)
      this.cached = { version: r.version, data: r.data, rules: makeRulesContext(r.data) }
    return this.cached
  }
}
