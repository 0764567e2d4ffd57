// 运行监测: the supervisors' dashboard (G then S). Live tiles, the period's KPIs against the
// previous period, charts and hotspots, all computed by the core from the local cache; every
// number and bar drills down to the queue listing exactly its tickets. Keyboard: 1–6 choose the
// period, U and D the unit and district filters, arrows move between figures, Enter drills, P
// the period report, B the monthly bulletin (月度通报; in it X and W export XLSX and DOCX), Esc goes
// back to the queue.
import { useDialog } from '../input/use-dialog'
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { QueueFilter } from '../../shared/api'
import { WorkCalendar } from '../../shared/calendar'
import type { Dashboard } from '../../shared/dashboard'
import { formatTime, useLang } from '../i18n'
import { shellBridge } from '../api'
import { errorText, useApi, useConsoleEvents } from '../state/api'
import type { Names } from '../state/reference'
import { Charts } from './Charts'
import { CodeFilter } from './CodeFilter'
import { PERIODS, periodSpan, type PeriodChoice } from './period'
import { LevelReport } from './LevelReport'
import { Report } from './Report'
import { BulletinPage, BW } from './BulletinPage'
import { Tiles, type Drill } from './Tiles'
import { COMPARE_WORDS, PERIOD_WORDS, RW, W } from './words'
import './dashboard.css'

