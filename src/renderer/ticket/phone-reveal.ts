// Which ticket's caller number is shown in full in the ticket pane (issue 7): set when the reveal
// (V) has been recorded, cleared when the pane leaves that ticket or closes, so coming back to it
// shows the number masked again and a new look is a new, recorded view.
import { useSyncExternalStore } from 'react'

let revealed: string | null = null
const listeners = new Set<() => void>()
const changed = () => listeners.forEach((l) => l())

export function revealPhone(ticketId: string): void {
  revealed = ticketId
  changed()
}

/** Masks the number again, if it is this ticket's that is shown. */
export function hidePhone(ticketId: string | null): void {
  if (ticketId === null || revealed !== ticketId) return
  revealed = null
  changed()
}

export const isPhoneRevealed = (ticketId: string | null): boolean =>
  ticketId !== null && revealed === ticketId

const subscribe = (l: () => void) => {
  listeners.add(l)
  return () => listeners.delete(l)
}

/** Whether this ticket's number is shown in full now; re-renders when that changes. */
export function usePhoneRevealed(ticketId: string | null): boolean {
  return useSyncExternalStore(subscribe, () => isPhoneRevealed(ticketId))
}
