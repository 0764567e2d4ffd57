// One retry waiting at a time, with the attempt count its backoff grows by (the sync client's
// pull after a failure, and its pull again while PostgreSQL holds changes back).
export class RetryTimer {
  private timer: NodeJS.Timeout | null = null
  /** Attempts so far; the owner resets it when the thing retried succeeds. */
  attempt = 0

  get pending(): boolean {
    return this.timer !== null
  }

  /** Runs `fn` after `delayMs` unless a retry is already waiting (then nothing changes). */
  schedule(delayMs: number, fn: () => void): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      fn()
    }, delayMs)
    // A retry never keeps the process alive on its own.
    this.timer.unref()
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
