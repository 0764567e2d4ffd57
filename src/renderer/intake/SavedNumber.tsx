// After a call is logged the agent reads its number out to the caller: the server's number as
// soon as it is known (normally within a second of saving), until then the provisional one with
// a word on why — and, offline, that the real one comes when the console is back online. It
// stays in view until the next call is logged.
import { useEffect, useRef, useState } from 'react'
import type { SyncStatus, TicketDetail } from '../../shared/api'
import { useLang } from '../i18n'
import { useApi, useConsoleEvents } from '../state/api'
import { WORDS } from './words'

export function SavedNumber(props: {
  ticketId: string
  /** The server's number arrived after the save (it replaces `provisional`): said in a toast. */
  onNumbered(number: string, provisional: string): void
}) {
  const api = useApi()
  const lang = useLang()
  const [detail, setDetail] = useState<TicketDetail | null>(null)
  const [state, setState] = useState<SyncStatus['state'] | null>(null)
  const { ticketId } = props

  /** The provisional number shown: the server's, when it comes, is said out loud. */
  const provisional = useRef<string | null>(null)
  const load = () =>
    void api.call('ticket.get', { id: ticketId }).then((r) => {
      if (!r.ok) return
      if (!r.value.ticket.number) provisional.current = r.value.displayNumber
      else if (provisional.current) {
        props.onNumbered(r.value.displayNumber, provisional.current)
        provisional.current = null
      }
      setDetail(r.value)
    })
  // Once per saved ticket (load reads the api and id it is made with).
  useEffect(load, [api, ticketId])
  useEffect(() => {
    void api.call('sync.status', {}).then((r) => r.ok && setState(r.value.state))
  }, [api])
  useConsoleEvents(api, (e) => {
    if (e.type === 'sync.status') setState(e.payload.state)
    if (
      e.type === 'tickets.changed' &&
      (e.payload.ids.length === 0 || e.payload.ids.includes(ticketId))
    )
      load()
  })

  if (!detail) return null
  const W = (k: keyof typeof WORDS) => WORDS[k][lang]
  const final = detail.ticket.number !== null
  const why = final
    ? W('numberFinal')
    : state === 'offline'
      ? W('numberOffline')
      : W('numberWaiting')
  return (
    <div
      className={`saved-number ${final ? 'final' : 'provisional'}`}
      role="status"
      data-testid="saved-number"
      data-final={final ? 'yes' : 'no'}
    >
      <span className="muted">{W('numberLabel')}</span>{' '}
      <strong className="number">{detail.displayNumber}</strong>{' '}
      <span className="muted">{why}</span>
    </div>
  )
}
