// Alt+K from anywhere: search the whole knowledge base (the console's cache, offline too) by
// Chinese words of any length, pinyin or initials of the title, or keywords. ↑↓ choose, Enter
// opens the entry, C copies its answer (to read out or send), Esc goes back and then closes.
// Expired entries are shown struck out, last, and can be read but not answered from.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useDialog } from '../input/use-dialog'
import type { Names } from '../state/reference'
import { useApi } from '../state/api'
import { KbEntryPanel, KbHitList, useKbEntry } from './KbEntry'
import { spokenText } from './markdown'
import { useKbSearch } from './use-kb'
import { useKbWords } from './words'
import './knowledge.css'

export function KbSearch(props: { names: Names | null; onClose(): void; say?(t: string): void }) {
  const w = useKbWords()
  const api = useApi()
  const [q, setQ] = useState('')
  const [at, setAt] = useState(0)
  const [open, setOpen] = useState<string | null>(null)
  const [count, setCount] = useState<number | null>(null)
  const root = useRef<HTMLDivElement>(null)
  const input = useRef<HTMLInputElement>(null)
  const focus = useDialog(root)
  const { hits, error } = useKbSearch(q)
  const entry = useKbEntry(open, q)

  useEffect(() => {
    input.current?.focus()
    void api.call('kb.status', {}).then((r) => r.ok && setCount(r.value.count))
  }, [api])
  useEffect(() => setAt(0), [q])
  useEffect(() => {
    if (!open) input.current?.focus()
    else root.current?.focus()
  }, [open])

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.nativeEvent.isComposing) return
    const list = hits ?? []
    if (e.key === 'Escape') {
      if (open) setOpen(null)
      else props.onClose()
    } else if (!open && e.key === 'ArrowDown') setAt((i) => Math.min(i + 1, list.length - 1))
    else if (!open && e.key === 'ArrowUp') setAt((i) => Math.max(i - 1, 0))
    else if (!open && e.key === 'Enter' && list[at]) setOpen(list[at]!.id)
    else if (open && e.code === 'KeyC' && !e.ctrlKey && !e.altKey && entry.view) {
      void navigator.clipboard?.writeText(spokenText(entry.view.entry.answer)).catch(() => {})
      props.say?.(w('copied'))
    } else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      className="kb-search"
      role="dialog"
      aria-label={w('kb')}
      ref={root}
      tabIndex={-1}
      onKeyDown={onKey}
      onKeyDownCapture={focus.onKeyDownCapture}
      data-testid="kb-search"
    >
      <header>
        <h2>{w('kb')}</h2>
        <input
          ref={input}
          value={q}
          placeholder={w('searchPlaceholder')}
          aria-label={w('searchPlaceholder')}
          onChange={(e) => setQ(e.target.value)}
          disabled={open !== null}
        />
        {count !== null && (
          <span className="muted">{w('offlineNote').replace('{n}', String(count))}</span>
        )}
      </header>
      <div className="kb-search-body">
        {error && <p className="error">{error}</p>}
        {open && entry.view ? (
          <KbEntryPanel view={entry.view} names={props.names} />
        ) : (
          <>
            {hits && hits.length === 0 && <p className="muted">{w('noResult')}</p>}
            {hits && hits.length > 0 && (
              <KbHitList
                hits={hits}
                at={at}
                names={props.names}
                onPick={(i) => setOpen(hits[i]!.id)}
              />
            )}
          </>
        )}
        {entry.error && <p className="error">{entry.error}</p>}
      </div>
      <footer className="kb-keys">{open ? w('entryKeys') : w('searchKeys')}</footer>
    </div>
  )
}
