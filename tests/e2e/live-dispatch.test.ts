// Two consoles, each with its own web host, core and data folder, on one server: a dispatch made
// by keyboard on the first shows up live on the second, whose cursor stays where it was.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack } from './helpers/stack'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('live-dispatch.test.ts')

describe.skipIf(!ok)('a dispatch on one console, live on another', { timeout: 90_000 }, () => {
  let stack: Stack
  let a: Browser
  let b: Browser
  let qa: QueuePage
  let qb: QueuePage
  /** Set by the dispatch test for the unit's test. */
  let dispatched: { id: string; number: string; unitCode: string } | null = null

  beforeAll(async () => {
    stack = await startStack()
    await stack.logNewTickets(3)
    const [ca, cb] = [await stack.console('a'), await stack.console('b')]
    ;[a, b] = await Promise.all([launch(), launch()])
    qa = new QueuePage(a.page)
    qb = new QueuePage(b.page)
    const la = new LoginPage(a.page)
    const lb = new LoginPage(b.page)
    await la.open(ca.host.url)
    await la.loginByKeyboard('dispatcher1')
    await lb.open(cb.host.url)
    await lb.loginByKeyboard('supervisor1')
    await Promise.all([qa.waitForRows(), qb.waitForRows()])
  }, 120_000)
  afterAll(async () => {
    await a?.close()
    await b?.close()
    await stack?.close()
  })

  it('dispatches by keyboard (D, pinyin initials, Enter) and B sees it at once', async () => {
    // Both on 待派单; B's cursor on the last row, which A does not touch.
    expect(await qa.activeView()).toBe('new')
    const before = await qb.viewCount('new')
    expect(before).toBeGreaterThan(1)
    await qb.press('End')
    const bCursor = await qb.cursorTicketId()
    const target = await qa.cursorTicketId()
    expect(target).not.toBe(bCursor)

    await qa.press('Enter')
    await qa.pane().locator('[data-action="ticket.dispatch"]').waitFor()
    await qa.press('d')
    await a.page.locator('.dialog input[aria-label="unit"]:focus').waitFor()
    // Suggestions from the routing rules come first, before anything is typed.
    await qa.dispatchDialog().locator('.choices [role="option"]').first().waitFor()
    await screenshot(a.page, 'dispatch-dialog')
    await a.page.keyboard.type('zjs') // 镇江市… by pinyin initials
    const chosen = a.page.locator('.choices [role="option"][aria-selected="true"]')
    await expect.poll(() => chosen.innerText()).toMatch(/镇江市/)
    const [unitName, unitCode] = (await chosen.innerText()).split(/\s+/) as [string, string]
    const number = await qa.cursorRow().locator('[role="gridcell"]').first().innerText()
    await qa.press('Enter')
    await qa.dispatchDialog().waitFor({ state: 'detached' })
    await expect.poll(() => qa.toast().innerText()).toContain(unitName)

    // B: the ticket leaves 待派单, the count drops, the cursor stays on its own ticket.
    await expect
      .poll(() => b.page.locator(`.tbody [data-ticket-id="${target}"]`).count(), {
        timeout: 10_000,
      })
      .toBe(0)
    await expect.poll(() => qb.viewCount('new')).toBe(before - 1)
    expect(await qb.cursorTicketId()).toBe(bCursor)
    // And in B's 全部 view the ticket shows as dispatched to that unit.
    await qb.press('8', '/')
    await b.page.keyboard.type('status:dispatched')
    await qb.press('Enter')
    await expect
      .poll(async () => (await qb.rowTexts(50)).every((t) => t.includes('已派单')), {
        timeout: 10_000,
      })
      .toBe(true)
    await expect
      .poll(() => b.page.locator(`.tbody [data-ticket-id="${target}"]`).innerText(), {
        timeout: 10_000,
      })
      .toContain(unitName)
    await screenshot(b.page, 'live-second-console')
    expect(pageProblems(a.page)).toEqual([])
    expect(pageProblems(b.page)).toEqual([])
    dispatched = { id: target!, number, unitCode }
  })

  it('the unit signs for it and notes it by keyboard on a third console; A sees it live', async () => {
    expect(dispatched).not.toBeNull()
    const { id, number, unitCode } = dispatched!
    const cc = await stack.console('unit')
    const c = await launch()
    try {
      const qc = new QueuePage(c.page)
      const login = new LoginPage(c.page)
      await login.open(cc.host.url)
      await login.loginByKeyboard(`unit-${unitCode}`)
      await qc.waitForRows()
      // Find it by typing its number, then back to the queue.
      await qc.press('/')
      await c.page.keyboard.type(number)
      await qc.press('Enter')
      await expect.poll(() => qc.cursorTicketId(), { timeout: 10_000 }).toBe(id)
      await qc.press('Enter')
      await qc.pane().locator('[data-action="ticket.sign"]').waitFor()
      await qc.press('s')
      await expect.poll(() => qc.pane().innerText(), { timeout: 10_000 }).toContain('办理中')
      await qc.noteByKeyboard('已联系来电人，明天上午到现场')
      await expect
        .poll(() => qc.pane().locator('.timeline').innerText(), { timeout: 10_000 })
        .toContain('已联系来电人')
      await screenshot(c.page, 'unit-signed')
      expect(pageProblems(c.page)).toEqual([])

      // A, the dispatcher: the ticket is in progress there too, and the note is on its timeline.
      await qa.press('8', '/')
      await a.page.keyboard.type(number)
      await qa.press('Enter')
      await expect.poll(() => qa.cursorTicketId(), { timeout: 10_000 }).toBe(id)
      await expect.poll(() => qa.cursorRow().innerText(), { timeout: 10_000 }).toContain('办理中')
      await qa.press('Enter')
      await expect
        .poll(() => qa.pane().locator('.timeline').innerText(), { timeout: 10_000 })
        .toContain('已联系来电人')
    } catch (e) {
      await screenshot(c.page, 'failure-unit-console')
      await screenshot(a.page, 'failure-dispatcher-console')
      throw e
    } finally {
      await c.close()
    }
  })
})
