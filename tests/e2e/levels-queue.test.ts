// Issue 16 in the browser, keyboard only: the sub-centre's own dispatch queue, 待下派 (key 9).
// The city dispatched a ticket to 京口区's sub-centre; its staff press 9 and find it there, sign
// (S) and pass it down (D, Enter on triage's first suggestion) — it leaves 待下派. The street's
// pane shows its own deadlines (本级), inside the sub-centre's; it asks to return the ticket —
// back in 待下派; the sub-centre approves the return (Y), which opens the dispatch down at once,
// and passes it to another street by its pinyin — it leaves again. The city's console and the
// street's act through their own cores; the sub-centre's every step is a key in Chromium. The
// city's dispatcher has no such tab, and 9 does nothing there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TicketDetail } from '../../src/shared/api'
import { ladder as ladderOf, chainOf } from '../../src/shared/assignments'
import { chromiumOrSkip, launch, pageProblems, screenshot, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { FormsPage } from './pages/forms-page'
import { LoginPage } from './pages/login-page'

const ok = chromiumOrSkip('levels-queue.test.ts')
const POLL = { timeout: 30_000 }

describe.skipIf(!ok)(
  '待下派, the sub-centre’s dispatch queue, by keyboard',
  { timeout: 180_000 },
  () => {
    let stack: Stack
    let city: TestConsole
    let centre: TestConsole
    let b: Browser
    let q: FormsPage
    let id: string
    let number: string

    const detail = async (c: TestConsole): Promise<TicketDetail> => {
      const r = await c.core.call('ticket.get', { id })
      if (!r.ok) throw new Error(r.error.message)
      return r.value
    }
    const login = async (c: TestConsole, username: string) => {
      const r = await c.core.call('session.login', { username, password: 'demo' })
      if (!r.ok) throw new Error(r.error.message)
    }
    const act = async (c: TestConsole, name: string, args: Record<string, unknown>) => {
      const r = await c.core.call('ticket.act', { name, args } as never)
      if (!r.ok) throw new Error(r.error.message)
    }
    /** The unit the sub-centre passed the ticket to (level 2), as its console sees it. */
    const below = async () => ladderOf(chainOf((await detail(centre)).ticket))[1]?.unit ?? null
    const tab = () => q.page.locator('.view-tabs [data-view="down"]')
    /** Outside a test (expect.poll is for tests): wait until `f` holds. */
    const until = async (f: () => Promise<boolean>) => {
      for (let i = 0; i < 300; i++) {
        if (await f()) return
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error('timed out')
    }

    beforeAll(async () => {
      // No demo tickets: the sub-centre's 待下派 holds exactly what this test sends it.
      stack = await startStack({ demoTickets: 0 })
      id = (await stack.logNewTickets(1))[0]! // 京口区, a complaint
      city = await stack.console('dispatcher')
      await login(city, 'dispatcher1')
      await until(async () => (await city.core.call('ticket.get', { id })).ok)
      await act(city, 'ticket.dispatch', { ticketId: id, unit: 'JK-CENTER' })
      number = (await detail(city)).displayNumber
      centre = await stack.console('unit-JK-CENTER')
      b = await launch()
      q = new FormsPage(b.page)
      const page = new LoginPage(b.page)
      await page.open(centre.host.url)
      await page.loginByKeyboard('unit-JK-CENTER')
      await q.page.locator('.console').waitFor(POLL)
    }, 180_000)
    afterAll(async () => {
      await b?.close()
      await stack?.close()
    }, 60_000)

    it('shows 待下派 as tab 9 to unit staff, holding the ticket the city sent', async () => {
      await q.press('9')
      await expect.poll(() => q.activeView()).toBe('down')
      expect(await tab().innerText()).toContain('待下派')
      await expect.poll(() => q.viewCount('down'), POLL).toBe(1)
      await q.page.locator(`.tbody [data-ticket-id="${id}"]`).waitFor(POLL)
    })

    it('signs (S) and passes it down (D, Enter on the first suggestion): it leaves 待下派', async () => {
      await q.find(number, id)
      await q.offers('ticket.sign')
      await q.press('s')
      await q.offers('ticket.dispatchDown')
      await q.press('d')
      await q.page.locator('.dialog input[aria-label="unit"]:focus').waitFor()
      // Triage at the sub-centre's level: only its own streets and bureaus, the first highlighted.
      const first = q.page.locator('.choices [role="option"][aria-selected="true"]')
      await first.waitFor()
      expect(await first.innerText()).not.toContain('分中心')
      await q.press('Enter')
      await q.dispatchDialog().waitFor({ state: 'detached' })
      await expect.poll(below, POLL).toMatch(/^JK-/)
      await expect.poll(() => q.viewCount('down'), POLL).toBe(0)
      await expect.poll(() => q.total().innerText(), POLL).toMatch(/^0\D/)
    })

    it('is back in 待下派 when the street asks to return it; Y approves and passes it on', async () => {
      const code = (await below())!
      const street = await stack.console(`unit-${code}`)
      await login(street, `unit-${code}`)
      await expect
        .poll(async () => (await street.core.call('ticket.get', { id })).ok, POLL)
        .toBe(true)
      // The street works to its own link's deadlines, inside the sub-centre's: its pane says so.
      const link = ladderOf(chainOf((await detail(street)).ticket))[1]!
      const mine = await detail(street)
      expect(mine.own).toMatchObject({ level: 2, signBy: link.signBy, dueAt: link.dueAt })
      expect(Date.parse(link.dueAt)).toBeLessThan(Date.parse(mine.ticket.dueAt!))
      const sb = await launch()
      try {
        await sb.page.goto(street.host.url) // its core has the session: no login form
        const sq = new FormsPage(sb.page)
        await sb.page.locator(`.tbody [data-ticket-id="${id}"]`).waitFor(POLL) // 本单位待办
        await sq.find(number, id)
        const own = sq.pane().locator('.fields[data-level="2"]')
        await own.waitFor(POLL)
        expect(await own.innerText()).toContain('办结时限（本级）')
        expect(pageProblems(sb.page)).toEqual([])
      } finally {
        await sb.close()
      }
      await act(street, 'ticket.requestReturn', { ticketId: id, reason: '该地址不在本辖区' })
      // The sub-centre's console hears of it: the ticket is in its 待下派 again.
      await expect.poll(() => q.viewCount('down'), POLL).toBe(1)
      await q.find(number, id)
      await q.offers('ticket.reviewReturn')
      await q.press('y')
      await expect.poll(below, POLL).toBeNull()
      // Back with the sub-centre: still to pass down.
      await expect.poll(() => q.viewCount('down'), POLL).toBe(1)
      const other =
        code === 'JK-DSK' ? ['zdljd', '正东路街道', 'JK-ZDL'] : ['dskjd', '大市口街道', 'JK-DSK']
      // Approving a return from below opens the dispatch down at once: type, Enter.
      await q.page.locator('.dialog input[aria-label="unit"]:focus').waitFor(POLL)
      await q.page.keyboard.type(other[0]!)
      await q.page.locator(`.choices [aria-selected="true"]:has-text("${other[1]}")`).waitFor()
      await q.press('Enter')
      await q.dispatchDialog().waitFor({ state: 'detached' })
      await expect.poll(below, POLL).toBe(other[2])
      await expect.poll(() => q.viewCount('down'), POLL).toBe(0)
      await screenshot(q.page, 'levels-queue')
      expect(pageProblems(q.page)).toEqual([])
    })

    it('has no 待下派 tab for the city’s dispatcher, and 9 does nothing there', async () => {
      const d = await launch()
      try {
        // Its core still has the dispatcher's session: the console opens as it was left.
        await d.page.goto(city.host.url)
        await d.page.locator('.console').waitFor(POLL)
        const dq = new FormsPage(d.page)
        await dq.page.locator('.view-tabs [data-view="all"]').waitFor(POLL)
        expect(await dq.page.locator('.view-tabs [data-view="down"]').count()).toBe(0)
        const before = await dq.activeView()
        await dq.press('9')
        await dq.page.waitForTimeout(300)
        expect(await dq.activeView()).toBe(before)
      } finally {
        await d.close()
      }
    })
  },
)
