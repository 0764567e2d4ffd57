// Names of statuses, actions, roles and the like as people say them, in Chinese and English.
// Shared so the rules' refusals and the screens use the same words.
import type { ActionName } from './actions'
import type {
  ActorRole,
  Channel,
  ExemptionReason,
  Kind,
  Satisfaction,
  Status,
  Urgency,
} from './ticket'
import type { Localized } from './validation'

export const STATUS_LABELS: Record<Status, Localized> = {
  new: { zh: '待派单', en: 'new' },
  dispatched: { zh: '已派单', en: 'dispatched' },
  in_progress: { zh: '办理中', en: 'in progress' },
  return_requested: { zh: '退单待审', en: 'return requested' },
  replied: { zh: '已回复', en: 'replied' },
  closed: { zh: '已办结', en: 'closed' },
  merged: { zh: '已合并', en: 'merged' },
  cancelled: { zh: '已作废', en: 'cancelled' },
}

export const ACTION_LABELS: Record<ActionName, Localized> = {
  'ticket.create': { zh: '受理', en: 'log' },
  'ticket.update': { zh: '修改', en: 'edit' },
  'ticket.answer': { zh: '直接答复办结', en: 'answer on the call' },
  'ticket.dispatch': { zh: '派单', en: 'dispatch' },
  'ticket.sign': { zh: '签收', en: 'sign for' },
  'ticket.requestReturn': { zh: '申请退单', en: 'ask to return' },
  'ticket.decideReturn': { zh: '审核退单', en: 'rule on the return' },
  'ticket.requestExtension': { zh: '申请延期', en: 'ask for more time' },
  'ticket.decideExtension': { zh: '审批延期', en: 'rule on the extension' },
  'ticket.note': { zh: '备注', en: 'add a note' },
  'ticket.urge': { zh: '催办', en: 'urge' },
  'ticket.supervise': { zh: '督办', en: 'supervise' },
  'ticket.reply': { zh: '办结回复', en: 'reply' },
  'ticket.rejectReply': { zh: '审核驳回', en: 'send the reply back' },
  'ticket.callback': { zh: '回访', en: 'call back' },
  'ticket.redo': { zh: '重办', en: 'redo' },
  'ticket.closeWithoutCallback': { zh: '免回访办结', en: 'close without callback' },
  'ticket.merge': { zh: '合并工单', en: 'merge' },
  'ticket.cancel': { zh: '作废', en: 'cancel' },
  'ticket.viewPhone': { zh: '查看号码', en: 'view the phone number' },
  'ticket.reschedule': { zh: '按新日历重算期限', en: 'recount the deadlines' },
  'ticket.dispatchDown': { zh: '下派', en: 'dispatch down' },
  'ticket.reviewReturn': { zh: '审核下级退单', en: 'rule on a return from below' },
  'ticket.reviewReply': { zh: '审核下级回复', en: 'review the reply from below' },
  'ticket.recall': { zh: '撤回', en: 'recall' },
  'ticket.reroute': { zh: '改派', en: 're-route' },
  'ticket.submitPart': { zh: '提交协办意见', en: 'submit the assisting part' },
  'ticket.contact': { zh: '联系来电人', en: 'record contacting the citizen' },
  'ticket.exempt': { zh: '不纳入考核', en: 'exempt from scoring' },
  'ticket.withdrawExemption': { zh: '撤销不纳入考核', en: 'withdraw the exemption' },
}

export const EXEMPTION_LABELS: Record<ExemptionReason, Localized> = {
  unreasonable_demand: { zh: '诉求不合理', en: 'unreasonable demand' },
  historical_issue: { zh: '历史遗留问题', en: 'historical issue' },
  outside_remit: { zh: '超出职权范围', en: "outside the unit's remit" },
  mediation_enforcement: {
    zh: '调解、执法类（不宜以满意度评价）',
    en: 'mediation or enforcement (not judged by satisfaction)',
  },
  other: { zh: '其他', en: 'other' },
}

export const ROLE_LABELS: Record<ActorRole, Localized> = {
  agent: { zh: '话务员', en: 'agent' },
  dispatcher: { zh: '派单员', en: 'dispatcher' },
  supervisor: { zh: '班长', en: 'supervisor' },
  unit: { zh: '承办单位', en: 'unit staff' },
  admin: { zh: '管理员', en: 'admin' },
  system: { zh: '系统', en: 'system' },
  open311: { zh: '外部渠道', en: 'outside channel' },
}

export const CHANNEL_LABELS: Record<Channel, Localized> = {
  phone: { zh: '电话', en: 'phone' },
  web: { zh: '网站', en: 'web' },
  wechat: { zh: '微信', en: 'WeChat' },
  app: { zh: 'App', en: 'app' },
  email: { zh: '邮件', en: 'email' },
  enterprise: { zh: '一企来办', en: 'enterprise line' },
  open311: { zh: 'Open311', en: 'Open311' },
}

export const KIND_LABELS: Record<Kind, Localized> = {
  complaint: { zh: '投诉', en: 'complaint' },
  help: { zh: '求助', en: 'request for help' },
  consultation: { zh: '咨询', en: 'consultation' },
  suggestion: { zh: '建议', en: 'suggestion' },
  report: { zh: '举报', en: 'report' },
  praise: { zh: '表扬', en: 'praise' },
}

export const URGENCY_LABELS: Record<Urgency, Localized> = {
  normal: { zh: '一般', en: 'normal' },
  urgent: { zh: '紧急', en: 'urgent' },
  very_urgent: { zh: '特急', en: 'very urgent' },
}

export const SATISFACTION_LABELS: Record<Satisfaction, Localized> = {
  satisfied: { zh: '满意', en: 'satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'unsatisfied' },
}
