// The one action registry (STYLE.md 6): the key handler, the command palette and the help overlay
// all read it, and the shortcut labels come from the same `keys` the handler matches. A key is
// bound once in the whole registry; `checkRegistry` refuses a second binding at start.
import { SAVED_VIEWS, type SavedView } from '../../shared/api'
import type { ActionName } from '../../shared/actions'
import type { Localized } from '../../shared/validation'

export { GROUP_LABELS, type Controls, type Scope, type UiAction } from './action-kit'
import { always, onQueue, type Scope, type UiAction } from './action-kit'
import { TICKET_ACTIONS } from './ticket-actions'

const VIEW_NAMES: Record<SavedView, Localized> = {
  new: { zh: '视图：待派单', en: 'View: to dispatch' },
  at_risk: { zh: '视图：即将超时', en: 'View: at risk' },
  overdue: { zh: '视图：已超时', en: 'View: overdue' },
  returns: { zh: '视图：退单待审', en: 'View: returns to rule on' },
  extensions: { zh: '视图：延期待批', en: 'View: extensions to rule on' },
  callbacks: { zh: '视图：待回访', en: 'View: callbacks due' },
  mine: { zh: '视图：我的', en: 'View: mine' },
  all: { zh: '视图：全部', en: 'View: all' },
  down: { zh: '视图：待下派（本级）', en: 'View: to pass down (our level)' },
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
    when: (s) => s.layer !== 'none' || s.ticketOpen || s.selection > 0 || s.drill,
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
    id: 'settings.open',
    label: { zh: '设置', en: 'Settings' },
    group: 'general',
    keys: ['Ctrl+,'],
    when: (s) =>
      s.loggedIn && (s.layer === 'none' || s.layer === 'palette' || s.layer === 'settings'),
    run: (c) => c.openSettings?.(),
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
    id: 'dashboard.open',
    label: { zh: '运行监测（仪表盘）', en: 'Dashboard' },
    group: 'general',
    keys: ['G S'],
    when: (s) => s.loggedIn && (s.layer === 'none' || s.layer === 'palette'),
    run: (c) => c.openDashboard(),
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
  {
    id: 'queue.exportXlsx',
    label: { zh: '导出 Excel（当前视图）', en: 'Export to Excel (this view)' },
    group: 'queue',
    keys: ['Ctrl+E'],
    when: onQueue,
    run: (c) => c.exportView('xlsx'),
  },
  {
    id: 'queue.exportCsv',
    label: { zh: '导出 CSV（当前视图）', en: 'Export to CSV (this view)' },
    group: 'queue',
    keys: ['Ctrl+Shift+E'],
    when: onQueue,
    run: (c) => c.exportView('csv'),
  },
  ...SAVED_VIEWS.map((view, i): UiAction => ({
    id: `view.${view}`,
    label: VIEW_NAMES[view],
    group: 'view',
    keys: [String(i + 1)],
    // 待下派 is unit staff's: a sub-centre's or street's own dispatch queue (issue 16).
    when: view === 'down' ? (s) => onQueue(s) && s.role === 'unit' : onQueue,
    run: (c) => c.setView(view),
  })),
  ...TICKET_ACTIONS,
  {
    id: 'kb.search',
    label: { zh: '知识库（搜索）', en: 'Knowledge base (search)' },
    group: 'general',
    keys: ['Alt+K'],
    when: (s) => s.loggedIn && (s.layer === 'none' || s.layer === 'palette'),
    run: (c) => c.openKnowledge?.(),
  },
  {
    id: 'kb.manage',
    label: { zh: '知识库管理与审核', en: 'Knowledge base: edit and review' },
    group: 'general',
    keys: ['G K'],
    when: (s) =>
      s.loggedIn &&
      (s.role === 'supervisor' || s.role === 'admin' || s.role === 'unit') &&
      (s.layer === 'none' || s.layer === 'palette'),
    run: (c) => c.manageKnowledge?.(),
  },
  {
    id: 'kb.fromTicket',
    label: {
      zh: '由工单答复生成知识条目草稿',
      en: "Draft a knowledge entry from the ticket's reply",
    },
    group: 'ticket',
    keys: ['Shift+K'],
    when: (s) =>
      onQueue(s) &&
      s.ticketId !== null &&
      (s.role === 'supervisor' || s.role === 'admin') &&
      (s.ticketStatus === 'replied' || s.ticketStatus === 'closed'),
    run: (c) => c.kbFromTicket?.(),
  },
  {
    id: 'cases.open',
    label: { zh: '优秀案例', en: 'Exemplary cases' },
    group: 'general',
    keys: ['Alt+C'],
    when: (s) => s.loggedIn && (s.layer === 'none' || s.layer === 'palette'),
    run: (c) => c.openCases?.(),
  },
  {
    id: 'cases.nominate',
    label: { zh: '推荐为优秀案例', en: 'Nominate as an exemplary case' },
    group: 'ticket',
    keys: ['Shift+N'],
    when: (s) =>
      onQueue(s) && s.ticketId !== null && s.role === 'supervisor' && s.ticketStatus === 'closed',
    run: (c) => c.nominateCase?.(),
  },
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
  // A key that starts a chord cannot also act alone: the handler could not tell which is meant.
  for (const k of byKey.keys()) {
    const first = k.split(' ')[0]!
    if (k.includes(' ') && byKey.has(first))
      throw new Error(`key ${first} starts the chord ${k} and is bound to ${byKey.get(first)}`)
  }
}
checkRegistry(ACTIONS)

const BY_KEY = new Map(ACTIONS.flatMap((a) => a.keys.map((k) => [k, a] as const)))

/** Keys that start a two-key chord (`G` of `G S`): the next press completes it. */
const CHORD_PREFIXES = new Set(
  ACTIONS.flatMap((a) => a.keys.filter((k) => k.includes(' ')).map((k) => k.split(' ')[0]!)),
)
export const startsChord = (combo: string): boolean => CHORD_PREFIXES.has(combo)

/** The action a key press (or a chord, `G S`) runs in this scope, if any. */
export function actionForKey(combo: string, scope: Scope): UiAction | null {
  const a = BY_KEY.get(combo)
  return a && a.when(scope) ? a : null
}

/** The action bound to a key (or chord), whether or not it applies now. */
export const actionBound = (combo: string): UiAction | undefined => BY_KEY.get(combo)

/** The registry entry that runs a workflow action, for the ticket pane's key hints. */
export const actionForWorkflow = (name: ActionName): UiAction | undefined =>
  ACTIONS.find((a) => a.workflow === name) ?? ACTIONS.find((a) => a.alsoRuns?.includes(name))
