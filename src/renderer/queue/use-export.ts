// Exporting the queue as it stands — view, typed filter and sort — to XLSX (Ctrl+E) or CSV
// (Ctrl+Shift+E). The core writes the file from its cache and reports progress as it goes; when it
// is done the file goes to the person: downloaded in a browser, shown in its folder in Electron.
import { useCallback, useRef, useState } from 'react'
import type { ConsoleApi, ExportFormat, QueueFilter } from '../../shared/api'
import { uuidv7 } from '../../shared/ids'
import type { Lang, Localized } from '../../shared/validation'
import { deliverExport } from '../api'
import { errorText, useConsoleEvents } from '../state/api'
import type { Sort } from './use-queue'

export interface ExportRun {
  exportId: string
  format: ExportFormat
  done: number
  /** Unknown until the core's first progress event. */
  total: number | null
}

export const EXPORT_WORDS = {
  running: { zh: '导出中', en: 'Exporting' },
  busy: { zh: '上一个导出尚未完成', en: 'The last export is still running' },
  done: { zh: '已导出', en: 'Exported' },
  rows: { zh: '条', en: 'rows' },
  failed: { zh: '导出的文件无法打开', en: 'Could not hand over the exported file' },
} satisfies Record<string, Localized>

export function useExport(
  api: ConsoleApi,
  lang: Lang,
  say: (text: string, error?: boolean) => void,
): {
  running: ExportRun | null
  start(filter: QueueFilter, sort: Sort, format: ExportFormat): void
} {
  const [running, setRunning] = useState<ExportRun | null>(null)
  // Set at once (not at the next render): the first progress events come before it.
  const current = useRef<ExportRun | null>(null)
  const update = (r: ExportRun | null) => {
    current.current = r
    setRunning(r)
  }

  useConsoleEvents(api, (e) => {
    const r = current.current
    if (e.type !== 'export.progress' || !r || e.payload.exportId !== r.exportId) return
    update({ ...r, done: e.payload.done, total: e.payload.total })
  })

  const start = useCallback(
    (filter: QueueFilter, sort: Sort, format: ExportFormat) => {
      if (current.current) return say(EXPORT_WORDS.busy[lang], true)
      const exportId = uuidv7()
      update({ exportId, format, done: 0, total: null })
      void (async () => {
        const r = await api.call('export.start', { filter, sort, format, lang, exportId })
        update(null)
        if (!r.ok) return say(errorText(r.error, lang), true)
        const { rows, name } = r.value
        try {
          await deliverExport(r.value)
          say(
            `${EXPORT_WORDS.done[lang]} ${rows.toLocaleString()} ${EXPORT_WORDS.rows[lang]} · ${name}`,
          )
        } catch (e) {
          say(`${EXPORT_WORDS.failed[lang]}: ${e instanceof Error ? e.message : String(e)}`, true)
        }
      })()
    },
    [api, lang, say],
  )

  return { running, start }
}
