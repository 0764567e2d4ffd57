// 运行报告: the period report — the KPI table against the previous period, the charts and the
// ranking of units (on time, satisfaction, overdue, returns, urged) — laid out for paper. Ctrl+P
// prints it (in Electron: saved as a PDF; in the browser: the browser's print, "Save as PDF").
import { useEffect, useState } from 'react'
import type { UnitScore } from '../../shared/api'
import type { Dashboard } from '../../shared/dashboard'
import type { Ratio } from '../../shared/kpi'
import { formatTime, useLang } from '../i18n'
import type { QueueFilter } from '../../shared/api'
import { errorText, useApi } from '../state/api'
import type { Names } from '../state/reference'
import { Charts } from './Charts'
import { LevelReport } from './LevelReport'
import { pct } from './format'
import { RW, W } from './words'

const rate = (r: Ratio | number | null) => pct(typeof r === 'number' || r === null ? r : r.rate)
const num = (n: number | null, digits = 0) => (n == null ? '—' : n.toFixed(digits))

export function Report(props: {
  data: Dashboard
  names: Names
  periodLabel: string
  /** What the previous period is (上月同期 …). */
  previousLabel?: string
  /** Opens a figure's tickets in the queue (the per-level figures). */
  onDrill(label: string, filter: QueueFilter): void
}) {
  const { data, names } = props
  const api = useApi()
  const lang = useLang()
  const [units, setUnits] = useState<UnitScore[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    void api.call('report.units', data.period).then((r) => {
      if (r.ok) setUnits(r.value)
      else setError(errorText(r.error, lang))
    })
  }, [api, data.period, lang])

  const k = data.kpis
  const rows: Array<[string, string, string, string]> = [
    [
      W.received[lang],
      num(k.current.counts.received),
      num(k.previous.counts.received),
      signed(k.change.counts.received),
    ],
    [
      W.completed[lang],
      num(k.current.counts.completions),
      num(k.previous.counts.completions),
      signed(k.change.counts.completions),
    ],
    [
      W.onTimeRate[lang],
      rate(k.current.onTimeRate),
      rate(k.previous.onTimeRate),
      points(k.change.onTimeRate),
    ],
    [
      W.satisfactionRate[lang],
      rate(k.current.satisfactionRate),
      rate(k.previous.satisfactionRate),
      points(k.change.satisfactionRate),
    ],
    [
      W.avgHandlingDays[lang],
      num(k.current.avgHandlingDays.mean, 1),
      num(k.previous.avgHandlingDays.mean, 1),
      signed(k.change.avgHandlingDays, 1),
    ],
    [
      W.avgCompanyHandlingDays[lang],
      num(k.current.avgCompanyHandlingDays.mean, 1),
      num(k.previous.avgCompanyHandlingDays.mean, 1),
      signed(k.change.avgCompanyHandlingDays, 1),
    ],
    [
      W.firstCallResolutionRate[lang],
      rate(k.current.firstCallResolutionRate),
      rate(k.previous.firstCallResolutionRate),
      points(k.change.firstCallResolutionRate),
    ],
    [
      W.returnRate[lang],
      rate(k.current.returnRate),
      rate(k.previous.returnRate),
      points(k.change.returnRate),
    ],
    [
      W.reopenRate[lang],
      rate(k.current.reopenRate),
      rate(k.previous.reopenRate),
      points(k.change.reopenRate),
    ],
    [W.openBacklog[lang], num(k.backlog.total), '', ''],
    [W.overdue[lang], num(k.backlog.overdue), '', ''],
  ]

  return (
    <article className="report" data-testid="report">
      <header>
        <h1>
          {RW.city[lang]} · {W.report[lang]} · {props.periodLabel}
        </h1>
        <p className="muted">
          {formatTime(data.period.from)} – {formatTime(data.period.to)} ·{' '}
          {props.previousLabel ?? RW.previousIs[lang]} {formatTime(data.previousPeriod.from)} –{' '}
          {formatTime(data.previousPeriod.to)} · {RW.generated[lang]} {formatTime(data.now)}
        </p>
      </header>
      <section>
        <h2>{RW.kpis[lang]}</h2>
        <table className="kpi-table">
          <thead>
            <tr>
              <th>{RW.indicator[lang]}</th>
              <th>{W.inPeriod[lang]}</th>
              <th>{W.previous[lang]}</th>
              <th>{RW.change[lang]}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, ...cells]) => (
              <tr key={label}>
                <th>{label}</th>
                {cells.map((c, i) => (
                  <td key={i}>{c}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>{W.ranking[lang]}</h2>
        {error && <p className="error">{error}</p>}
        {!units ? (
          <p className="muted">{W.loading[lang]}</p>
        ) : (
          <table className="ranking" data-testid="ranking">
            <thead>
              <tr>
                {RW.columns.map((c) => (
                  <th key={c.en}>{c[lang]}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {units.map((u, i) => (
                <tr key={u.unit} data-unit={u.unit}>
                  <td>{i + 1}</td>
                  <th>{names.unit(u.unit, lang)}</th>
                  <td>{u.kpis.counts.dispatches}</td>
                  <td>{u.kpis.counts.completions}</td>
                  <td>{rate(u.kpis.onTimeRate)}</td>
                  <td>{rate(u.kpis.satisfactionRate)}</td>
                  <td>{u.open}</td>
                  <td className={u.overdue ? 'bad' : ''}>{u.overdue}</td>
                  <td>{u.kpis.counts.returnsApproved}</td>
                  <td>{u.urged}</td>
                  <td>{u.supervised}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <LevelReport period={data.period} names={names} onDrill={props.onDrill} />
      <Charts data={data} names={names} onDrill={() => {}} />
    </article>
  )
}

function signed(n: number | null, digits = 0): string {
  if (n == null) return '—'
  return `${n > 0 ? '+' : ''}${n.toFixed(digits)}`
}
function points(n: number | null): string {
  if (n == null) return '—'
  return `${n > 0 ? '+' : ''}${(n * 100).toFixed(1)}pt`
}
