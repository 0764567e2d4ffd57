// Beside the intake form: the knowledge entries that match what the caller says, refreshed as the
// description is typed (like the duplicate candidates). Alt+K opens the first in place of the
// list; ↑↓ move between them; Enter fills the answer in; Alt+Enter answers the call from it.
import type { KbEntryView } from '../../shared/api'
import type { Names } from '../state/reference'
import { KbEntryPanel, KbHitList } from './KbEntry'
import type { KbLookup } from './use-kb'
import { useKbWords } from './words'

export function KbSuggestPanel(props: {
  lookup: KbLookup
  names: Names
  /** The suggestion open for reading (its index), or null for the list. */
  open: number | null
  view: KbEntryView | null
  /** The entry the form's answer came from, if any. */
  usedTitle: string | null
}) {
  const w = useKbWords()
  const hits = props.lookup.hits
  return (
    <section className="intake-side kb-side" aria-label={w('suggested')} data-testid="kb-suggest">
      <h3>
        {w('suggested')}
        {hits && hits.length > 0 && <span className="count">{hits.length}</span>}
      </h3>
      {props.usedTitle && (
        <p className="kb-used" data-testid="kb-used">
          {w('fromKb')}：{props.usedTitle}
        </p>
      )}
      {props.lookup.error && <p className="error">{props.lookup.error}</p>}
      {!hits && !props.lookup.error && <p className="muted side-empty">{w('suggestWait')}</p>}
      {hits && hits.length === 0 && <p className="muted side-empty">{w('noSuggestion')}</p>}
      {hits && hits.length > 0 && props.open === null && (
        <>
          <KbHitList
            hits={hits}
            at={-1}
            names={props.names}
            keyOf={(i) => (i === 0 ? 'Alt+K' : null)}
          />
          <p className="hint">{w('openHint')}</p>
        </>
      )}
      {props.open !== null && props.view && (
        <>
          <KbEntryPanel view={props.view} names={props.names} />
          <p className="hint">{w('intakeEntryKeys')}</p>
        </>
      )}
    </section>
  )
}
