// A year's cases as an XLSX workbook (exceljs): one sheet, Chinese headers (CASE_COLUMNS), one
// row per case in list order, the header bold, frozen and filterable. Texts go in as strings,
// never as formulas, so nobody's words run in a spreadsheet.
import ExcelJS from 'exceljs'
import { CASE_COLUMNS } from '../../shared/cases'
import { caseCells, type DocumentInput } from './export'

const WIDTHS: Partial<Record<(typeof CASE_COLUMNS)[number][0], number>> = {
  rank: 6,
  title: 30,
  number: 17,
  category: 24,
  unit: 22,
  writeUp: 60,
  replyText: 60,
}

export async function casesXlsx(d: DocumentInput): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  book.creator = '12345 Hotline Console'
  book.created = new Date(d.now)
  const sheet = book.addWorksheet(`${d.year}年度优秀案例`, {
    views: [{ state: 'frozen', ySplit: 1 }],
  })
  sheet.columns = CASE_COLUMNS.map(([key, header]) => ({
    key,
    header,
    width: WIDTHS[key] ?? 18,
  }))
  sheet.getRow(1).font = { bold: true }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: CASE_COLUMNS.length } }
  for (const c of d.cases) {
    const cells = caseCells(c, d.calendar)
    const row = sheet.addRow(CASE_COLUMNS.map(([k]) => cells[k] ?? null))
    row.alignment = { vertical: 'top', wrapText: true }
  }
  return Buffer.from(await book.xlsx.writeBuffer())
}
