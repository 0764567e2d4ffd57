// What the registry is made of: the scope a key press is judged in, the controls actions run, an
// action's shape, and the small predicates (`onQueue`, `onTicket` …) the entries share.
import { type ExportFormat, type SavedView } from '../../shared/api'
import type { ActionName } from '../../shared/actions'
import type { Role, Status } from '../../shared/ticket'
import type { Localized } from '../../shared/validation'
import type { Alert } from '../../shared/alerts'
import { FORMS, type FormId } from '../ticket/action-forms'

/** What the screen is showing: decides which actions apply. */
export interface Scope {
  loggedIn: boolean
  /** The topmost layer over the queue. */
  layer: 'none' | 'palette' | 'help' | 'dialog' | 'intake' | 'dashboard' | 'settings' | 'rejected'
  /** The ticket under the cursor or open in the pane. */
  ticketId: string | null
  ticketOpen: boolean
  /** What the rules allow this user on that ticket, once known. */
  allowed: readonly ActionName[] | null
  /** The user's role may log new calls. */
  canCreate: boolean
  /** Tickets selected with X / Shift+X: bulk actions apply to them. */
  selection: number
  /** The queue shows a dashboard drill-down (Esc goes back). */
  drill: boolean
  /** Exemplary cases (优秀案例): the user's role and the cursor ticket's status, when known. */
  role?: Role
  ticketStatus?: Status | null
  /**
   * What a key on the queue acts on is not known yet (the cursor's row is still being fetched):
   * a key bound here waits for it instead of being judged against nothing.
   */
  waiting?: boolean
}

/** What actions may do: the screens implement it. */
export interface Controls {
  openPalette(): void
  openDashboard(): void
  toggleHelp(): void
  closeTop(): void
  move(delta: number): void
  moveTo(where: 'first' | 'last'): void
  openTicket(): void
  focusFilter(): void
  setView(view: SavedView): void
  openIntake(): void
  /** D: dispatch, or dispatch down a level; Shift+D: re-route (改派). */
  openDispatch(mode?: 'reroute'): void
  openNote(): void
  /** A form of action-forms.ts, on the selection or else the cursor's ticket. */
  openForm(form: FormId): void
  /** Approve the return or extension waiting on the cursor's ticket. */
  approve(): void
  /** Refuse it, with an optional reason. */
  refuse(): void
  toggleSelect(): void
  selectRange(): void
  /** An action without a form: sign, urge, or reveal the caller's full number (recorded). */
  act(name: 'ticket.sign' | 'ticket.urge' | 'ticket.viewPhone'): void
  /** Export the queue as it stands (view, filter, sort) to a file. */
  exportView(format: ExportFormat): void
  toggleLang(): void
  toggleTheme(): void
  syncNow(): void
  reviewRejected(): void
  logout(): void
  /** 知识库 (src/renderer/knowledge): search the whole knowledge base (Alt+K). */
  openKnowledge?(): void
  /** G K: writing entries and the review queue (supervisors, admins; units propose). */
  manageKnowledge?(): void
  /** Shift+K: a draft entry pre-filled from the cursor's ticket and the unit's reply. */
  kbFromTicket?(): void
  /** 优秀案例 (src/renderer/cases): the year's list; nominating the cursor's closed ticket. */
  openCases?(): void
  nominateCase?(): void
  /** Ctrl+, : the settings screen (server, language, theme, alerts, data), open or closed again. */
  openSettings?(): void
  /** Go to what an alert is about: its ticket, or for a summary the view listing them. */
  openAlert?(alert: Alert): void
}

export interface UiAction {
  id: string
  label: Localized
  group: 'general' | 'queue' | 'ticket' | 'view'
  /** In the registry's spelling (see keys.ts); the first is the one menus show. */
  keys: readonly string[]
  /** The workflow action this runs, for the ticket pane to show its key next to it. */
  workflow?: ActionName
  /** Other workflow actions the same key runs where they apply (issue 16: D dispatches down). */
  alsoRuns?: readonly ActionName[]
  when(s: Scope): boolean
  run(c: Controls, s: Scope): void
}

export const GROUP_LABELS: Record<UiAction['group'], Localized> = {
  general: { zh: '通用', en: 'General' },
  queue: { zh: '工单池', en: 'Queue' },
  view: { zh: '视图', en: 'Views' },
  ticket: { zh: '工单操作', en: 'Ticket actions' },
}

export const always = (s: Scope) => s.loggedIn
export const onQueue = (s: Scope) => s.loggedIn && s.layer === 'none'
export const onTicket = (name: ActionName) => (s: Scope) =>
  onQueue(s) && s.ticketId !== null && (s.allowed === null || s.allowed.includes(name))
/** Bulk-capable: with a selection the action is offered and each ticket is checked on its own. */
export const onTickets = (name: ActionName) => (s: Scope) =>
  (onQueue(s) && s.selection > 0) || onTicket(name)(s)
export const onAny =
  (...names: ActionName[]) =>
  (s: Scope) =>
    names.some((n) => onTicket(n)(s))

/** A form's registry entry: its label is the form's title, its workflow action the form's. */
export const formAction = (
  form: FormId,
  keys: string[],
  opts: { bulk?: boolean; label?: Localized } = {},
): UiAction => ({
  id: `form.${form}`,
  label: opts.label ?? FORMS[form].title,
  group: 'ticket',
  keys,
  workflow: FORMS[form].action,
  when: (opts.bulk ? onTickets : onTicket)(FORMS[form].action),
  run: (c) => c.openForm(form),
})
