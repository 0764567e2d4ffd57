// Changes the server refused, with its reason, for the person who made them to review.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useDialog } from '../input/use-dialog'

import type { RejectedMutation } from '../../shared/api'
import { ACTION_LABELS } from '../../shared/labels'
import { isActionName } from '../../shared/actions'
import { formatTime, useT } from '../i18n'
import { useApi } from '../state/api'

export function RejectedOverlay(props: { onClose(): void }) {
  const api = useApi()
  const t = useT()
  const [list, setList] = useState<RejectedMutation[]>([])
  const [at, setAt] = useState(0)
  const load = () => void api.call('sync.rejected', {}).then((r) => r.ok && setList(r.value))
  useEffect(() => load(), [api])
  const root = useRef<HTMLDivElement>(null)
  useEffect(() => root.current?.focus(), [])
  const trap = useDialog(root)

  const onKey = async (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'j') setAt((i) => Math.min(i + 1, list.length - 1))
    else if (e.key === 'ArrowUp' || e.key === 'k') setAt((i) => Math.max(i - 1, 0))
    else if (e.key === 'Delete' && list[at]) {
      await api.call('sync.dismissRejected', { id: list[at]!.id })
      load()
    } else if (e.key === 'Escape') props.onClose()
    else return
    e.preventDefault()
    e.stopPropagation()
  }

  return (
    <div
      className="overlay rejected-list"
      role="dialog"
      aria-label={t('rejectedTitle')}
      tabIndex={-1}
      ref={root}
      onKeyDown={(e) => void onKey(e)}
      onKeyDownCapture={trap.onKeyDownCapture}
    >
      <h2>{t('rejectedTitle')}</h2>
      {list.length === 0 && <p className="muted">{t('noRejected')}</p>}
      <ul>
        {list.map((m, i) => (
          <li key={m.id} className={i === at ? 'active' : ''}>
            <time>{formatTime(m.at)}</time> {m.ticketNumber ?? ''}{' '}
            <strong>{isActionName(m.name) ? t(ACTION_LABELS[m.name]) : m.name}</strong>:{' '}
            {t(m.message)}
          </li>
        ))}
      </ul>
      {list.length > 0 && <p className="hint">{t('dismiss')}</p>}
    </div>
  )
}
