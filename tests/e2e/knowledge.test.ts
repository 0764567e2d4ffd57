// The knowledge base (知识库, issue 15) in Chromium through the web host, keyboard only: an agent
// takes a call about the housing fund, the entry appears beside the form while the description
// is typed, Alt+K opens it, Alt+Enter answers and closes the call from it (the timeline records
// the entry and its version) and the dashboard's first-call (direct-answer) rate moves; Alt+K
// from the queue finds entries by initials with the server down; a unit's proposal approved by a
// supervisor reaches the agent's open search live. Screenshots: test-results/screenshots/
// kb-intake.png, kb-search.png, kb-offline.png.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { DashboardPage } from './pages/dashboard-page'
import { IntakePage } from './pages/intake-page'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('knowledge.test.ts')
const POLL = { timeout: 15_000 }
const HOUSING_FUND = '住房公积金提取（购房、租房、退休）'

describe.skipIf(!ok)('knowledge base on the call, by keyboard', { timeout: 150_000 }, () => {
  let stack: Stack
  let c: TestConsole
  let browser: Browser
  let queue: QueuePage
  let intake: IntakePage

  const kbCount = async (con: TestConsole) => {
    const r = await con.core.call('kb.status', {})
    return r.ok ? r.value.count : 0
  }
  /** Until the console's cache holds the demo's entries (the first sync brings them). */
  const kbLoaded = async (con: TestConsole) => {
    for (let i = 0; (await kbCount(con)) < 150; i++) {
      if (i > 150) throw new Error('the knowledge base did not reach the console in 15 s')
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  beforeAll(async () => {
    stack = await startStack({ demoTickets: 40 })
    c = await stack.console('kb-agent')
    browser = await launch()
    queue = new QueuePage(browser.page)
    intake = new IntakePage(browser.page)
    await new LoginPage(browser.page).open(c.host.url)
    await new LoginPage(browser.page).loginByKeyboard('agent1')
    await queue.waitForRows()
    // The demo's ~200 entries reach the console's cache with the first sync.
    await kbLoaded(c)
  }, 180_000)
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail')
      await screenshot(browser.page, `failure-kb-${ctx.task.name.slice(0, 24)}`)
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('answers a housing-fund call from the entry found while typing; the rate moves', async () => {
    const dash = new DashboardPage(browser.page)
    await dash.open()
    const rate = () => dash.value('一次办结率')
    const before = await rate()
    await queue.press('Escape')
    await dash.root().waitFor({ state: 'detached' })

    await intake.open()
    await intake.type('13900005678')
    await intake.choose('kind', 3) // 咨询
    await intake.pick('category', 'zfgjj', '住房公积金')
    await intake.fill('address', '京口区学府路8号')
    await intake.fill('description', '来电人准备租房，想问公积金怎么提取')
    const panel = intake.root().getByTestId('kb-suggest')
    const first = panel.locator('.kb-hits li').first()
    await expect.poll(() => first.innerText().catch(() => ''), POLL).toContain(HOUSING_FUND)
    expect(await first.innerText()).toContain('Alt+K')
    // The answer is still the agent's: nothing is filled in without a key.
    expect(await intake.value('answer')).toBe('')

    await intake.press('Alt+K')
    const entry = panel.getByTestId('kb-entry')
    await entry.waitFor(POLL)
    expect(await entry.locator('h3').innerText()).toContain(HOUSING_FUND)
    // Markdown rendered: bold as <strong>, never as asterisks.
    expect(await entry.locator('.kb-answer strong').first().innerText()).toBe('购买、建造自住住房')
    expect(await entry.innerText()).toContain('镇江市住房公积金管理中心')
    await screenshot(browser.page, 'kb-intake')
    const entryId = await entry.getAttribute('data-kb-id')

    await intake.press('Alt+Enter')
    await intake.root().waitFor({ state: 'detached', ...POLL })
    expect(await queue.toast().innerText()).toContain('已受理并答复办结')
    const found = await c.core.call('queue.query', {
      filter: { view: 'all', text: '想问公积金怎么提取' },
    })
    if (!found.ok || !found.value.rows[0]) throw new Error('the answered ticket is not there')
    const t = await c.core.call('ticket.get', { id: found.value.rows[0].id })
    if (!t.ok) throw new Error(t.error.message)
    expect(t.value.ticket.status).toBe('closed')
    const answered = t.value.events.find((e) => e.type === 'answered')!
    expect(answered.data.kb).toEqual({ entryId, version: 1 })
    expect(String(answered.data.text)).toContain('购买、建造自住住房')

    await dash.open()
    await expect.poll(rate, POLL).not.toBe(before)
    expect(parseFloat(await rate())).toBeGreaterThan(parseFloat(before) || 0)
    await queue.press('Escape')
    await dash.root().waitFor({ state: 'detached' })
  })

  it('searches the whole base with Alt+K by initials, and still with the server down', async () => {
    const search = browser.page.getByTestId('kb-search')
    await queue.press('Alt+K')
    await search.locator('input:focus').waitFor(POLL)
    await browser.page.keyboard.type('gjj')
    const hits = search.locator('.kb-hits li')
    await expect
      .poll(
        () =>
          hits
            .first()
            .innerText()
            .catch(() => ''),
        POLL,
      )
      .toContain('公积金')
    await screenshot(browser.page, 'kb-search')
    await queue.press('Escape')
    await search.waitFor({ state: 'detached' })

    await stack.stopServer()
    try {
      await queue.press('Alt+K')
      await search.locator('input:focus').waitFor(POLL)
      await browser.page.keyboard.type('提取公积金')
      await expect
        .poll(
          () =>
            hits
              .first()
              .innerText()
              .catch(() => ''),
          POLL,
        )
        .toContain(HOUSING_FUND)
      await queue.press('Enter')
      await search.getByTestId('kb-entry').waitFor(POLL)
      expect(await search.getByTestId('kb-entry').innerText()).toContain('租房提取每年可办理一次')
      await screenshot(browser.page, 'kb-offline')
      await queue.press('Escape', 'Escape')
      await search.waitFor({ state: 'detached' })
    } finally {
      await stack.restartServer()
    }
  })

  it("takes a unit's proposal, approved by a supervisor, live to the agent's open search", async () => {
    // The agent's search is open on the entry the unit is about to change.
    const search = browser.page.getByTestId('kb-search')
    await queue.press('Alt+K')
    await search.locator('input:focus').waitFor(POLL)
    await browser.page.keyboard.type('异地转移')
    const hits = search.locator('.kb-hits li')
    await expect
      .poll(
        () =>
          hits
            .first()
            .innerText()
            .catch(() => ''),
        POLL,
      )
      .toContain('公积金异地转移接续')

    // Another console, another browser: the housing-fund centre proposes, by keyboard.
    const other = await stack.console('kb-unit')
    const b2 = await launch()
    try {
      const p2 = b2.page
      const login2 = new LoginPage(p2)
      await login2.open(other.host.url)
      await login2.loginByKeyboard('unit-CITY-HF')
      // The centre's unit has no tickets: the console is up when its queue is.
      await p2.locator('.queue-box').waitFor(POLL)
      await p2.keyboard.press('g')
      await p2.keyboard.press('k')
      const manage = p2.getByTestId('kb-manage')
      const at = manage.locator('.kb-hits li.at')
      await at.waitFor(POLL)
      for (let i = 0; i < 30 && !(await at.innerText()).includes('公积金异地转移接续'); i++)
        await p2.keyboard.press('j')
      expect(await at.innerText()).toContain('公积金异地转移接续')
      await p2.keyboard.press('Enter')
      const form = p2.getByTestId('kb-form')
      await form.locator('input[aria-label="kb-title"]:focus').waitFor(POLL)
      await p2.keyboard.press('End')
      await p2.keyboard.type('（全程网办）')
      await p2.keyboard.press('Control+Enter')
      await form.waitFor({ state: 'detached', ...POLL })
      expect(await manage.getByRole('status').innerText()).toContain('已提交审核')
      await screenshot(p2, 'kb-unit-proposes')
      await p2.keyboard.press('Escape')
      await manage.waitFor({ state: 'detached', ...POLL })

      // A supervisor on that console approves it from the review queue.
      await p2.keyboard.press('Alt+Q')
      await login2.loginByKeyboard('supervisor1')
      await p2.locator('.queue-box').waitFor(POLL)
      await p2.keyboard.press('g')
      await p2.keyboard.press('k')
      await manage.waitFor(POLL)
      await p2.keyboard.press('Tab')
      await expect
        .poll(() => at.innerText().catch(() => ''), POLL)
        .toContain('公积金异地转移接续（全程网办）')
      await screenshot(p2, 'kb-review-queue')
      // Enter reads the proposal: what it changes, the answer as it would read.
      await p2.keyboard.press('Enter')
      const preview = manage.getByTestId('kb-proposal')
      await preview.waitFor(POLL)
      expect(await preview.innerText()).toMatch(/修改了：标题（v1 → v2）/)
      await p2.keyboard.press('a')
      await expect.poll(() => manage.getByRole('status').innerText(), POLL).toContain('已采纳')
      // M: the measures — the call answered from an entry in the first test counts.
      await p2.keyboard.press('m')
      const stats = manage.getByTestId('kb-stats')
      await stats.waitFor(POLL)
      expect(await stats.innerText()).toMatch(/其中依据知识库 [1-9]/)
      expect(await stats.innerText()).toContain(HOUSING_FUND)
    } finally {
      await b2.close()
    }
    // The agent's console hears of it (a live poke, then the feed) and the open list refreshes.
    await expect
      .poll(
        () =>
          hits
            .first()
            .innerText()
            .catch(() => ''),
        POLL,
      )
      .toContain('公积金异地转移接续（全程网办）')
    await queue.press('Escape')
    await search.waitFor({ state: 'detached' })
    expect(pageProblems(browser.page)).toEqual([])
  })
})
