// Issue 16 through real console cores: a ticket passed city → 京口区 sub-centre → street, the
// street's console acting while its pushes fail (offline), rebased over what the other levels
// did meanwhile — kept when still valid, refused with a reason when the sub-centre re-routed the
// ticket away — and the unit's inbox at each level, and the figures per level, from the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cleanup,
  draft,
  openConsole,
  serverState,
  startProxy,
  startServer,
  synced,
  testEngines,
  waitFor,
  type Core,
  type ServerProcess,
} from './harness'

describe.each(await testEngines())('dispatch levels through consoles on %s', (engine) => {
  let server: ServerProcess
  let city: Core
  let centre: Core
  beforeAll(async () => {
    server = await startServer(engine, 10)
    city = await openConsole(server.url, 'dispatcher1')
    centre = await openConsole(server.url, 'unit-JK-CENTER')
  }, 90_000)
  afterAll(cleanup, 60_000)

  const act = (c: Core, name: string, args: Record<string, unknown>) =>
    c.ok('ticket.act', { name, args })
  const inbox = async (c: Core) =>
    (await c.ok('queue.query', { filter: { view: 'mine' }, limit: 500 })).rows.map((r) => r.id)
  /** A new ticket, dispatched by the city to the sub-centre, signed and passed to JK-ZDL. */
  const passedDown = async () => {
    const d = draft()
    const id = d.ticket.id
    await act(city, 'ticket.create', d)
    await act(city, 'ticket.dispatch', { ticketId: id, unit: 'JK-CENTER' })
    await waitFor(() => synced(city) && centre.store.ticket(id) != null, 20_000)
    expect(await inbox(centre)).toContain(id)
    await act(centre, 'ticket.sign', { ticketId: id })
    await act(centre, 'ticket.dispatchDown', { ticketId: id, unit: 'JK-ZDL' })
    await waitFor(() => synced(centre), 20_000)
    return id
  }

  it('keeps a street’s offline sign and reply, rebased over the sub-centre’s urging', async () => {
    const id = await passedDown()
    // Passed down, the ticket waits on the street now, not on the sub-centre.
    expect(await inbox(centre)).not.toContain(id)
    const proxy = await startProxy(server.port)
    const street = await openConsole(proxy.url, 'unit-JK-ZDL')
    await waitFor(() => street.store.ticket(id) != null, 20_000)
    expect(await inbox(street)).toContain(id)
    proxy.state.failPushes = true
    await act(street, 'ticket.sign', { ticketId: id })
    await act(street, 'ticket.reply', { ticketId: id, text: '已现场处理完毕', resolved: true })
    expect((await street.ok('sync.status')).pending).toBe(2)
    // Meanwhile the city urges: the street's pull brings it, its two actions stay on top.
    await act(city, 'ticket.urge', { ticketId: id, text: '请尽快' })
    await waitFor(() => street.store.ticket(id)?.ticket.counts.urges === 1, 20_000)
    const local = street.store.ticket(id)!.ticket
    expect(local.assignments!.find((a) => a.unit === 'JK-ZDL')?.state).toBe('replied')
    proxy.state.failPushes = false
    await waitFor(() => synced(street), 20_000)
    const s = await serverState(server.url)
    const onServer = s.tickets.get(id)!
    expect(onServer.assignments!.find((a) => a.unit === 'JK-ZDL')).toMatchObject({
      state: 'replied',
      reply: { text: '已现场处理完毕' },
    })
    // The reply waits on the sub-centre's review, in its inbox; it approves, the city sees it.
    await waitFor(async () => (await inbox(centre)).includes(id), 20_000)
    await act(centre, 'ticket.reviewReply', { ticketId: id, approve: true })
    await waitFor(() => city.store.ticket(id)?.ticket.status === 'replied', 20_000)
    // The figures per level, from the sub-centre's own cache.
    const from = new Date(Date.now() - 86_400_000).toISOString()
    const to = new Date(Date.now() + 30 * 86_400_000).toISOString()
    const figs = await centre.ok('report.levels', { from, to })
    expect(figs.levels.map((l) => `${l.level}:${l.unit}`)).toEqual(
      expect.arrayContaining(['subcentre:JK-CENTER', 'street:JK-ZDL']),
    )
  })

  it('refuses, with the reason, what the street did offline after the sub-centre re-routed it', async () => {
    const id = await passedDown()
    const proxy = await startProxy(server.port)
    const street = await openConsole(proxy.url, 'unit-JK-ZDL')
    await waitFor(() => street.store.ticket(id) != null, 20_000)
    proxy.state.failPushes = true
    await act(street, 'ticket.sign', { ticketId: id })
    await act(centre, 'ticket.reroute', {
      ticketId: id,
      unit: 'JK-DSK',
      reason: '属大市口街道',
    })
    await waitFor(() => synced(centre), 20_000)
    proxy.state.failPushes = false
    await waitFor(() => synced(street), 20_000)
    const rejected = await street.ok('sync.rejected')
    expect(rejected.map((r) => [r.name, r.code])).toEqual([['ticket.sign', 'not_your_unit']])
    // The street no longer has it; the server never applied the sign.
    await waitFor(() => street.store.ticket(id) == null, 20_000)
    const s = await serverState(server.url)
    expect(s.tickets.get(id)!.assignments!.map((a) => [a.unit, a.state])).toEqual([
      ['JK-CENTER', 'signed'],
      ['JK-ZDL', 'recalled'],
      ['JK-DSK', 'dispatched'],
    ])
  })
})
