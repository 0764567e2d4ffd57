// Above the table: the saved views with their live counts (keys 1–9) and the filter bar.
import { forwardRef, type KeyboardEvent } from 'react'
import { SAVED_VIEWS, type SavedView } from '../../shared/api'
import { VIEW_LABELS, colon, useLang, useT, type Localized } from '../i18n'

export function ViewTabs(props: {
  view: SavedView
  counts: Partial<Record<SavedView, number>>
  onView(v: SavedView): void
  /** A role's own name for a view (a unit's 我的 is its inbox). */
  labels?: Partial<Record<SavedView, Localized>>
  /** Views this role does not have (待下派 is unit staff's); the others keep their numbers. */
  hidden?: readonly SavedView[]
}) {
  const t = useT()
  return (
    <nav className="view-tabs" role="tablist">
      {SAVED_VIEWS.map((v, i) =>
        props.hidden?.includes(v) ? null : (
          <button
            key={v}
            type="button"
            role="tab"
            tabIndex={-1}
            data-view={v}
            aria-selected={v === props.view}
            className={v === props.view ? 'active' : ''}
            onClick={() => props.onView(v)}
          >
            <kbd>{i + 1}</kbd> {t(props.labels?.[v] ?? VIEW_LABELS[v])}{' '}
            <span className="count">{props.counts[v] ?? '…'}</span>
          </button>
        ),
      )}
    </nav>
  )
}

export const FilterBar = forwardRef<
  HTMLInputElement,
  {
    value: string
    unknown: string[]
    total: number
    onChange(v: string): void
    onLeave(): void
    /** A dashboard drill-down shown instead of typed terms (typing replaces it). */
    drill?: string | null
  }
>(function FilterBar(props, ref) {
  const t = useT()
  const lang = useLang()
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter, ↓ and Esc hand the keyboard back to the queue; Esc on an empty bar too.
    if (e.key === 'Enter' || e.key === 'ArrowDown' || e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      props.onLeave()
    }
  }
  return (
    <div className="filter-bar">
      <input
        ref={ref}
        type="search"
        aria-label="filter"
        placeholder={t('filterPlaceholder')}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        onKeyDown={onKey}
      />
      {props.drill && (
        <span className="drill-chip" data-testid="drill">
          {props.drill} <kbd>Esc</kbd>
        </span>
      )}
      {props.unknown.length > 0 && (
        <span className="error">
          {t('unknownTerm')}
          {colon(lang)}
          {props.unknown.join(' ')}
        </span>
      )}
      <span className="muted total" data-testid="queue-total">
        {props.total} {t('rows')}
      </span>
    </div>
  )
})
