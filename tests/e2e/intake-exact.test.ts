// Intake that is exact (issue 13), in Chromium, keyboard only: a number is checked by the rules
// people in China use and refused with the reason in Chinese; no number with 同意回访 ticked asks
// first; the description counts its length and keeps its height when an error shows; a category
// never changes the kind silently; the number to read out is on screen — the server's once known,
// the provisional one with a word while offline; a place not in the list is kept as text and
// flagged; the pane and the dispatch dialog show street and community.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { TicketDetail } from '../../src/shared/api'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { FormsPage } from './pages/forms-page'
import { IntakePage } from './pages/intake-page'
import { LoginPage } from './pages/login-page'

const ok = chromiumOrSkip('intake-exact.test.ts')
const POLL = { timeout: 20_000 }

describe.skipIf(!ok)('受理: exact', { timeout: 120_000 }, () => {
  let stack: Stack
  let c: TestConsole
  let browser: Browser
  let queue: FormsPage
  let intake: IntakePage
  const saved = () => browser.page.getByTestId('saved-number')

  const findByText = async (text: string): Promise<TicketDetail> => {
    const r = await c.core.call('queue.query', { filter: { view: 'all', text } })
    if (!r.ok || !r.value.rows[0]) throw new Error(`no ticket with ${text}`)
    const d = await c.core.call('ticket.get', { id: r.value.rows[0].id })
    if (!d.ok) throw new Error(d.error.message)
    return d.value
  }
  /** Category, district, address and description: what every save needs. */
  const fillRest = async (text: string) => {
    await intake.pick('category', 'dlps', '道路破损')
    await intake.pick('district', 'jkq', '京口区')
    await intake.fill('address', '中山东路12号')
    await intake.fill('description', text)
  }

  beforeAll(async () => {
    stack = await startStack()
    c = await stack.console('exact')
    browser = await launch()
    queue = new FormsPage(browser.page)
    intake = new IntakePage(browser.page)
    const login = new LoginPage(browser.page)
    await login.open(c.host.url)
    await login.loginByKeyboard('dispatcher1')
    await queue.waitForRows()
    await queue.waitForConnection('online')
  }, 120_000)
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await screenshot(browser.page, `failure-intake-exact-${ctx.task.name.slice(0, 24)}`)
    // Each case starts from an empty form: a draft left by Esc (written as intake closes) goes.
    if (await intake.root().count()) {
      await intake.press('Escape', 'Escape')
      await intake.root().waitFor({ state: 'detached' })
      await expect
        .poll(async () => {
          const d = await c.core.call('draft.get', { key: 'intake' })
          return d.ok && d.value !== null
        }, POLL)
        .toBe(true)
    }
    await c.core.call('draft.clear', { key: 'intake' })
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('refuses a number the rules do not know, saying why in Chinese; nothing is saved', async () => {
    await intake.open()
    await intake.type('2811234')
    await fillRest('号码规则测试：窨井盖松动')
    await intake.press('Control+Enter')
    await intake.error('phone').waitFor()
    expect(await intake.error('phone').innerText()).toBe(
      '来电号码有误：座机号码请加区号（如 0511-85551234）',
    )
    await intake.focused('phone').waitFor()
    expect(await intake.value('phone')).toBe('2811234')
    // The description keeps its height while an error shows, and counts its characters.
    const box = await intake.field('description').boundingBox()
    expect(box!.height).toBeGreaterThan(60)
    expect(await browser.page.getByTestId('description-count').innerText()).toBe('12 / 4000')
    await intake.press('Control+A')
    await intake.type('0511-85551234')
    await intake.press('Control+Enter')
    await intake.root().waitFor({ state: 'detached' })
    expect((await findByText('号码规则测试')).ticket.caller.phone).toBe('051185551234')
  })

  it('no number with 同意回访 ticked asks first; Ctrl+Enter again saves', async () => {
    await intake.open()
    await fillRest('无号码测试：路面塌陷')
    await intake.press('Control+Enter')
    const notice = intake.root().locator('[data-notice-for="phone"]')
    await notice.waitFor()
    expect(await notice.innerText()).toContain('同意回访')
    await intake.focused('phone').waitFor()
    expect(await intake.root().count()).toBe(1)
    await screenshot(browser.page, 'intake-confirm-no-number')
    await intake.press('Control+Enter')
    await intake.root().waitFor({ state: 'detached' })
    expect((await findByText('无号码测试')).ticket.caller.phone).toBeNull()
  })

  it('a category never changes the kind silently, nor the one the agent chose', async () => {
    await intake.open()
    await intake.type('13912340002')
    // Left as it came (投诉): the category's hint applies — and says so, beside the kind.
    await intake.pick('category', 'ldgz', '路灯故障')
    expect(await intake.value('kind')).toBe('report')
    const note = intake.root().locator('[data-notice-for="kind"]')
    expect(await note.innerText()).toBe('已按所选分类改为「举报」（原为「投诉」）· 可用数字键改回')
    // Chosen by the agent: another category leaves it alone.
    await intake.choose('kind', 1)
    await note.waitFor({ state: 'detached' })
    await intake.pick('category', 'dlps', '道路破损')
    expect(await intake.value('kind')).toBe('complaint')
    expect(await note.count()).toBe(0)
    await intake.press('Escape')
    await intake.root().waitFor({ state: 'detached' })
  })

  it('keeps a place not in the list as text, flagged; pane and dispatch show street and community', async () => {
    await intake.open()
    await intake.press('Control+A')
    await intake.type('13912340003')
    await intake.pick('category', 'dlps', '道路破损')
    await intake.pick('district', 'jkq', '京口区')
    await intake.focused('street').waitFor()
    await intake.press('ArrowDown')
    await intake.activeOption().waitFor()
    await intake.press('Enter')
    const street = await intake.value('street')
    await intake.focused('community').waitFor()
    await intake.type('幸福里小区')
    await intake.press('Tab')
    const flag = intake.root().locator('[data-unknown-for="community"]')
    await flag.waitFor()
    expect(await flag.innerText()).toContain('不在地名库中')
    expect(await intake.value('community')).toBe('幸福里小区')
    await intake.fill('address', '幸福路3号')
    await intake.fill('description', '地名测试：人行道破损')
    await screenshot(browser.page, 'intake-unknown-place')
    await intake.press('Control+Enter')
    await intake.root().waitFor({ state: 'detached' })
    const t = await findByText('地名测试')
    expect(t.ticket.location.address).toBe(
      '幸福路3号（社区“幸福里小区”不在地名库中，按来电人所说记录）',
    )
    expect(t.ticket.location.street).toBeTruthy()
    // The pane and the dispatch dialog say where: district · street · address.
    await expect
      .poll(
        () =>
          c.core
            .call('ticket.get', { id: t.ticket.id })
            .then((r) => r.ok && !!r.value.ticket.number),
        POLL,
      )
      .toBe(true)
    const numbered = await c.core.call('ticket.get', { id: t.ticket.id })
    if (!numbered.ok) throw new Error(numbered.error.message)
    await queue.press('8')
    await queue.find(numbered.value.displayNumber, t.ticket.id)
    const place = await queue.pane().locator('.place').innerText()
    expect(place).toContain('京口区')
    expect(place).toContain(street)
    expect(place).toContain('幸福路3号')
    await queue.offers('ticket.dispatch')
    await queue.press('d')
    await queue.dispatchDialog().locator('.place').waitFor()
    expect(await queue.dispatchDialog().locator('.place').innerText()).toContain(street)
    await queue.press('Escape')
    await queue.dispatchDialog().waitFor({ state: 'detached' })
    await queue.clearFilter()
  })

  it('the number to read out: the server’s once known; offline, the provisional one and why', async () => {
    await intake.open()
    await intake.type('13912340004')
    await fillRest('编号测试一：路面坑洼')
    await intake.press('Control+Enter')
    await intake.root().waitFor({ state: 'detached' })
    await expect.poll(() => saved().getAttribute('data-final'), POLL).toBe('yes')
    expect(await saved().innerText()).toMatch(/\d{14}/)
    expect(await saved().innerText()).toContain('请告知来电人')

    await stack.stopServer()
    await queue.waitForConnection('offline', 20_000)
    await intake.open()
    await intake.type('13912340005')
    await fillRest('编号测试二：路面坑洼')
    await intake.press('Control+Enter')
    await intake.root().waitFor({ state: 'detached' })
    await expect.poll(() => saved().innerText(), POLL).toContain('离线')
    expect(await saved().innerText()).toMatch(/待编号-[0-9A-F]{6}/)
    await screenshot(browser.page, 'saved-number-offline')
    await stack.restartServer()
    await expect.poll(() => saved().getAttribute('data-final'), { timeout: 40_000 }).toBe('yes')
    const number = /\d{14}/.exec(await saved().innerText())![0]
    await expect.poll(() => queue.toast().innerText(), POLL).toContain(number)
    expect(await queue.toast().innerText()).toContain('工单号已由服务器确定')
    expect(pageProblems(browser.page)).toEqual([])
  })
})
