// 建议分类: as the agent types what the caller says, triage (src/shared/triage.ts, offline, in
// the page) proposes up to three categories beside the category field, each with why; Alt+A
// takes the first (a click takes any). The place triage found is shown with them.
import { useMemo } from 'react'
import { triage, type Ranked, type TriagePlace } from '../../shared/triage'
import { useLang } from '../i18n'
import type { Names } from '../state/reference'
import { categoryHints, categoryFullPath, unitName } from './options'
import type { IntakeForm } from './form'
import './proposals.css'

export interface Proposals {
  categories: Ranked[]
  place: TriagePlace | null
}

const NONE: Proposals = { categories: [], place: null }

/** Triage of the form as it stands; recomputed only when what it reads changes (≤ 1 ms). */
export function useCategoryProposals(form: IntakeForm | null, names: Names): Proposals {
  const description = form?.description ?? ''
  const address = form?.address ?? ''
  const district = form?.district ?? ''
  const street = form?.street ?? ''
  const company = form?.company ?? ''
  return useMemo(() => {
    if (!description.trim()) return NONE
    const r = triage(
      names.data,
      {
        description,
        address,
        district: district || null,
        street: street || null,
        company: company.trim() || null,
      },
      { categories: 3, units: 1 },
    )
    // Far weaker guesses (a stray 红灯 in 光猫闪红灯) are noise beside a clear first.
    const top = r.categories[0]?.score ?? 0
    return { categories: r.categories.filter((c) => c.score >= top * 0.4), place: r.place }
  }, [names, description, address, district, street, company])
}

/** The form with `code` as its category, and that category's kind and urgency hints applied. */
export function withCategory(x: IntakeForm, names: Names, code: string): IntakeForm {
  const hint = categoryHints(names, code)
  return {
    ...x,
    category: code,
    kind: !x.kindSet && hint?.defaultKind ? hint.defaultKind : x.kind,
    urgency: !x.urgencySet && hint?.defaultUrgency ? hint.defaultUrgency : x.urgency,
  }
}

const WORDS = {
  proposed: { zh: '建议分类', en: 'Suggested' },
  take: { zh: '采用第一项', en: 'takes the first' },
  place: { zh: '地点', en: 'Place' },
}

export function CategoryProposals(props: {
  proposals: Proposals
  chosen: string
  names: Names
  onTake(code: string): void
}) {
  const lang = useLang()
  const { categories, place } = props.proposals
  if (categories.length === 0) return null
  const where = place?.street ? unitName(props.names, place.street, lang) : null
  return (
    <div className="proposals" data-testid="category-proposals" aria-live="polite">
      <span className="proposals-label">{WORDS.proposed[lang]}</span>
      {categories.map((c, i) => (
        <button
          type="button"
          key={c.code}
          tabIndex={-1}
          data-code={c.code}
          className={`proposal ${c.code === props.chosen ? 'chosen' : ''}`}
          title={c.reasons.map((r) => r[lang]).join(lang === 'zh' ? '；' : '; ')}
          onMouseDown={(e) => {
            e.preventDefault()
            props.onTake(c.code)
          }}
        >
          {i === 0 && <kbd>Alt+A</kbd>}
          <span className="name">{categoryFullPath(props.names, c.code, lang)}</span>
          {c.reasons[0] && <span className="why">{c.reasons[0][lang]}</span>}
        </button>
      ))}
      {where && (
        <span className="proposal-place" data-testid="proposal-place">
          {WORDS.place[lang]}
          {lang === 'zh' ? '：' : ': '}
          {where}
        </span>
      )}
    </div>
  )
}
