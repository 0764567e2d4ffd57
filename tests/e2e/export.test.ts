// Exports in Chromium through the web host (issue 6): Ctrl+E on 全部 downloads an XLSX holding
// every ticket of the view, Ctrl+Shift+E a CSV; the host gives exports only to the page holding
// the secret, only from the exports folder.
import { readFileSync, symlinkSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumOrSkip, launch, pageProblems, type Browser } from './helpers/chromium'
import { startStack, type Stack, type TestConsole } from './helpers/stack'
import { LoginPage } from './pages/login-page'
import { QueuePage } from './pages/queue-page'

const ok = chromiumOrSkip('export.test.ts')

/** A GET sent exactly as written (no URL normalization of `..`), with these headers. */
function get(origin: string, path: string, headers: Record<string, string> = {}) {
  const { hostname, port } = new URL(origin)
  return new Promise<{ status: number; type?: string; disposition?: string; body: Buffer }>(
    (resolve, reject) => {
      const req = request({ hostname, port, path, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (d: Buffer) => chunks.push(d))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'],
            disposition: res.headers['content-disposition'],
            body: Buffer.concat(chunks),
          }),
        )
      })
      req.on('error', reject)
      req.end()
    },
  )
}

describe.skipIf(!ok)('exports in Chromium (web host)', { timeout: 90_000 }, () => {
  let stack: Stack
  let c: TestConsole
  let browser: Browser
  let queue: QueuePage
  let xlsxName = ''

  beforeAll(async () => {
    stack = await startStack()
    // Calls waiting for dispatch, whatever hour the demo data was made at (待派单 is the first view).
    await stack.logNewTickets(2)
    c = await stack.console('export')
    browser = await launch()
    queue = new QueuePage(browser.page)
    const login = new LoginPage(browser.page)
    await login.open(c.host.url)
    await login.loginByKeyboard('dispatcher1')
    await queue.waitForConnection('online')
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await stack?.close()
  })

  const total = async () => Number((await queue.total().innerText()).split(' ')[0])
  /** The view's ticket numbers as the core lists them (newest first, as the queue shows). */
  const numbers = async () => {
    const r = await c.core.call('queue.query', { filter: { view: 'all' }, limit: 1000 })
    if (!r.ok) throw new Error(r.error.message)
    return r.value.rows.map((row) => row.number)
  }

  it('Ctrl+E on 全部 downloads an XLSX with every ticket of the view', async () => {
    await queue.press('8') // 全部
    await expect.poll(() => queue.activeView()).toBe('all')
    await queue.waitForRows()
    await expect.poll(total, { timeout: 15_000 }).toBeGreaterThanOrEqual(300)
    const shown = await total()

    const [download] = await Promise.all([
      browser.page.waitForEvent('download'),
      queue.press('Control+e'),
    ])
    xlsxName = download.suggestedFilename()
    expect(xlsxName).toMatch(/^all-\d{8}-\d{6}\.xlsx$/)
    const file = join(stack.root, xlsxName)
    await download.saveAs(file)
    await expect.poll(() => queue.toast().innerText()).toContain(`已导出 ${shown}`)

    const book = new ExcelJS.Workbook()
    await book.xlsx.readFile(file)
    const sheet = book.worksheets[0]!
    expect(sheet.rowCount - 1).toBe(shown)
    const header = sheet.getRow(1)
    expect([1, 2, 10, 11].map((i) => header.getCell(i).value)).toEqual([
      '工单号',
      '受理时间',
      '来电号码',
      '诉求内容',
    ])
    const col = (i: number) =>
      Array.from({ length: shown }, (_, r) => String(sheet.getRow(r + 2).getCell(i).value))
    expect(col(1)).toEqual(await numbers())
    for (const phone of col(10)) expect(phone).toMatch(/^\d{3}\*{4}\d{4}$|^null$/)
    expect(pageProblems(browser.page)).toEqual([])
  })

  it('Ctrl+Shift+E downloads the same view as CSV', async () => {
    const [download] = await Promise.all([
      browser.page.waitForEvent('download'),
      queue.press('Control+Shift+E'),
    ])
    expect(download.suggestedFilename()).toMatch(/^all-\d{8}-\d{6}(-\d+)?\.csv$/)
    const file = join(stack.root, 'export.csv')
    await download.saveAs(file)
    const text = readFileSync(file, 'utf8')
    expect(text.startsWith('\uFEFF工单号,受理时间,渠道,')).toBe(true)
    const firstColumn = text
      .slice(1)
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.split(',')[0])
    // Demo descriptions have no line breaks: one line per ticket.
    expect(firstColumn).toEqual(await numbers())
    expect(pageProblems(browser.page)).toEqual([])
  })

  it('gives an export only with the secret, only from the exports folder', async () => {
    const origin = c.host.origin
    const auth = { authorization: `Bearer ${c.host.secret}` }
    const good = await get(origin, `/exports/${xlsxName}`, auth)
    expect(good.status).toBe(200)
    expect(good.disposition).toBe(`attachment; filename="${xlsxName}"`)
    expect(good.type).toContain('spreadsheetml')
    expect(good.body.subarray(0, 2).toString()).toBe('PK')

    // No secret, a wrong one, or the secret where the host does not take it.
    expect((await get(origin, `/exports/${xlsxName}`)).status).toBe(401)
    expect((await get(origin, `/exports/${xlsxName}`, { authorization: 'Bearer x' })).status).toBe(
      401,
    )
    const inQuery = await get(origin, `/exports/${xlsxName}?secret=${c.host.secret}`)
    expect(inQuery.status).toBe(401)
    // Another site's page, or another host name (DNS rebinding), even with the secret.
    const foreign = await get(origin, `/exports/${xlsxName}`, {
      ...auth,
      origin: 'http://evil.example',
    })
    expect(foreign.status).toBe(403)
    const host = await get(origin, `/exports/${xlsxName}`, { ...auth, host: 'evil.example' })
    expect(host.status).toBe(421)

    // Out of the folder: the cache next to it, by every spelling of `..`, or through a link.
    symlinkSync(join(c.dataDir, 'console.db'), join(c.core.exportsDir, 'linked.csv'))
    for (const path of [
      '/exports/../console.db',
      '/exports/..%2Fconsole.db',
      '/exports/%2E%2E%2Fconsole.db',
      '/exports/..%5Cconsole.db',
      '/exports/%2e%2e/console.db',
      '/exports/linked.csv',
      '/exports/.hidden.xlsx.part',
      '/exports/console.db',
    ]) {
      const r = await get(origin, path, auth)
      expect(r.disposition, path).toBeUndefined()
      expect(r.body.includes('SQLite format'), path).toBe(false)
      expect(r.status === 404 || r.type?.startsWith('text/html'), path).toBe(true)
    }
  })
})
