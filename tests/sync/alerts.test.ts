// Alerts (issue 6) between real consoles on a real server: a very urgent ticket logged on one
// console alerts the others once (not the first sync's backlog, not its own author); a ticket
// turning overdue alerts once, also across a restart, and again only on a new occasion; returns
// and extensions waiting longer than the person's setting alert; a kind turned off stays quiet
// (and is not replayed when turned on again); settings are kept per user. The alerts' clock is
// moved by the test; the server and the other consoles keep real time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert, AlertKind } from '../../src/shared/alerts'
import { DEFAULT_SETTINGS } from '../../src/shared/settings'
import {
  cleanup,
  draft,
  openConsole,
  startServer,
  synced,
  tempDir,
  waitFor,
  type Core,
  type ServerProcess,
} from './harness'

const UNIT = 'JK-UM'
const MINUTE = 60_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A console whose alerts run on a clock the test moves, checking often, never summarizing. */
function clocked() {
  const clock = { offset: 0 }
  const extra = {
    alerts: { now: () => Date.now() + clock.offset, intervalMs: 100, burst: 100_000 },
  }
  return { clock, extra }
}
const FAST = { alerts: { intervalMs: 100 } }

const alertsOf = (c: Core, kind?: AlertKind, ticketId?: string): Alert[] =>
  c.events.flatMap((e) =>
    e.type === 'alert' &&
    (!kind || e.payload.kind === kind) &&
    (!ticketId || e.payload.ticketId === ticketId)
      ? [e.payload]
      : [],
  )

/** Logs a ticket on `a` and dispatches it to the unit; waits until `seen` holds it dispatched. */
async function dispatched(a: Core, seen: Core[], over: Record<string, unknown> = {}) {
  const d = draft(over)
  const id = d.ticket.id
  await a.ok('ticket.act', { name: 'ticket.create', args: d })
  await a.ok('ticket.act', { name: 'ticket.dispatch', args: { ticketId: id, unit: UNIT } })
  for (const c of seen)
    await waitFor(() => c.store.ticket(id)?.ticket.status === 'dispatched', 10_000)
  return id
}

