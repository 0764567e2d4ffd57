// The dashboard's charts (Recharts, from the local cache's figures): received and completed per
// day, backlog by unit stacked by status (worst first), ages of open tickets, top categories
// against the previous period, and the hotspot list. A click on a bar drills down; from the
// keyboard a chart is one stop: ←/→ choose a bar, Enter drills (Shift+Enter: the second series).
import { useState, type KeyboardEvent, type ReactNode } from 'react'
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts'
import type { Dashboard, Figure } from '../../shared/dashboard'
import { STATUS_LABELS } from '../../shared/labels'
import type { Localized } from '../../shared/validation'
import { useLang } from '../i18n'
import type { Names } from '../state/reference'
import type { Drill } from './Tiles'
import { AGE_WORDS, W } from './words'

const STATUS_COLOURS: Record<string, string> = {
  new: '#8fa3bf',
  dispatched: '#1f5fbf',
  in_progress: '#2e9d5b',
  return_requested: '#c98a00',
}

/** One chart: a focusable panel whose ←/→ choose among `count` bars. */
function Panel(props: {
  title: Localized
  count: number
  onEnter(index: number, second: boolean): void
  children(active: number | null, pick: (i: number, second?: boolean) => void): ReactNode
  wide?: boolean
}) {
  const lang = useLang()
  const [active, setActive] = useState<number | null>(null)
  const onKey = (e: KeyboardEvent) => {
    if (props.count === 0) return
    const at = active ?? -1
    if (e.key === 'ArrowRight') setActive(Math.min(at + 1, props.count - 1))
    else if (e.key === 'ArrowLeft') setActive(Math.max(at - 1, 0))
    else if (e.key === 'Enter') props.onEnter(Math.max(at, 0), e.shiftKey)
    else return
    e.preventDefault()
    e.stopPropagation()
  }
  return (
    <section
      className={`chart${props.wide ? ' wide' : ''}`}
      tabIndex={0}
      data-drill
      data-chart={props.title.en}
      aria-label={props.title[lang]}
      onKeyDown={onKey}
      onBlur={() => setActive(null)}
    >
      <h3>{props.title[lang]}</h3>
      {props.children(active, (i, second) => props.onEnter(i, second ?? false))}
    </section>
  )
}

const fill = (active: number | null, i: number, colour: string) =>
  active === i ? '#e8590c' : colour

