// One case in full beside the list: its write-up, and the ticket facts from the timeline.
import type { CaseView } from '../../shared/cases'
import { SATISFACTION_LABELS } from '../../shared/labels'
import { formatTime, useLang, useT } from '../i18n'
import { W, type WordKey } from './words'

export function CaseDetail({ c }: { c: CaseView }) {
  const t = useT()
  const lang = useLang()
  const f = c.facts
  const days = f.handlingWorkingDays
  const rows: Array<[WordKey, string]> = [
    ['number', f.number ?? '—'],
    ['category', f.category.name[lang]],
    ['district', f.district.name?.[lang] ?? f.district.code ?? '—'],
    ['unit', f.unit.name?.[lang] ?? f.unit.code ?? '—'],
    ['created', formatTime(f.createdAt)],
    ['dispatched', formatTime(f.dispatchedAt)],
    ['completed', formatTime(f.completedAt)],
    ['closed', formatTime(f.closedAt)],
    ['handling', days == null ? '—' : `${days} ${t(W.workingDays)}`],
    ['satisfaction', f.satisfaction ? t(SATISFACTION_LABELS[f.satisfaction]) : t(W.noCallback)],
    ['company', t(f.company ? W.yes : W.no)],
    ['nominatedBy', `${c.nominatedBy.name ?? '—'} · ${formatTime(c.nominatedAt)}`],
  ]
  return (
    <article className="case-detail" aria-label="case">
      <h3>{c.title}</h3>
      <p className="case-write-up">{c.writeUp}</p>
      <table>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th>{t(W[k])}</th>
              <td>{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {f.replyText && (
        <>
          <h4>{t(W.reply)}</h4>
          <blockquote>{f.replyText}</blockquote>
        </>
      )}
    </article>
  )
}
