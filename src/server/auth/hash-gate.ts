// A bound on password hashes running at once (issue 12, finding 2). Each scrypt takes ~32 MiB and
// tens of milliseconds of a core; a burst of logins — an attack, or a whole shift logging in —
// would otherwise run them all together, starving every other request and the memory. Hashes
// beyond `atOnce` wait in order; beyond `waiting` more, the login is turned away at once (503,
// try again in a second) rather than queued without end.
import { availableParallelism } from 'node:os'

export interface HashGateOptions {
  atOnce: number
  waiting: number
}

/** One hash per core (at most 4, libuv's default thread pool), and 200 waiting. */
export const DEFAULT_HASH_GATE: HashGateOptions = {
  atOnce: Math.min(4, Math.max(1, availableParallelism())),
  waiting: 200,
}

/** A place in the gate, held from the moment a login is let in until its hash has run. */
export interface HashSlot {
  run<T>(hash: () => Promise<T>): Promise<T>
  /** Gives the place back unused (the login failed before hashing). */
  release(): void
}

export class HashGate {
  private running = 0
  private readonly queue: Array<() => void> = []
  /** Logins let in whose hash has not started yet (they still look up the user). */
  private admitted = 0
  /** The most hashes ever running at once (GET /metrics). */
  peak = 0

  constructor(readonly options: HashGateOptions = DEFAULT_HASH_GATE) {}

  get stats(): { running: number; waiting: number; peak: number } {
    return { running: this.running, waiting: this.queue.length + this.admitted, peak: this.peak }
  }

  /**
   * A place for one hash, taken now (synchronously, so a burst is counted as it arrives), or
   * null when the running and waiting places are all taken.
   */
  enter(): HashSlot | null {
    const taken = this.running + this.queue.length + this.admitted
    if (taken >= this.options.atOnce + this.options.waiting) return null
    this.admitted++
    let used = false
    const leave = () => {
      if (used) return false
      used = true
      this.admitted--
      return true
    }
    return {
      run: (hash) => {
        if (!leave()) throw new Error('a hash slot runs once')
        return this.run(hash)
      },
      release: () => void leave(),
    }
  }

  private async run<T>(hash: () => Promise<T>): Promise<T> {
    // A finished hash hands its place to the next in line (it stays counted as running), so a
    // login arriving meanwhile cannot take it as well.
    if (this.running >= this.options.atOnce) await new Promise<void>((go) => this.queue.push(go))
    else this.running++
    this.peak = Math.max(this.peak, this.running)
    try {
      return await hash()
    } finally {
      const next = this.queue.shift()
      if (next) next()
      else this.running--
    }
  }
}
