// Type-ahead fields of the action forms: another ticket (by number or words, through search) and
// a leaf category (by Chinese, pinyin or initials). ↑/↓ move, Enter picks.
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react'
import type { TicketRow } from '../../shared/api'
import { STATUS_LABELS } from '../../shared/labels'
import { colon, useLang, useT } from '../i18n'
import { useApi } from '../state/api'
import type { Names } from '../state/reference'

type Common = { 'data-field': string; 'aria-invalid': boolean | undefined }

function useListKeys(count: number, pick: (i: number) => void) {
  const [at, setAt] = useState(0)
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setAt((i) => Math.min(i + 1, count - 1))
    else if (e.key === 'ArrowUp') setAt((i) => Math.max(i - 1, 0))
    else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey && count > 0) pick(at)
    else return
    e.preventDefault()
    e.stopPropagation()
  }
  return { at, setAt, onKeyDown }
}

export function TicketField(props: {
  label: string
  value: string | null
  exclude: string[]
  onChange(id: string | null): void
  common: Common
}) {
  const api = useApi()
  const t = useT()
  const [q, setQ] = useState('')
  const [rows, setRows] = useState<TicketRow[]>([])
  const [chosen, setChosen] = useState<TicketRow | null>(null)
  const { exclude } = props
  useEffect(() => {
    if (!q.trim()) return setRows([])
    let live = true
    const timer = setTimeout(() => {
      void api.call('search', { q, limit: 10 }).then((r) => {
        if (!live || !r.ok) return
        const all = [...r.value.local, ...r.value.remote]
        setRows(all.filter((x) => !exclude.includes(x.id)).slice(0, 8))
      })
    }, 150)
    return () => {
      live = false
      clearTimeout(timer)
    }
  }, [api, q, exclude])
  const pick = (i: number) => {
    const row = rows[i]
    if (!row) return
    setChosen(row)
    props.onChange(row.id)
  }
  const keys = useListKeys(rows.length, pick)
  useEffect(() => keys.setAt(0), [rows])
  return (
    <label>
      {props.label}
      <input
        {...props.common}
        value={q}
        onChange={(e) => {
          setQ(e.target.value)
          setChosen(null)
          props.onChange(null)
        }}
        onKeyDown={keys.onKeyDown}
      />
      {chosen ? (
        <p className="picked">
          ✓ {chosen.number} · {t(STATUS_LABELS[chosen.status])} · {chosen.summary}
        </p>
      ) : (
        <ul className="choices" role="listbox">
          {rows.map((r, i) => (
            <li
              key={r.id}
              role="option"
              aria-selected={i === keys.at}
              className={i === keys.at ? 'active' : ''}
            >
              {r.number} <span className="tag">{t(STATUS_LABELS[r.status])}</span>{' '}
              <span className="muted">{r.summary}</span>
            </li>
          ))}
        </ul>
      )}
    </label>
  )
}

export function CategoryField(props: {
  label: string
  value: string | null
  names: Names
  onChange(code: string): void
  common: Common
}) {
  const lang = useLang()
  const { names } = props
  const [q, setQ] = useState('')
  const leaves = useMemo(() => {
    const parents = new Set(names.data.categories.map((c) => c.parent).filter(Boolean))
    return new Set(names.data.categories.filter((c) => !parents.has(c.code)).map((c) => c.code))
  }, [names])
  const hits = useMemo(
    () =>
      q.trim()
        ? names.categories
            .search(q, 40)
            .filter((c) => leaves.has(c.code))
            .slice(0, 8)
        : [],
    [q, names, leaves],
  )
  const pick = (i: number) => {
    const c = hits[i]
    if (!c) return
    props.onChange(c.code)
    setQ('')
  }
  const keys = useListKeys(hits.length, pick)
  useEffect(() => keys.setAt(0), [hits])
  return (
    <label>
      {props.label}
      {colon(lang)}
      <strong>{props.value ? names.category(props.value, lang) : '—'}</strong>
      <input
        {...props.common}
        value={q}
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={keys.onKeyDown}
      />
      <ul className="choices" role="listbox">
        {hits.map((c, i) => (
          <li
            key={c.code}
            role="option"
            aria-selected={i === keys.at}
            className={i === keys.at ? 'active' : ''}
          >
            {names.category(c.code, lang)} <span className="muted">{c.code}</span>
          </li>
        ))}
      </ul>
    </label>
  )
}
