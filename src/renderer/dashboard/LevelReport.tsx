// The period report's figures per level of the chain (issue 16): each unit at each level, its
// on-time signing and completion of its own assignments, how long tickets stayed there, what
// was recalled or re-routed away from it (counted apart) — and recalls per dispatcher. The
// tickets behind each row ride on it (`data-tickets`) for the drill-down.
import { useEffect, useState } from 'react'
import type { DispatcherFigure, LevelFigure } from '../../shared/kpi-levels'
import type { Localized } from '../../shared/validation'
import { useLang } from '../i18n'
import { errorText, useApi } from '../state/api'
import type { Names } from '../state/reference'

const L = {
  title: { zh: '各层级办理情况', en: 'By level of the chain' },
  level: { zh: '层级', en: 'Level' },
  unit: { zh: '单位', en: 'Unit' },
  signed: { zh: '按时签收', en: 'Signed on time' },
  done: { zh: '按时办结', en: 'Done on time' },
  held: { zh: '平均停留（小时）', en: 'Mean hours held' },
  recalled: { zh: '被撤回 / 改派', en: 'Recalled / re-routed' },
  dispatchers: { zh: '撤回与改派（按派单人）', en: 'Recalls and re-routes by dispatcher' },
  who: { zh: '派单人', en: 'Dispatcher' },
  recalls: { zh: '撤回', en: 'Recalls' },
  reroutes: { zh: '改派', en: 'Re-routes' },
  cityCentre: { zh: '市中心', en: 'City centre' },
  none: { zh: '本期无', en: 'None in the period' },
} satisfies Record<string, Localized>

const ratio = (n: number, d: number) => (d ? `${n}/${d} (${((n / d) * 100).toFixed(1)}%)` : '—')

export function LevelReport(props: { period: { from: string; to: string }; names: Names }) {
  const api = useApi()
  const lang = useLang()
  const [data, setData] = useState<{
    levels: LevelFigure[]
    dispatchers: DispatcherFigure[]
  } | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    void api.call('report.levels', props.period).then((r) => {
      if (r.ok) setData(r.value)
      else setError(errorText(r.error, lang))
    })
  }, [api, props.period, lang])
  if (error) return <p className="error">{error}</p>
  if (!data) return null
  const { names } = props
  return (
    <section className="level-report">
      <h2>{L.title[lang]}</h2>
      {data.levels.length === 0 ? (
        <p className="muted">{L.none[lang]}</p>
      ) : (
        <table className="ranking" data-testid="levels">
          <thead>
            <tr>
              {[L.level, L.unit, L.signed, L.done, L.held, L.recalled].map((c) => (
                <th key={c.en}>{c[lang]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.levels.map((l) => (
              <tr
                key={`${l.level}|${l.unit}`}
                data-level={l.level}
                data-unit={l.unit}
                data-tickets={l.tickets.join(' ')}
              >
                <td>{l.level}</td>
                <th>{names.unit(l.unit, lang)}</th>
                <td>{ratio(l.signedOnTime, l.signDue)}</td>
                <td className={l.doneOnTime < l.due ? 'bad' : ''} data-late={l.late.join(' ')}>
                  {ratio(l.doneOnTime, l.due)}
                </td>
                <td>{l.meanHoursHeld ?? '—'}</td>
                <td>{l.recalled}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.dispatchers.length > 0 && (
        <>
          <h2>{L.dispatchers[lang]}</h2>
          <table className="ranking" data-testid="recalls">
            <thead>
              <tr>
                {[L.who, L.unit, L.recalls, L.reroutes].map((c) => (
                  <th key={c.en}>{c[lang]}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.dispatchers.map((d) => (
                <tr key={d.userId} data-tickets={d.tickets.join(' ')}>
                  <th>{d.name ?? d.userId}</th>
                  <td>{d.unit ? names.unit(d.unit, lang) : L.cityCentre[lang]}</td>
                  <td>{d.recalls}</td>
                  <td>{d.reroutes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
