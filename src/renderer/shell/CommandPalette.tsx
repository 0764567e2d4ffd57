// Ctrl+K: the registry's actions that apply now, found by Chinese, pinyin initials or English.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { PinyinMatcher } from '../../shared/pinyin'
import { ACTIONS, type Scope, type UiAction } from '../actions/registry'
import { keyLabel } from '../actions/keys'
import { useT } from '../i18n'
import { useDialog } from '../input/use-dialog'

export function CommandPalette(props: { scope: Scope; onRun(a: UiAction): void; onClose(): void }) {
  const t = useT()
  const [query, setQuery] = useState('')
  const [at, setAt] = useState(0)
  const input = useRef<HTMLInputElement>(null)
  const root = useRef<HTMLDivElement>(null)
  useEffect(() => input.current?.focus(), [])
  const trap = useDialog(root)
  // Judged as if the palette were not open: it lists what would apply underneath it.
  const under: Scope = { ...props.scope, layer: 'none' }
  const enabled = ACTIONS.filter((a) => a.id !== 'palette.open' && a.when(under))
  const matcher = useMemo(
    () =>
      new PinyinMatcher(
        ACTIONS.map((a) => ({ code: a.id, name: a.label.zh, nameEn: a.label.en, action: a })),
      ),
    [],
  )
  const ids = new Set(enabled.map((a) => a.id))
  const list = query.trim()
    ? matcher
        .search(query, 50)
        .map((m) => m.action)
        .filter((a) => ids.has(a.id))
    : enabled
  useEffect(() => setAt(0), [query])

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setAt((i) => Math.min(i + 1, list.length - 1))
    else if (e.key === 'ArrowUp') setAt((i) => Math.max(i - 1, 0))
    else if (e.key === 'Enter') {
      const a = list[at]
      if (a) props.onRun(a)
    } else if (e.key === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      className="overlay palette"
      role="dialog"
      aria-label={t('command')}
      tabIndex={-1}
      ref={root}
      onKeyDown={onKey}
      onKeyDownCapture={trap.onKeyDownCapture}
    >
      <input
        ref={input}
        value={query}
        placeholder={t('palettePlaceholder')}
        onChange={(e) => setQuery(e.target.value)}
        aria-label={t('command')}
      />
      <ul role="listbox">
        {list.map((a, i) => (
          <li
            key={a.id}
            role="option"
            aria-selected={i === at}
            className={i === at ? 'active' : ''}
            data-action-id={a.id}
            onMouseDown={(e) => {
              e.preventDefault()
              props.onRun(a)
            }}
          >
            <span>{t(a.label)}</span>
            <span className="keys">
              {a.keys.map((k) => (
                <kbd key={k}>{keyLabel(k)}</kbd>
              ))}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}
