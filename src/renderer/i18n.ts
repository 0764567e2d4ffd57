// The screens' own words in Chinese and English. Names of statuses, actions, roles and the like
// come from src/shared/labels.ts, which the rules' refusals use too; these are the words only
// the screens say.
import { createContext, useContext, useMemo } from 'react'
import type { EventType } from '../shared/ticket'
import type { Lang, Localized } from '../shared/validation'
import type { SavedView } from '../shared/api'

export type { Lang, Localized }

export const UI = {
  appName: { zh: '12345 热线工单台', en: '12345 Hotline Console' },
  username: { zh: '用户名', en: 'User name' },
  password: { zh: '密码', en: 'Password' },
  login: { zh: '登录', en: 'Log in' },
  loggingIn: { zh: '正在登录…', en: 'Logging in…' },
  loginHint: {
    zh: '演示账号：agent1、dispatcher1、supervisor1、unit-单位代码，密码 demo',
    en: 'Demo users: agent1, dispatcher1, supervisor1, unit-<unit code>; password demo',
  },
  noTransport: {
    zh: '无法连接控制台后台：请用启动时打印的完整地址（含 #secret=…）打开本页。',
    en: 'No console back end: open this page with the full address printed at start (with #secret=…).',
  },
  online: { zh: '在线', en: 'online' },
  offline: { zh: '离线', en: 'offline' },
  loggedOut: { zh: '未登录', en: 'not logged in' },
  referenceLoading: {
    zh: '基础数据（分类、单位、地名）尚在载入，请稍候再试',
    en: 'The reference data (categories, units, places) is still loading: try again shortly',
  },
  syncing: { zh: '同步中', en: 'syncing' },
  pending: { zh: '待上传', en: 'pending' },
  rejected: { zh: '被拒绝', en: 'rejected' },
  firstSync: { zh: '首次同步', en: 'First sync' },
  firstSyncUsable: {
    zh: '未办结工单已全部载入，可以开始工作，其余在后台载入',
    en: 'every open ticket is in: ready to work; the rest loads in the background',
  },
  commandHint: { zh: 'Ctrl+K 命令 · ? 快捷键', en: 'Ctrl+K commands · ? shortcuts' },
  filterPlaceholder: {
    zh: '筛选：status:new unit:京口 district:润州 urgency:urgent 噪音 （/ 聚焦）',
    en: 'Filter: status:new unit:… district:… urgency:urgent noise  (/ to focus)',
  },
  unknownTerm: { zh: '未识别', en: 'not understood' },
  rows: { zh: '条', en: 'rows' },
  loading: { zh: '加载中…', en: 'Loading…' },
  empty: { zh: '没有符合条件的工单', en: 'No tickets match' },
  colNumber: { zh: '工单号', en: 'Number' },
  colAge: { zh: '受理', en: 'Age' },
  colDeadline: { zh: '时限', en: 'Deadline' },
  colUrgency: { zh: '紧急', en: 'Urgency' },
  colCategory: { zh: '类别', en: 'Category' },
  colDistrict: { zh: '区县', en: 'District' },
  colUnit: { zh: '承办单位', en: 'Unit' },
  colStatus: { zh: '状态', en: 'Status' },
  colCaller: { zh: '来电', en: 'Caller' },
  overdueBy: { zh: '超时', en: 'overdue' },
  left: { zh: '剩余', en: 'left' },
  signBy: { zh: '签收时限', en: 'Sign by' },
  dueAt: { zh: '办结时限', en: 'Due' },
  fields: { zh: '工单信息', en: 'Ticket' },
  kind: { zh: '类型', en: 'Kind' },
  channel: { zh: '渠道', en: 'Channel' },
  caller: { zh: '来电人', en: 'Caller' },
  anonymous: { zh: '匿名', en: 'anonymous' },
  address: { zh: '地址', en: 'Address' },
  description: { zh: '诉求内容', en: 'Description' },
  deadlines: { zh: '时限', en: 'Deadlines' },
  provisional: { zh: '暂定', en: 'provisional' },
  provisionalHint: {
    zh: '按法定节假日临时推算：该年的放假安排尚未录入，录入后自动重算',
    en: "Counted on the statutory holidays: the year's official arrangement is not entered yet; recounted when it is",
  },
  timeline: { zh: '处理记录', en: 'Timeline' },
  console: { zh: '控制台', en: 'console' },
  actions: { zh: '可执行操作', en: 'Actions' },
  noActions: { zh: '当前无可执行操作', en: 'Nothing you may do now' },
  pendingChange: { zh: '待上传', en: 'not yet synced' },
  dispatchTo: {
    zh: '派往单位（拼音首字母、中文或代码）',
    en: 'Dispatch to (pinyin initials, Chinese or code)',
  },
  suggested: { zh: '推荐', en: 'suggested' },
  byRule: { zh: '按规则', en: 'by rule' },
  byHistory: { zh: '按历史', en: 'by history' },
  instructions: { zh: '派单说明（可选）', en: 'Instructions (optional)' },
  dispatchDownTo: { zh: '下派至', en: 'Dispatch down to' },
  rerouteTo: { zh: '改派至', en: 'Re-route to' },
  rerouteReason: { zh: '改派原因（已签收的须填写）', en: 'Reason (needed once signed)' },
  assisting: { zh: '协办', en: 'Assisting' },
  shiftEnterAssisting: { zh: 'Shift+Enter 设为协办单位', en: 'Shift+Enter adds an assisting unit' },
  chain: { zh: '派单层级', en: 'Dispatch levels' },
  parts: { zh: '协办意见', en: 'Assisting parts' },
  cityCentre: { zh: '市中心', en: 'City centre' },
  enterToConfirm: { zh: 'Enter 确认 · Esc 取消', en: 'Enter confirms · Esc cancels' },
  ctrlEnterToSave: { zh: 'Ctrl+Enter 保存 · Esc 取消', en: 'Ctrl+Enter saves · Esc cancels' },
  noteText: { zh: '备注内容', en: 'Note' },
  noteSaved: { zh: '备注已保存', en: 'note saved' },
  deadlinePreview: { zh: '派单后时限', en: 'Deadlines if dispatched now' },
  done: { zh: '已完成', en: 'Done' },
  failed: { zh: '操作失败', en: 'Failed' },
  palettePlaceholder: { zh: '输入命令（中文、拼音首字母或英文）', en: 'Type a command' },
  helpTitle: { zh: '快捷键', en: 'Keyboard shortcuts' },
  rejectedTitle: { zh: '被服务器拒绝的操作', en: 'Changes the server refused' },
  noRejected: { zh: '没有被拒绝的操作', en: 'Nothing was refused' },
  dismiss: { zh: '知道了（Delete）', en: 'Dismiss (Delete)' },
  keys: { zh: '按键', en: 'Keys' },
  command: { zh: '命令', en: 'Command' },
  selectTicketFirst: { zh: '请先选择一张工单', en: 'Select a ticket first' },
  notAllowed: { zh: '当前不能执行此操作', en: 'Not allowed now' },
  required: { zh: '必填', en: 'required' },
  doneFor: { zh: '已完成', en: 'Done for' },
  tickets: { zh: '张工单', en: 'tickets' },
  bulk: { zh: '批量', en: 'bulk' },
  drillDown: { zh: '下钻', en: 'Drill-down' },
  choiceKeys: { zh: '数字键选择', en: 'digit keys choose' },
  cannotUndo: { zh: '此操作不可撤销', en: 'cannot be undone' },
  skippedNotAllowed: { zh: '张不能执行此操作，已跳过', en: 'skipped: not allowed for them' },
  leftView: {
    zh: '已移出此视图（处理后），光标移开即消失',
    en: 'Has left this view (acted on); goes when the cursor moves',
  },
  rangeCut: {
    zh: '范围超过 10000 张工单：只选中了前 10000 张',
    en: 'The range is over 10,000 tickets: only the first 10,000 are selected',
  },
  redoOffered: {
    zh: '市民不满意：可按 O 重办，或 Shift+C 免回访办结',
    en: 'Unsatisfied: press O to redo, or Shift+C to close without callback',
  },
  noPhone: { zh: '该工单没有来电号码', en: 'This ticket has no phone number' },
  phoneShown: {
    zh: '号码已显示，查看已记入时间线',
    en: 'Number shown; the view is on the timeline',
  },
  numberToCall: { zh: '回访号码', en: 'Number to call' },
} satisfies Record<string, Localized>

