// 受理 (intake) in Chromium through the web host, keyboard only: N opens it with the phone
// focused; the caller's history; a category by pinyin initials; a duplicate linked with Alt+1;
// Ctrl+Enter saves; missing and invalid fields; the draft surviving a reload; Alt+Enter answering
// a consultation on the call. The tests run in order and hand the draft on from one to the next.
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { OUT } from '../../scripts/ensure-built'
import { createConsoleCore } from '../../src/core/console'
import { startWebHost } from '../../src/main/web/host'
import type { TicketDetail } from '../../src/shared/api'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { IntakePage } from './pages/intake-page'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('intake.test.ts')
const POLL = { timeout: 15_000 }

describe.skipIf(!ok)('受理: logging a call by keyboard', { timeout: 120_000 }, () => {
  let stack: Stack
  let c: TestConsole
  let browser: Browser
  let queue: QueuePage
  let intake: IntakePage
  /** Tickets logged before the browser starts: phones 13800001000 and 13800001001. */
  let earlier: string[] = []

  const detail = async (id: string): Promise<TicketDetail> => {
    const r = await c.core.call('ticket.get', { id })
    if (!r.ok) throw new Error(r.error.message)
    return r.value
  }
  const findByText = async (text: string): Promise<TicketDetail> => {
    const r = await c.core.call('queue.query', { filter: { view: 'all', text } })
    if (!r.ok || !r.value.rows[0]) throw new Error(`no ticket with ${text}`)
    return detail(r.value.rows[0].id)
  }

  beforeAll(async () => {
    stack = await startStack()
    earlier = await stack.logNewTickets(2)
    c = await stack.console('intake')
    browser = await launch()
    queue = new QueuePage(browser.page)
    intake = new IntakePage(browser.page)
    const login = new LoginPage(browser.page)
    await login.open(c.host.url)
    await login.loginByKeyboard('agent1')
    await queue.waitForRows()
    // The earlier tickets have reached this console, numbered by the server.
    for (let i = 0; !(await c.core.call('ticket.get', { id: earlier[0]! })).ok; i++) {
      if (i > 150) throw new Error('the earlier tickets never reached the console')
      await new Promise((r) => setTimeout(r, 100))
    }
  }, 180_000)
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return
    await screenshot(browser.page, `failure-intake-${ctx.task.name.slice(0, 24)}`)
    // Leave the queue as the next test expects it.
    if (await intake.root().count()) await intake.press('Escape', 'Escape')
  })
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('N opens intake with the phone focused; 7 digits bring up the caller history', async () => {
    await intake.open()
    await screenshot(browser.page, 'intake-empty')
    await intake.type('13912345678')
    await intake.history().getByTestId('first-call').waitFor(POLL)

    await intake.press('Control+A')
    await intake.type('13800001000')
    const number = (await detail(earlier[0]!)).displayNumber
    const first = intake.history().locator(`li[data-ticket-id="${earlier[0]}"]`)
    await first.waitFor(POLL)
    expect(await first.innerText()).toContain(number)
    expect(await intake.history().innerText()).toContain('待派单')
    await screenshot(browser.page, 'intake-history')

    // Esc closes and keeps the draft (saved at once on close).
    await intake.press('Escape')
    await intake.root().waitFor({ state: 'detached' })
    await browser.page.locator('.queue-box:focus').waitFor()
  })

  it('a category by pinyin initials; the duplicate panel; Alt+1 links the call', async () => {
    await intake.open()
    expect(await intake.value('phone')).toBe('13800001000') // the draft, restored
    const chosen = await intake.pick('category', 'ldgz', '路灯故障')
    expect(chosen).toContain('市政设施')
    expect(await intake.value('category')).toBe('市政设施 › 路灯故障')
    await intake.focused('urgency').waitFor() // Enter on a pick moves on
    await intake.pick('district', 'jkq', '京口区')
    await intake.fill('address', '镇江市测试路1号')
    await intake.fill('description', '路灯又不亮了，晚上很黑')

    const candidate = intake.duplicates().locator(`li[data-ticket-id="${earlier[0]}"]`)
    await candidate.waitFor(POLL)
    const number = (await detail(earlier[0]!)).displayNumber
    const firstLi = intake.duplicates().locator('li').first()
    // The candidates are looked up again as the fields fill in: the address's reason follows.
    await expect.poll(() => firstLi.innerText(), POLL).toMatch(/Alt\+1[\s\S]*地址相近/)
    expect(await firstLi.getAttribute('data-ticket-id')).toBe(earlier[0])
    await screenshot(browser.page, 'intake')

    await intake.press('Alt+1')
    await intake.root().waitFor({ state: 'detached' })
    await expect.poll(() => queue.toast().innerText()).toContain(`已关联到工单 ${number}`)
    const d = await detail(earlier[0]!)
    const note = d.events.find((e) => e.type === 'noted')
    expect(note?.data).toMatchObject({ internal: false })
    expect(String(note?.data.text)).toMatch(/重复来电.*138\*\*\*\*1000.*路灯又不亮了/)
  })

  it('Ctrl+Enter saves: a toast with the number, the ticket in the queue', async () => {
    await intake.open()
    expect(await intake.value('phone')).toBe('') // the link cleared the draft
    await intake.type('13912340001')
    await intake.press('Enter') // Enter moves to the next field, it does not save
    await intake.focused('name').waitFor()
    await intake.type('王女士')
    await intake.choose('kind', 1) // 投诉
    // A branch's name lists its leaves, each with its path.
    await intake.tabTo('category')
    await intake.type('zyrm')
    await intake.activeOption().waitFor()
    expect(await intake.root().locator('.picker-list [role="option"]').count()).toBeGreaterThan(3)
    await screenshot(browser.page, 'intake-picker')
    await intake.press('Control+A')
    await intake.pick('category', 'jzsgzy', '建筑施工噪音')
    expect(await intake.value('category')).toBe('生态环境 › 噪音扰民 › 建筑施工噪音')
    await intake.focused('urgency').waitFor()
    await intake.pick('district', 'rz', '润州区')
    await intake.focused('street').waitFor()
    await intake.press('ArrowDown') // the district's streets, without typing
    await intake.activeOption().waitFor()
    await intake.press('Enter')
    expect(await intake.value('street')).toMatch(/街道|镇/)
    await intake.fill('address', '润州区测试大道88号')
    await intake.fill('description', 'E2E保存测试：工地夜间施工噪音')
    await screenshot(browser.page, 'intake-filled')
    await intake.press('Control+Enter')
    await intake.root().waitFor({ state: 'detached' })
    const toast = await queue.toast().innerText()
    expect(toast).toMatch(/已受理 (待编号-[0-9A-F]{6}|\d{14})/)
    const saved = await findByText('E2E保存测试')
    expect(saved.ticket).toMatchObject({
      kind: 'complaint',
      category: '030101',
      caller: { name: '王女士', phone: '13912340001', anonymous: false },
    })
    expect(saved.ticket.location.street).toBeTruthy()
    // In the queue (全部, newest first) under its provisional or server number.
    await expect
      .poll(async () => (await queue.rowTexts(10)).join('\n'), POLL)
      .toMatch(/建筑施工噪音/)
  })

  it('a missing or invalid field is named, focused, and nothing typed is lost', async () => {
    await intake.open()
    expect(await intake.value('phone')).toBe('') // the save cleared the draft
    await intake.type('12')
    await intake.pick('category', 'dlps', '道路破损')
    await intake.fill('description', '人行道地砖松动')
    await intake.press('Control+Enter')
    // Every problem at once, each by its field; the first (in call order) has the focus.
    const missing = intake.error('address')
    await missing.waitFor()
    expect(await missing.innerText()).toContain('详细地址')
    // The number by the rules people use, the reason in Chinese.
    expect(await intake.error('phone').innerText()).toContain('来电号码有误')
    await intake.focused('phone').waitFor()
    expect(await intake.value('description')).toBe('人行道地砖松动')
    await screenshot(browser.page, 'intake-error')

    await intake.press('Control+A')
    await intake.type('051188776655')
    await intake.error('phone').waitFor({ state: 'detached' })
    await intake.fill('address', '中山东路12号')
    await missing.waitFor({ state: 'detached' })
    expect(await intake.value('phone')).toBe('051188776655')
    await intake.press('Control+Enter')
    await intake.root().waitFor({ state: 'detached' })
    expect(await queue.toast().innerText()).toContain('已受理')
  })

  it('the draft survives a reload (a crash) and comes back on N', async () => {
    await intake.open()
    await intake.type('13700001111')
    await intake.fill('name', '李先生')
    await intake.fill('description', '草稿测试：咨询公积金提取需要哪些材料')
    await intake.draftSaved().waitFor(POLL)
    // Saved 300 ms after the last key: wait until the core holds the whole description.
    await expect
      .poll(async () => {
        const d = await c.core.call('draft.get', { key: 'intake' })
        return d.ok ? d.value?.data.description : null
      }, POLL)
      .toBe('草稿测试：咨询公积金提取需要哪些材料')
    await browser.page.reload()
    await queue.waitForRows()
    await intake.open()
    expect(await intake.value('phone')).toBe('13700001111')
    expect(await intake.value('name')).toBe('李先生')
    expect(await intake.value('description')).toBe('草稿测试：咨询公积金提取需要哪些材料')
    expect(await intake.root().innerText()).toContain('已恢复上次未完成的草稿')
    await screenshot(browser.page, 'intake-restored')
  })

  it('Alt+Enter on a 咨询 saves and answers on the call', async () => {
    // Carries on with the restored draft.
    await intake.choose('kind', 3) // 咨询: the answer field appears
    await intake.field('answer').waitFor()
    await intake.pick('category', 'zfgjj', '住房公积金')
    expect(await intake.value('kind')).toBe('consultation')
    await intake.fill('address', '京口区中山东路1号')
    await intake.press('Alt+Enter') // no answer yet: asked for, focused
    await intake.focused('answer').waitFor()
    expect(await intake.error('answer').innerText()).toContain('答复内容')
    await intake.type('可登录公积金中心网站在线提取，需身份证和银行卡')
    await screenshot(browser.page, 'intake-answer')
    await intake.press('Alt+Enter')
    await intake.root().waitFor({ state: 'detached' })
    expect(await queue.toast().innerText()).toContain('已受理并答复办结')
    const t = await findByText('草稿测试')
    expect(t.ticket.status).toBe('closed')
    expect(t.ticket.kind).toBe('consultation')
    const answered = t.events.find((e) => e.type === 'answered')
    expect(String(answered?.data.text)).toContain('在线提取')
  })

  it('reads in English and in the dark theme', async () => {
    await intake.press('Alt+L', 'Alt+T')
    await intake.open()
    await intake.type('13800001001')
    await intake.history().locator(`li[data-ticket-id="${earlier[1]}"]`).waitFor(POLL)
    await intake.pick('category', 'ldgz', 'Street light')
    expect(await intake.root().innerText()).toMatch(/Caller history[\s\S]*Ctrl\+Enter\s*save/)
    await screenshot(browser.page, 'intake-en-dark')
    await intake.press('Escape')
    await intake.root().waitFor({ state: 'detached' })
    await intake.press('Alt+L', 'Alt+T')
    expect(pageProblems(browser.page)).toEqual([])
  })

  it('a screen pop opens intake with the number and the history; another caller gets a fresh form', async () => {
    // A console of its own with the telephony listener on (the stack's consoles have it off).
    const core = await createConsoleCore({
      dataDir: join(stack.root, 'console-pop'),
      serverUrl: stack.server.url,
      telephony: { port: 0 },
    })
    const host = await startWebHost({
      core,
      rendererDir: join(OUT, 'renderer'),
    })
    const page = await browser.context.newPage()
    const pop = new IntakePage(page)
    const ring = async (phone: string, callId: string) => {
      const r = await fetch(`http://127.0.0.1:${core.telephony!.port}/call`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${core.telephony!.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ phone, callId }),
      })
      expect(r.status).toBe(202)
    }
    try {
      const login = new LoginPage(page)
      await login.open(host.url)
      await login.loginByKeyboard('agent1')
      await new QueuePage(page).waitForRows()

      await ring('13800001000', 'call-1')
      await pop.focused('phone').waitFor(POLL)
      expect(await pop.value('phone')).toBe('13800001000')
      await pop.history().locator(`li[data-ticket-id="${earlier[0]}"]`).waitFor(POLL)
      expect(await pop.root().innerText()).toContain('来电 138****1000')
      await pop.fill('description', '弹屏测试：路灯还是不亮')
      await screenshot(page, 'intake-screen-pop')
      await pop.press('Escape')
      await pop.root().waitFor({ state: 'detached' })

      // Somebody else calls: their number on a fresh form; the first draft is set aside, Alt+D.
      await ring('13600002222', 'call-2')
      await pop.focused('phone').waitFor(POLL)
      expect(await pop.value('phone')).toBe('13600002222')
      expect(await pop.value('description')).toBe('')
      expect(await pop.root().innerText()).toContain('另有一份未完成的草稿已另存')
      await pop.press('Alt+D')
      await expect.poll(() => pop.value('phone')).toBe('13800001000')
      expect(await pop.value('description')).toBe('弹屏测试：路灯还是不亮')
      await pop.press('Escape')
    } finally {
      await page.close()
      await host.close()
      await core.close()
    }
  })
})
