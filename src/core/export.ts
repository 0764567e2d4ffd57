// 'export.start' (issue 6): a queue view or drill-down, every row, to a CSV or XLSX file in
// `<data>/exports`. The rows come from one snapshot of the cache (db/export-rows.ts) with the
// filter, sort and viewer scope of `queue.query`, a batch at a time, with an `export.progress`
// event after each batch. The file is written under a hidden `.part` name and renamed when it
// is complete and holds exactly the counted rows, so a half-written export is never offered.
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync, rmSync } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { ApiFailure, type ApiHandlers, type ConsoleEvents } from '../shared/api'
import type { WorkCalendar } from '../shared/calendar'
import type { Lang } from '../shared/validation'
import type { ExportCursor } from './db/export-rows'
import type { LocalStoreApi } from './db/types'
import { EXPORT_COLUMNS, exportRowMaker } from './export-columns'
import { csvWriter, type ExportWriter } from './export-writers'
import { xlsxWriter } from './export-xlsx'
import { notLoggedIn, notReady } from './failures'
import type { ReferenceCache } from './reference-cache'
import type { StoredSession } from './session'
import { privateDir } from './private-files'

/** The folder under the console's data folder that exports are written to (and served from). */
export const EXPORTS_FOLDER = 'exports'
/** Rows read, written and reported at a time. */
export const EXPORT_BATCH = 2000

export interface ExportDeps {
  store: LocalStoreApi
  references: ReferenceCache
  session(): StoredSession | null
  lang(): Lang
  dataDir: string
  progress(p: ConsoleEvents['export.progress']): void
  now?: () => number
}

export interface ExportService {
  handlers: Pick<ApiHandlers, 'export.start'>
  /** Stops the exports running (their files are removed) and waits for them to end. */
  close(): Promise<void>
}

const SHEET_TITLE = { zh: '工单', en: 'Tickets' } as const

/** `20261128-093005`: now on the city's clock, for file names. */
function stamp(ms: number, calendar: WorkCalendar): string {
  const l = calendar.local(ms)
  const wall = Date.UTC(l.y, l.m - 1, l.d) + Math.round(l.minute * 60_000)
  return new Date(wall).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
}

const partName = (name: string) => `.${name}.part`

export function exportService(deps: ExportDeps): ExportService {
  const now = deps.now ?? Date.now
  const dir = join(deps.dataDir, EXPORTS_FOLDER)
  const running = new Map<string, { name: string; done: Promise<unknown> }>()
  let closed = false

  /** A name no file and no running export has: `<view>-<stamp>[-n].<ext>`. */
  const reserve = (base: string, ext: string): string => {
    const taken = new Set([...running.values()].map((r) => r.name))
    for (let n = 1; ; n++) {
      const name = `${base}${n === 1 ? '' : `-${n}`}.${ext}`
      if (
        !taken.has(name) &&
        !existsSync(join(dir, name)) &&
        !existsSync(join(dir, partName(name)))
      )
        return name
    }
  }
  /** Parts left by a console that stopped mid-export (one console per data folder). */
  const sweep = () => {
    for (const f of readdirSync(dir))
      if (f.startsWith('.') && f.endsWith('.part')) rmSync(join(dir, f), { force: true })
  }

  const start: ApiHandlers['export.start'] = async (args) => {
    const s = deps.session()
    if (!s) throw notLoggedIn()
    const ref = deps.references.get()
    if (!ref) throw notReady()
    if (closed) throw new ApiFailure('closed', { zh: '控制台已关闭', en: 'The console is closed' })
    const exportId = args.exportId ?? randomUUID()
    if (running.has(exportId))
      throw new ApiFailure(
        'invalid_input',
        { zh: '这个导出已在进行', en: 'This export is already running' },
        'exportId',
      )
    const lang = args.lang ?? deps.lang()
    const nowMs = now()
    privateDir(dir)
    if (running.size === 0) sweep()
    const name = reserve(
      `${args.filter.view ?? 'all'}-${stamp(nowMs, ref.rules.calendar)}`,
      args.format,
    )
    const job = run({
      exportId,
      name,
      lang,
      format: args.format,
      makeRow: exportRowMaker(ref.data, ref.rules.calendar, lang),
      // The viewer's scope too: a unit's export holds only its own unit's tickets.
      cursor: deps.store.exportCursor(
        { filter: args.filter, sort: args.sort, offset: 0, limit: 1 },
        { userId: s.user.id, role: s.user.role, unit: s.user.unit },
        nowMs,
      ),
    })
    running.set(exportId, { name, done: job.catch(() => {}) })
    try {
      return await job
    } finally {
      running.delete(exportId)
    }
  }

  async function run(job: {
    exportId: string
    name: string
    lang: Lang
    format: 'csv' | 'xlsx'
    makeRow: ReturnType<typeof exportRowMaker>
    cursor: ExportCursor
  }) {
    const file = join(dir, job.name)
    const part = join(dir, partName(job.name))
    const { cursor } = job
    const total = cursor.total
    let writer: ExportWriter | null = null
    let done = 0
    try {
      const opts = {
        headers: EXPORT_COLUMNS.map((c) => c.header[job.lang]),
        title: SHEET_TITLE[job.lang],
      }
      writer = job.format === 'csv' ? csvWriter(part, opts) : xlsxWriter(part, opts)
      deps.progress({ exportId: job.exportId, done, total })
      for (;;) {
        if (closed)
          throw new ApiFailure('closed', { zh: '控制台已关闭', en: 'The console is closed' })
        const batch = cursor.next(EXPORT_BATCH)
        if (batch.length === 0) break
        await writer.write(batch.map(job.makeRow))
        done += batch.length
        deps.progress({ exportId: job.exportId, done, total })
        // A turn of the event loop: other calls are answered and the events go out meanwhile.
        await new Promise((r) => setImmediate(r))
      }
      // The snapshot's count and its rows are one read: a difference is a bug, not a race.
      if (done !== total) throw new Error(`export wrote ${done} rows of ${total}`)
      await writer.end()
      await rename(part, file)
      return { exportId: job.exportId, file, name: job.name, rows: done }
    } catch (e) {
      await writer?.abort()
      await rm(part, { force: true })
      throw e
    } finally {
      cursor.close()
    }
  }

  return {
    handlers: { 'export.start': start },
    async close() {
      closed = true
      await Promise.all([...running.values()].map((r) => r.done))
    },
  }
}