export type UiKey = keyof typeof UI

export const VIEW_LABELS: Record<SavedView, Localized> = {
  new: { zh: '待派单', en: 'To dispatch' },
  at_risk: { zh: '即将超时', en: 'At risk' },
  overdue: { zh: '已超时', en: 'Overdue' },
  returns: { zh: '退单待审', en: 'Returns' },
  extensions: { zh: '延期待批', en: 'Extensions' },
  callbacks: { zh: '待回访', en: 'Callbacks' },
  mine: { zh: '我的', en: 'Mine' },
  all: { zh: '全部', en: 'All' },
  down: { zh: '待下派', en: 'To pass down' },
}

export const EVENT_LABELS: Record<EventType, Localized> = {
  created: { zh: '受理', en: 'logged' },
  updated: { zh: '修改', en: 'edited' },
  answered: { zh: '直接答复办结', en: 'answered on the call' },
  dispatched: { zh: '派单', en: 'dispatched' },
  signed: { zh: '签收', en: 'signed for' },
  return_requested: { zh: '申请退单', en: 'asked to return' },
  return_approved: { zh: '同意退单', en: 'return approved' },
  return_rejected: { zh: '驳回退单', en: 'return refused' },
  extension_requested: { zh: '申请延期', en: 'asked for more time' },
  extension_granted: { zh: '同意延期', en: 'extension granted' },
  extension_refused: { zh: '不同意延期', en: 'extension refused' },
  noted: { zh: '备注', en: 'note' },
  urged: { zh: '催办', en: 'urged' },
  supervised: { zh: '督办', en: 'supervised' },
  replied: { zh: '办结回复', en: 'replied' },
  reply_rejected: { zh: '审核驳回', en: 'reply sent back' },
  called_back: { zh: '回访', en: 'called back' },
  redone: { zh: '重办', en: 'redo' },
  closed_without_callback: { zh: '免回访办结', en: 'closed without callback' },
  merged: { zh: '合并', en: 'merged' },
  cancelled: { zh: '作废', en: 'cancelled' },
  phone_viewed: { zh: '查看号码', en: 'viewed the phone number' },
  rescheduled: { zh: '期限按新日历重算', en: 'deadlines recounted on the new calendar' },
  dispatched_down: { zh: '下派', en: 'dispatched down' },
  level_signed: { zh: '下级签收', en: 'signed for (level below)' },
  level_return_requested: { zh: '申请退回上级', en: 'asked the level above to take it back' },
  level_return_approved: { zh: '同意下级退单', en: 'return from below approved' },
  level_return_rejected: { zh: '驳回下级退单', en: 'return from below refused' },
  level_replied: { zh: '下级办结回复', en: 'replied to the level above' },
  level_reply_approved: { zh: '审核通过下级回复', en: 'reply from below approved' },
  level_reply_sent_back: { zh: '退回下级重办', en: 'reply from below sent back' },
  recalled: { zh: '撤回', en: 'recalled' },
  rerouted: { zh: '改派', en: 're-routed' },
  part_submitted: { zh: '提交协办意见', en: 'assisting part submitted' },
  contacted: { zh: '联系来电人', en: 'contacted the citizen' },
  exempted: { zh: '不纳入考核', en: 'exempted from scoring' },
  exemption_withdrawn: { zh: '撤销不纳入考核', en: 'exemption withdrawn' },
}

