// Exemplary cases in the browser, by keyboard only: a supervisor finds a closed demo ticket,
// nominates it (Shift+N, title, Tab, write-up, Ctrl+Enter), opens the cases (Alt+C), ranks it
// (Alt+↑), sees it first on the list and exports the list (Alt+E).
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip, launch, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('cases.test.ts')

describe.skipIf(!ok)('exemplary cases', { timeout: 90_000 }, () => {
  let stack: Stack
  let c: TestConsole
  let browser: Browser
  let queue: QueuePage

  /** A closed demo ticket a unit replied to and its caller was satisfied with, from the cache. */
  const candidate = async (): Promise<string | null> => {
    const r = await c.core.call('queue.query', {
      filter: { view: 'all', status: ['closed'] },
      limit: 200,
    })
    if (!r.ok) return null
    for (const row of r.value.rows) {
      const d = await c.core.call('ticket.get', { id: row.id })
      const t = d.ok ? d.value.ticket : null
      if (t?.number && t.resolution?.kind === 'replied' && t.satisfaction === 'satisfied')
        return t.number
    }
    return null
  }

  beforeAll(async () => {
    stack = await startStack()
    // Calls waiting for dispatch, whatever hour the demo data was made at (待派单 is the first view).
    await stack.logNewTickets(2)
    c = await stack.console('supervisor')
    browser = await launch()
    queue = new QueuePage(browser.page)
    const login = new LoginPage(browser.page)
    await login.open(c.host.url)
    await login.loginByKeyboard('supervisor1')
    await queue.waitForRows()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('nominates a closed ticket by keyboard and lists it', async () => {
    let number: string | null = null
    await expect.poll(async () => (number = await candidate()), { timeout: 20_000 }).toBeTruthy()
    await queue.press('8', '/')
    await browser.page.keyboard.type(number!)
    await queue.press('Enter')
    await expect.poll(() => queue.cursorRow().innerText()).toContain(number!)

    await queue.press('Shift+N')
    const form = browser.page.locator('.dialog.case-form')
    await form.locator('input:focus').waitFor()
    await browser.page.keyboard.type('社区协调解决夜间噪音')
    await queue.press('Tab')
    await browser.page.keyboard.type('承办单位当天到场，协调施工方调整作业时间。')
    await queue.press('Control+Enter')
    await form.waitFor({ state: 'detached' })
    await expect.poll(() => queue.toast().innerText()).toContain('已推荐为优秀案例')

    await queue.press('Alt+C')
    const screen = browser.page.locator('.overlay.cases-screen')
    const first = screen.locator('.cases-list li').first()
    await expect.poll(() => first.innerText()).toContain('社区协调解决夜间噪音')
    expect(await first.getAttribute('data-rank')).toBe('')
    await queue.press('Alt+ArrowUp')
    await expect.poll(() => first.getAttribute('data-rank')).toBe('1')
    expect(await screen.locator('.case-detail').innerText()).toContain(number!)
    await screenshot(browser.page, 'cases')
    // Alt+E, 1: Markdown, into the console's exports folder.
    await queue.press('Alt+E', '1')
    const note = screen.locator('.case-note')
    await expect.poll(() => note.innerText(), { timeout: 15_000 }).toMatch(/exports.+\.md/)
    const file = /：(\S+\.md)/.exec(await note.innerText())![1]!
    expect(readFileSync(file, 'utf8')).toContain('第 1 名 · 社区协调解决夜间噪音')
    await queue.press('Escape')
    await screen.waitFor({ state: 'detached' })
  })
})
