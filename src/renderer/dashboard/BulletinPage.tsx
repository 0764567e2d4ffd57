// 月度通报 (issue 17): the period's bulletin as a page to print (Ctrl+P: a PDF in Electron, the
// browser's print elsewhere) and as XLSX (X). Every number comes from 'kpi.bulletin', i.e. the
// dashboard's own functions; the tables are those of src/shared/bulletin-text.ts, which the XLSX
// writes too. A unit's name in the ranking drills down to its tickets in the queue (Enter).
import { useEffect, useState } from 'react'
import type { QueueFilter } from '../../shared/api'
import { bulletinSpans, type Bulletin } from '../../shared/bulletin'
import { bulletinTables } from '../../shared/bulletin-text'
import { deliverExport } from '../api'
import { formatTime, useLang } from '../i18n'
import { errorText, useApi } from '../state/api'
import type { Names } from '../state/reference'
import { RW } from './words'

const iso = (ms: number) => new Date(ms).toISOString()

export const BW = {
  title: { zh: '月度通报', en: 'Monthly bulletin' },
  keys: {
    zh: 'Ctrl+P 打印 / 保存为 PDF · X 导出 Excel · W 导出 Word · Esc 返回',
    en: 'Ctrl+P print / save as PDF · X export to Excel · W export to Word · Esc back',
  },
  exported: { zh: '已导出', en: 'Exported' },
  scoring: { zh: '考核办法', en: 'Scoring' },
} as const

/** `2026年11月` for a period starting on the 1st; otherwise its dates. */
export function bulletinTitle(
  names: Names,
  period: { from: string; to: string },
  lang: 'zh' | 'en',
) {
  const l = names.calendar.local(Date.parse(period.from))
  const when = lang === 'zh' ? `${l.y}年${l.m}月` : `${l.y}-${String(l.m).padStart(2, '0')}`
  return `${RW.city[lang]}${lang === 'zh' ? '' : ' · '}${when}${lang === 'zh' ? '' : ' '}${BW.title[lang]}`
}

export function BulletinPage(props: {
  period: { from: string; to: string }
  names: Names
  /** X pressed: the page asks its parent to run this when the key arrives. */
  /** X: the XLSX, W: the DOCX. */
  exportRef: { current: ((format: 'xlsx' | 'docx') => void) | null }
  onDrill(label: string, filter: QueueFilter): void
}) {
  const { names } = props
  const api = useApi()
  const lang = useLang()
  const [b, setB] = useState<Bulletin | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState<string | null>(null)
  const spans = bulletinSpans(names.calendar, {
    from: Date.parse(props.period.from),
    to: Date.parse(props.period.to),
  })
  const args = {
    period: { from: iso(spans.period.from), to: iso(spans.period.to) },
    lastMonth: { from: iso(spans.lastMonth.from), to: iso(spans.lastMonth.to) },
    lastYear: { from: iso(spans.lastYear.from), to: iso(spans.lastYear.to) },
  }
  const key = JSON.stringify(args)
  const title = bulletinTitle(names, props.period, lang)

  useEffect(() => {
    void api.call('kpi.bulletin', args).then((r) => {
      if (r.ok) setB(r.value)
      else setError(errorText(r.error, lang))
    })
    // `key` stands for the spans (a new object each render).
  }, [api, key, lang])

  props.exportRef.current = (format) => {
    const name = format === 'docx' ? 'kpi.bulletinDocx' : 'kpi.bulletinXlsx'
    void api.call(name, { ...args, title, lang }).then(async (r) => {
      if (!r.ok) return setError(errorText(r.error, lang))
      await deliverExport(r.value)
        .then(() => setNote(`${BW.exported[lang]} ${r.value.name}`))
        .catch((e: Error) => setError(e.message))
    })
  }

  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    )
  if (!b) return <p className="muted">{RW.generated[lang]}…</p>
  const nameOf = {
    unit: (c: string | null) => names.unit(c, lang),
    category: (c: string) => names.category(c, lang),
  }
  const units = b.groups.flatMap((g) => g.units.map((u) => u.unit))
  return (
    <article className="report bulletin" data-testid="bulletin">
      <header>
        <h1>{title}</h1>
        <p className="muted">
          {formatTime(b.current.period.from)} – {formatTime(b.current.period.to)} ·{' '}
          {BW.scoring[lang]}
          {lang === 'zh' ? '：' : ': '}
          {b.scoringLabel}
        </p>
        {note && (
          <p className="muted" role="status">
            {note}
          </p>
        )}
      </header>
      {bulletinTables(b, nameOf, lang).map((t) => (
        <section key={t.id} data-table={t.id}>
          <h2>{t.title}</h2>
          {t.rows.length === 0 ? (
            <p className="muted">{t.empty}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  {t.headers.map((h) => (
                    <th key={h}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {t.rows.map((r, i) => {
                  // The ranking's unit names drill down to the unit's tickets; every other
                  // figure with tickets behind it (t.drills) to exactly those tickets.
                  const unit = t.id === 'ranking' ? units[i] : undefined
                  const cell = (c: string, j: number) => {
                    const ids = t.drills?.[i]?.[j]
                    const label = `${r[0]} · ${t.headers[j]} · ${BW.title[lang]}`
                    if (unit && j === 2)
                      return (
                        <button
                          type="button"
                          className="link"
                          data-drill
                          onClick={() =>
                            props.onDrill(`${c} · ${BW.title[lang]}`, { view: 'all', unit: [unit] })
                          }
                        >
                          {c}
                        </button>
                      )
                    if (!ids) return c
                    return (
                      <button
                        type="button"
                        className="link"
                        data-drill
                        data-tickets={ids.join(' ')}
                        onClick={() => props.onDrill(label, { view: 'all', ids })}
                      >
                        {c}
                      </button>
                    )
                  }
                  return (
                    <tr key={i}>
                      {r.map((c, j) =>
                        j === 0 || (unit && j === 2) ? (
                          <th key={j}>{cell(c, j)}</th>
                        ) : (
                          <td key={j}>{cell(c, j)}</td>
                        ),
                      )}
                    </tr>
                  )
                })}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </article>
  )
}
