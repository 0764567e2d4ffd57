// Alerts (issue 6): what the console core announces as a desktop notification, and who gets which.
import type { Role } from './ticket'
import type { Localized } from './validation'

export const ALERT_KINDS = [
  'very_urgent',
  'overdue',
  'return_waiting',
  'extension_waiting',
] as const
export type AlertKind = (typeof ALERT_KINDS)[number]

export interface Alert {
  /** Stable for one occasion (`kind:ticket:moment`): the same alert twice is one notification. */
  id: string
  kind: AlertKind
  /** Null for a summary of several tickets (see `count`). */
  ticketId: string | null
  ticketNumber: string | null
  title: Localized
  body: Localized
  /** When the core raised it (ISO). */
  at: string
  /** Tickets it stands for: 1, or more for a summary raised instead of a burst. */
  count: number
}

/**
 * Which alerts a role gets. Dispatchers and supervisors act on all four. Agents hear of very
 * urgent tickets (others' — the same emergency tends to ring again, and they should know), and
 * of nothing they cannot act on. Unit staff hear of very urgent tickets dispatched to their unit
 * and of their unit's tickets turning overdue. Admins configure; they get none.
 */
export function alertKindsFor(role: Role): readonly AlertKind[] {
  switch (role) {
    case 'dispatcher':
    case 'supervisor':
      return ALERT_KINDS
    case 'agent':
      return ['very_urgent']
    case 'unit':
      return ['very_urgent', 'overdue']
    case 'admin':
      return []
  }
}

/** The queue view that lists an alert kind's tickets (for a summary alert's click). */
export const ALERT_VIEWS = {
  very_urgent: 'new',
  overdue: 'overdue',
  return_waiting: 'returns',
  extension_waiting: 'extensions',
} as const satisfies Record<AlertKind, string>
