// Issue 19 in the browser: with no official year for today, a supervisor's console says so in a
// banner (a dispatcher's does not), the dispatch preview and the ticket pane mark the deadlines
// 暂定; an admin enters the year in one request, and the dispatcher's pane drops the mark live,
// with the recount on the timeline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { statutoryYear } from '../../src/shared/holidays'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack } from './helpers/stack'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'
import { calendarData } from '../helpers/calendar'

const ok = chromiumOrSkip('calendar.test.ts')

/** The city's current year (Asia/Shanghai). */
const cityYear = () =>
  Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format())

describe.skipIf(!ok)('the working calendar on the consoles', { timeout: 120_000 }, () => {
  let stack: Stack
  let sup: Browser
  let disp: Browser
  let admin = ''
  const api = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(stack.server.url + path, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: r.status, body: (await r.json()) as Record<string, unknown> }
  }

  beforeAll(async () => {
    stack = await startStack({ demoTickets: 40 })
    const login = await fetch(`${stack.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin1', password: 'demo' }),
    })
    admin = ((await login.json()) as { token: string }).token
    // No official year at all: everything is counted on the statutory holidays.
    const put = await api('PUT', '/api/v1/admin/calendar', { ...calendarData, years: {} })
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    await stack.logNewTickets(2)
    const [cs, cd] = [await stack.console('sup'), await stack.console('disp')]
    ;[sup, disp] = await Promise.all([launch(), launch()])
    await new LoginPage(sup.page).open(cs.host.url)
    await new LoginPage(sup.page).loginByKeyboard('supervisor1')
    await new LoginPage(disp.page).open(cd.host.url)
    await new LoginPage(disp.page).loginByKeyboard('dispatcher1')
  }, 150_000)
  afterAll(async () => {
    await sup?.close()
    await disp?.close()
    await stack?.close()
  })

  it('tells the supervisor, not the dispatcher, that the calendar has run out', async () => {
    const banner = sup.page.locator('.calendar-banner')
    await expect
      .poll(() => banner.innerText(), { timeout: 15_000 })
      .toContain('没有今年的正式节假日安排')
    expect(await banner.innerText()).toContain(`PUT /api/v1/admin/calendar/years/${cityYear()}`)
    await screenshot(sup.page, 'calendar-banner')
    await new QueuePage(disp.page).waitForRows()
    expect(await disp.page.locator('.calendar-banner').count()).toBe(0)
  })

  it('marks the deadlines 暂定 in the dispatch preview and in the pane', async () => {
    const q = new QueuePage(disp.page)
    await q.waitForRows()
    const id = await q.cursorTicketId()
    const number = await q.cursorRow().locator('[role="gridcell"]').first().innerText()
    await q.press('Enter')
    await q.pane().locator('[data-action="ticket.dispatch"]').waitFor()
    await q.press('d')
    await disp.page.locator('.dialog input[aria-label="unit"]:focus').waitFor()
    await expect
      .poll(() => q.dispatchDialog().locator('.provisional-badge').innerText())
      .toBe('暂定')
    await screenshot(disp.page, 'calendar-dispatch-provisional')
    await q.press('Enter')
    await q.dispatchDialog().waitFor({ state: 'detached' })
    // The ticket, now dispatched, found in 全部 by its number.
    await q.press('8', '/')
    await disp.page.keyboard.type(number)
    await q.press('Enter')
    await expect.poll(() => q.cursorTicketId(), { timeout: 10_000 }).toBe(id)
    await expect.poll(() => q.pane().locator('.provisional-badge').count()).toBe(1)
    expect(await q.pane().locator('.provisional-hint').innerText()).toContain(
      '按法定节假日临时推算',
    )
    expect(pageProblems(disp.page)).toEqual([])
  })

  it('drops the mark live once an admin enters the year, and says why on the timeline', async () => {
    const year = cityYear()
    const notice = calendarData.years[String(year)] ?? statutoryYear(year)
    const r = await api('PUT', `/api/v1/admin/calendar/years/${year}`, notice)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.rescheduled).toBeGreaterThanOrEqual(1)
    const q = new QueuePage(disp.page)
    await expect
      .poll(() => q.pane().locator('.provisional-badge').count(), { timeout: 15_000 })
      .toBe(0)
    await expect.poll(() => q.pane().locator('.timeline').innerText()).toContain('期限按新日历重算')
    const banner = sup.page.locator('.calendar-banner')
    await expect
      .poll(async () => ((await banner.count()) ? await banner.innerText() : ''), {
        timeout: 15_000,
      })
      .not.toContain('没有今年')
  })
})
