// One console in Chromium through the web host, keyboard only: login, the queue with masked
// phones, J/K and Enter, the help overlay (every registry action), the palette, English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACTIONS } from '../../src/renderer/actions/registry'
import {
  attributes,
  chromiumOrSkip,
  launch,
  pageProblems,
  screenshot,
  type Browser,
} from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('console.test.ts')

describe.skipIf(!ok)('the console in Chromium (web host)', { timeout: 60_000 }, () => {
  let stack: Stack
  let consoleA: TestConsole
  let browser: Browser
  let queue: QueuePage

  beforeAll(async () => {
    stack = await startStack()
    // Calls waiting for dispatch, whatever hour the demo data was made at (待派单 is the first view).
    await stack.logNewTickets(2)
    consoleA = await stack.console('a')
    browser = await launch()
    queue = new QueuePage(browser.page)
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('logs in by keyboard and shows the status bar', async () => {
    const login = new LoginPage(browser.page)
    await login.open(consoleA.host.url)
    // The secret leaves the address bar once the page has it.
    expect(browser.page.url()).not.toContain('secret=')
    // The server is up; nobody is logged in: the status bar says that, not 离线 in red.
    await expect.poll(() => queue.connection().innerText()).toContain('未登录')
    expect(await queue.connection().getAttribute('data-state')).toBe('logged_out')
    expect(await browser.page.locator('.status-bar').innerText()).not.toContain('离线')
    await screenshot(browser.page, 'login')
    await login.loginByKeyboard('dispatcher1')
    await expect.poll(() => browser.page.getByTestId('status-user').innerText()).toContain('派单员')
    await expect
      .poll(() => queue.connection().getAttribute('data-state'), { timeout: 15_000 })
      .toBe('online')
    await expect
      .poll(() => browser.page.getByTestId('status-pending').innerText())
      .toMatch(/待上传 0/)
  })

  it('shows the demo tickets with masked phones and live counts', async () => {
    await queue.waitForRows()
    expect(await queue.activeView()).toBe('new')
    await queue.press('8') // 全部
    await expect.poll(() => queue.activeView()).toBe('all')
    await queue.waitForRows()
    await expect
      .poll(async () => Number((await queue.total().innerText()).split(' ')[0]))
      .toBeGreaterThan(100)
    const texts = await queue.rowTexts(20)
    const phones = texts.join('\n').match(/\d[\d*-]{6,}\d/g) ?? []
    expect(phones.length).toBeGreaterThan(5)
    for (const p of phones.filter((x) => !/^20\d{12}$/.test(x))) expect(p).toContain('****')
    expect(await queue.viewCount('all')).toBeGreaterThan(100)
    // Chinese names of categories, districts and statuses, not codes.
    expect(texts.join('')).toMatch(/[\u4e00-\u9fff]{2,}/)
    await screenshot(browser.page, 'queue')
  })

  it('moves with J/K and opens a ticket with Enter', async () => {
    await queue.press('8') // 全部: hundreds of rows, whatever the demo left undispatched
    await queue.waitForRows()
    const first = await queue.cursorTicketId()
    await queue.press('j', 'j')
    const third = await queue.cursorTicketId()
    expect(third).not.toBe(first)
    await queue.press('k')
    const second = await queue.cursorTicketId()
    expect(second).not.toBe(third)
    await queue.press('Enter')
    await queue.pane().locator('.timeline li').first().waitFor()
    const pane = await queue.pane().innerText()
    expect(pane).toContain('处理记录')
    expect(pane).toContain('派单') // the allowed action, with its key
    expect(await queue.pane().locator('[data-action="ticket.dispatch"] kbd').innerText()).toBe('D')
    await screenshot(browser.page, 'ticket')
    await queue.press('Escape')
    await queue.pane().waitFor({ state: 'detached' })
  })

  it('filters by typing a query', async () => {
    await queue.press('8', '/')
    await browser.page.keyboard.type('status:new')
    await queue.press('Enter')
    await expect
      .poll(async () => (await queue.rowTexts(5)).every((t) => t.includes('待派单')))
      .toBe(true)
    await queue.press('/')
    await browser.page.keyboard.press('Control+A')
    await browser.page.keyboard.press('Backspace')
    await queue.press('Escape')
  })

  it('lists every registry action in the help overlay', async () => {
    await queue.press('?')
    await queue.help().waitFor()
    const ids = await attributes(queue.help().locator('[data-action-id]'), 'data-action-id')
    expect(ids.sort()).toEqual(ACTIONS.map((a) => a.id).sort())
    await screenshot(browser.page, 'help')
    await queue.press('Escape')
    await queue.help().waitFor({ state: 'detached' })
  })

  it('runs an action from the command palette', async () => {
    await queue.press('Control+K')
    await queue.palette().waitFor()
    // By pinyin initials of 切换浅色/深色 would do too; English words match as well.
    await browser.page.keyboard.type('dark')
    await screenshot(browser.page, 'palette')
    await queue.press('Enter')
    await expect
      .poll(() => browser.page.evaluate('document.documentElement.dataset.theme'))
      .toBe('dark')
    await screenshot(browser.page, 'queue-dark')
    await queue.press('Alt+T')
    await expect
      .poll(() => browser.page.evaluate('document.documentElement.dataset.theme'))
      .toBe('light')
  })

  it('switches to English and back', async () => {
    await queue.press('Alt+L')
    await expect.poll(() => browser.page.locator('.view-tabs').innerText()).toContain('To dispatch')
    expect(await browser.page.getByTestId('status-connection').innerText()).toContain('online')
    await queue.press('Enter')
    await queue.pane().locator('.timeline li').first().waitFor()
    expect(await queue.pane().innerText()).toContain('Timeline')
    await screenshot(browser.page, 'english')
    await queue.press('Escape', 'Alt+L')
    await expect.poll(() => browser.page.locator('.view-tabs').innerText()).toContain('待派单')
  })

  it('logged no errors and no CSP violations', () => {
    expect(pageProblems(browser.page)).toEqual([])
  })
})
