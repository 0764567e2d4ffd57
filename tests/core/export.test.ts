// Exports (issue 6): a view of a few thousand tickets to CSV and XLSX, parsed back — every row of
// the same `queue.query` exactly once and in its order, the headers in both languages, phones
// masked, awkward descriptions intact, a unit's export only its own, progress that counts up to
// the total, and tickets changing mid-export neither lost nor doubled.
import { readFileSync, readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { apiArgs, type ApiArgs, type ConsoleEvents } from '../../src/shared/api'
import type { Ticket } from '../../src/shared/ticket'
import type { Viewer } from '../../src/core/db'
import { EXPORT_COLUMNS, formatWall } from '../../src/core/export-columns'
import { exportService } from '../../src/core/export'
import { xlsxWriter } from '../../src/core/export-xlsx'
import { ReferenceCache } from '../../src/core/reference-cache'
import type { StoredSession } from '../../src/core/session'
import { fixture, loadReference } from '../../bench/core-fixtures'
import { ctx } from '../helpers/workflow'
import { openStore, page, tempDir } from './helpers'

const ref = loadReference()
const fx = fixture(ref, 3000)
const SPECIAL = {
  5: '噪音扰民，"每晚"十点后,\n楼下饭店仍在营业\r\n请处理',
  6: '=HYPERLINK("http://example.com","点击")',
  7: '  前后有空格  ',
}
const unitCode = fx.ticket(0).unit ?? 'CITY-UM'

function tickets(): Ticket[] {
  return Array.from({ length: fx.count }, (_, i) => {
    const t = fx.ticket(i)
    const description = SPECIAL[i as keyof typeof SPECIAL] ?? t.description
    // One provisional (not yet numbered) ticket, one the unit holds only as a co-unit.
    const number = i === 8 ? null : t.number
    const coUnits = i === 9 && t.unit !== unitCode ? [unitCode] : t.coUnits
    return { ...t, description, number, coUnits }
  })
}

function setUp(user: Partial<StoredSession['user']> = {}) {
  const dir = tempDir()
  const store = openStore(dir)
  const all = tickets()
  store.applyPull(page({ tickets: all, reference: { ...ref, version: 1 } }), ctx)
  const session: StoredSession = {
    token: 't',
    serverUrl: 'http://127.0.0.1:1',
    expiresAt: null,
    user: {
      id: 'u-disp1',
      username: 'dispatcher1',
      displayName: '王派单',
      role: 'dispatcher',
      unit: null,
      ...user,
    },
  }
  const progress: Array<ConsoleEvents['export.progress']> = []
  let onProgress = (_p: ConsoleEvents['export.progress']) => {}
  const service = exportService({
    store,
    references: new ReferenceCache(store),
    session: () => session,
    lang: () => 'zh',
    dataDir: dir,
    progress: (p) => (progress.push(p), onProgress(p)),
    now: () => fx.nowMs,
  })
  const viewer: Viewer = {
    userId: session.user.id,
    role: session.user.role,
    unit: session.user.unit,
  }
  const run = (args: ApiArgs<'export.start'>) =>
    service.handlers['export.start'](apiArgs['export.start'].parse(args))
  /** The numbers `queue.query` lists for the same filter and sort, in order. */
  const queued = (args: ApiArgs<'export.start'>): string[] => {
    const { filter, sort } = apiArgs['export.start'].parse(args)
    return store
      .queue({ filter, sort, offset: 0, limit: 1_000_000 }, viewer, fx.nowMs)
      .rows.map((r) => r.number)
  }
  return {
    dir,
    store,
    all,
    run,
    queued,
    progress,
    setOnProgress: (f: typeof onProgress) => (onProgress = f),
    service,
  }
}

/** RFC 4180, strictly: quoted fields may hold anything, every record ends with CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const endField = () => {
    row.push(field)
    field = ''
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c !== '"') field += c
      else if (text[i + 1] === '"') field += text[i++]
      else quoted = false
    } else if (c === '"') {
      if (field !== '') throw new Error(`a quote inside an unquoted field at ${i}`)
      quoted = true
    } else if (c === ',') {
      endField()
    } else if (c === '\r' && text[i + 1] === '\n') {
      endField()
      rows.push(row)
      row = []
      i++
    } else if (c === '\r' || c === '\n') {
      throw new Error(`a bare line break at ${i}`)
    } else field += c
  }
  if (quoted || field !== '' || row.length) throw new Error('the last record does not end in CRLF')
  return rows
}

function readCsv(file: string): string[][] {
  const text = readFileSync(file, 'utf8')
  expect(text.startsWith('\uFEFF')).toBe(true)
  return parseCsv(text.slice(1))
}

/** Every sheet's rows as text (dates as the CSV writes them); the header row of each sheet too. */
async function readXlsx(file: string): Promise<{ rows: string[][]; book: ExcelJS.Workbook }> {
  const book = new ExcelJS.Workbook()
  await book.xlsx.readFile(file)
  const rows: string[][] = []
  for (const ws of book.worksheets)
    ws.eachRow((row) => {
      const cells: string[] = []
      for (let c = 1; c <= EXPORT_COLUMNS.length; c++) {
        const v = row.getCell(c).value
        cells.push(v == null ? '' : v instanceof Date ? formatWall(v.getTime()) : String(v))
      }
      rows.push(cells)
    })
  return { rows, book }
}

const cityTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
})

