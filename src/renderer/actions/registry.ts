// The one action registry (STYLE.md 6): the key handler, the command palette and the help overlay
// all read it, and the shortcut labels come from the same `keys` the handler matches. A key is
// bound once in the whole registry; `checkRegistry` refuses a second binding at start.
import { SAVED_VIEWS, type SavedView } from '../../shared/api'
import type { ActionName } from '../../shared/actions'
import { ACTION_LABELS } from '../../shared/labels'
import type { Localized } from '../../shared/validation'
import { FORMS, type FormId } from '../ticket/action-forms'

/** What the screen is showing: decides which actions apply. */
export interface Scope {
  loggedIn: boolean
  /** The topmost layer over the queue. */
  layer: 'none' | 'palette' | 'help' | 'dialog' | 'intake' | 'rejected'
  /** The ticket under the cursor or open in the pane. */
  ticketId: string | null
  ticketOpen: boolean
  /** What the rules allow this user on that ticket, once known. */
  allowed: readonly ActionName[] | null
  /** The user's role may log new calls. */
  canCreate: boolean
  /** Tickets selected with X / Shift+X: bulk actions apply to them. */
  selection: number
}

/** What actions may do: the screens implement it. */
export interface Controls {
  openPalette(): void
  toggleHelp(): void
  closeTop(): void
  move(delta: number): void
  moveTo(where: 'first' | 'last'): void
  openTicket(): void
  focusFilter(): void
  setView(view: SavedView): void
  openIntake(): void
  openDispatch(): void
  openNote(): void
  /** A form of action-forms.ts, on the selection or else the cursor's ticket. */
  openForm(form: FormId): void
  /** Approve the return or extension waiting on the cursor's ticket. */
  approve(): void
  /** Refuse it, with an optional reason. */
  refuse(): void
  toggleSelect(): void
  selectRange(): void
  act(name: 'ticket.sign' | 'ticket.urge'): void
  toggleLang(): void
  toggleTheme(): void
  syncNow(): void
  reviewRejected(): void
  logout(): void
}

export interface UiAction {
  id: string
  label: Localized
  group: 'general' | 'queue' | 'ticket' | 'view'
  /** In the registry's spelling (see keys.ts); the first is the one menus show. */
  keys: readonly string[]
  /** The workflow action this runs, for the ticket pane to show its key next to it. */
  workflow?: ActionName
  when(s: Scope): boolean
  run(c: Controls, s: Scope): void
}

export const GROUP_LABELS: Record<UiAction['group'], Localized> = {
  general: { zh: '通用', en: 'General' },
  queue: { zh: '工单池', en: 'Queue' },
  view: { zh: '视图', en: 'Views' },
  ticket: { zh: '工单操作', en: 'Ticket actions' },
}

const always = (s: Scope) => s.loggedIn
const onQueue = (s: Scope) => s.loggedIn && s.layer === 'none'
const onTicket = (name: ActionName) => (s: Scope) =>
  onQueue(s) && s.ticketId !== null && (s.allowed === null || s.allowed.includes(name))
/** Bulk-capable: with a selection the action is offered and each ticket is checked on its own. */
const onTickets = (name: ActionName) => (s: Scope) =>
  (onQueue(s) && s.selection > 0) || onTicket(name)(s)
const onAny =
  (...names: ActionName[]) =>
  (s: Scope) =>
    names.some((n) => onTicket(n)(s))

