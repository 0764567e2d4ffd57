// The exemplary-cases screens' own words in Chinese and English.
import type { Localized } from '../../shared/validation'

export const W = {
  title: { zh: '优秀案例', en: 'Exemplary cases' },
  year: { zh: '年度', en: 'Year' },
  loading: { zh: '加载中…', en: 'Loading…' },
  none: {
    zh: '本年度还没有推荐的案例。在工单池选中已办结的工单，按 Shift+N 推荐。',
    en: 'No cases this year yet. Pick a closed ticket in the queue and press Shift+N.',
  },
  unranked: { zh: '候选', en: 'candidate' },
  rankOf: { zh: '第 {n} 名', en: 'No. {n}' },
  caseTitle: { zh: '案例标题', en: 'Title' },
  writeUp: { zh: '案例简介（办理经过与成效）', en: 'Write-up (what was done, what it achieved)' },
  nominate: { zh: '推荐为优秀案例', en: 'Nominate as an exemplary case' },
  edit: { zh: '修改案例', en: 'Edit the case' },
  nominated: { zh: '已推荐为优秀案例', en: 'nominated as an exemplary case' },
  saved: { zh: '已保存', en: 'Saved' },
  removed: { zh: '已移除', en: 'Removed' },
  confirmRemove: {
    zh: '移除案例「{title}」？Enter / Y 确认 · Esc 取消',
    en: 'Remove the case “{title}”? Enter / Y confirms · Esc cancels',
  },
  exportAs: { zh: '导出格式（←→ 或 1–3 选择，Enter 导出）', en: 'Export as (←→ or 1–3, Enter)' },
  exported: { zh: '已导出', en: 'Exported' },
  notDelivered: { zh: '未能自动下载或显示', en: 'could not download or show it' },
  supervisorsOnly: { zh: '只有班长可以修改案例', en: 'Only supervisors may change cases' },
  rankFull: { zh: '前十名已满：下移的第十名将退出排名', en: 'Top ten full: the tenth drops out' },
  keys: {
    zh: 'J/K 移动 · Alt+↑↓ 或 [ ] 调整排名 · Enter 修改 · Delete 移除 · Alt+E 导出 · ←→ 年度 · Esc 返回',
    en: 'J/K move · Alt+↑↓ or [ ] rank · Enter edit · Delete remove · Alt+E export · ←→ year · Esc back',
  },
  formKeys: { zh: 'Ctrl+Enter 保存 · Esc 取消', en: 'Ctrl+Enter saves · Esc cancels' },
  number: { zh: '工单号', en: 'Ticket' },
  category: { zh: '问题分类', en: 'Category' },
  district: { zh: '区县', en: 'District' },
  unit: { zh: '承办单位', en: 'Unit' },
  created: { zh: '受理', en: 'Received' },
  dispatched: { zh: '派单', en: 'Dispatched' },
  completed: { zh: '办结', en: 'Completed' },
  closed: { zh: '回访', en: 'Called back' },
  handling: { zh: '办理用时', en: 'Handling time' },
  workingDays: { zh: '个工作日', en: 'working days' },
  satisfaction: { zh: '满意度', en: 'Satisfaction' },
  noCallback: { zh: '未回访', en: 'no callback' },
  company: { zh: '企业诉求', en: 'Company request' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  reply: { zh: '承办单位答复', en: "The unit's reply" },
  nominatedBy: { zh: '推荐人', en: 'Nominated by' },
} satisfies Record<string, Localized>

export type WordKey = keyof typeof W
