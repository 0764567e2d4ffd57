// Writing an export a batch of rows at a time, and its CSV form: UTF-8 with a BOM (so Excel
// reads the Chinese right), RFC 4180 quoting, CRLF line ends. The XLSX form is export-xlsx.ts.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { EXPORT_COLUMNS, formatWall, type ExportCell } from './export-columns'
import { PRIVATE_FILE } from './private-files'

/** Waits for a stream's buffer to drain; rejects if it fails instead. */
export async function drained(s: Writable): Promise<void> {
  const ac = new AbortController()
  try {
    await Promise.race([
      once(s, 'drain', { signal: ac.signal }),
      once(s, 'error', { signal: ac.signal }),
    ])
  } finally {
    ac.abort()
  }
}

export interface ExportWriter {
  write(rows: readonly ExportCell[][]): Promise<void>
  /** Completes the file; after a failure, `abort` instead. */
  end(): Promise<void>
  abort(): Promise<void>
}

export interface WriterOptions {
  headers: readonly string[]
  /** The sheet's name (XLSX). */
  title: string
  /** Rows a sheet holds, the header included (XLSX; Excel's limit unless a test says less). */
  sheetRows?: number
}

/**
 * One CSV field. A text a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, a tab or
 * CR first: citizens' words and names are not to be run) is written with a `'` before it, as
 * OWASP advises against CSV injection; then quoted when it holds a comma, quote or line break.
 */
export function csvField(cell: ExportCell, type: 'text' | 'time'): string {
  if (cell == null) return ''
  let s = type === 'time' ? formatWall(cell as number) : String(cell)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvWriter(path: string, opts: WriterOptions): ExportWriter {
  const out = createWriteStream(path, { flags: 'wx', mode: PRIVATE_FILE })
  let failed: Error | null = null
  out.on('error', (e) => (failed ??= e))
  const types = EXPORT_COLUMNS.map((c) => c.type)
  const line = (cells: readonly ExportCell[]) =>
    cells.map((c, i) => csvField(c, types[i]!)).join(',') + '\r\n'
  const put = async (text: string) => {
    if (failed) throw failed
    if (!out.write(text)) await drained(out)
    if (failed) throw failed
  }
  let first: Promise<void> | null = put(
    '\uFEFF' + opts.headers.map((h) => csvField(h, 'text')).join(',') + '\r\n',
  )
  return {
    async write(rows) {
      if (first) await first
      first = null
      await put(rows.map(line).join(''))
    },
    async end() {
      if (first) await first
      out.end()
      await finished(out)
      if (failed) throw failed
    },
    async abort() {
      out.destroy()
      await finished(out).catch(() => {})
    },
  }
}