describe('export.start', () => {
  it('writes every row of the view once, in the queue’s order, to CSV and to XLSX', async () => {
    const s = setUp()
    const args = { filter: { view: 'all' }, format: 'csv', lang: 'zh' } as const
    const expected = s.queued(args)
    expect(expected.length).toBe(fx.count)
    const csv = await s.run(args)
    expect(dirname(csv.file)).toBe(join(s.dir, 'exports'))
    expect(basename(csv.file)).toMatch(/^all-\d{8}-\d{6}\.csv$/)
    expect(basename(csv.file)).toBe(csv.name)
    expect(csv.rows).toBe(fx.count)
    const rows = readCsv(csv.file)
    expect(rows[0]).toEqual(EXPORT_COLUMNS.map((c) => c.header.zh))
    expect(rows[0]!.slice(0, 3)).toEqual(['工单号', '受理时间', '渠道'])
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected)
    expect(new Set(rows.slice(1).map((r) => r[0])).size).toBe(fx.count)
    for (const r of rows) expect(r).toHaveLength(EXPORT_COLUMNS.length)

    const xlsx = await s.run({ ...args, format: 'xlsx' })
    expect(basename(xlsx.file)).toMatch(/^all-\d{8}-\d{6}\.xlsx$/)
    const { rows: sheet, book } = await readXlsx(xlsx.file)
    const ws = book.worksheets[0]!
    expect(ws.name).toBe('工单')
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true)
    expect(ws.getColumn(11).width).toBeGreaterThan(30)
    expect(ws.getRow(2).getCell(2).value).toBeInstanceOf(Date) // times are real date-times
    // The same cells as the CSV, but for the CSV's guard against formulas (see below) and line
    // breaks, which a cell holds as LF.
    expect(sheet).toEqual(
      rows.map((r) => r.map((c) => c.replace(/^'=/, '=').replace(/\r\n/g, '\n'))),
    )
  })

  it('keeps hard descriptions, masks phones, names codes and shows city time', async () => {
    const s = setUp()
    const args = {
      filter: { view: 'all' },
      sort: { column: 'number', dir: 'asc' },
      format: 'csv',
      lang: 'zh',
    } as const
    const rows = readCsv((await s.run(args)).file)
    const byNumber = new Map(rows.slice(1).map((r) => [r[0], r]))
    const col = (zh: string) => EXPORT_COLUMNS.findIndex((c) => c.header.zh === zh)
    const row = (i: number) => byNumber.get(s.all[i]!.number ?? '')!
    expect(row(5)[col('诉求内容')]).toBe(SPECIAL[5])
    expect(row(7)[col('诉求内容')]).toBe(SPECIAL[7])
    // A citizen's text is never a formula in a spreadsheet.
    expect(row(6)[col('诉求内容')]).toBe(`'${SPECIAL[6]}`)
    expect(rows.some((r) => r[0]!.startsWith('待编号-'))).toBe(true)
    const text = readFileSync((await s.run(args)).file, 'utf8')
    for (const t of s.all.slice(0, 200)) expect(text).not.toContain(t.caller.phone!)
    for (const r of rows.slice(1)) expect(r[col('来电号码')]).toMatch(/^1\d{2}\*{4}\d{4}$/)
    const t = s.all[100]!
    expect(row(100)[col('受理时间')]).toBe(cityTime.format(Date.parse(t.createdAt)))
    expect(row(100)[col('承办单位')]).toBe(ref.units.find((u) => u.code === t.unit)?.name ?? '')
    expect(row(100)[col('类别')]).toContain(' / ')
    const leaf = ref.categories.find((c) => c.code === t.category)!.name
    expect(row(100)[col('类别')]!.endsWith(` / ${leaf}`)).toBe(true)
    expect([
      '已办结',
      '办理中',
      '已派单',
      '待派单',
      '已回复',
      '退单待审',
      '已合并',
      '已作废',
    ]).toContain(row(100)[col('状态')])
  })

  it('speaks English when asked', async () => {
    const s = setUp()
    const { file } = await s.run({ filter: { view: 'all' }, format: 'xlsx', lang: 'en' })
    const { rows, book } = await readXlsx(file)
    expect(book.worksheets[0]!.name).toBe('Tickets')
    expect(rows[0]).toEqual(EXPORT_COLUMNS.map((c) => c.header.en))
    expect(rows[0]!.slice(0, 2)).toEqual(['Number', 'Received'])
    expect(rows.length - 1).toBe(fx.count)
  })

  it('gives unit staff only their own unit’s tickets (co-units included)', async () => {
    const s = setUp({ id: 'u-unit', username: `unit-${unitCode}`, role: 'unit', unit: unitCode })
    const args = { filter: { view: 'all' }, format: 'csv', lang: 'zh' } as const
    const expected = s.queued(args)
    const mine = s.all.filter((t) => t.unit === unitCode || t.coUnits.includes(unitCode))
    expect(expected.length).toBe(mine.length)
    expect(expected.length).toBeLessThan(fx.count / 2)
    const rows = readCsv((await s.run(args)).file)
    expect(rows.slice(1).map((r) => r[0])).toEqual(expected)
  })

  it('reports progress every 2,000 rows or fewer, counting up to the total', async () => {
    const s = setUp()
    const done = await s.run({
      filter: { view: 'all' },
      format: 'xlsx',
      lang: 'zh',
      exportId: '0190f5c2-0000-7000-8000-00000000abcd',
    })
    expect(done.exportId).toBe('0190f5c2-0000-7000-8000-00000000abcd')
    const p = s.progress.filter((e) => e.exportId === done.exportId)
    expect(p[0]).toEqual({ exportId: done.exportId, done: 0, total: fx.count })
    expect(p.at(-1)).toEqual({ exportId: done.exportId, done: fx.count, total: fx.count })
    for (let i = 1; i < p.length; i++) {
      expect(p[i]!.done).toBeGreaterThan(p[i - 1]!.done)
      expect(p[i]!.done - p[i - 1]!.done).toBeLessThanOrEqual(2000)
      expect(p[i]!.total).toBe(fx.count)
    }
  })

  it('exports the moment it began: tickets changing meanwhile are neither lost nor doubled', async () => {
    const s = setUp()
    // Sorted by last change, so the changes below move rows across the pages still to be read.
    const args = {
      filter: { view: 'all' },
      sort: { column: 'updatedAt', dir: 'desc' },
      format: 'csv',
      lang: 'zh',
    } as const
    const before = s.queued(args)
    let changed = false
    s.setOnProgress((p) => {
      if (changed || p.done === 0) return
      changed = true
      const later = new Date(fx.nowMs + 60_000).toISOString()
      const moved = s.all
        .slice(0, 1500)
        .map((t) => ({ ...t, updatedAt: later, version: t.version + 1 }))
      const added = Array.from({ length: 30 }, (_, i) => ({
        ...fx.ticket(i),
        id: `0190f5c2-0000-7000-8000-ffff${String(i).padStart(8, '0')}`,
        number: `2099010100${String(i).padStart(4, '0')}`,
      }))
      s.store.applyPull(
        page({
          cursor: 2,
          tickets: [...moved, ...added],
          removed: s.all.slice(2900).map((t) => t.id),
        }),
        ctx,
      )
    })
    const rows = readCsv((await s.run(args)).file)
    expect(changed).toBe(true)
    expect(rows.slice(1).map((r) => r[0])).toEqual(before)
    // And the next export sees the changes.
    expect(s.queued(args)).not.toEqual(before)
    expect(readCsv((await s.run(args)).file).length - 1).toBe(fx.count + 30 - 100)
  })

  it('names files by view and time, never overwriting, and leaves no part behind', async () => {
    const s = setUp()
    const a = await s.run({ filter: { view: 'overdue' }, format: 'csv', lang: 'zh' })
    const b = await s.run({ filter: { view: 'overdue' }, format: 'csv', lang: 'zh' })
    expect(a.name).toMatch(/^overdue-20261127-160000\.csv$/) // 08:00 UTC is 16:00 in the city
    expect(b.name).toBe('overdue-20261127-160000-2.csv')
    // An export stopped half-way (the console closing) leaves no file, not even a part.
    s.setOnProgress((p) => void (p.done > 0 && s.service.close()))
    await expect(s.run({ filter: { view: 'all' }, format: 'xlsx', lang: 'zh' })).rejects.toThrow(
      /closed/,
    )
    expect(readdirSync(join(s.dir, 'exports')).sort()).toEqual([a.name, b.name].sort())
  })

  it('goes on to another sheet, header and all, past a sheet’s last row', async () => {
    const file = join(tempDir(), 'many.xlsx')
    const headers = EXPORT_COLUMNS.map((c) => c.header.zh)
    const w = xlsxWriter(file, { headers, title: '工单', sheetRows: 1000 })
    const row = (i: number) => EXPORT_COLUMNS.map((c) => (c.type === 'time' ? null : `r${i}`))
    for (let b = 0; b < 5; b++)
      await w.write(Array.from({ length: 500 }, (_, i) => row(b * 500 + i)))
    await w.end()
    const { rows, book } = await readXlsx(file)
    expect(book.worksheets.map((ws) => ws.name)).toEqual(['工单', '工单 (2)', '工单 (3)'])
    expect(rows.filter((r) => r[0] === '工单号')).toHaveLength(3)
    const data = rows.filter((r) => r[0] !== '工单号').map((r) => r[0])
    expect(data).toEqual(Array.from({ length: 2500 }, (_, i) => `r${i}`))
  })
})
