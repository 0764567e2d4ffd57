// "导出中 12,000 / 100,000": a running export, over the queue's corner until the file is handed over.
import { useLang } from '../i18n'
import { EXPORT_WORDS, type ExportRun } from './use-export'

export function ExportProgress({ run }: { run: ExportRun }) {
  const lang = useLang()
  const format = run.format === 'xlsx' ? 'Excel' : 'CSV'
  return (
    <div className="toast export-progress" role="status" aria-live="polite">
      <span>
        {EXPORT_WORDS.running[lang]} {format} {run.done.toLocaleString()}
        {run.total === null ? '' : ` / ${run.total.toLocaleString()}`}
      </span>
      <progress max={Math.max(run.total ?? 1, 1)} value={run.total === null ? 0 : run.done} />
    </div>
  )
}
