// The period report's figures per level of the chain (issues 16 and 17): each unit at each level
// (city, sub-centre, street, community), its on-time signing and completion as kpi-units.ts
// defines them, how long tickets stayed there, what was recalled or re-routed away from it
// (counted apart) — and recalls and re-routes per dispatcher. Every figure is a button that opens
// exactly the tickets behind it in the console's queue (Enter or a click), as the dashboard's do.
import { useEffect, useState } from 'react'
import { LEVELS, type Level } from '../../shared/kpi-units'
import type { QueueFilter } from '../../shared/api'
import type { DispatcherFigure, LevelFigure } from '../../shared/kpi-levels'
import { LEVEL_WORDS } from '../../shared/bulletin-text'
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
  allLevels: { zh: '全部层级', en: 'All levels' },
} satisfies Record<string, Localized>

const ratio = (r: { numerator: number; denominator: number }) =>
  r.denominator
    ? `${r.numerator}/${r.denominator} (${((r.numerator / r.denominator) * 100).toFixed(1)}%)`
    : '—'

/** A figure that drills down to its tickets; plain text when it has none. */
function Drill(props: {
  ids: readonly string[]
  label: string
  text: string | number
  bad?: boolean
  onDrill(label: string, filter: QueueFilter): void
}) {
  if (props.ids.length === 0) return <>{props.text}</>
  return (
    <button
      type="button"
      className={props.bad ? 'link bad' : 'link'}
      data-drill
      data-tickets={props.ids.join(' ')}
      onClick={() => props.onDrill(props.label, { view: 'all', ids: [...props.ids] })}
    >
      {props.text}
    </button>
  )
}

export function LevelReport(props: {
  period: { from: string; to: string }
  /** The dashboard's unit and district filters, when set. */
  unit?: readonly string[]
  district?: readonly string[]
  names: Names
  onDrill(label: string, filter: QueueFilter): void
}) {
  const api = useApi()
  const lang = useLang()
  const [data, setData] = useState<{
    levels: LevelFigure[]
    dispatchers: DispatcherFigure[]
  } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [only, setOnly] = useState<Level | null>(null)
  const { unit, district } = props
  const { from, to } = props.period
  const filters = JSON.stringify([unit ?? null, district ?? null])
  // Asked again when the span or the filters change, not on every refresh of the dashboard.
  useEffect(() => {
    const args = {
      from,
      to,
      ...(unit?.length ? { unit: [...unit] } : {}),
      ...(district?.length ? { district: [...district] } : {}),
    }
    void api.call('report.levels', args).then((r) => {
      if (r.ok) setData(r.value)
      else setError(errorText(r.error, lang))
    })
    // `filters` stands for the unit and district lists (new arrays each render).
  }, [api, from, to, filters, lang])
  if (error) return <p className="error">{error}</p>
  if (!data) return null
  const { names, onDrill } = props
  const rows = only ? data.levels.filter((l) => l.level === only) : data.levels
  return (
    <section className="level-report">
      <h2>{L.title[lang]}</h2>
      <label className="level-filter">
        {L.level[lang]}{' '}
        <select
          value={only ?? ''}
          data-testid="level-filter"
          onChange={(e) => setOnly((e.target.value || null) as Level | null)}
        >
          <option value="">{L.allLevels[lang]}</option>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {LEVEL_WORDS[l][lang]}
            </option>
          ))}
        </select>
      </label>
      {rows.length === 0 ? (
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
            {rows.map((l) => {
              const who = `${names.unit(l.unit, lang)} · ${LEVEL_WORDS[l.level][lang]}`
              const d = (ids: readonly string[], what: Localized, text: string | number) => (
                <Drill ids={ids} label={`${who} · ${what[lang]}`} text={text} onDrill={onDrill} />
              )
              return (
                <tr
                  key={`${l.level}|${l.unit}`}
                  data-level={l.level}
                  data-unit={l.unit}
                  data-late={l.overdueTickets.join(' ')}
                >
                  <td>{LEVEL_WORDS[l.level][lang]}</td>
                  <th>{names.unit(l.unit, lang)}</th>
                  <td data-figure="signing">{d(l.tickets.signing, L.signed, ratio(l.signing))}</td>
                  <td
                    data-figure="completion"
                    className={l.completion.numerator < l.completion.denominator ? 'bad' : ''}
                  >
                    {d(l.tickets.completion, L.done, ratio(l.completion))}
                  </td>
                  <td data-figure="held">{d(l.tickets.held, L.held, l.meanHoursHeld ?? '—')}</td>
                  <td data-figure="recalled">{d(l.tickets.recalled, L.recalled, l.recalled)}</td>
                </tr>
              )
            })}
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
                <tr key={d.userId}>
                  <th>
                    <Drill
                      ids={d.tickets}
                      label={`${d.name ?? d.userId} · ${L.dispatchers[lang]}`}
                      text={d.name ?? d.userId}
                      onDrill={onDrill}
                    />
                  </th>
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
