// The monthly bulletin as an XLSX workbook (exceljs): one sheet, the tables of
// src/shared/bulletin-text.ts one under another with their titles, as a supervisor forwards it.
// Texts go in as strings, never formulas.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import type { Bulletin } from '../shared/bulletin'
import { bulletinTables, type BulletinNames } from '../shared/bulletin-text'
import type { Lang } from '../shared/validation'

export async function bulletinXlsx(
  b: Bulletin,
  names: BulletinNames,
  lang: Lang,
  title: string,
): Promise<Buffer> {
  const book = new ExcelJS.Workbook()
  book.creator = '12345 Hotline Console'
  const sheet = book.addWorksheet(lang === 'zh' ? '月度通报' : 'Bulletin')
  sheet.columns = Array.from({ length: 11 }, (_, i) => ({ width: i === 2 || i === 0 ? 26 : 14 }))
  sheet.addRow([title]).font = { bold: true, size: 14 }
  sheet.addRow([`${lang === 'zh' ? '考核办法' : 'Scoring'}：${b.scoringLabel}`])
  for (const t of bulletinTables(b, names, lang)) {
    sheet.addRow([])
    sheet.addRow([t.title]).font = { bold: true, size: 12 }
    sheet.addRow(t.headers).font = { bold: true }
    if (t.rows.length === 0) sheet.addRow([t.empty])
    for (const r of t.rows) sheet.addRow(r)
  }
  return Buffer.from(await book.xlsx.writeBuffer())
}

/** Writes the workbook into the exports folder; answers its path and name. */
export async function writeBulletinXlsx(
  dir: string,
  name: string,
  b: Bulletin,
  names: BulletinNames,
  lang: Lang,
  title: string,
): Promise<{ file: string; name: string }> {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, name)
  writeFileSync(file, await bulletinXlsx(b, names, lang, title))
  return { file, name }
}
