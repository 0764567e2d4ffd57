// The dashboard's tiles: live counts (each a drill-down) and the period's KPIs beside the
// previous period's. Every number is a button: Enter or a click lists exactly its tickets.
import type { Compared, DashboardTiles, Figure, MeanTile, RateTile } from '../../shared/dashboard'
import type { Localized } from '../../shared/validation'
import { useLang } from '../i18n'
import { pct } from './format'
import { W } from './words'

export interface Drill {
  label: string
  figure: Figure
}

const days = (d: number | null, unit: string) => (d == null ? '—' : `${d.toFixed(1)}${unit}`)

function signed(n: number | null, kind: 'count' | 'rate' | 'days'): string {
  if (n == null) return ''
  const v = kind === 'rate' ? n * 100 : n
  const text = kind === 'count' ? String(Math.abs(v)) : Math.abs(v).toFixed(1)
  const unit = kind === 'rate' ? 'pt' : ''
  return `${v > 0 ? '▲' : v < 0 ? '▼' : '＝'}${text}${unit}`
}

function Tile(props: {
  label: Localized
  value: string
  figure: Figure
  onDrill(d: Drill): void
  change?: string
  /** Up is bad (overdue, handling time, returns): the change is coloured so. */
  upIsBad?: boolean
  sub?: string
  tone?: 'risk' | 'over'
}) {
  const lang = useLang()
  const label = props.label[lang]
  const bad = props.change && props.change.startsWith('▲') === Boolean(props.upIsBad)
  return (
    <button
      type="button"
      className={`tile${props.tone ? ` tone-${props.tone}` : ''}`}
      data-drill
      data-tile={label}
      onClick={() => props.onDrill({ label, figure: props.figure })}
    >
      <span className="tile-label">{label}</span>
      <span className="tile-value">{props.value}</span>
      {props.change ? (
        <span className={`tile-change ${bad && !props.change.startsWith('＝') ? 'bad' : 'good'}`}>
          {props.change}
          {props.sub ? ` · ${props.sub}` : ''}
        </span>
      ) : (
        props.sub && <span className="tile-change">{props.sub}</span>
      )}
    </button>
  )
}

export function Tiles(props: {
  tiles: DashboardTiles
  onDrill(d: Drill): void
  /** What the previous figures are (上月同期 …); 上期 when not said. */
  previousLabel?: string
}) {
  const { tiles: t, onDrill } = props
  const lang = useLang()
  const live: Array<[keyof typeof W & keyof DashboardTiles, 'risk' | 'over' | undefined]> = [
    ['receivedToday', undefined],
    ['receivedThisWeek', undefined],
    ['receivedThisMonth', undefined],
    ['openBacklog', undefined],
    ['overdue', 'over'],
    ['atRisk', 'risk'],
    ['awaitingSign', undefined],
    ['returnsWaiting', undefined],
    ['extensionsWaiting', undefined],
    ['callbacksDue', undefined],
  ]
  const prev = `${props.previousLabel ?? W.previous[lang]} `
  const count = (c: Compared<Figure>) => ({
    value: String(c.current.count),
    change: signed(c.change, 'count'),
    sub: `${prev}${c.previous.count}`,
    figure: c.current,
  })
  const rate = (c: Compared<RateTile>) => ({
    value: pct(c.current.rate),
    change: signed(c.change, 'rate'),
    sub: `${c.current.numerator.count}/${c.current.denominator.count} · ${prev}${pct(c.previous.rate)}`,
    figure: c.current.denominator,
  })
  const mean = (c: Compared<MeanTile>) => ({
    value: days(c.current.days, W.days[lang]),
    change: signed(c.change, 'days'),
    sub: `${c.current.count.count} · ${prev}${days(c.previous.days, W.days[lang])}`,
    figure: c.current.count,
  })
  return (
    <>
      <section className="tiles" aria-label={W.live[lang]}>
        <h3>{W.live[lang]}</h3>
        {live.map(([key, tone]) => {
          const f = t[key] as Figure
          return (
            <Tile
              key={key}
              label={W[key]}
              value={String(f.count)}
              figure={f}
              onDrill={onDrill}
              {...(tone ? { tone } : {})}
            />
          )
        })}
      </section>
      <section className="tiles" aria-label={W.inPeriod[lang]}>
        <h3>{W.inPeriod[lang]}</h3>
        <Tile label={W.received} {...count(t.received)} onDrill={onDrill} />
        <Tile label={W.completed} {...count(t.completed)} onDrill={onDrill} />
        <Tile label={W.onTimeRate} {...rate(t.onTimeRate)} onDrill={onDrill} />
        <Tile label={W.satisfactionRate} {...rate(t.satisfactionRate)} onDrill={onDrill} />
        <Tile label={W.avgHandlingDays} {...mean(t.avgHandlingDays)} upIsBad onDrill={onDrill} />
        <Tile
          label={W.avgCompanyHandlingDays}
          {...mean(t.avgCompanyHandlingDays)}
          upIsBad
          onDrill={onDrill}
        />
        <Tile
          label={W.firstCallResolutionRate}
          {...rate(t.firstCallResolutionRate)}
          onDrill={onDrill}
        />
        <Tile label={W.returnRate} {...rate(t.returnRate)} upIsBad onDrill={onDrill} />
        <Tile label={W.reopenRate} {...rate(t.reopenRate)} upIsBad onDrill={onDrill} />
      </section>
    </>
  )
}