export function DashboardScreen(props: {
  names: Names
  onClose(): void
  onDrill(label: string, filter: QueueFilter): void
}) {
  const { names } = props
  const api = useApi()
  const lang = useLang()
  const [choice, setChoice] = useState<PeriodChoice>({ kind: 'month' })
  const [units, setUnits] = useState<string[]>([])
  const [districts, setDistricts] = useState<string[]>([])
  const [data, setData] = useState<Dashboard | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [took, setTook] = useState<number | null>(null)
  const [tick, setTick] = useState(0)
  const [report, setReport] = useState(false)
  // 月度通报 (issue 17): B opens the period's bulletin; X exports it, Ctrl+P prints it.
  const [bulletin, setBulletin] = useState(false)
  const exportBulletin = useRef<((format: 'xlsx' | 'docx') => void) | null>(null)
  const box = useRef<HTMLDivElement>(null)
  const cal = useMemo(() => new WorkCalendar(names.data.calendar), [names])
  const span = useMemo(() => periodSpan(choice, cal, Date.now()), [choice, cal, tick])
  // Said wherever the previous figures show: which stretch they are (上月同期, not 上月).
  const compareLabel = COMPARE_WORDS[choice.kind][lang]

  const compute = useCallback(async () => {
    if ('error' in span) return setError(W[span.error === 'order' ? 'badOrder' : 'badDate'][lang])
    const started = performance.now()
    const r = await api.call('dashboard.compute', {
      period: { from: span.from, to: span.to },
      previous: span.previous,
      ...(units.length ? { unit: units } : {}),
      ...(districts.length ? { district: districts } : {}),
    })
    setTook(Math.round(performance.now() - started))
    if (!r.ok) return setError(errorText(r.error, lang))
    setError(null)
    setData(r.value)
  }, [api, span, units, districts, lang])
  useEffect(() => void compute(), [compute])
  useEffect(() => box.current?.focus(), [])
  const trap = useDialog(box)

  // Live: other consoles' changes and the passing minutes move the tiles (at most every 3 s).
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useConsoleEvents(api, (e) => {
    if (e.type !== 'tickets.changed' || timer.current) return
    timer.current = setTimeout(() => {
      timer.current = null
      setTick((t) => t + 1)
    }, 3000)
  })
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), 60_000)
    return () => {
      clearInterval(id)
      clearTimeout(timer.current ?? undefined)
    }
  }, [])

  const drill = (d: Drill) => props.onDrill(d.label, d.figure.filter)
  // Electron writes the PDF itself (printToPDF) and shows it; a browser opens its print dialog.
  const printReport = async () => {
    const shell = shellBridge()
    if (!shell?.printToPdf) return window.print()
    const file = await shell.printToPdf(`report-${choice.kind}`)
    setError(file ? null : W.printFailed[lang])
  }

  const onKey = (e: KeyboardEvent) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement
    if (e.key === 'Escape') {
      if (typing) box.current?.focus()
      else if (bulletin) setBulletin(false)
      else if (report) setReport(false)
      else props.onClose()
    } else if ((report || bulletin) && e.code === 'KeyP' && (e.ctrlKey || e.metaKey))
      void printReport()
    else if (typing || e.ctrlKey || e.metaKey || e.altKey) return
    else if (e.code === 'KeyB') {
      setReport(false)
      setBulletin((b) => !b)
    } else if (bulletin && e.code === 'KeyX') exportBulletin.current?.('xlsx')
    else if (bulletin && e.code === 'KeyW') exportBulletin.current?.('docx')
    else if (/^[1-6]$/.test(e.key)) {
      const kind = PERIODS[Number(e.key) - 1]!
      setChoice((c) => ({ ...c, kind }))
      if (kind === 'custom')
        setTimeout(() => box.current?.querySelector<HTMLElement>('[data-custom="first"]')?.focus())
    } else if (e.code === 'KeyU' || e.code === 'KeyD') {
      const which = e.code === 'KeyU' ? 'unit' : 'district'
      box.current?.querySelector<HTMLElement>(`[data-filter="${which}"] input`)?.focus()
    } else if (e.code === 'KeyP') {
      setBulletin(false)
      setReport((r) => !r)
    } else if (['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp'].includes(e.key)) {
      const all = [...(box.current?.querySelectorAll<HTMLElement>('[data-drill]') ?? [])]
      const at = all.indexOf(document.activeElement as HTMLElement)
      const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : -1
      all[Math.min(Math.max(at + step, 0), all.length - 1)]?.focus()
    } else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      className="dashboard"
      role="dialog"
      aria-label={W.title[lang]}
      tabIndex={-1}
      ref={box}
      onKeyDown={onKey}
      onKeyDownCapture={trap.onKeyDownCapture}
    >
      <header>
        <h2>{W.title[lang]}</h2>
        <nav className="periods" aria-label={W.period[lang]}>
          {PERIODS.map((p, i) => (
            <button
              key={p}
              type="button"
              tabIndex={-1}
              className={choice.kind === p ? 'active' : ''}
              aria-pressed={choice.kind === p}
              data-period={p}
              onClick={() => setChoice((c) => ({ ...c, kind: p }))}
            >
              <kbd>{i + 1}</kbd> {PERIOD_WORDS[p][lang]}
            </button>
          ))}
        </nav>
        {choice.kind === 'custom' && (
          <span className="custom">
            {(['first', 'last'] as const).map((k) => (
              <input
                key={k}
                data-custom={k}
                placeholder="YYYY-MM-DD"
                aria-label={k === 'first' ? W.from[lang] : W.to[lang]}
                defaultValue={choice[k] ?? ''}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter') return
                  const value = e.currentTarget.value
                  setChoice((c) => ({ ...c, [k]: value }))
                }}
                onBlur={(e) => {
                  const value = e.currentTarget.value
                  setChoice((c) => ({ ...c, [k]: value }))
                }}
              />
            ))}
          </span>
        )}
        <CodeFilter
          kind="unit"
          label={W.unitFilter[lang]}
          codes={units}
          onChange={setUnits}
          names={names}
        />
        <CodeFilter
          kind="district"
          label={W.districtFilter[lang]}
          codes={districts}
          onChange={setDistricts}
          names={names}
        />
        <span className="muted when">
          {data &&
            `${formatTime(data.period.from)} – ${formatTime(data.period.to)} · ${W.comparedWith[lang]}${compareLabel} ${formatTime(data.previousPeriod.from)} – ${formatTime(data.previousPeriod.to)}`}
          {took != null && ` · ${W.computedIn[lang]} ${took} ms`}
        </span>
      </header>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!data ? (
        <p className="muted">{W.loading[lang]}</p>
      ) : bulletin ? (
        <BulletinPage
          period={data.period}
          names={names}
          exportRef={exportBulletin}
          onDrill={props.onDrill}
        />
      ) : report ? (
        <Report
          data={data}
          names={names}
          periodLabel={PERIOD_WORDS[choice.kind][lang]}
          previousLabel={compareLabel}
          onDrill={props.onDrill}
        />
      ) : (
        <div className="dashboard-body" data-testid="dashboard-body">
          <Tiles tiles={data.tiles} onDrill={drill} previousLabel={compareLabel} />
          <Charts data={data} names={names} onDrill={drill} />
          <LevelReport
            period={data.period}
            unit={units}
            district={districts}
            names={names}
            onDrill={props.onDrill}
          />
        </div>
      )}
      <p className="hint">{bulletin ? BW.keys[lang] : report ? RW.print[lang] : W.keys[lang]}</p>
    </div>
  )
}
