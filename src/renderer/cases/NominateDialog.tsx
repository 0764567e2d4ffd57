// Shift+N on a closed ticket (supervisors): nominate it as an exemplary case (优秀案例) with a
// title and a write-up. The server decides whether the ticket qualifies and says why not.
import type { TicketRow } from '../../shared/api'
import { useLang, useT } from '../i18n'
import { errorText, useApi } from '../state/api'
import { CaseForm } from './CaseForm'
import { W } from './words'

/** The queue row the dialog was opened on (it keeps it while the cursor moves). */
export type NominateTarget = TicketRow

export function NominateDialog(props: {
  row: NominateTarget
  onClose(): void
  onDone(message: string): void
}) {
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const { row } = props
  return (
    <CaseForm
      heading={t(W.nominate)}
      subject={`${row.number} · ${row.summary}`}
      onClose={props.onClose}
      onSubmit={async ({ title, writeUp }) => {
        const r = await api.call('cases.nominate', { ticketId: row.id, title, writeUp })
        if (!r.ok) return { message: errorText(r.error, lang), field: r.error.field }
        props.onDone(`${row.number} · ${t(W.nominated)}「${r.value.title}」`)
        return null
      }}
    />
  )
}
