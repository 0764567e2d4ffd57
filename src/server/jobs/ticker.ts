// A timer for a periodic job: never two runs at once, never keeping the process alive, and a
// stop that waits for the run in flight (so the store is not closed under it).

export interface Ticker {
  stop(): Promise<void>
}

/** Calls `run` soon after the start and then every `everyMs`; errors go to `onError`. */
export function startTicker(
  everyMs: number,
  run: () => Promise<unknown>,
  onError: (e: unknown) => void,
): Ticker {
  let inFlight: Promise<void> | null = null
  let stopped = false
  const tick = () => {
    if (stopped || inFlight) return
    inFlight = run()
      .then(
        () => {},
        (e: unknown) => onError(e),
      )
      .finally(() => (inFlight = null))
  }
  const first = setTimeout(tick, Math.min(everyMs, 1000))
  const timer = setInterval(tick, everyMs)
  first.unref()
  timer.unref()
  return {
    async stop() {
      stopped = true
      clearTimeout(first)
      clearInterval(timer)
      await inFlight
    },
  }
}
