// 月度通报 (issue 17) in Chromium, keyboard only: four tickets to one unit this month, the unit
// signs three, contacts the citizen on one (联系来电人) and replies to two; the callbacks say one
// resolved and satisfied, one neither. The supervisor exempts the fourth from scoring with B in
// the queue, then opens the dashboard (G S) and its bulletin (B): the figures, the unit's score
// and the exemption are on the page, printed to a PDF (checked with poppler), and X exports the
// same tables as XLSX (parsed back with exceljs).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../src/shared/ids'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { act, login, settle } from './helpers/core-steps'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { DashboardPage } from './pages/dashboard-page'
import { FormsPage } from './pages/forms-page'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('bulletin.test.ts')
const UNIT = 'JK-UM'
const UNIT_NAME = '京口区城市管理局'
const POLL = { timeout: 20_000 }

async function until(c: TestConsole, id: string, ok: (status: string) => boolean) {
  for (let i = 0; i < 300; i++) {
    const t = await c.core.call('ticket.get', { id })
    if (t.ok && ok(t.value.ticket.status)) return t.value
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`ticket ${id} did not arrive`)
}

describe.skipIf(!ok)('月度通报: the monthly bulletin', { timeout: 180_000 }, () => {
  let stack: Stack
  let browser: Browser
  let sup: TestConsole
  let dash: DashboardPage
  let q: FormsPage
  const ids: string[] = []
  let exemptNumber = ''

  beforeAll(async () => {
    stack = await startStack({ demoTickets: 0 })
    const d = await stack.console('seed-dispatcher')
    await login(d, 'dispatcher1')
    const ref = await d.core.call('reference.get', {})
    if (!ref.ok) throw new Error('no reference')
    const district = ref.value.districts[0]!.code
    for (let i = 0; i < 4; i++) {
      const id = uuidv7(Date.now())
      ids.push(id)
      await act(d.core, 'ticket.create', {
        ticket: {
          id,
          channel: 'phone',
          kind: 'complaint',
          category: '0101',
          caller: { name: `通报${i}`, phone: `1370000001${i}` },
          description: `通报测试 ${i}：井盖缺失`,
          location: { address: `通报路${i}号`, district },
        },
      })
      await act(d.core, 'ticket.dispatch', { ticketId: id, unit: UNIT })
    }
    await settle(d.core)
    const u = await stack.console('seed-unit')
    await login(u, `unit-${UNIT}`)
    await until(u, ids[3]!, (s) => s === 'dispatched')
    for (const id of ids.slice(0, 3)) await act(u.core, 'ticket.sign', { ticketId: id })
    await act(u.core, 'ticket.contact', { ticketId: ids[0], text: '已电话联系市民' })
    for (const id of ids.slice(0, 2))
      await act(u.core, 'ticket.reply', { ticketId: id, text: '已补装井盖', resolved: true })
    await settle(u.core)
    await until(d, ids[1]!, (s) => s === 'replied')
    await act(d.core, 'ticket.callback', {
      ticketId: ids[0],
      satisfaction: 'satisfied',
      resolved: true,
    })
    await act(d.core, 'ticket.callback', {
      ticketId: ids[1],
      satisfaction: 'unsatisfied',
      resolved: false,
    })
    await settle(d.core)

    sup = await stack.console('supervisor')
    browser = await launch()
    dash = new DashboardPage(browser.page)
    q = new FormsPage(browser.page)
    const page = new LoginPage(browser.page)
    await page.open(sup.host.url)
    await page.loginByKeyboard('supervisor1')
    await until(sup, ids[1]!, (s) => s === 'closed')
    exemptNumber = (await until(sup, ids[3]!, () => true)).ticket.number!
  }, 180_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  it('B in the queue exempts the ticket from scoring with a reason; the pane and timeline say so', async () => {
    // The default view (待派单) is empty: 8 is 全部.
    await q.press('8')
    await q.waitForRows()
    await q.find(exemptNumber, ids[3]!)
    await q.offers('ticket.exempt')
    await q.press('b')
    await q.form('exempt').waitFor()
    await q.press('2') // 历史遗留问题: the details take the focus
    await browser.page.keyboard.type('2015 年遗留的管网问题')
    await q.press('Control+Enter')
    await q.form('exempt').waitFor({ state: 'detached' })
    await expect
      .poll(() => q.pane().getByTestId('exempt').innerText(), POLL)
      .toContain('不纳入考核（历史遗留问题）')
    await expect.poll(() => q.pane().innerText(), POLL).toContain('2015 年遗留的管网问题')
    // Now offered: withdrawing it (Shift+B), not exempting twice.
    await q.offers('ticket.withdrawExemption')
    await settle(sup.core)
    await q.clearFilter()
  })

  it('G S, B: the bulletin shows the figures, the unit scored and the exemption; it prints', async () => {
    await dash.open()
    await browser.page.keyboard.press('b')
    const b = browser.page.getByTestId('bulletin')
    await b.waitFor()
    await expect.poll(() => b.locator('h1').innerText(), POLL).toMatch(/\d{4}年\d{1,2}月月度通报/)
    const row = (table: string, label: string) =>
      b.locator(`[data-table="${table}"] tr:has(th:text-is("${label}")) td`).allInnerTexts()
    // Received: all four, the exempt one included.
    await expect.poll(async () => (await row('headline', '受理量（件）'))[0], POLL).toBe('4')
    // Resolution and satisfaction from the two callbacks: one of two each.
    expect((await row('headline', '解决率'))[0]).toBe('50.00%')
    expect((await row('headline', '满意率'))[0]).toBe('50.00%')
    expect((await row('headline', '不纳入考核（件）'))[0]).toBe('1')
    // Nothing last month or last year.
    expect((await row('headline', '受理量（件）'))[1]).toBe('0')
    expect((await row('headline', '受理量（件）'))[3]).toBe('0')
    // Ranked within its type and scored: 100 × (0.35 × 1/2 + 0.35 × 1/2) / 0.70 = 50 (response
    // has nothing judged yet). Four tickets are no basis to name it below the thresholds.
    const ranking = b.locator('[data-table="ranking"]')
    await expect.poll(() => ranking.innerText(), POLL).toContain(UNIT_NAME)
    expect(await ranking.innerText()).toContain('职能部门')
    expect(await ranking.locator('td').allInnerTexts()).toContain('50.00')
    expect(await b.locator('[data-table="below"]').innerText()).toContain('本期各单位均达标')
    const exemptions = await b.locator('[data-table="exemptions"]').innerText()
    expect(exemptions).toContain(exemptNumber)
    expect(exemptions).toContain('历史遗留问题')
    await screenshot(browser.page, 'bulletin')

    await browser.page.emulateMedia({ media: 'print' })
    const pdf = join(stack.root, 'bulletin.pdf')
    await browser.page.pdf({ path: pdf, format: 'A4', printBackground: true })
    await browser.page.emulateMedia({ media: 'screen' })
    if (!existsSync('/usr/bin/pdftotext')) {
      if (process.env.REQUIRE_CHROMIUM) throw new Error('pdftotext (poppler-utils) is required')
      console.warn('bulletin.test.ts: pdftotext not installed — the PDF is not checked')
      return
    }
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString()
    for (const words of ['月度通报', '主要指标', '解决率', UNIT_NAME, '历史遗留问题', exemptNumber])
      expect(text).toContain(words)
    // Only the bulletin is printed: not the dashboard's key hints.
    expect(text).not.toContain('X 导出 Excel')
  })

  it('X exports the same tables as XLSX', async () => {
    const dir = join(sup.dataDir, 'exports')
    await browser.page.keyboard.press('x')
    await expect.poll(() => b().innerText(), POLL).toContain('已导出')
    const name = readdirSync(dir).find((f) => /^bulletin-.*\.xlsx$/.test(f))!
    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(join(dir, name))
    const sheet = book.getWorksheet('月度通报')!
    const rows: string[][] = []
    sheet.eachRow((r) =>
      rows.push((r.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))),
    )
    expect(rows[0]![0]).toMatch(/\d{4}年\d{1,2}月月度通报/)
    const line = (label: string) => rows.find((r) => r[0] === label)!
    expect(line('受理量（件）').slice(0, 4)).toEqual(['受理量（件）', '4', '0', '+4'])
    expect(line('满意率')[1]).toBe('50.00%')
    expect(rows.some((r) => r.includes(UNIT_NAME))).toBe(true)
    expect(rows.find((r) => r[0] === exemptNumber)).toEqual([
      exemptNumber,
      UNIT_NAME,
      '历史遗留问题',
      '2015 年遗留的管网问题',
    ])
    expect(pageProblems(browser.page)).toEqual([])
  })

  it('W exports the same tables as a Word document (DOCX)', async () => {
    const dir = join(sup.dataDir, 'exports')
    await browser.page.keyboard.press('w')
    await expect.poll(() => b().innerText(), POLL).toMatch(/已导出 bulletin-.*\.docx/)
    const name = readdirSync(dir).find((f) => /^bulletin-.*\.docx$/.test(f))!
    if (!existsSync('/usr/bin/unzip')) {
      if (process.env.REQUIRE_CHROMIUM) throw new Error('unzip is required')
      console.warn('bulletin.test.ts: unzip not installed — the DOCX is not read back')
      return
    }
    const xml = execFileSync('unzip', ['-p', join(dir, name), 'word/document.xml']).toString()
    const text = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('|')
    for (const words of ['月度通报', '主要指标', '满意率', '层级', UNIT_NAME, exemptNumber])
      expect(text).toContain(words)
    expect(pageProblems(browser.page)).toEqual([])
  })

  it("the ranking names each unit's level; a figure opens exactly its tickets in the queue", async () => {
    const ranking = b().locator('[data-table="ranking"]')
    expect(await ranking.locator('thead th').allInnerTexts()).toContain('层级')
    // 满意率 this month: the two called-back tickets.
    const cell = b().locator('[data-table="headline"] tr:has(th:text-is("满意率")) td button')
    const ids = (await cell.first().getAttribute('data-tickets'))!.split(' ')
    expect(ids).toHaveLength(2)
    await cell.first().focus()
    await browser.page.keyboard.press('Enter')
    await browser.page.getByTestId('drill').waitFor()
    const queue = new QueuePage(browser.page)
    await expect.poll(() => queue.total().innerText(), POLL).toMatch(/^2\D/)
    const shown = await Promise.all(
      (await queue.rows().all()).map((r) => r.getAttribute('data-ticket-id')),
    )
    expect(new Set(shown)).toEqual(new Set(ids))
    expect(pageProblems(browser.page)).toEqual([])
  })
  const b = () => browser.page.getByTestId('bulletin')
})
