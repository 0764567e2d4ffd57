// An export as XLSX: exceljs's streaming writer, so rows go to the file as they come and never
// all sit in memory; the header row bold, frozen and filterable, column widths set, times as
// real date-times (the city's wall clock: the sheet sorts and filters by them), and a new sheet
// past Excel's row limit.
import type { EventEmitter } from 'node:events'
import { createWriteStream } from 'node:fs'
import { finished } from 'node:stream/promises'
import ExcelJS from 'exceljs'
import { EXPORT_COLUMNS } from './export-columns'
import { drained, type ExportWriter, type WriterOptions } from './export-writers'
import { PRIVATE_FILE } from './private-files'

/** Rows a worksheet holds (Excel's limit, the header included); more go on to another sheet. */
export const SHEET_ROWS = 1_048_576

export function xlsxWriter(path: string, opts: WriterOptions): ExportWriter {
  const stream = createWriteStream(path, { flags: 'wx', mode: PRIVATE_FILE })
  let failed: Error | null = null
  stream.on('error', (e) => (failed ??= e))
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  })
  book.creator = '12345 Hotline Console'
  // The zip's own errors, before commit listens for them, must fail the export, not the process.
  ;(book as unknown as { zip?: EventEmitter }).zip?.on('error', (e: Error) => (failed ??= e))
  const types = EXPORT_COLUMNS.map((c) => c.type)
  let sheet: ExcelJS.Worksheet | null = null
  let sheets = 0
  let rowsInSheet = 0

  const newSheet = () => {
    sheet?.commit()
    sheets++
    const ws = book.addWorksheet(sheets === 1 ? opts.title : `${opts.title} (${sheets})`, {
      views: [{ state: 'frozen', ySplit: 1 }],
    })
    ws.columns = EXPORT_COLUMNS.map((c, i) => ({
      header: opts.headers[i],
      width: c.width,
      style: c.type === 'time' ? { numFmt: 'yyyy-mm-dd hh:mm' } : {},
    }))
    ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_COLUMNS.length } }
    const header = ws.getRow(1)
    header.font = { bold: true }
    header.commit()
    sheet = ws
    rowsInSheet = 1
  }
  newSheet()

  return {
    async write(rows) {
      if (failed) throw failed
      for (const cells of rows) {
        if (rowsInSheet >= (opts.sheetRows ?? SHEET_ROWS)) newSheet()
        // Wall times as dates: the sheet shows the city's clock, and sorts and filters by it.
        // Line breaks as a cell holds them (XML would turn a CR LF into LF on reading anyway).
        const values = cells.map((c, i) =>
          c == null
            ? null
            : types[i] === 'time'
              ? new Date(c as number)
              : (c as string).replace(/\r\n?/g, '\n'),
        )
        sheet!.addRow(values).commit()
        rowsInSheet++
      }
      await zipCaughtUp(sheet!, () => failed)
      while (stream.writableNeedDrain && !failed) await drained(stream)
      if (failed) throw failed
    },
    async end() {
      sheet?.commit()
      await book.commit()
      if (!stream.writableFinished) await finished(stream)
      if (failed) throw failed
    },
    async abort() {
      stream.destroy()
      await finished(stream).catch(() => {})
    },
  }
}

/** Bytes of a sheet's XML that may wait for the zip before the next batch is added. */
const ZIP_BACKLOG = 1 << 20

/**
 * exceljs hands a sheet's XML to the zip through a PassThrough whose writes it never waits on
 * (lib/utils/stream-buf.js): rows added faster than the zip compresses pile up there — a
 * gigabyte at a million rows. So after each batch, wait until that pipe's buffer (readable-stream
 * 2's, hence `_writableState`) is small again. Internals, read defensively: where they are not
 * found this only yields a turn.
 */
async function zipCaughtUp(ws: ExcelJS.Worksheet, failed: () => Error | null): Promise<void> {
  type Pipe = { writableLength?: number; _writableState?: { length?: number } }
  const buf = (ws as unknown as { stream?: { pipes?: Pipe[] } }).stream
  const behind = () => {
    const p = buf?.pipes?.[0]
    return (p?.writableLength ?? p?._writableState?.length ?? 0) > ZIP_BACKLOG
  }
  await new Promise((r) => setImmediate(r))
  while (behind() && !failed()) await new Promise((r) => setTimeout(r, 2))
}
