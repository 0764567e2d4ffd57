// 备注: a note on the ticket's timeline; Ctrl+Enter saves.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import type { TicketDetail } from '../../shared/api'
import { useLang, useT } from '../i18n'
import { errorText, useApi } from '../state/api'

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
  useEffect(() => area.current?.focus(), [])

  const submit = async () => {
    if (!text.trim()) return
    const r = await api.call('ticket.act', {
      name: 'ticket.note',
      args: { ticketId: props.detail.ticket.id, text },
    })
    if (!r.ok) return setError(errorText(r.error, lang))
    props.onDone(`${props.detail.displayNumber} · ${t('noteSaved')}`)
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) void submit()
    else if (e.key === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div className="dialog" role="dialog" aria-label={t('noteText')} onKeyDown={onKey}>
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
