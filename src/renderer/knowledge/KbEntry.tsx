// One knowledge entry as an agent reads it: title, state marks (expired struck out, past review),
// the answer rendered safely, the owning unit, the policy source, validity and version.
import { useEffect, useState } from 'react'
import type { KbEntryView } from '../../shared/api'
import type { KbHit } from '../../shared/knowledge-rank'
import { useLang, useT } from '../i18n'
import { errorText, useApi, useConsoleEvents } from '../state/api'
import type { Names } from '../state/reference'
import { Markdown } from './Markdown'
import { safeHref } from './markdown'
import { useKbWords } from './words'

/** The marks a hit or an entry carries: expired / not yet / past review / draft / retired. */
export function KbMarks(props: { hit: Pick<KbHit, 'validity' | 'pastReview' | 'status'> }) {
  const w = useKbWords()
  const h = props.hit
  return (
    <>
      {h.status !== 'published' && (
        <span className="kb-mark off">{w(h.status === 'draft' ? 'draft' : 'retired')}</span>
      )}
      {h.validity === 'expired' && <span className="kb-mark off">{w('expired')}</span>}
      {h.validity === 'not_yet' && <span className="kb-mark off">{w('notYet')}</span>}
      {h.pastReview && <span className="kb-mark warn">{w('pastReview')}</span>}
    </>
  )
}

/** The ranked hits; the one at `at` highlighted. Not answerable ones are struck out. */
export function KbHitList(props: {
  hits: KbHit[]
  at: number
  names: Names | null
  onPick?(i: number): void
  keyOf?(i: number): string | null
}) {
  const lang = useLang()
  return (
    <ol className="kb-hits">
      {props.hits.map((h, i) => (
        <li
          key={h.id}
          data-kb-id={h.id}
          className={`${i === props.at ? 'at' : ''} ${h.answerable ? '' : 'unanswerable'}`}
          aria-selected={i === props.at}
          onClick={() => props.onPick?.(i)}
        >
          <div className="line">
            {props.keyOf?.(i) && <kbd>{props.keyOf(i)}</kbd>}
            <span className="kb-title">{h.title}</span>
            <KbMarks hit={h} />
          </div>
          <div className="kb-sub muted">
            {props.names ? props.names.unit(h.unit, lang) : h.unit} · {h.snippet}
          </div>
        </li>
      ))}
    </ol>
  )
}

/** Loads an entry from the cache (recording that it was opened, and from which query). */
export function useKbEntry(id: string | null, query?: string) {
  const api = useApi()
  const lang = useLang()
  const [view, setView] = useState<KbEntryView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [changed, setChanged] = useState(0)
  useConsoleEvents(api, (e) => {
    if (e.type === 'kb.changed') setChanged((n) => n + 1)
  })
  useEffect(() => {
    let live = true
    if (!id) {
      setView(null)
      return
    }
    void api.call('kb.get', { id, ...(query ? { query } : {}) }).then((r) => {
      if (!live) return
      if (r.ok) {
        setView(r.value)
        setError(null)
      } else setError(errorText(r.error, lang))
    })
    return () => {
      live = false
    }
    // `query` is recorded once, when the entry opens.
  }, [api, id, lang, changed])
  return { view, error }
}

export function KbEntryPanel(props: { view: KbEntryView; names: Names | null }) {
  const w = useKbWords()
  const t = useT()
  const lang = useLang()
  const { entry } = props.view
  const validity = props.view.refusal
  return (
    <article className="kb-entry" data-testid="kb-entry" data-kb-id={entry.id}>
      <h3 className={props.view.answerable ? '' : 'unanswerable'}>
        {entry.title}{' '}
        <KbMarks
          hit={{
            status: entry.status,
            pastReview: props.view.pastReview,
            validity: validity ? (entry.validUntil ? 'expired' : 'not_yet') : 'valid',
          }}
        />
      </h3>
      {validity && (
        <p className="error" role="note">
          {t(validity)}
        </p>
      )}
      <Markdown text={entry.answer} className="md kb-answer" />
      <dl className="kb-facts">
        <dt>{w('unit')}</dt>
        <dd>{props.names ? props.names.unit(entry.unit, lang) : entry.unit}</dd>
        {entry.source && (
          <>
            <dt>{w('source')}</dt>
            <dd>
              {entry.source.url && safeHref(entry.source.url) ? (
                <a href={entry.source.url} target="_blank" rel="noopener noreferrer">
                  {entry.source.name}
                </a>
              ) : (
                entry.source.name
              )}
              {entry.source.number ? `（${entry.source.number}）` : ''}
            </dd>
          </>
        )}
        <dt>{w('validity')}</dt>
        <dd>
          {entry.validFrom ?? '—'} ~ {entry.validUntil ?? '—'}
        </dd>
        <dt>{w('reviewBy')}</dt>
        <dd className={props.view.pastReview ? 'warn' : ''}>{entry.reviewBy ?? '—'}</dd>
        <dt>{w('version')}</dt>
        <dd>v{entry.version}</dd>
        {entry.questions.length > 0 && (
          <>
            <dt>{w('questions')}</dt>
            <dd>{entry.questions.join(' / ')}</dd>
          </>
        )}
      </dl>
    </article>
  )
}