describe('alerts', { timeout: 120_000 }, () => {
  let server: ServerProcess
  beforeAll(async () => {
    server = await startServer('sqlite', 20)
  }, 60_000)
  afterAll(cleanup, 60_000)

  it('a very urgent ticket alerts the other consoles once, but not the backlog', async () => {
    const a = await openConsole(server.url, 'dispatcher1', undefined, FAST)
    const backlog = draft({ urgency: 'very_urgent' })
    await a.ok('ticket.act', { name: 'ticket.create', args: backlog })
    await waitFor(() => synced(a) && a.store.ticket(backlog.ticket.id)?.ticket.number != null)

    // Consoles logging in now get the backlog in their first sync: no alerts for it.
    const b = await openConsole(server.url, 'supervisor1', undefined, FAST)
    const agent = await openConsole(server.url, 'agent1', undefined, FAST)
    const unit = await openConsole(server.url, `unit-${UNIT}`, undefined, FAST)
    expect(b.store.ticket(backlog.ticket.id)?.ticket.urgency).toBe('very_urgent')
    await sleep(600)
    expect(alertsOf(b)).toEqual([])
    expect(alertsOf(agent)).toEqual([])

    const d = draft({ urgency: 'very_urgent' })
    const id = d.ticket.id
    await a.ok('ticket.act', { name: 'ticket.create', args: d })
    await waitFor(() => alertsOf(b, 'very_urgent').length > 0)
    const [alert] = alertsOf(b)
    expect(alert).toMatchObject({ kind: 'very_urgent', ticketId: id, count: 1 })
    expect(alert!.ticketNumber).toMatch(/^\d{14}$/)
    expect(alert!.title.zh).toBe(`特急工单 ${alert!.ticketNumber}`)
    expect(alert!.title.en).toBe(`Very urgent ticket ${alert!.ticketNumber}`)
    expect(alert!.body.zh).toContain('梦溪路')
    // Agents hear of it too (the same emergency tends to ring again).
    await waitFor(() => alertsOf(agent, 'very_urgent', id).length === 1)

    // Dispatched to the unit: the unit hears of it; everyone else has heard already.
    await a.ok('ticket.act', { name: 'ticket.dispatch', args: { ticketId: id, unit: UNIT } })
    await waitFor(() => alertsOf(unit, 'very_urgent', id).length === 1)
    expect(alertsOf(unit)[0]!.title.zh).toContain('本单位')
    await waitFor(() => b.store.ticket(id)?.ticket.status === 'dispatched')
    await sleep(600)
    expect(alertsOf(b, 'very_urgent')).toHaveLength(1)
    expect(alertsOf(agent, 'very_urgent')).toHaveLength(1)
    expect(alertsOf(unit, 'very_urgent')).toHaveLength(1)
    // The dispatcher who logged it is not told of their own ticket.
    expect(alertsOf(a, 'very_urgent')).toEqual([])
  })

  it('a ticket turning overdue alerts once, not again after a restart', async () => {
    const a = await openConsole(server.url, 'dispatcher1')
    const unit = await openConsole(server.url, `unit-${UNIT}`)
    const { clock, extra } = clocked()
    const dir = tempDir()
    let b = await openConsole(server.url, 'supervisor1', dir, extra)
    const id = await dispatched(a, [b, unit])
    const ticket = () => b.store.ticket(id)!.ticket
    await sleep(300)
    expect(alertsOf(b, 'overdue', id)).toEqual([])

    // Past its sign-by time on B's clock, unsigned.
    clock.offset = Date.parse(ticket().signBy!) + MINUTE - Date.now()
    await waitFor(() => alertsOf(b, 'overdue', id).length > 0, 5000)
    const [alert] = alertsOf(b, 'overdue', id)
    expect(alert!.title.zh).toBe(`工单已超时 ${ticket().number}`)
    expect(alert!.body.zh).toContain('签收时限')
    await sleep(500)
    expect(alertsOf(b, 'overdue', id)).toHaveLength(1)

    // The console restarts (same data folder, same clock): nothing again.
    await b.close()
    b = await openConsole(server.url, null, dir, extra)
    await waitFor(() => synced(b), 10_000)
    await sleep(600)
    expect(alertsOf(b, 'overdue', id)).toEqual([])

    // Signed for, then past its due time: a new occasion, one more alert.
    await unit.ok('ticket.act', { name: 'ticket.sign', args: { ticketId: id } })
    await waitFor(() => ticket().status === 'in_progress', 10_000)
    clock.offset = Date.parse(ticket().dueAt!) + MINUTE - Date.now()
    await waitFor(() => alertsOf(b, 'overdue', id).length > 0, 5000)
    expect(alertsOf(b, 'overdue', id)[0]!.body.zh).toContain('办结时限')
    await sleep(500)
    expect(alertsOf(b, 'overdue', id)).toHaveLength(1)
    // Agents are not told of overdue tickets; they cannot act on them.
  })

  it('returns and extensions waiting too long alert; a kind turned off stays quiet', async () => {
    const a = await openConsole(server.url, 'dispatcher1')
    const unit = await openConsole(server.url, `unit-${UNIT}`)
    const { clock, extra } = clocked()
    const b = await openConsole(server.url, 'supervisor1', undefined, extra)
    await b.ok('settings.set', { notifications: { waitingMinutes: 5 } })

    const back = await dispatched(a, [b, unit])
    await unit.ok('ticket.act', {
      name: 'ticket.requestReturn',
      args: { ticketId: back, reason: '不属于本单位职责：该路段由市政部门管理' },
    })
    const later = await dispatched(a, [b, unit])
    await unit.ok('ticket.act', { name: 'ticket.sign', args: { ticketId: later } })
    const due = Date.parse(unit.store.ticket(later)!.ticket.dueAt!)
    await unit.ok('ticket.act', {
      name: 'ticket.requestExtension',
      args: {
        ticketId: later,
        until: new Date(due + 3600_000).toISOString(),
        reason: '需协调燃气公司停气检修',
      },
    })
    await waitFor(() => b.store.ticket(back)?.ticket.status === 'return_requested', 10_000)
    await waitFor(() => b.store.ticket(later)?.ticket.extension.state === 'requested', 10_000)
    await sleep(400)
    expect(alertsOf(b, 'return_waiting')).toEqual([])
    expect(alertsOf(b, 'extension_waiting')).toEqual([])

    clock.offset = 6 * MINUTE
    await waitFor(() => alertsOf(b, 'return_waiting', back).length > 0, 5000)
    await waitFor(() => alertsOf(b, 'extension_waiting', later).length > 0, 5000)
    const [ret] = alertsOf(b, 'return_waiting', back)
    expect(ret!.title.zh).toContain('退单待审')
    expect(ret!.body.zh).toMatch(/已等待 [67] 分钟：不属于本单位职责/)
    expect(alertsOf(b, 'extension_waiting', later)[0]!.body.en).toContain('需协调燃气公司')

    // Turned off: a second return waiting as long says nothing, nor when turned on again.
    await b.ok('settings.set', { notifications: { return_waiting: false } })
    const again = await dispatched(a, [b, unit])
    await unit.ok('ticket.act', {
      name: 'ticket.requestReturn',
      args: { ticketId: again, reason: '地址不在本辖区' },
    })
    await waitFor(() => b.store.ticket(again)?.ticket.status === 'return_requested', 10_000)
    clock.offset = 12 * MINUTE
    await sleep(600)
    expect(alertsOf(b, 'return_waiting', again)).toEqual([])
    await b.ok('settings.set', { notifications: { return_waiting: true } })
    await sleep(600)
    expect(alertsOf(b, 'return_waiting', again)).toEqual([])
    expect(alertsOf(b, 'return_waiting')).toHaveLength(1)
    // A unit is not the one to rule on returns: it hears of none.
    expect(alertsOf(unit, 'return_waiting')).toEqual([])
  })

  it('keeps settings per user, across logins and restarts, and checks them', async () => {
    const dir = tempDir()
    let c = await openConsole(server.url, 'supervisor1', dir)
    // With the console's own settings (issue 7): the server address, the data folder, and the
    // cache not encrypted (a plain Node core has no keychain).
    const defaults = {
      ...DEFAULT_SETTINGS,
      serverUrl: server.url,
      dataDir: dir,
      cache: { encrypted: false, keyStore: null, reason: 'keychain_unavailable' },
    }
    expect(await c.ok('settings.get')).toEqual(defaults)
    const set = await c.ok('settings.set', {
      notifications: { overdue: false, waitingMinutes: 45 },
    })
    expect(set.notifications).toEqual({
      ...DEFAULT_SETTINGS.notifications,
      overdue: false,
      waitingMinutes: 45,
    })
    for (const bad of [{ waitingMinutes: 2 }, { waitingMinutes: 1441 }, { overdue: 'no' }]) {
      const r = await c.call('settings.set', { notifications: bad })
      expect(r.ok).toBe(false)
      if (!r.ok) expect(r.error.code).toBe('invalid_input')
    }

    await c.ok('session.logout')
    await c.ok('session.login', { username: 'dispatcher1', password: 'demo' })
    expect(await c.ok('settings.get')).toEqual(defaults)
    await c.ok('session.logout')
    await c.ok('session.login', { username: 'supervisor1', password: 'demo' })
    expect(await c.ok('settings.get')).toEqual(set)

    await c.close()
    c = await openConsole(server.url, null, dir)
    expect(await c.ok('settings.get')).toEqual(set)
    // Nobody logged in: the defaults and the console's own settings show (the login screen and
    // the first run need the server address), but no one's alerts may be set. (A fresh console:
    // ending a test logged out keeps the server process from stopping — see the report.)
    const nobody = await openConsole(server.url, null)
    expect((await nobody.ok('settings.get')).notifications).toEqual(DEFAULT_SETTINGS.notifications)
    const r = await nobody.call('settings.set', { notifications: { overdue: false } })
    expect(r.ok ? null : r.error.code).toBe('not_logged_in')
  })
})
