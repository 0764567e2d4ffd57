// A type-ahead field: type Chinese, pinyin or initials, ↑/↓ to move, Enter to choose (which
// also moves on to the next field), Esc to drop the list. ↓ on an empty field lists everything
// that fits (the streets of the chosen district …). Leaving without choosing keeps the old value.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import type { PickerOption } from './options'

export interface PickerProps {
  field: string
  label: string
  /** The chosen code ('' for none) and how it reads. */
  value: string
  valueText: string
  placeholder?: string
  error?: string | null
  disabled?: boolean
  /** Options for what is typed; '' asks for the full (short) list. */
  options(q: string): PickerOption[]
  noMatch: string
  onPick(code: string): void
  /** After a pick by Enter: the screen moves the focus on. */
  onPicked(from: HTMLElement): void
  /** The field was emptied and left. */
  onClear(): void
  /**
   * Text typed that matches nothing (a place the reference data does not know): kept as it was
   * typed and shown flagged, rather than dropped on leaving. Without it, leaving keeps the old
   * value as before.
   */
  freeText?: { value: string; flag: string; onChange(text: string): void }
}

export function Picker(props: PickerProps) {
  const [query, setQuery] = useState<string | null>(null)
  const [open, setOpen] = useState(false)
  const [at, setAt] = useState(0)
  const list = useRef<HTMLUListElement>(null)
  const listId = useId()
  const options = open ? props.options(query ?? '') : []

  useEffect(() => {
    list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' })
  }, [at, open])

  const pick = (o: PickerOption | undefined, from: HTMLElement) => {
    if (!o) return
    props.freeText?.onChange('')
    props.onPick(o.code)
    setQuery(null)
    setOpen(false)
    props.onPicked(from)
  }

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const d = e.key === 'ArrowDown' ? 1 : -1
      if (!open) {
        setOpen(true)
        setAt(0)
      } else setAt((i) => Math.max(0, Math.min(i + d, options.length - 1)))
    } else if (e.key === 'Enter' && open && options.length > 0) {
      pick(options[at], e.currentTarget)
    } else if (e.key === 'Enter' && props.freeText && query?.trim() && options.length === 0) {
      // Nothing in the list: what was typed is kept as text, and the form moves on.
      keepText()
      props.onPicked(e.currentTarget)
    } else if (e.key === 'Escape' && open) {
      setOpen(false)
      setQuery(null)
    } else return
    e.preventDefault()
    e.stopPropagation()
  }

  /** A query left unpicked: kept as typed when the field takes text (a place), else dropped. */
  const keepText = () => {
    if (!props.freeText || query === null) return
    const matches = props.options(query)
    // Typed exactly as a known entry reads: that entry, not text.
    const same = matches.find((o) => o.label === query.trim())
    if (same) return props.onPick(same.code)
    props.onClear()
    props.freeText.onChange(query.trim())
  }
  const unknown = !props.value && !!props.freeText?.value && query === null

  return (
    <div className={`picker ${props.error ? 'invalid' : ''} ${unknown ? 'unknown' : ''}`}>
      <input
        data-field={props.field}
        aria-label={props.label}
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-invalid={props.error ? true : undefined}
        autoComplete="off"
        spellCheck={false}
        disabled={props.disabled}
        placeholder={props.placeholder}
        value={query ?? (props.valueText || props.freeText?.value || '')}
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => {
          setQuery(e.target.value)
          setOpen(e.target.value.trim() !== '')
          setAt(0)
        }}
        onBlur={() => {
          if (query !== null && query.trim() === '') {
            props.onClear()
            props.freeText?.onChange('')
          } else if (query !== null) keepText()
          setQuery(null)
          setOpen(false)
        }}
        onKeyDown={onKey}
      />
      {unknown && (
        <span className="unknown-place" role="note" data-unknown-for={props.field}>
          {props.freeText!.flag}
        </span>
      )}
      {open && (
        <ul className="picker-list" role="listbox" id={listId} ref={list}>
          {options.length === 0 && <li className="muted">{props.noMatch}</li>}
          {options.map((o, i) => (
            <li
              key={o.code}
              role="option"
              aria-selected={i === at}
              className={i === at ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault()
                const input = e.currentTarget.closest('.picker')?.querySelector('input')
                if (input) pick(o, input)
              }}
            >
              {o.path && <span className="path">{o.path} › </span>}
              <span className="name">{o.label}</span>
              {o.detail && <span className="detail">{o.detail}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
