// The intake screen's own words, in Chinese and English. Field names come from the shared labels
// (src/shared/validation.ts) where they exist, so an error from the core and one made here read
// the same.
import { useMemo } from 'react'
import { useLang, type Localized } from '../i18n'

export const WORDS = {
  title: { zh: '受理', en: 'Log a call' },
  newCall: { zh: '新来电', en: 'new call' },
  ringing: { zh: '来电', en: 'Call from' },
  withheld: { zh: '号码未显示', en: 'number withheld' },
  loading: { zh: '正在载入草稿…', en: 'Loading the draft…' },
  draftSaved: { zh: '草稿已保存', en: 'Draft saved' },
  draftRestored: { zh: '已恢复上次未完成的草稿', en: 'Restored your unfinished draft' },
  previousKept: {
    zh: '另有一份未完成的草稿已另存',
    en: 'Another unfinished draft is kept',
  },
  restorePrevious: { zh: '换回', en: 'swap it in' },
  phone: { zh: '来电号码', en: 'Phone' },
  name: { zh: '姓名', en: 'Name' },
  anonymous: { zh: '匿名', en: 'Anonymous' },
  callbackConsent: { zh: '同意回访', en: 'Callback OK' },
  company: { zh: '企业名称', en: 'Company' },
  companyHint: { zh: '企业来电填写（可选）', en: 'if a company calls (optional)' },
  channel: { zh: '来源渠道', en: 'Channel' },
  kind: { zh: '诉求类型', en: 'Kind' },
  category: { zh: '问题分类', en: 'Category' },
  categoryHint: {
    zh: '中文、拼音或首字母，如 jzsgzy',
    en: 'Chinese, pinyin or initials, e.g. jzsgzy',
  },
  urgency: { zh: '紧急程度', en: 'Urgency' },
  district: { zh: '区县', en: 'District' },
  street: { zh: '街道/镇', en: 'Street' },
  community: { zh: '社区/村', en: 'Community' },
  address: { zh: '详细地址', en: 'Address' },
  description: { zh: '诉求内容', en: 'Description' },
  answer: { zh: '答复内容', en: 'Answer' },
  answerHint: {
    zh: '当场答复的内容（Alt+Enter 保存并答复办结）',
    en: 'What you told the caller (Alt+Enter saves and closes)',
  },
  noMatch: { zh: '无匹配项', en: 'No match' },
  anonymousName: { zh: '匿名，不记录姓名', en: 'anonymous: no name kept' },
  required: { zh: '不能为空', en: 'is required' },
  pickCategory: {
    zh: '请选择问题分类（输入后用 ↑↓ 和 Enter 选定末级分类）',
    en: 'Choose a category (type, then ↑↓ and Enter on a leaf)',
  },
  answerRequired: {
    zh: '请填写答复内容，再按 Alt+Enter',
    en: 'Write the answer, then press Alt+Enter',
  },
  answerPending: {
    zh: '已填写答复内容：按 Alt+Enter 保存并答复，或清空答复后按 Ctrl+Enter 仅保存',
    en: 'An answer is written: Alt+Enter saves and answers; clear it to save only',
  },
  history: { zh: '来电历史', en: 'Caller history' },
  historyWait: { zh: '输入至少 7 位号码后显示', en: 'Shown once the number has 7 digits' },
  firstCall: { zh: '首次来电', en: 'First call' },
  lastName: { zh: '上次留名', en: 'Last gave name' },
  duplicates: { zh: '疑似重复工单', en: 'Possible duplicates' },
  dupWait: {
    zh: '选定分类、填写地址或诉求后自动查找',
    en: 'Searched once a category, an address or a description is in',
  },
  noDuplicates: { zh: '未发现疑似重复', en: 'No likely duplicates' },
  linkHint: {
    zh: '按 Alt+数字 关联到该工单（记为重复来电，不新建工单）',
    en: 'Alt+digit links the call to that ticket (no new ticket)',
  },
  reasonAddress: { zh: '地址相近', en: 'address' },
  reasonCategory: { zh: '同类', en: 'category' },
  reasonText: { zh: '内容相似', en: 'similar text' },
  reasonPhone: { zh: '同一号码', en: 'same phone' },
  saving: { zh: '正在保存…', en: 'Saving…' },
  created: { zh: '已受理', en: 'Logged' },
  answered: { zh: '已受理并答复办结', en: 'Logged and answered' },
  answerFailed: { zh: '已受理，但未能答复', en: 'Logged, but not answered' },
  linked: { zh: '已关联到工单', en: 'Linked to ticket' },
  linkedNote: { zh: '重复来电已记入处理记录', en: 'repeat call noted on its timeline' },
  repeatCall: { zh: '重复来电', en: 'Repeat call' },
  caller: { zh: '来电人', en: 'caller' },
  anonymousCaller: { zh: '匿名来电人', en: 'anonymous caller' },
  calledAt: { zh: '来电', en: 'called' },
  said: { zh: '反映', en: 'said' },
  nothingSaid: { zh: '（未记录内容）', en: '(nothing recorded)' },
  confirmNoNumber: {
    zh: '未填来电号码，但已勾选“同意回访”：无法回访。填写号码，或再按 Ctrl+Enter 确认保存',
    en: 'No number, yet "callback OK" is ticked: nobody can call back. Add the number, or press Ctrl+Enter again to save anyway',
  },
  unknownPlace: {
    zh: '不在地名库中：按原文保留，随地址保存',
    en: 'not in the place list: kept as typed, saved with the address',
  },
  hintApplied: { zh: '已按所选分类改为', en: 'Set by the category to' },
  hintWas: { zh: '原为', en: 'was' },
  hintUndo: { zh: '可用数字键改回', en: 'a digit changes it back' },
  numberLabel: { zh: '刚受理的工单号', en: 'Ticket just logged' },
  numberFinal: { zh: '（请告知来电人）', en: '(read it to the caller)' },
  numberWaiting: {
    zh: '临时编号：正在向服务器取正式工单号，通常一秒内显示在此',
    en: 'provisional: the server’s number normally shows here within a second',
  },
  numberOffline: {
    zh: '临时编号：当前离线，恢复连接后由服务器编号并显示在此',
    en: 'provisional: offline now; the server numbers it when the console is back online',
  },
  numbered: { zh: '（工单号已由服务器确定）', en: ' (numbered by the server)' },
  keySave: { zh: '保存', en: 'save' },
  keyAnswer: { zh: '保存并答复', en: 'save and answer' },
  keyLink: { zh: '关联重复工单', en: 'link to a duplicate' },
  keyKb: { zh: '知识库', en: 'knowledge base' },
  keyClose: { zh: '关闭（草稿保留）', en: 'close (draft kept)' },
  keyNext: { zh: '下一项', en: 'next field' },
  keyPick: { zh: '选择', en: 'choose' },
} satisfies Record<string, Localized>

export type WordKey = keyof typeof WORDS

/** The intake's words in the console's language. */
export function useWords(): (k: WordKey) => string {
  const lang = useLang()
  return useMemo(() => (k: WordKey) => WORDS[k][lang], [lang])
}
