// Two consoles dispatch the same ticket while the server is down. When it is back, one dispatch
// stands and the other is refused: that console says so with the server's reason, lists it on
// Alt+R, and lets the person dismiss it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip, launch, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack } from './helpers/stack'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('rejected.test.ts')
const fast = { backoffBaseMs: 200, backoffMaxMs: 1000, pullIntervalMs: 2000 }

describe.skipIf(!ok)('a change the server refuses', { timeout: 90_000 }, () => {
  let stack: Stack
  const browsers: Browser[] = []
  const queues: QueuePage[] = []

  beforeAll(async () => {
    stack = await startStack()
    await stack.logNewTickets(3)
    for (const user of ['dispatcher1', 'supervisor1']) {
      const c = await stack.console(user, fast)
      const b = await launch()
      browsers.push(b)
      const login = new LoginPage(b.page)
      await login.open(c.host.url)
      await login.loginByKeyboard(user)
      const q = new QueuePage(b.page)
      await q.waitForRows()
      await q.waitForConnection('online')
      queues.push(q)
    }
  }, 120_000)
  afterAll(async () => {
    for (const b of browsers) await b.close()
    await stack?.close()
  })

  it('shows the refusal with its reason on the console that lost', async () => {
    const [qa, qb] = queues as [QueuePage, QueuePage]
    const target = await qa.cursorTicketId()
    expect(await qb.cursorTicketId()).toBe(target)
    await stack.stopServer()
    for (const q of queues)
      await expect
        .poll(() => q.connection().getAttribute('data-state'), { timeout: 15_000 })
        .toBe('offline')
    await qa.dispatchByKeyboard('')
    await qb.dispatchByKeyboard('')
    await stack.restartServer()

    const rejected = async (q: QueuePage) =>
      Number((await q.page.getByTestId('status-rejected').innerText()).replace(/\D/g, ''))
    await expect
      .poll(async () => (await rejected(qa)) + (await rejected(qb)), { timeout: 30_000 })
      .toBe(1)
    const loser = (await rejected(qa)) === 1 ? qa : qb
    await expect.poll(() => loser.toast().innerText()).toMatch(/派|dispatch/)
    await loser.press('Alt+R')
    const list = loser.page.locator('.rejected-list')
    await expect.poll(() => list.locator('li').count()).toBe(1)
    expect(await list.innerText()).toContain('派单')
    await screenshot(loser.page, 'rejected')
    await loser.press('Delete')
    await expect.poll(() => list.locator('li').count()).toBe(0)
    await loser.press('Escape')
    await expect.poll(() => rejected(loser)).toBe(0)
  })
})
