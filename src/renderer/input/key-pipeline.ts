// The one input pipeline (issue 13, STYLE.md 12): keys are run in the order typed, each against
// the state the key before it left. While a transition is pending — a layer opening, a ticket
// loading, a view or a range being fetched, an action being applied — keys are held, in order;
// when it settles they are run as if typed then (into a form that opened: its first field). A
// key whose state cannot be judged yet (the cursor's row not fetched) is held the same way. A held
// key waits at most `boundMs`; after that it and every key behind it are refused, visibly. No key
// is ever dropped without a word.
//
// Pure: no DOM, no React. The host replays keys (replay.ts) and shows refusals; the clock and the
// timers are the host's, so tests drive them.

/** A key as it was pressed: what `keydown` carried, enough to replay it. */
export interface Press {
  key: string
  code: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

/** A key press, or text an input method or a paste sent without key events. */
export type Held = ({ kind: 'key'; press: Press } | { kind: 'text'; text: string }) & {
  /** When it was held (the host's clock). */
  at: number
}

export interface PipelineHost {
  /** Runs a held key now, as if just typed. 'wait': its state still cannot be judged. */
  replay(k: Held): 'done' | 'wait'
  /** Tells the person these keys were not run, and why (the transition they waited for). */
  refuse(keys: Held[], why: string | null): void
  now(): number
  /** Runs `fn` after `ms`; returns a cancel function. */
  later(fn: () => void, ms: number): () => void
}

/** How long a key may wait for the state it needs (the issue: "bounded, e.g. 1 s"). */
export const HOLD_MS = 1000
/** A transition that never settles (a bug) stops holding keys after this. */
export const TRANSITION_MAX_MS = 10_000

export class KeyPipeline {
  private held: Held[] = []
  private transitions = new Map<number, { label: string; at: number }>()
  private nextId = 1
  private cancelDrain: (() => void) | null = null
  private cancelWatch: (() => void) | null = null
  private draining = false

  constructor(
    private readonly host: PipelineHost,
    readonly boundMs = HOLD_MS,
    readonly transitionMaxMs = TRANSITION_MAX_MS,
  ) {}

  /** Keys must be held now: a transition is pending, or earlier keys still wait (order). */
  holding(): boolean {
    this.expire()
    return this.held.length > 0 || this.transitions.size > 0
  }

  /** Keys waiting, oldest first (for tests and the status line). */
  waiting(): readonly Held[] {
    return this.held
  }

  /** What is pending, for a refusal's reason. */
  pending(): string | null {
    this.expire()
    const first = this.transitions.values().next()
    return first.done ? null : first.value.label
  }

  /** Holds a key (or text) behind the ones already waiting. */
  hold(k: Held): void {
    this.held.push(k)
    this.watch()
  }

  /**
   * A transition starts: keys are held until the returned function is called (once is enough;
   * later calls do nothing). Then the held keys run.
   */
  begin(label: string): () => void {
    const id = this.nextId++
    this.transitions.set(id, { label, at: this.host.now() })
    return () => {
      if (this.transitions.delete(id)) this.settle()
    }
  }

  /** The state moved (a render, a load): held keys get another look, one per turn. */
  settle(): void {
    if (this.held.length === 0 || this.cancelDrain) return
    // On a fresh stack: a replayed key's handlers must not run inside a render or an effect.
    this.cancelDrain = this.host.later(() => {
      this.cancelDrain = null
      this.drainOne()
    }, 0)
  }

  /** Runs the oldest held key if nothing is pending; schedules the next. */
  private drainOne(): void {
    if (this.draining) return
    this.expire()
    if (this.transitions.size > 0) return
    const k = this.held.shift()
    if (!k) return
    this.draining = true
    let verdict: 'done' | 'wait'
    try {
      verdict = this.host.replay(k)
    } finally {
      this.draining = false
    }
    if (verdict === 'wait') {
      // Still not judgeable: first in line again; the next settle (or the bound) decides.
      this.held.unshift(k)
      return
    }
    if (this.held.length === 0) this.stopWatch()
    else this.settle()
  }

  /** One timer for the oldest key's bound. */
  private watch(): void {
    if (this.cancelWatch || this.held.length === 0) return
    const wait = Math.max(0, this.held[0]!.at + this.boundMs - this.host.now())
    this.cancelWatch = this.host.later(() => {
      this.cancelWatch = null
      this.checkBound()
    }, wait)
  }

  private stopWatch(): void {
    this.cancelWatch?.()
    this.cancelWatch = null
  }

  private checkBound(): void {
    const head = this.held[0]
    if (!head) return
    if (this.host.now() - head.at < this.boundMs) return this.watch()
    // Waited long enough: the keys behind it were typed for the state it would have left, so
    // they go with it.
    const refused = this.held
    this.held = []
    this.cancelDrain?.()
    this.cancelDrain = null
    this.host.refuse(refused, this.pending())
  }

  private expire(): void {
    const now = this.host.now()
    for (const [id, t] of this.transitions)
      if (now - t.at > this.transitionMaxMs) {
        this.transitions.delete(id)
        console.warn(`type-ahead: "${t.label}" never settled; keys no longer wait for it`)
      }
  }
}
