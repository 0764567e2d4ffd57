// Coalescing lookups (issue 18): calls that arrive together — in the same tick, or while the
// previous query is still on its way — are answered by one query for all of them. Each call's
// query starts after the call was made, so it reads nothing older than a query of its own would;
// what it saves is round trips, most of a busy server's cost for small statements.

/**
 * `run` answers a list of keys with one result per key, in order. At most `maxInFlight` queries
 * are out at once; calls made meanwhile wait and go out together with the next.
 */
export function coalesce<K, V>(
  run: (keys: K[]) => Promise<V[]>,
  maxInFlight = 1,
): (key: K) => Promise<V> {
  let pending: Array<{ key: K; resolve(v: V): void; reject(e: unknown): void }> = []
  let inFlight = 0
  let scheduled = false
  const flush = () => {
    scheduled = false
    if (inFlight >= maxInFlight || !pending.length) return
    const batch = pending
    pending = []
    inFlight++
    run(batch.map((p) => p.key))
      .then(
        (values) => batch.forEach((p, i) => p.resolve(values[i]!)),
        (e: unknown) => batch.forEach((p) => p.reject(e)),
      )
      .finally(() => {
        inFlight--
        flush()
      })
  }
  return (key) =>
    new Promise<V>((resolve, reject) => {
      pending.push({ key, resolve, reject })
      if (!scheduled) {
        scheduled = true
        queueMicrotask(flush)
      }
    })
}
