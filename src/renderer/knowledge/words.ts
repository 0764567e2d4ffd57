// The knowledge base screens' own words, in Chinese and English.
import { useMemo } from 'react'
import { useLang, type Localized } from '../i18n'

export const KW = {
  kb: { zh: '知识库', en: 'Knowledge base' },
  suggested: { zh: '知识库推荐', en: 'Knowledge base' },
  suggestWait: {
    zh: '输入诉求内容后自动匹配知识库',
    en: 'Matched against the knowledge base as the description is typed',
  },
  noSuggestion: { zh: '知识库中未找到匹配条目', en: 'No matching entry' },
  openHint: {
    zh: 'Alt+K 打开第一条（↑↓ 切换），Enter 填入答复，Alt+Enter 直接答复办结',
    en: 'Alt+K opens the first (↑↓ next), Enter fills the answer, Alt+Enter answers and closes',
  },
  searchPlaceholder: {
    zh: '搜索知识库：中文、拼音或首字母，如 gjj',
    en: 'Search: Chinese, pinyin or initials, e.g. gjj',
  },
  searching: { zh: '搜索中…', en: 'Searching…' },
  noResult: { zh: '没有找到相关条目', en: 'Nothing found' },
  results: { zh: '条结果', en: 'results' },
  expired: { zh: '已失效', en: 'expired' },
  notYet: { zh: '未生效', en: 'not in force yet' },
  pastReview: { zh: '已过复核期', en: 'past review' },
  draft: { zh: '草稿', en: 'draft' },
  retired: { zh: '已停用', en: 'retired' },
  unit: { zh: '责任单位', en: 'Owner' },
  source: { zh: '政策依据', en: 'Source' },
  validity: { zh: '有效期', en: 'In force' },
  reviewBy: { zh: '复核日期', en: 'Review by' },
  version: { zh: '版本', en: 'Version' },
  questions: { zh: '常见问法', en: 'Asked as' },
  keywords: { zh: '关键词', en: 'Keywords' },
  notAnswerable: { zh: '不能用于答复', en: 'cannot be answered from' },
  filled: { zh: '已填入答复内容（来自知识库）', en: 'Answer filled in from the knowledge base' },
  fromKb: { zh: '答复来自知识库', en: 'Answer from the knowledge base' },
  searchKeys: {
    zh: '↑↓ 选择 · Enter 打开 · Esc 关闭',
    en: '↑↓ choose · Enter open · Esc close',
  },
  entryKeys: {
    zh: 'C 复制答复 · Esc 返回列表',
    en: 'C copy the answer · Esc back to the list',
  },
  intakeEntryKeys: {
    zh: 'Enter 填入答复 · Alt+Enter 答复办结 · ↑↓ 上一条/下一条 · Esc 返回受理',
    en: 'Enter fill in · Alt+Enter answer and close · ↑↓ previous/next · Esc back to the form',
  },
  copied: { zh: '答复内容已复制', en: 'Answer copied' },
  offlineNote: {
    zh: '本机缓存 {n} 条，离线可用',
    en: '{n} entries on this console, usable offline',
  },
  keyKb: { zh: '知识库', en: 'knowledge base' },
  formKeys: { zh: 'Ctrl+Enter 保存 · Esc 取消', en: 'Ctrl+Enter saves · Esc cancels' },
  manage: { zh: '知识库管理', en: 'Knowledge base editing' },
  entries: { zh: '条目', en: 'Entries' },
  reviewQueue: { zh: '审核队列', en: 'Review queue' },
  newEntry: { zh: '新建条目', en: 'New entry' },
  editEntry: { zh: '修改条目', en: 'Edit the entry' },
  proposeNew: { zh: '提议新增条目', en: 'Propose a new entry' },
  proposeEdit: { zh: '提议修改', en: 'Propose an edit' },
  retireReason: {
    zh: '停用原因（Enter 确认，Esc 取消）',
    en: 'Why retire it (Enter, Esc cancels)',
  },
  refuseReason: {
    zh: '退回理由（Enter 确认，Esc 取消）',
    en: 'Why refuse it (Enter, Esc cancels)',
  },
  published: { zh: '已发布', en: 'published' },
  pending: { zh: '待审核', en: 'pending' },
  approved: { zh: '已采纳', en: 'approved' },
  refused: { zh: '已退回', en: 'refused' },
  saved: { zh: '已保存', en: 'Saved' },
  proposed: { zh: '已提交审核', en: 'Sent for review' },
  none: { zh: '（无）', en: '(none)' },
  history: { zh: '版本记录', en: 'Versions' },
  newProposal: { zh: '新增', en: 'new' },
  editKeys: {
    zh: 'J/K 移动 · Enter 修改 · N 新建 · P 发布 · R 停用 · H 版本记录 · M 使用情况 · Tab 审核队列 · Esc 关闭',
    en: 'J/K move · Enter edit · N new · P publish · R retire · H versions · M measures · Tab review queue · Esc close',
  },
  unitKeys: {
    zh: 'J/K 移动 · Enter 提议修改 · N 提议新增 · H 版本记录 · Tab 我的提议 · Esc 关闭',
    en: 'J/K move · Enter propose an edit · N propose new · H versions · Tab my proposals · Esc close',
  },
  queueKeys: {
    zh: 'J/K 移动 · Enter 查看 · A 采纳并发布 · F 退回（须说明理由） · Tab 条目 · Esc 关闭',
    en: 'J/K move · Enter read · A approve and publish · F refuse (with a reason) · Tab entries · Esc close',
  },
  previewKeys: {
    zh: 'A 采纳并发布 · F 退回（须说明理由） · Esc 返回队列',
    en: 'A approve and publish · F refuse (with a reason) · Esc back to the queue',
  },
  changedFields: { zh: '修改了', en: 'Changes' },
  statsKeys: { zh: 'M 或 Esc 返回', en: 'M or Esc goes back' },
  statsTitle: {
    zh: '知识库使用情况（近 30 天，本机）',
    en: 'Use of the knowledge base (30 days, this console)',
  },
  answeredOnCall: { zh: '当场答复', en: 'Answered on the call' },
  fromKbShare: { zh: '其中依据知识库', en: 'of them from an entry' },
  usedMost: { zh: '使用最多的条目（答复次数）', en: 'Entries answered from most' },
  searchesLine: { zh: '搜索', en: 'Searches' },
  unopened: { zh: '未打开任何条目', en: 'opened nothing' },
  unfoundList: { zh: '未找到条目的问题', en: 'Questions that found no entry' },
  pastReviewCount: { zh: '已过复核期的已发布条目', en: 'Published entries past review' },
  noReply: {
    zh: '该工单没有承办单位的答复，无法生成知识条目',
    en: 'This ticket has no reply from a unit to make an entry of',
  },
  fromTicket: { zh: '由工单生成知识条目（草稿）', en: 'New entry from the ticket (draft)' },
} satisfies Record<string, Localized>

export type KbWord = keyof typeof KW

export function useKbWords(): (k: KbWord) => string {
  const lang = useLang()
  return useMemo(() => (k: KbWord) => KW[k][lang], [lang])
}
