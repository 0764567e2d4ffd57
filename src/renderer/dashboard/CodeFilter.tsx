// A filter of the dashboard by units or districts: chips of what is chosen, and a type-ahead by
// Chinese, pinyin or initials (↑/↓, Enter adds, Backspace on an empty field removes the last).
import { useMemo, useState, type KeyboardEvent } from 'react'
import { colon, useLang } from '../i18n'
import type { Names } from '../state/reference'
import { W } from './words'

export function CodeFilter(props: {
  kind: 'unit' | 'district'
  label: string
  codes: string[]
  onChange(codes: string[]): void
  names: Names
}) {
  const { names, kind, codes } = props
  const lang = useLang()
  const [q, setQ] = useState('')
  const [at, setAt] = useState(0)
  const matcher = kind === 'unit' ? names.units : names.districts
  const hits = useMemo(
    () => (q.trim() ? matcher.search(q, 8).filter((x) => !codes.includes(x.code)) : []),
    [q, matcher, codes],
  )
  const name = (code: string) =>
    kind === 'unit' ? names.unit(code, lang) : names.district(code, lang)
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setAt((i) => Math.min(i + 1, hits.length - 1))
    else if (e.key === 'ArrowUp') setAt((i) => Math.max(i - 1, 0))
    else if (e.key === 'Enter' && hits[at]) {
      props.onChange([...codes, hits[at].code])
      setQ('')
      setAt(0)
    } else if (e.key === 'Backspace' && q === '' && codes.length) props.onChange(codes.slice(0, -1))
    else return
    e.preventDefault()
    e.stopPropagation()
  }
  return (
    <span className="code-filter" data-filter={kind}>
      <label>
        {props.label}
        {colon(lang)}
        {codes.length === 0 && <span className="muted">{W.all[lang]}</span>}
        {codes.map((c) => (
          <span key={c} className="chip" data-code={c}>
            {name(c)}
          </span>
        ))}
        <input
          value={q}
          onChange={(e) => {
            setQ(e.target.value)
            setAt(0)
          }}
          onKeyDown={onKey}
          aria-label={props.label}
        />
      </label>
      {hits.length > 0 && (
        <ul className="choices" role="listbox">
          {hits.map((h, i) => (
            <li
              key={h.code}
              role="option"
              aria-selected={i === at}
              className={i === at ? 'active' : ''}
            >
              {name(h.code)}
            </li>
          ))}
        </ul>
      )}
    </span>
  )
}