/** A form's registry entry: its label is the form's title, its workflow action the form's. */
const formAction = (
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

const VIEW_NAMES: Record<SavedView, Localized> = {
  new: { zh: '视图：待派单', en: 'View: to dispatch' },
  at_risk: { zh: '视图：即将超时', en: 'View: at risk' },
  overdue: { zh: '视图：已超时', en: 'View: overdue' },
  returns: { zh: '视图：退单待审', en: 'View: returns to rule on' },
  extensions: { zh: '视图：延期待批', en: 'View: extensions to rule on' },
  callbacks: { zh: '视图：待回访', en: 'View: callbacks due' },
  mine: { zh: '视图：我的', en: 'View: mine' },
  all: { zh: '视图：全部', en: 'View: all' },
}

export const ACTIONS: readonly UiAction[] = [
  {
    id: 'palette.open',
    label: { zh: '命令面板', en: 'Command palette' },
    group: 'general',
    keys: ['Ctrl+K'],
    when: always,
    run: (c) => c.openPalette(),
  },
  {
    id: 'help.toggle',
    label: { zh: '快捷键帮助', en: 'Keyboard shortcuts' },
    group: 'general',
    keys: ['?'],
    when: (s) => s.layer === 'none' || s.layer === 'help',
    run: (c) => c.toggleHelp(),
  },
  {
    id: 'layer.close',
    label: { zh: '关闭 / 返回 / 取消选择', en: 'Close / back / unselect' },
    group: 'general',
    keys: ['Escape'],
    when: (s) => s.layer !== 'none' || s.ticketOpen || s.selection > 0,
    run: (c) => c.closeTop(),
  },
  {
    id: 'lang.toggle',
    label: { zh: '切换语言（中文 / English）', en: 'Switch language (中文 / English)' },
    group: 'general',
    keys: ['Alt+L'],
    when: () => true,
    run: (c) => c.toggleLang(),
  },
  {
    id: 'theme.toggle',
    label: { zh: '切换浅色 / 深色', en: 'Switch light / dark' },
    group: 'general',
    keys: ['Alt+T'],
    when: () => true,
    run: (c) => c.toggleTheme(),
  },
  {
    id: 'sync.now',
    label: { zh: '立即同步', en: 'Sync now' },
    group: 'general',
    keys: ['Alt+S'],
    when: always,
    run: (c) => c.syncNow(),
  },
  {
    id: 'rejected.review',
    label: { zh: '查看被拒绝的操作', en: 'Review refused changes' },
    group: 'general',
    keys: ['Alt+R'],
    when: always,
    run: (c) => c.reviewRejected(),
  },
  {
    id: 'session.logout',
    label: { zh: '退出登录', en: 'Log out' },
    group: 'general',
    keys: ['Alt+Q'],
    when: always,
    run: (c) => c.logout(),
  },
  {
    id: 'intake.open',
    label: { zh: '受理新来电', en: 'Log a new call' },
    group: 'general',
    keys: ['N', 'Ctrl+N'],
    when: (s) => s.loggedIn && s.canCreate && (s.layer === 'none' || s.layer === 'palette'),
    run: (c) => c.openIntake(),
  },
  {
    id: 'queue.down',
    label: { zh: '下一张工单', en: 'Next ticket' },
    group: 'queue',
    keys: ['J', 'ArrowDown'],
    when: onQueue,
    run: (c) => c.move(1),
  },
  {
    id: 'queue.up',
    label: { zh: '上一张工单', en: 'Previous ticket' },
    group: 'queue',
    keys: ['K', 'ArrowUp'],
    when: onQueue,
    run: (c) => c.move(-1),
  },
  {
    id: 'queue.pageDown',
    label: { zh: '向下翻页', en: 'Page down' },
    group: 'queue',
    keys: ['PageDown'],
    when: onQueue,
    run: (c) => c.move(20),
  },
  {
    id: 'queue.pageUp',
    label: { zh: '向上翻页', en: 'Page up' },
    group: 'queue',
    keys: ['PageUp'],
    when: onQueue,
    run: (c) => c.move(-20),
  },
  {
    id: 'queue.first',
    label: { zh: '第一张', en: 'First ticket' },
    group: 'queue',
    keys: ['Home'],
    when: onQueue,
    run: (c) => c.moveTo('first'),
  },
  {
    id: 'queue.last',
    label: { zh: '最后一张', en: 'Last ticket' },
    group: 'queue',
    keys: ['End'],
    when: onQueue,
    run: (c) => c.moveTo('last'),
  },
  {
    id: 'ticket.open',
    label: { zh: '打开工单', en: 'Open ticket' },
    group: 'queue',
    keys: ['Enter'],
    when: (s) => onQueue(s) && s.ticketId !== null,
    run: (c) => c.openTicket(),
  },
  {
    id: 'queue.select',
    label: { zh: '选择 / 取消选择', en: 'Select / unselect' },
    group: 'queue',
    keys: ['X'],
    when: (s) => onQueue(s) && s.ticketId !== null,
    run: (c) => c.toggleSelect(),
  },
  {
    id: 'queue.selectRange',
    label: { zh: '连续选择到此', en: 'Select the range to here' },
    group: 'queue',
    keys: ['Shift+X'],
    when: (s) => onQueue(s) && s.ticketId !== null,
    run: (c) => c.selectRange(),
  },
  {
    id: 'filter.focus',
    label: { zh: '筛选 / 搜索', en: 'Filter / search' },
    group: 'queue',
    keys: ['/'],
    when: onQueue,
    run: (c) => c.focusFilter(),
  },
  ...SAVED_VIEWS.map((view, i): UiAction => ({
    id: `view.${view}`,
    label: VIEW_NAMES[view],
    group: 'view',
    keys: [String(i + 1)],
    when: onQueue,
    run: (c) => c.setView(view),
  })),
  {
    id: 'ticket.dispatch',
    label: ACTION_LABELS['ticket.dispatch'],
    group: 'ticket',
    keys: ['D'],
    workflow: 'ticket.dispatch',
    when: onTickets('ticket.dispatch'),
    run: (c) => c.openDispatch(),
  },
  {
    id: 'ticket.sign',
    label: ACTION_LABELS['ticket.sign'],
    group: 'ticket',
    keys: ['S'],
    workflow: 'ticket.sign',
    when: onTicket('ticket.sign'),
    run: (c) => c.act('ticket.sign'),
  },
  {
    id: 'ticket.urge',
    label: ACTION_LABELS['ticket.urge'],
    group: 'ticket',
    keys: ['U'],
    workflow: 'ticket.urge',
    when: onTickets('ticket.urge'),
    run: (c) => c.act('ticket.urge'),
  },
  {
    id: 'ticket.note',
    label: ACTION_LABELS['ticket.note'],
    group: 'ticket',
    keys: ['M'],
    workflow: 'ticket.note',
    when: onTicket('ticket.note'),
    run: (c) => c.openNote(),
  },
  formAction('answer', ['A']),
  formAction('update', ['E']),
  formAction('supervise', ['Shift+U'], { bulk: true }),
  {
    id: 'ticket.approve',
    label: { zh: '同意（退单 / 延期）', en: 'Approve (return / extension)' },
    group: 'ticket',
    keys: ['Y'],
    workflow: 'ticket.decideReturn',
    when: onAny('ticket.decideReturn', 'ticket.decideExtension'),
    run: (c) => c.approve(),
  },
  {
    id: 'ticket.refuse',
    label: { zh: '驳回（退单 / 延期）', en: 'Refuse (return / extension)' },
    group: 'ticket',
    keys: ['Shift+Y'],
    workflow: 'ticket.decideExtension',
    when: onAny('ticket.decideReturn', 'ticket.decideExtension'),
    run: (c) => c.refuse(),
  },
  formAction('requestReturn', ['R']),
  formAction('requestExtension', ['T']),
  formAction('reply', ['F']),
  formAction('rejectReply', ['Shift+F']),
  formAction('callback', ['C']),
  formAction('redo', ['O']),
  formAction('closeWithoutCallback', ['Shift+C'], { bulk: true }),
  formAction('merge', ['Shift+M'], { bulk: true }),
  formAction('cancel', ['Shift+Delete'], { bulk: true }),
]

/** Refuses a key bound twice or an id used twice: the registry is the only place keys live. */
export function checkRegistry(actions: readonly UiAction[]): void {
  const byKey = new Map<string, string>()
  const ids = new Set<string>()
  for (const a of actions) {
    if (ids.has(a.id)) throw new Error(`action id ${a.id} is defined twice`)
    ids.add(a.id)
    for (const k of a.keys) {
      const other = byKey.get(k)
      if (other) throw new Error(`key ${k} is bound to both ${other} and ${a.id}`)
      byKey.set(k, a.id)
    }
  }
}
checkRegistry(ACTIONS)

const BY_KEY = new Map(ACTIONS.flatMap((a) => a.keys.map((k) => [k, a] as const)))

/** The action a key press runs in this scope, if any. */
export function actionForKey(combo: string, scope: Scope): UiAction | null {
  const a = BY_KEY.get(combo)
  return a && a.when(scope) ? a : null
}

/** The registry entry that runs a workflow action, for the ticket pane's key hints. */
export const actionForWorkflow = (name: ActionName): UiAction | undefined =>
  ACTIONS.find((a) => a.workflow === name)
