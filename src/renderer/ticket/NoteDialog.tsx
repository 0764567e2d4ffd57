// 备注: a note on the ticket's timeline; Ctrl+Enter saves.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { TicketDetail } from '../../shared/api'
import { useLang, useT } from '../i18n'
import { errorText, useApi } from '../state/api'
import { useTypeAhead } from '../input/type-ahead'
import { useDialog } from '../input/use-dialog'

export function NoteDialog(props: {
  detail: TicketDetail
  onClose(): void
  onDone(message: string): void
}) {
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  const area = useRef<HTMLTextAreaElement>(null)
  const root = useRef<HTMLDivElement>(null)
  useEffect(() => area.current?.focus(), [])
  const trap = useDialog(root)
  const typeAhead = useTypeAhead()
  const busy = useRef(false)

  const submit = async () => {
    if (!text.trim() || busy.current) return
    busy.current = true
    const saved = typeAhead.begin('saving')
    try {
      const r = await api.call('ticket.act', {
        name: 'ticket.note',
        args: { ticketId: props.detail.ticket.id, text },
      })
      if (!r.ok) return setError(errorText(r.error, lang))
      props.onDone(`${props.detail.displayNumber} · ${t('noteSaved')}`)
    } finally {
      busy.current = false
      saved()
    }
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit()
    else if (e.key === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      className="dialog"
      role="dialog"
      aria-label={t('noteText')}
      tabIndex={-1}
      ref={root}
      onKeyDown={onKey}
      onKeyDownCapture={trap.onKeyDownCapture}
    >
      <h2>{props.detail.displayNumber}</h2>
      <label>
        {t('noteText')}
        <textarea ref={area} rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <p className="hint">{t('ctrlEnterToSave')}</p>
    </div>
  )
}
