// The baseline of a first sync (issue 18): the server's snapshot pages read over plain HTTP in
// turn and parsed, not stored — network, compression and JSON only. The pages are those the
// console core asks for (src/core/sync/pull.ts): 2,000 tickets up to the open count, then as
// many as the server serves (its first page's `maxLimit`).
import type { SnapshotResponse } from '../src/shared/sync'

export interface SnapshotRead {
  seconds: number
  rows: number
  /** Bytes of JSON, as decoded. */
  bytes: number
  pages: number
}

/** `encoding`: the accept-encoding asked for (fetch decodes gzip and brotli). */
export async function readSnapshot(
  url: string,
  token: string,
  encoding = 'gzip, deflate',
): Promise<SnapshotRead> {
  const t0 = performance.now()
  const out = { rows: 0, bytes: 0, pages: 0 }
  let seq: number | null = null
  let after: string | null = null
  let open = 0
  let max = 2000
  for (;;) {
    const limit = out.rows < open ? Math.min(2000, open - out.rows) : out.pages === 0 ? 2000 : max
    const q = new URLSearchParams({ limit: String(limit) })
    if (seq != null) q.set('seq', String(seq))
    if (after != null) q.set('after', after)
    const r = await fetch(`${url}/api/v1/sync/snapshot?${q}`, {
      headers: { authorization: `Bearer ${token}`, 'accept-encoding': encoding },
    })
    const text = await r.text()
    out.bytes += Buffer.byteLength(text)
    const page = JSON.parse(text) as SnapshotResponse
    if (out.pages++ === 0) {
      open = page.open ?? 0
      max = page.maxLimit ?? 2000
    }
    out.rows += page.tickets.length
    seq = page.seq
    after = page.next
    if (after == null) break
  }
  return { seconds: (performance.now() - t0) / 1000, ...out }
}
