// A case's title and write-up, for nominating and for editing: Ctrl+Enter saves, Esc cancels,
// with the length limits shown as the person types (the server checks them again).
import { useDialog } from '../input/use-dialog'
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { TITLE_MAX, WRITE_UP_MAX } from '../../shared/cases'
import { useT } from '../i18n'
import { W } from './words'

export interface CaseText {
  title: string
  writeUp: string
}

export function CaseForm(props: {
  heading: string
  /** What the case is about, under the heading (the ticket's number and summary). */
  subject?: string
  initial?: CaseText
  /** Saves; answers an error to show (the field it concerns, if known), or null when done. */
  onSubmit(values: CaseText): Promise<{ message: string; field?: string } | null>
  onClose(): void
}) {
  const t = useT()
  const [title, setTitle] = useState(props.initial?.title ?? '')
  const [writeUp, setWriteUp] = useState(props.initial?.writeUp ?? '')
  const [error, setError] = useState<{ message: string; field?: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const titleInput = useRef<HTMLInputElement>(null)
  const root = useRef<HTMLDivElement>(null)
  useEffect(() => titleInput.current?.focus(), [])
  const trap = useDialog(root)

  const submit = async () => {
    if (busy) return
    setBusy(true)
    const e = await props.onSubmit({ title, writeUp })
    setBusy(false)
    setError(e)
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit()
    else if (e.key === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }
  const count = (s: string, max: number) => `${[...s.trim()].length}/${max}`

  return (
    <div
      className="dialog case-form"
      role="dialog"
      aria-label={props.heading}
      onKeyDown={onKey}
      onKeyDownCapture={trap.onKeyDownCapture}
      tabIndex={-1}
      ref={root}
    >
      <h2>{props.heading}</h2>
      {props.subject && <p className="targets muted">{props.subject}</p>}
      <label>
        <span>
          {t(W.caseTitle)} <span className="hint">{count(title, TITLE_MAX)}</span>
        </span>
        <input
          ref={titleInput}
          aria-label="case-title"
          value={title}
          maxLength={TITLE_MAX}
          aria-invalid={error?.field === 'title'}
          onChange={(e) => setTitle(e.target.value)}
        />
      </label>
      <label>
        <span>
          {t(W.writeUp)} <span className="hint">{count(writeUp, WRITE_UP_MAX)}</span>
        </span>
        <textarea
          aria-label="case-write-up"
          rows={8}
          value={writeUp}
          maxLength={WRITE_UP_MAX}
          aria-invalid={error?.field === 'writeUp'}
          onChange={(e) => setWriteUp(e.target.value)}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error.message}
        </p>
      )}
      <p className="hint">{t(W.formKeys)}</p>
    </div>
  )
}
