// Issue 18: a console core takes the changes the server sends on the live socket as pages — one
// that continues its cursor is applied without an HTTP pull — and pulls as before when the page
// does not continue its cursor or when it made the change itself (its outbox shrinks by a pull).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cleanup,
  draft,
  openConsole,
  startProxy,
  startServer,
  synced,
  waitFor,
  type ServerProcess,
} from './harness'

describe('pages on the live socket, in the console core', () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServer('sqlite', 10)
  }, 60_000)
  afterAll(cleanup, 60_000)

  it("applies another console's changes from the socket, without pulling them", async () => {
    const proxy = await startProxy(server.port)
    const watcher = await openConsole(proxy.url, 'supervisor1')
    const maker = await openConsole(server.url, 'dispatcher1')
    // The watcher has told the server its cursor (after its first pull).
    await new Promise((r) => setTimeout(r, 300))
    const pulls = proxy.state.pulls

    const d = draft()
    const id = d.ticket.id
    await maker.ok('ticket.act', { name: 'ticket.create', args: d })
    await waitFor(() => watcher.store.ticket(id)?.ticket.number != null, 5000)
    await maker.ok('ticket.act', { name: 'ticket.dispatch', args: { ticketId: id, unit: 'JK-UM' } })
    await waitFor(() => watcher.store.ticket(id)?.ticket.status === 'dispatched', 5000)
    expect(proxy.state.pulls, 'pulls by the watcher').toBe(pulls)
    expect(
      watcher.events.some((e) => e.type === 'tickets.changed' && e.payload.ids.includes(id)),
    ).toBe(true)

    // Its own change comes back by a pull, which acknowledges it: nothing left to push.
    const mine = draft()
    await watcher.ok('ticket.act', { name: 'ticket.create', args: mine })
    await waitFor(() => watcher.store.ticket(mine.ticket.id)?.ticket.number != null, 5000)
    await waitFor(() => synced(watcher), 5000)
    expect(proxy.state.pulls).toBeGreaterThan(pulls)
    expect((await watcher.ok('sync.status', {})).pending).toBe(0)
  })
})
