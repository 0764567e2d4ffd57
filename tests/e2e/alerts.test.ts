// Alerts in Chromium (issue 6): a very urgent ticket logged on another console shows as a desktop
// notification (the browser's Notification API, permission granted to the console's origin) with
// its number; clicking it opens that ticket; switching the alert off in the settings overlay by
// keyboard (Ctrl+, Space Esc) stops the next one. Notifications are recorded by wrapping
// window.Notification before the page loads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadReferenceData } from '../../src/server/reference-files'
import { uuidv7 } from '../../src/shared/ids'
import { leafCategories } from '../../src/shared/reference-data'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('alerts.test.ts')

interface Note {
  title: string
  body: string
  tag: string
}

/** Runs in the page before its scripts (as text: these tests compile without the DOM's types):
 *  every notification made is recorded, then shown. */
const RECORD_NOTIFICATIONS = `
  window.__notes = []
  window.__noteObjects = []
  window.Notification = class Recorded extends window.Notification {
    constructor(title, options) {
      super(title, options)
      window.__notes.push({ title, body: options?.body ?? '', tag: options?.tag ?? '' })
      window.__noteObjects.push(this)
    }
  }
`

describe.skipIf(!ok)('alerts as desktop notifications', { timeout: 120_000 }, () => {
  let stack: Stack
  let agent: TestConsole
  let b: TestConsole
  let browser: Browser
  let q: QueuePage
  let sample: { category: string; district: string }
  let n = 0

  /** A very urgent call logged on the agent's console; its id and server number. */
  async function logVeryUrgent(): Promise<{ id: string; number: string }> {
    n++
    const id = uuidv7(Date.now())
    const r = await agent.core.call('ticket.act', {
      name: 'ticket.create',
      args: {
        ticket: {
          id,
          channel: 'phone',
          kind: 'help',
          category: sample.category,
          urgency: 'very_urgent',
          caller: { name: `急${n}`, phone: `1390000${String(2000 + n)}` },
          description: `燃气泄漏，楼道有明显气味（提醒测试 ${n}）`,
          location: { address: `镇江市提醒路${n}号`, district: sample.district },
        },
      },
    })
    if (!r.ok) throw new Error(r.error.message)
    for (let i = 0; i < 200; i++) {
      await agent.core.call('sync.now', {})
      const t = await agent.core.call('ticket.get', { id })
      if (t.ok && t.value.ticket.number) return { id, number: t.value.ticket.number }
      await new Promise((res) => setTimeout(res, 100))
    }
    throw new Error('the ticket got no number from the server')
  }

  const notes = () => browser.page.evaluate<Note[]>('window.__notes ?? []')

  beforeAll(async () => {
    stack = await startStack({ demoTickets: 60 })
    // Calls waiting for dispatch, whatever hour the demo data was made at (待派单 is the first view).
    await stack.logNewTickets(2)
    const data = await loadReferenceData()
    sample = {
      category: leafCategories(data.categories).find((c) => c.code.startsWith('01'))!.code,
      district: data.districts[0]!.code,
    }
    agent = await stack.console('agent')
    const login = await agent.core.call('session.login', { username: 'agent1', password: 'demo' })
    if (!login.ok) throw new Error(login.error.message)
    for (let i = 0; !(await agent.core.call('reference.get', {})).ok; i++) {
      if (i > 200) throw new Error('no reference data')
      await new Promise((res) => setTimeout(res, 100))
    }
    b = await stack.console('b', { backoffBaseMs: 100, backoffMaxMs: 1000 })
    browser = await launch()
    await browser.context.grantPermissions(['notifications'], {
      origin: new URL(b.host.url).origin,
    })
    await browser.page.addInitScript(RECORD_NOTIFICATIONS)
    q = new QueuePage(browser.page)
    const l = new LoginPage(browser.page)
    await l.open(b.host.url)
    await l.loginByKeyboard('dispatcher1')
    await q.waitForRows()
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('shows a very urgent ticket from another console; a click opens it', async () => {
    const { page } = browser
    expect(await page.evaluate('Notification.permission')).toBe('granted')
    const first = await logVeryUrgent()
    await expect.poll(notes, { timeout: 20_000 }).toHaveLength(1)
    const [note] = await notes()
    expect(note!.title).toBe(`特急工单 ${first.number}`)
    expect(note!.body).toContain('燃气泄漏')
    // Shown on the desktop, so not in the page as well; the bell counts it.
    expect(await page.getByTestId('alert-toasts').count()).toBe(0)
    await expect.poll(() => page.getByTestId('status-alerts').innerText()).toContain('1')

    // The person clicks the notification: that ticket opens in the pane.
    await page.evaluate(`(n => n.onclick.call(n, new Event('click')))(window.__noteObjects[0])`)
    await expect.poll(() => q.cursorTicketId(), { timeout: 10_000 }).toBe(first.id)
    await expect.poll(() => q.pane().innerText(), { timeout: 10_000 }).toContain(first.number)
    expect(pageProblems(page)).toEqual([])
  })

  it('switched off by keyboard in the settings overlay, the next one stays quiet', async () => {
    const { page } = browser
    await q.press('Escape')
    await q.press('Control+,')
    const overlay = page.getByTestId('settings-overlay')
    await overlay.waitFor()
    expect(await page.getByTestId('desktop-state').getAttribute('data-state')).toBe('granted')
    // The recent alert is listed; opening the overlay counts as having looked.
    expect(await overlay.locator('[data-alert-id]').count()).toBe(1)
    await expect.poll(() => page.getByTestId('status-alerts').innerText()).not.toContain('1')
    const veryUrgent = overlay.locator('[data-kind="very_urgent"]')
    await expect.poll(() => veryUrgent.getAttribute('aria-checked')).toBe('true')
    expect(await veryUrgent.getAttribute('class')).toContain('active')
    await screenshot(page, 'alerts-settings')
    await q.press('Space')
    await expect.poll(() => veryUrgent.getAttribute('aria-checked')).toBe('false')
    // ↓ and Space switch the next one; Space again puts it back.
    await q.press('ArrowDown', 'Space')
    const overdue = overlay.locator('[data-kind="overdue"]')
    await expect.poll(() => overdue.getAttribute('aria-checked')).toBe('false')
    await q.press('Space')
    await expect.poll(() => overdue.getAttribute('aria-checked')).toBe('true')
    // Down to the minutes: → adds five.
    await q.press('ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight')
    await expect.poll(() => overlay.locator('#waiting-minutes').inputValue()).toBe('35')
    await q.press('Escape')
    await overlay.waitFor({ state: 'detached' })
    const saved = await b.core.call('settings.get', {})
    expect(saved.ok && saved.value.notifications).toMatchObject({
      very_urgent: false,
      overdue: true,
      waitingMinutes: 35,
    })

    const second = await logVeryUrgent()
    await expect
      .poll(async () => (await b.core.call('ticket.get', { id: second.id })).ok, {
        timeout: 20_000,
      })
      .toBe(true)
    // Give the core's check (a quarter second after the change) time to have run.
    await new Promise((res) => setTimeout(res, 1500))
    expect(await notes()).toHaveLength(1)
    expect(await page.getByTestId('alert-toasts').count()).toBe(0)
    expect(pageProblems(page)).toEqual([])
  })

  it('without the permission, shows alerts inside the page and says why', async () => {
    const { page } = browser
    await browser.context.clearPermissions()
    await q.press('Control+,')
    const overlay = page.getByTestId('settings-overlay')
    await overlay.waitFor()
    const state = page.getByTestId('desktop-state')
    await expect.poll(() => state.getAttribute('data-state')).not.toBe('granted')
    expect(await state.innerText()).toContain('控制台内')
    // Switch very urgent alerts on again (the row under the cursor once the overlay opens).
    const veryUrgent = overlay.locator('[data-kind="very_urgent"]')
    await veryUrgent.click()
    await expect.poll(() => veryUrgent.getAttribute('aria-checked')).toBe('true')
    await q.press('Escape')
    await overlay.waitFor({ state: 'detached' })

    const third = await logVeryUrgent()
    const toast = page.getByTestId('alert-toasts').locator('.alert-toast')
    await expect.poll(() => toast.count(), { timeout: 20_000 }).toBe(1)
    expect(await toast.innerText()).toContain(`特急工单 ${third.number}`)
    await screenshot(page, 'alerts-toast')
    expect(await notes()).toHaveLength(1)
    // A click on it opens the ticket, like a notification's.
    await toast.click()
    await expect.poll(() => q.cursorTicketId(), { timeout: 10_000 }).toBe(third.id)
    expect(await toast.count()).toBe(0)
  })
})
