// Triage in Chromium through the web host, keyboard only: typing what the caller said proposes a
// category beside the category field (with why), Alt+A takes it; in the dispatch dialog the
// suggested units carry their reasons — the operator the caller named first — and Enter takes
// the first. Screenshots: test-results/screenshots/intake-triage.png, dispatch-triage.png.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { IntakePage } from './pages/intake-page'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('triage.test.ts')
const POLL = { timeout: 15_000 }
const WORDS = '家里电信宽带断网两天了，光猫一直闪红灯，在家上班很急'

describe.skipIf(!ok)(
  'triage: proposed category and reasoned units, by keyboard',
  { timeout: 120_000 },
  () => {
    let stack: Stack
    let c: TestConsole
    let browser: Browser
    let queue: QueuePage
    let intake: IntakePage

    beforeAll(async () => {
      stack = await startStack({ demoTickets: 50 })
      c = await stack.console('triage')
      browser = await launch()
      queue = new QueuePage(browser.page)
      intake = new IntakePage(browser.page)
      await new LoginPage(browser.page).open(c.host.url)
      await new LoginPage(browser.page).loginByKeyboard('dispatcher1')
      await queue.waitForRows()
    }, 180_000)
    afterEach(async (ctx) => {
      if (ctx.task.result?.state === 'fail')
        await screenshot(browser.page, `failure-triage-${ctx.task.name.slice(0, 24)}`)
    })
    afterAll(async () => {
      await browser?.close()
      await stack?.close()
    })

    it('proposes the category as the description is typed; Alt+A takes the first', async () => {
      await intake.open()
      await intake.type('13900001234')
      await intake.fill('address', '中营街12号')
      await intake.fill('description', WORDS)
      const proposals = intake.root().getByTestId('category-proposals')
      const first = proposals.locator('.proposal').first()
      await first.waitFor(POLL)
      expect(await first.getAttribute('data-code')).toBe('0502')
      expect(await first.innerText()).toMatch(/Alt\+A[\s\S]*宽带故障[\s\S]*来电提到/)
      expect(await proposals.getByTestId('proposal-place').innerText()).toContain('健康路街道')
      // The category is still empty: nothing is taken without the key.
      expect(await intake.value('category')).toBe('')

      await intake.press('Alt+A')
      await expect.poll(() => intake.value('category'), POLL).toBe('通信 › 宽带故障')
      expect(await first.getAttribute('class')).toContain('chosen')
      // The focus stays in the description: the agent goes on typing.
      await intake.focused('description').waitFor()
      await screenshot(browser.page, 'intake-triage')

      await intake.press('Control+Enter')
      await intake.root().waitFor({ state: 'detached', ...POLL })
    })

    it('shows the dispatch dialog’s units with reasons, the named operator first; Enter takes it', async () => {
      const found = await c.core.call('queue.query', {
        filter: { view: 'all', text: '光猫一直闪红灯' },
      })
      if (!found.ok || !found.value.rows[0]) throw new Error('the new ticket is not in the queue')
      const id = found.value.rows[0].id
      // The new ticket under the cursor: 全部, filtered by its words.
      await queue.press('8', '/')
      await browser.page.keyboard.type('光猫一直闪红灯')
      await queue.press('Enter')
      await expect.poll(() => queue.cursorTicketId(), POLL).toBe(id)
      await queue.press('d')
      await browser.page.locator('.dialog input[aria-label="unit"]:focus').waitFor(POLL)
      const options = browser.page.locator('.dialog .choices [role="option"]')
      await options.first().waitFor(POLL)
      const first = await options.first().innerText()
      expect(first).toContain('中国电信镇江分公司')
      expect(first).toContain('来电提到“电信宽带”')
      // The rule's own first choice is still offered, below, with the rule as its reason.
      expect(await options.nth(1).innerText()).toMatch(/规则：宽带故障/)
      await screenshot(browser.page, 'dispatch-triage')

      await queue.press('Enter')
      await queue.dispatchDialog().waitFor({ state: 'detached', ...POLL })
      await expect
        .poll(async () => {
          const r = await c.core.call('ticket.get', { id })
          return r.ok ? `${r.value.ticket.status} ${r.value.ticket.unit}` : null
        }, POLL)
        .toBe('dispatched TEL-CT')
      expect(pageProblems(browser.page)).toEqual([])
    })

    it('shows supervisors the model in the settings: version, build time, accuracy', async () => {
      await queue.press('Escape', 'Alt+Q')
      await new LoginPage(browser.page).loginByKeyboard('supervisor1')
      await queue.waitForRows()
      await queue.press('Control+,')
      const info = browser.page.getByTestId('triage-model')
      // The demo server builds the model a second after it starts; consoles get it on a pull.
      await expect
        .poll(() => info.innerText(), POLL)
        .toMatch(/智能分派模型：第 \d+ 版，.+建立，学习工单 \d+ 张/)
      await screenshot(browser.page, 'settings-triage-model')
      await queue.press('Escape')
    })
  },
)
