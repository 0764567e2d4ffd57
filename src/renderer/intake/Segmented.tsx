// A short fixed choice (channel, kind, urgency) as one focusable strip: ←/→ (or ↑/↓) move the
// choice, a digit picks the n-th directly. Faster than a drop-down and plain to read.
import type { KeyboardEvent } from 'react'

export function Segmented<T extends string>(props: {
  field: string
  label: string
  values: readonly T[]
  value: T
  text(v: T): string
  error?: string | null
  onChange(v: T): void
}) {
  const { values, value } = props
  const onKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return
    const i = values.indexOf(value)
    let next: T | undefined
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = values[(i + 1) % values.length]
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp')
      next = values[(i - 1 + values.length) % values.length]
    else if (e.key === 'Home') next = values[0]
    else if (e.key === 'End') next = values[values.length - 1]
    else if (/^[1-9]$/.test(e.key)) next = values[Number(e.key) - 1]
    else return
    e.preventDefault()
    e.stopPropagation()
    if (next) props.onChange(next)
  }
  return (
    <div
      className={`segmented ${props.error ? 'invalid' : ''}`}
      role="radiogroup"
      aria-label={props.label}
      tabIndex={0}
      data-field={props.field}
      data-value={value}
      onKeyDown={onKey}
    >
      {values.map((v, i) => (
        <span
          key={v}
          role="radio"
          aria-checked={v === value}
          className={v === value ? 'on' : ''}
          onMouseDown={(e) => {
            e.preventDefault()
            e.currentTarget.parentElement?.focus()
            props.onChange(v)
          }}
        >
          <small>{i + 1}</small>
          {props.text(v)}
        </span>
      ))}
    </div>
  )
}