export function Charts(props: { data: Dashboard; names: Names; onDrill(d: Drill): void }) {
  const { data, names, onDrill } = props
  const lang = useLang()
  const c = data.charts
  const drill = (label: string, figure: Figure) => onDrill({ label, figure })
  const unitName = (code: string | null) => (code ? names.unit(code, lang) : W.others[lang])
  const perDay = c.perDay.map((d) => ({
    day: d.day.slice(5),
    received: d.received.count,
    completed: d.completed.count,
  }))
  const units = c.backlogByUnit.map((u) => ({
    name: unitName(u.unit),
    ...Object.fromEntries(u.byStatus.map((s) => [s.status, s.figure.count])),
  }))
  const statuses = c.backlogByUnit[0]?.byStatus.map((s) => s.status) ?? []
  const ages = c.ageBuckets.map((a) => ({ name: AGE_WORDS[a.bucket][lang], count: a.figure.count }))
  const cats = c.topCategories.map((x) => ({
    name: names.category(x.category, lang),
    current: x.current.count,
    previous: x.previous.count,
  }))
  const receivedWord = W.received[lang]
  const completedWord = W.completed[lang]

  return (
    <div className="charts">
      <Panel
        title={W.perDay}
        count={c.perDay.length}
        wide
        onEnter={(i, second) => {
          const d = c.perDay[i]!
          drill(
            `${d.day} ${second ? completedWord : receivedWord}`,
            second ? d.completed : d.received,
          )
        }}
      >
        {(active, pick) => (
          <ResponsiveContainer width="100%" height={180}>
            <BarChart data={perDay}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" fontSize={11} />
              <YAxis fontSize={11} allowDecimals={false} width={36} />
              <Tooltip />
              <Legend />
              <Bar
                dataKey="received"
                name={receivedWord}
                fill="#1f5fbf"
                isAnimationActive={false}
                onClick={(_, i) => pick(i)}
              >
                {perDay.map((_, i) => (
                  <Cell key={i} fill={fill(active, i, '#1f5fbf')} cursor="pointer" />
                ))}
              </Bar>
              <Bar
                dataKey="completed"
                name={completedWord}
                isAnimationActive={false}
                fill="#2e9d5b"
                onClick={(_, i) => pick(i, true)}
                cursor="pointer"
              />
            </BarChart>
          </ResponsiveContainer>
        )}
      </Panel>
      <Panel
        title={W.backlogByUnit}
        count={c.backlogByUnit.length}
        wide
        onEnter={(i) => drill(unitName(c.backlogByUnit[i]!.unit), c.backlogByUnit[i]!.total)}
      >
        {(active) => (
          <ResponsiveContainer width="100%" height={Math.max(160, units.length * 22 + 40)}>
            <BarChart data={units} layout="vertical" margin={{ left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" fontSize={11} allowDecimals={false} />
              <YAxis type="category" dataKey="name" width={170} fontSize={11} interval={0} />
              <Tooltip />
              <Legend />
              {statuses.map((s) => (
                <Bar
                  key={s}
                  dataKey={s}
                  stackId="s"
                  name={STATUS_LABELS[s][lang]}
                  fill={STATUS_COLOURS[s] ?? '#999'}
                  isAnimationActive={false}
                  cursor="pointer"
                  onClick={(_, i) => {
                    const u = c.backlogByUnit[i]!
                    const seg = u.byStatus.find((x) => x.status === s)!
                    drill(`${unitName(u.unit)} · ${STATUS_LABELS[s][lang]}`, seg.figure)
                  }}
                >
                  {units.map((_, i) => (
                    <Cell key={i} stroke={active === i ? '#e8590c' : 'none'} strokeWidth={2} />
                  ))}
                </Bar>
              ))}
            </BarChart>
          </ResponsiveContainer>
        )}
      </Panel>
      <Panel
        title={W.ageBuckets}
        count={c.ageBuckets.length}
        onEnter={(i) => drill(AGE_WORDS[c.ageBuckets[i]!.bucket][lang], c.ageBuckets[i]!.figure)}
      >
        {(active, pick) => (
          <ResponsiveContainer width="100%" height={180}>
            <BarChart data={ages}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" fontSize={11} />
              <YAxis fontSize={11} allowDecimals={false} width={36} />
              <Tooltip />
              <Bar
                dataKey="count"
                isAnimationActive={false}
                onClick={(_, i) => pick(i)}
                cursor="pointer"
              >
                {ages.map((_, i) => (
                  <Cell key={i} fill={fill(active, i, i >= 3 ? '#c62828' : '#1f5fbf')} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        )}
      </Panel>
      <Panel
        title={W.topCategories}
        count={c.topCategories.length}
        onEnter={(i, second) => {
          const x = c.topCategories[i]!
          drill(names.category(x.category, lang), second ? x.previous : x.current)
        }}
      >
        {(active, pick) => (
          <ResponsiveContainer width="100%" height={Math.max(180, cats.length * 22 + 40)}>
            <BarChart data={cats} layout="vertical">
              <XAxis type="number" fontSize={11} allowDecimals={false} />
              <YAxis type="category" dataKey="name" width={110} fontSize={11} interval={0} />
              <Tooltip />
              <Legend />
              <Bar
                dataKey="current"
                name={W.inPeriod[lang]}
                fill="#1f5fbf"
                isAnimationActive={false}
                onClick={(_, i) => pick(i)}
                cursor="pointer"
              >
                {cats.map((_, i) => (
                  <Cell key={i} fill={fill(active, i, '#1f5fbf')} />
                ))}
              </Bar>
              <Bar
                dataKey="previous"
                name={W.previous[lang]}
                fill="#b8c2d3"
                isAnimationActive={false}
                onClick={(_, i) => pick(i, true)}
                cursor="pointer"
              />
            </BarChart>
          </ResponsiveContainer>
        )}
      </Panel>
      <section className="chart hotspots" aria-label={W.hotspots[lang]}>
        <h3>{W.hotspots[lang]}</h3>
        {c.hotspots.length === 0 ? (
          <p className="muted">{W.noHotspots[lang]}</p>
        ) : (
          <ol>
            {c.hotspots.map((h) => {
              const place = h.address ?? (h.community ? names.unit(h.community, lang) : h.place)
              return (
                <li key={h.place}>
                  <button type="button" data-drill onClick={() => drill(place, h.figure)}>
                    <span>{place}</span> <strong>{h.figure.count}</strong>
                  </button>
                </li>
              )
            })}
          </ol>
        )}
      </section>
    </div>
  )
}
