// The knowledge base's measures (M in the editing screen), as this console's cache counts them:
// calls answered on the call and how many from an entry, the entries used most, searches that
// opened nothing and what they asked, and published entries past review.
import type { KbStats } from '../../shared/knowledge'
import { useKbWords } from './words'

const pct = (n: number, of: number) => (of > 0 ? `${((100 * n) / of).toFixed(1)}%` : '—')

export function KbStatsView(props: { s: KbStats }) {
  const w = useKbWords()
  const { s } = props
  return (
    <section className="kb-stats" data-testid="kb-stats">
      <h3>{w('statsTitle')}</h3>
      <p>
        {w('answeredOnCall')} <b>{s.answered}</b> · {w('fromKbShare')} <b>{s.answeredFromKb}</b>（
        {pct(s.answeredFromKb, s.answered)}）
      </p>
      <p>
        {w('searchesLine')} <b>{s.searches}</b> · {w('unopened')} <b>{s.searchesUnopened}</b>（
        {pct(s.searchesUnopened, s.searches)}）
      </p>
      <p>
        {w('pastReviewCount')} <b>{s.pastReview}</b>
      </p>
      <h4>{w('usedMost')}</h4>
      <ol>
        {s.used.map((u) => (
          <li key={u.id}>
            {u.title ?? u.id} · {u.answers}
          </li>
        ))}
      </ol>
      <h4>{w('unfoundList')}</h4>
      <ol>
        {s.unfound.map((u) => (
          <li key={u.query}>
            {u.query} · {u.count}
          </li>
        ))}
      </ol>
    </section>
  )
}
