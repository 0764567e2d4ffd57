// The ticket (工单) and its timeline: the wire shape shared by renderer, core and server.
// Times are ISO 8601 strings in UTC ("2026-11-28T02:15:00.000Z"); codes, never display names,
// for categories, units and districts (DESIGN.md §6).
import type { Assignment } from './assignments'

export const STATUSES = [
  'new',
  'dispatched',
  'in_progress',
  'return_requested',
  'replied',
  'closed',
  'merged',
  'cancelled',
] as const
export type Status = (typeof STATUSES)[number]

/** States in which a ticket still needs somebody's work. */
export const OPEN_STATUSES: readonly Status[] = [
  'new',
  'dispatched',
  'in_progress',
  'return_requested',
  'replied',
]
export const isOpen = (s: Status): boolean => OPEN_STATUSES.includes(s)

export const CHANNELS = ['phone', 'web', 'wechat', 'app', 'email', 'enterprise', 'open311'] as const
export type Channel = (typeof CHANNELS)[number]

export const KINDS = [
  'complaint',
  'help',
  'consultation',
  'suggestion',
  'report',
  'praise',
] as const
export type Kind = (typeof KINDS)[number]

export const URGENCIES = ['normal', 'urgent', 'very_urgent'] as const
export type Urgency = (typeof URGENCIES)[number]

export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const
export type Satisfaction = (typeof SATISFACTIONS)[number]

export const ROLES = ['agent', 'dispatcher', 'supervisor', 'unit', 'admin'] as const
export type Role = (typeof ROLES)[number]

/**
 * Who acts. `system` is the server itself (automatic urging, supervision); `open311` an outside
 * channel filing through the Open311 API. Neither is a login role.
 */
export type ActorRole = Role | 'system' | 'open311'

export interface Actor {
  userId: string
  role: ActorRole
  /** The unit's code, for unit staff; null for everyone else. */
  unit: string | null
  /** Display name, kept in the timeline so it reads well even after the user is gone. */
  name?: string
  /** The console (client id) the action came from, when it came from one. */
  consoleId?: string | null
}

export interface Caller {
  name: string | null
  phone: string | null
  anonymous: boolean
  /** Company name when a company calls (一企来办 and the like). */
  company: string | null
  /** The caller agrees to be called back (回访). */
  callbackConsent: boolean
}

export interface Location {
  address: string
  district: string | null
  street: string | null
  community: string | null
  lat: number | null
  lng: number | null
}

export type ExtensionState = 'none' | 'requested' | 'granted' | 'refused'

export interface Extension {
  state: ExtensionState
  /** The due time asked for by the unit, while a request is pending or after a decision. */
  requestedUntil: string | null
  reason: string | null
  /** Due time at first dispatch (or redo); the 10-working-day cap is counted from it. */
  originalDueAt: string | null
}

export interface ReturnRequest {
  reason: string
  requestedAt: string
  /** The state to go back to if the dispatcher rejects the return. */
  previousStatus: 'dispatched' | 'in_progress'
}

export interface Counts {
  returns: number
  urges: number
  reopens: number
  extensions: number
  /** Assignments recalled or re-routed by the level that dispatched them (issue 16). */
  recalls?: number
}

export interface Resolution {
  /** How the ticket was resolved: answered on the call, or the unit's reply. */
  kind: 'answered' | 'replied'
  text: string
  /** The unit says the problem itself is solved (as opposed to explained or referred). */
  resolved: boolean
  at: string
  by: string
}

/** Why a ticket is out of a unit's scores (不纳入考核, issue 17). */
export const EXEMPTION_REASONS = [
  'unreasonable_demand',
  'historical_issue',
  'outside_remit',
  'mediation_enforcement',
  'other',
] as const
export type ExemptionReason = (typeof EXEMPTION_REASONS)[number]

export interface Exemption {
  reason: ExemptionReason
  text: string | null
  at: string
  by: string
}

export interface Ticket {
  id: string
  /** Given by the server on first sync (`YYYYMMDD` + 6 digits); null until then. */
  number: string | null
  channel: Channel
  kind: Kind
  category: string
  urgency: Urgency
  caller: Caller
  description: string
  location: Location
  status: Status
  unit: string | null
  coUnits: string[]
  instructions: string | null
  dispatchedAt: string | null
  signedAt: string | null
  signBy: string | null
  dueAt: string | null
  /**
   * The deadlines were counted on working days of a year whose official holiday notice is not
   * entered yet (see calendar.ts); they are recomputed when it is. Absent on older tickets: false.
   */
  deadlinesProvisional?: boolean
  extension: Extension
  returnRequest: ReturnRequest | null
  /**
   * The chain of assignments, level by level (./assignments.ts). Absent on tickets from before
   * issue 16: they read as a one-level chain from the fields above.
   */
  assignments?: Assignment[]
  counts: Counts
  /** Replied or answered on the call: the moment that counts for on-time completion. */
  completedAt: string | null
  closedAt: string | null
  resolution: Resolution | null
  satisfaction: Satisfaction | null
  supervised: boolean
  duplicateOf: string | null
  /** A create that arrived malformed is kept, never rejected, and flagged for review. */
  needsReview: boolean
  /**
   * Staff marked the request publishable, the caller having agreed: public Open311 reads may
   * then show it (src/shared/publication.ts). Absent (tickets before issue 12) means no.
   */
  publishable?: boolean
  /** The unit contacted the citizen (联系来电人, issue 17); cleared by a new dispatch or redo. */
  contactedAt?: string | null
  /** Out of the unit's scores (不纳入考核, issue 17) while set; withdrawing clears it. */
  exemption?: Exemption | null
  createdBy: string
  createdAt: string
  updatedAt: string
  /** Number of actions applied to the ticket, creation included. */
  version: number
}

/** Timeline event types: one per action (the past tense of the action). */
export const EVENT_TYPES = [
  'created',
  'updated',
  'answered',
  'dispatched',
  'signed',
  'return_requested',
  'return_approved',
  'return_rejected',
  'extension_requested',
  'extension_granted',
  'extension_refused',
  'noted',
  'urged',
  'supervised',
  'replied',
  'reply_rejected',
  'called_back',
  'redone',
  'closed_without_callback',
  'merged',
  'cancelled',
  'phone_viewed',
  'rescheduled',
  // Issue 16: the levels below the city centre, recall and re-route, assisting parts.
  'dispatched_down',
  'level_signed',
  'level_return_requested',
  'level_return_approved',
  'level_return_rejected',
  'level_replied',
  'level_reply_approved',
  'level_reply_sent_back',
  'recalled',
  'rerouted',
  'part_submitted',
  'contacted',
  'exempted',
  'exemption_withdrawn',
] as const
export type EventType = (typeof EVENT_TYPES)[number]

export interface TimelineEvent {
  /** `${ticketId}/${version}`: an event is the ticket's version-th action, so ids never clash. */
  id: string
  ticketId: string
  type: EventType
  /** The ticket's version after this event. */
  version: number
  at: string
  actor: {
    userId: string
    role: ActorRole
    unit: string | null
    name: string | null
    consoleId: string | null
  }
  /** Status before and after. */
  from: Status | null
  to: Status
  /** What the action carried (unit, reason, text, satisfaction, changed fields …). */
  data: Record<string, unknown>
}
