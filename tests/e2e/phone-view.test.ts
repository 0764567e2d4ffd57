// Seeing a citizen's full number (issue 7), by keyboard in Chromium across three consoles on one
// server: the agent's pane shows the number masked until V, which shows it in full and records
// the view; the supervisor's console shows "查看号码" with the agent's name on that ticket's
// timeline; a unit's user on an anonymous caller's ticket presses V and is refused, the number
// still masked, nothing recorded; the callback form (C) shows the agent the number to dial, and
// that view is recorded too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadReferenceData } from '../../src/server/reference-files'
import { uuidv7 } from '../../src/shared/ids'
import { leafCategories } from '../../src/shared/reference-data'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { FormsPage } from './pages/forms-page'
import { LoginPage } from './pages/login-page'

const ok = chromiumOrSkip('phone-view.test.ts')
const ANON_PHONE = '13912340000'
const CALL_PHONE = '13655550000'

/** Set-up's wait (expect.poll works only inside a test). */
async function until(ok: () => Promise<boolean>, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; !(await ok()); await new Promise((r) => setTimeout(r, 100)))
    if (Date.now() > end) throw new Error('set-up timed out')
}

describe.skipIf(!ok)('viewing a full phone number, by keyboard', { timeout: 180_000 }, () => {
  let stack: Stack
  let agent: Awaited<ReturnType<typeof open>>
  let named: string
  let anonymous: string
  let toCall: string
  let unit: string
  const opened: Browser[] = []

  const detail = async (c: TestConsole, id: string) => {
    const r = await c.core.call('ticket.get', { id })
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  }
  /** A console of its own in its own browser, logged in, its queue loaded. */
  const open = async (username: string) => {
    const c = await stack.console(`${username}-${Date.now()}`)
    const b = await launch()
    opened.push(b)
    const login = new LoginPage(b.page)
    await login.open(c.host.url)
    await login.loginByKeyboard(username)
    const q = new FormsPage(b.page)
    await q.waitForRows()
    return { c, b, q }
  }
  /** Waits until a console's cache holds the ticket. */
  const held = async (c: TestConsole, id: string) =>
    expect
      .poll(async () => (await c.core.call('ticket.get', { id })).ok, { timeout: 30_000 })
      .toBe(true)

  beforeAll(async () => {
    stack = await startStack({ demoTickets: 60 })
    named = (await stack.logNewTickets(1))[0]!
    // An anonymous caller's ticket, dispatched to a unit (set up through a dispatcher's core).
    const ref = await loadReferenceData()
    unit = ref.units.find((u) => u.active)!.code
    const dc = await stack.console('dispatcher-setup')
    const login = await dc.core.call('session.login', { username: 'dispatcher1', password: 'demo' })
    if (!login.ok) throw new Error(login.error.message)
    await until(async () => (await dc.core.call('reference.get', {})).ok)
    anonymous = uuidv7(Date.now())
    toCall = uuidv7(Date.now() + 1)
    const leaf = leafCategories(ref.categories).find((c) => c.code.startsWith('01'))!.code
    const ticket = (id: string, caller: object) => ({
      ticket: {
        id,
        channel: 'phone',
        kind: 'report',
        category: leaf,
        caller,
        description: '夜间偷排污水',
        location: { address: '镇江市测试路99号', district: ref.districts[0]!.code },
      },
    })
    for (const [name, args] of [
      [
        'ticket.create',
        ticket(anonymous, { name: '不愿透露', phone: ANON_PHONE, anonymous: true }),
      ],
      ['ticket.create', ticket(toCall, { name: '周先生', phone: CALL_PHONE })],
      ['ticket.dispatch', { ticketId: anonymous, unit }],
      ['ticket.dispatch', { ticketId: toCall, unit }],
    ] as const) {
      const r = await dc.core.call('ticket.act', { name, args })
      if (!r.ok) throw new Error(r.error.message)
    }
    await until(async () => {
      const s = await dc.core.call('sync.now', {})
      return s.ok && s.value.pending === 0
    })
  }, 180_000)
  afterAll(async () => {
    for (const b of opened) await b.close()
    await stack?.close()
  })

  it('V shows the agent the full number, and the supervisor sees the view recorded', async () => {
    agent = await open('agent1')
    await held(agent.c, named)
    const { displayNumber, ticket } = await detail(agent.c, named)
    const full = ticket.caller.phone!
    const masked = `${full.slice(0, 3)}****${full.slice(-4)}`
    await agent.q.press('8')
    await agent.q.find(displayNumber, named)
    const phone = agent.q.pane().locator('.caller-phone')
    expect(await phone.innerText()).toBe(masked)
    await agent.q.offers('ticket.viewPhone')
    await agent.q.press('v')
    await agent.q.pane().locator('.caller-phone[data-revealed="yes"]').waitFor()
    expect(await phone.innerText()).toBe(full)
    await screenshot(agent.b.page, 'phone-revealed')
    // The view went out: the agent's own timeline shows it once, and nothing waits to be sent.
    await expect
      .poll(
        async () =>
          (await agent.c.core.call('sync.now', {})).ok && (await detail(agent.c, named)).pending,
      )
      .toBe(false)
    expect(
      (await detail(agent.c, named)).events.filter((e) => e.type === 'phone_viewed'),
    ).toHaveLength(1)

    const sup = await open('supervisor1')
    await held(sup.c, named)
    await sup.q.press('8')
    await sup.q.find(displayNumber, named)
    const entry = sup.q.pane().locator('.timeline li', { hasText: '查看号码' })
    await entry.waitFor({ timeout: 30_000 })
    expect(await entry.innerText()).toContain('王芳（话务员）')
    expect(await entry.count()).toBe(1)
    // The supervisor's pane, too, shows the number masked until asked.
    expect(await sup.q.pane().locator('.caller-phone').innerText()).toBe(masked)
    await screenshot(sup.b.page, 'phone-view-on-timeline')
    expect(pageProblems(agent.b.page)).toEqual([])
    expect(pageProblems(sup.b.page)).toEqual([])
  })

  it('a unit’s user on an anonymous caller’s ticket is refused, the number still masked', async () => {
    const u = await open(`unit-${unit}`)
    await held(u.c, anonymous)
    const d = await detail(u.c, anonymous)
    // The cache itself never held the full number.
    expect(JSON.stringify(d)).not.toContain(ANON_PHONE)
    await u.q.press('8')
    await u.q.find(d.displayNumber, anonymous)
    const phone = u.q.pane().locator('.caller-phone')
    expect(await phone.innerText()).toBe('139****0000')
    await u.q.press('v')
    const toast = u.q.toast()
    await toast.filter({ hasText: '匿名来电' }).waitFor()
    expect(await toast.getAttribute('class')).toContain('error')
    await screenshot(u.b.page, 'phone-view-refused')
    expect(await phone.innerText()).toBe('139****0000')
    expect(await phone.getAttribute('data-revealed')).toBe('no')
    const after = await detail(u.c, anonymous)
    expect(after.events.filter((e) => e.type === 'phone_viewed')).toEqual([])
    expect(after.pending).toBe(false)
    expect(pageProblems(u.b.page)).toEqual([])
    // The agent's console never saw a view of that ticket either.
    await held(agent.c, anonymous)
    const seen = await detail(agent.c, anonymous)
    expect(seen.events.filter((e) => e.type === 'phone_viewed')).toEqual([])
  })

  it('the callback form (C) shows the agent the number to dial, and records the view', async () => {
    // The unit signs and replies (through its core: set-up, not what is tested here).
    const uc = await stack.console('unit-core')
    const login = await uc.core.call('session.login', {
      username: `unit-${unit}`,
      password: 'demo',
    })
    if (!login.ok) throw new Error(login.error.message)
    await held(uc, toCall)
    for (const [name, args] of [
      ['ticket.sign', { ticketId: toCall }],
      ['ticket.reply', { ticketId: toCall, text: '已现场查处', resolved: true }],
    ] as const) {
      const r = await uc.core.call('ticket.act', { name, args })
      if (!r.ok) throw new Error(r.error.message)
    }
    await until(async () => {
      const s = await uc.core.call('sync.now', {})
      return s.ok && s.value.pending === 0
    })
    await expect
      .poll(async () => (await detail(agent.c, toCall)).ticket.status, { timeout: 30_000 })
      .toBe('replied')
    await agent.q.find((await detail(agent.c, toCall)).displayNumber, toCall)
    await agent.q.offers('ticket.callback')
    expect(await agent.q.pane().locator('.caller-phone').innerText()).toBe('136****0000')
    await agent.q.press('c')
    const form = agent.q.form('callback')
    await form.waitFor()
    expect(await form.locator('.caller-phone').innerText()).toBe(CALL_PHONE)
    await screenshot(agent.b.page, 'callback-number')
    await expect
      .poll(async () =>
        (await detail(agent.c, toCall)).events
          .filter((e) => e.type === 'phone_viewed')
          .map((e) => e.data.via),
      )
      .toEqual(['callback'])
    await agent.q.press('Escape')
    await form.waitFor({ state: 'detached' })
    expect(pageProblems(agent.b.page)).toEqual([])
  })
})
