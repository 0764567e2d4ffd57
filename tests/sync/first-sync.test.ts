// Issue 18: a first sync says when the console is usable — every open ticket is in, since the
// snapshot sends them first — while the recently closed ones go on loading in the background.
import { afterAll, describe, expect, it } from 'vitest'
import type { ApiResults, SnapshotProgress } from '../../src/shared/api'
import { cleanup, openConsole, startServer, synced, waitFor } from './harness'

afterAll(cleanup)

describe('a first sync', () => {
  it('is usable once the open tickets are in, before the last page', async () => {
    const server = await startServer('sqlite', 300)
    const c = await openConsole(server.url, null, undefined, {
      sync: {
        snapshotPageLimit: 25,
        snapshotBulkPageLimit: 25,
        backoffBaseMs: 100,
        backoffMaxMs: 1000,
      },
    })
    const seen: Array<SnapshotProgress & { openInCache: number; openInCacheAt: number }> = []
    const status = () => c.handlers['sync.status']({}) as ApiResults['sync.status']
    const openInCache = async () => {
      const r = await c.call('queue.query', {
        filter: {
          view: 'all',
          status: ['new', 'dispatched', 'in_progress', 'return_requested', 'replied'],
        },
        limit: 1,
      })
      if (!r.ok) throw new Error(r.error.message)
      return r.value.total
    }
    let watching = true
    const watch = (async () => {
      while (watching) {
        const s = status().snapshot
        if (s && (seen.length === 0 || seen.at(-1)!.loaded !== s.loaded))
          seen.push({ ...s, openInCache: await openInCache(), openInCacheAt: s.loaded })
        await new Promise((r) => setTimeout(r, 1))
      }
    })()
    await c.ok('session.login', { username: 'dispatcher1', password: 'demo' })
    await waitFor(() => synced(c), 60_000)
    watching = false
    await watch

    const known = seen.filter((s) => s.total != null)
    expect(known.length).toBeGreaterThan(2)
    const { total, open } = known[0]!
    expect(open).toBeGreaterThan(0)
    expect(open!).toBeLessThan(total!)
    // Usable exactly when the open tickets are all in — and they are in the cache by then.
    for (const s of known) expect(s.usable).toBe(s.loaded >= open!)
    const firstUsable = known.find((s) => s.usable)
    expect(firstUsable).toBeDefined()
    expect(firstUsable!.openInCache).toBe(open)
    expect(firstUsable!.loaded).toBeLessThan(total!)
  })

  it('reads the closed tickets in larger pages once the open ones are in, and all of them', async () => {
    const server = await startServer('sqlite', 300)
    const c = await openConsole(server.url, null, undefined, {
      sync: {
        snapshotPageLimit: 5,
        snapshotBulkPageLimit: 200,
        backoffBaseMs: 100,
        backoffMaxMs: 1000,
      },
    })
    const loaded: number[] = []
    let open: number | null = null
    let total: number | null = null
    let watching = true
    const watch = (async () => {
      while (watching) {
        const s = (c.handlers['sync.status']({}) as ApiResults['sync.status']).snapshot
        if (s?.total != null && loaded.at(-1) !== s.loaded) {
          loaded.push(s.loaded)
          ;({ open, total } = s)
        }
        await new Promise((r) => setTimeout(r, 1))
      }
    })()
    await c.ok('session.login', { username: 'dispatcher1', password: 'demo' })
    await waitFor(() => synced(c), 60_000)
    watching = false
    await watch
    expect(open).toBeGreaterThan(5)
    // Each page's progress lasts until the next one is applied (the last one's may be missed).
    const pages = loaded.slice(1).map((n, i) => n - loaded[i]!)
    // Pages of 5 up to exactly the open count (so usable comes as soon as it can), then of 200.
    expect(loaded).toContain(open)
    for (const [i, n] of pages.entries())
      expect(n).toBeLessThanOrEqual(loaded[i]! < open! ? 5 : 200)
    expect(Math.max(...pages)).toBeGreaterThan(5)
    const all = await c.call('queue.query', { filter: { view: 'all' }, limit: 1 })
    expect(all.ok && all.value.total).toBe(total)
  })
})
