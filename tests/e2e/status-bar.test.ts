// The status bar tells the truth: online, then offline with the server stopped (a note made then
// waits, counted), then online again with nothing waiting once the server is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip, launch, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('status-bar.test.ts')

describe.skipIf(!ok)('the status bar', { timeout: 90_000 }, () => {
  let stack: Stack
  let c: TestConsole
  let browser: Browser
  let queue: QueuePage
  const state = () => queue.connection().getAttribute('data-state')
  const pending = () => browser.page.getByTestId('status-pending').innerText()

  beforeAll(async () => {
    stack = await startStack()
    // Calls waiting for dispatch, whatever hour the demo data was made at (待派单 is the first view).
    await stack.logNewTickets(2)
    c = await stack.console('a', { backoffBaseMs: 200, backoffMaxMs: 1000, pullIntervalMs: 2000 })
    browser = await launch()
    queue = new QueuePage(browser.page)
    const login = new LoginPage(browser.page)
    await login.open(c.host.url)
    await login.loginByKeyboard('dispatcher1')
    // An open ticket, which takes a note from whoever sees it.
    await queue.press('8', '/')
    await browser.page.keyboard.type('status:new,dispatched,in_progress')
    await queue.press('Enter')
    await browser.page.getByTestId('queue-total').filter({ hasNotText: /^300 / }).waitFor()
    await queue.waitForRows()
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('is online with nothing waiting', async () => {
    await expect.poll(state, { timeout: 15_000 }).toBe('online')
    expect(await pending()).toBe('待上传 0')
  })

  it('says offline when the server stops, and counts what waits', async () => {
    await stack.stopServer()
    await expect.poll(state, { timeout: 15_000 }).toBe('offline')
    await queue.noteByKeyboard('服务器停机时记下的备注')
    await expect.poll(pending, { timeout: 5_000 }).toBe('待上传 1')
    expect(await state()).toBe('offline')
    await expect.poll(() => queue.cursorRow().innerText()).toContain('⟳')
    await screenshot(browser.page, 'offline')
  })

  it('catches up by itself when the server is back', async () => {
    await stack.restartServer()
    await expect.poll(state, { timeout: 20_000 }).toBe('online')
    await expect.poll(pending, { timeout: 20_000 }).toBe('待上传 0')
    await expect.poll(() => queue.cursorRow().innerText()).not.toContain('⟳')
  })
})
