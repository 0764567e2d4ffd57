// The dialog a ticket action opened (dispatch, a form, a note, the cases, a nomination): each
// keeps the tickets it was opened on while the cursor moves under it.
import type { Role } from '../../shared/ticket'
import { CasesScreen } from '../cases/CasesScreen'
import { KbManage } from '../knowledge/KbManage'
import { KbSearch } from '../knowledge/KbSearch'
import { NominateDialog } from '../cases/NominateDialog'
import type { Names } from '../state/reference'
import { ActionDialog, type ActionDone } from './ActionDialog'
import { DispatchDialog } from './DispatchDialog'
import { NoteDialog } from './NoteDialog'
import type { Dialog } from './ticket-actions'

export function TicketDialogs(props: {
  dialog: Dialog
  names: Names | null
  role: Role
  /** The user's unit (unit staff): whom a dispatch down may go to; what they may propose. */
  unit?: string | null
  onClose(): void
  /** Done: the toast's line. */
  onDone(text: string): void
  /** A form done: what it did, for what follows (the redo after an unsatisfied callback). */
  onFormDone(d: ActionDone, text: string): void
  /** A bulk dispatch lets go of the selection. */
  clearSelection(): void
}) {
  const { dialog, names, onClose, onDone } = props
  switch (dialog.kind) {
    case 'dispatch':
      return names ? (
        <DispatchDialog
          targets={dialog.targets}
          names={names}
          mode={dialog.mode}
          unit={props.unit ?? null}
          onClose={onClose}
          onDone={(text) => {
            onDone(text)
            if (dialog.targets.length > 1) props.clearSelection()
          }}
        />
      ) : null
    case 'form':
      return names ? (
        <ActionDialog
          form={dialog.form}
          targets={dialog.targets}
          names={names}
          onClose={onClose}
          onDone={props.onFormDone}
        />
      ) : null
    case 'note':
      return <NoteDialog detail={dialog.detail} onClose={onClose} onDone={onDone} />
    case 'cases':
      return (
        <CasesScreen
          canEdit={props.role === 'supervisor'}
          timeZone={names?.data.calendar.timeZone}
          onClose={onClose}
        />
      )
    case 'kb':
      return <KbSearch names={names} onClose={onClose} />
    case 'kbManage':
      return (
        <KbManage
          role={props.role}
          unit={props.unit ?? null}
          draft={dialog.draft}
          onClose={onClose}
        />
      )
    case 'nominate':
      return <NominateDialog row={dialog.row} onClose={onClose} onDone={onDone} />
  }
}