export const LangContext = createContext<Lang>('zh')

/** The current language's word for a localized pair. */
export function useT(): (l: Localized | UiKey) => string {
  const lang = useContext(LangContext)
  return useMemo(
    () => (l: Localized | UiKey) => (typeof l === 'string' ? UI[l][lang] : l[lang]),
    [lang],
  )
}

export const useLang = (): Lang => useContext(LangContext)

/** `3天`, `5h`: a span for lists, coarse on purpose. */
export function formatSpan(ms: number, lang: Lang): string {
  const m = Math.floor(Math.abs(ms) / 60_000)
  const [d, h, min] = [Math.floor(m / 1440), Math.floor((m % 1440) / 60), m % 60]
  if (lang === 'zh') {
    if (d > 0) return `${d}天${h > 0 ? `${h}小时` : ''}`
    if (h > 0) return `${h}小时${min > 0 && h < 10 ? `${min}分` : ''}`
    return `${min}分钟`
  }
  if (d > 0) return `${d}d ${h}h`
  if (h > 0) return `${h}h ${min}m`
  return `${min}m`
}

/** The city's clock (the reference calendar's zone), whatever the machine's own zone is. */
let cityZone = 'Asia/Shanghai'
let clockFormat = makeClock(cityZone)
function makeClock(timeZone: string) {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
}
export function setCityZone(timeZone: string): void {
  if (timeZone === cityZone) return
  cityZone = timeZone
  clockFormat = makeClock(timeZone)
}

/** A date and time on the city's clock as the console shows them: `11-28 09:10`. */
export function formatTime(iso: string | null): string {
  if (!iso) return '—'
  const parts = Object.fromEntries(
    clockFormat.formatToParts(new Date(iso)).map((p) => [p.type, p.value]),
  )
  return `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`
}

/** The colon after a label: full-width in Chinese (`原因：`), `: ` in English. */
export const colon = (lang: Lang): string => (lang === 'zh' ? '：' : ': ')

/** The end of a sentence before another: `。` in Chinese, `. ` in English. */
export const stop = (lang: Lang): string => (lang === 'zh' ? '。' : '. ')
