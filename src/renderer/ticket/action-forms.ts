// The forms of the workflow actions that need more than a key press, as data: which action, what
// is asked, what is fixed. One dialog (ActionDialog) renders any of them, so a new action is an
// entry here and one in the registry. Dispatch, note and intake have screens of their own.
import type { ActionName } from '../../shared/actions'
import { EXEMPTION_REASONS, SATISFACTIONS, URGENCIES } from '../../shared/ticket'
import { EXEMPTION_LABELS, SATISFACTION_LABELS, URGENCY_LABELS } from '../../shared/labels'
import type { Localized } from '../../shared/validation'

export interface ChoiceOption {
  value: string | boolean
  label: Localized
  /** The key that picks it while the dialog is open (`1`, `2` …). */
  key: string
}

export type FormField =
  | { name: string; kind: 'text'; label: Localized; required: boolean; multiline?: boolean }
  /** A moment on the city's clock, typed as `YYYY-MM-DD HH:MM`. */
  | { name: string; kind: 'datetime'; label: Localized }
  | { name: string; kind: 'choice'; label: Localized; options: ChoiceOption[] }
  /** Another ticket, found by its number or any words of it. */
  | { name: string; kind: 'ticket'; label: Localized }
  /** A leaf category by Chinese, pinyin or initials. */
  | { name: string; kind: 'category'; label: Localized }

export const FORM_IDS = [
  'answer',
  'requestReturn',
  'refuseReturn',
  'requestExtension',
  'refuseExtension',
  'supervise',
  'reply',
  'rejectReply',
  'callback',
  'redo',
  'closeWithoutCallback',
  'merge',
  'cancel',
  'update',
  'recall',
  'submitPart',
  'refuseLevelReturn',
  'sendBackReply',
  'contact',
  'exempt',
  'withdrawExemption',
] as const
export type FormId = (typeof FORM_IDS)[number]

export interface ActionForm {
  action: ActionName
  title: Localized
  fields: FormField[]
  /** Args every submission carries (`approve: false` for a refusal). */
  fixed?: Record<string, unknown>
  /** Destructive: the confirm line says so. */
  destructive?: boolean
}

const reason = (required: boolean, label?: Localized): FormField => ({
  name: 'reason',
  kind: 'text',
  label:
    label ??
    (required ? { zh: '原因', en: 'Reason' } : { zh: '原因（可选）', en: 'Reason (optional)' }),
  required,
  multiline: true,
})

/** Issue 17's forms (workflow-kpi-rules.ts): contacting the citizen, exemptions. */
const KPI_FORMS = {
  contact: {
    action: 'ticket.contact',
    title: { zh: '联系来电人', en: 'Contacted the citizen' },
    fields: [
      {
        name: 'text',
        kind: 'text',
        label: { zh: '联系情况（可选）', en: 'What was said (optional)' },
        required: false,
        multiline: true,
      },
    ],
  },
  exempt: {
    action: 'ticket.exempt',
    title: { zh: '不纳入考核', en: 'Exempt from scoring' },
    fields: [
      {
        name: 'reason',
        kind: 'choice',
        label: { zh: '原因', en: 'Reason' },
        options: EXEMPTION_REASONS.map((r, i) => ({
          value: r,
          label: EXEMPTION_LABELS[r],
          key: String(i + 1),
        })),
      },
      {
        name: 'text',
        kind: 'text',
        label: { zh: '说明（可选）', en: 'Details (optional)' },
        required: false,
        multiline: true,
      },
    ],
  },
  withdrawExemption: {
    action: 'ticket.withdrawExemption',
    title: { zh: '撤销不纳入考核', en: 'Withdraw the exemption' },
    fields: [reason(false)],
  },
} satisfies Pick<Record<FormId, ActionForm>, 'contact' | 'exempt' | 'withdrawExemption'>

export const FORMS: Record<FormId, ActionForm> = {
  ...KPI_FORMS,
  answer: {
    action: 'ticket.answer',
    title: { zh: '直接答复办结', en: 'Answer on the call' },
    fields: [
      {
        name: 'text',
        kind: 'text',
        label: { zh: '答复内容', en: 'Answer' },
        required: true,
        multiline: true,
      },
    ],
  },
  requestReturn: {
    action: 'ticket.requestReturn',
    title: { zh: '申请退单', en: 'Ask to return' },
    fields: [reason(true, { zh: '退单理由（不属于本单位职责的依据）', en: 'Why it is not ours' })],
  },
  refuseReturn: {
    action: 'ticket.decideReturn',
    title: { zh: '驳回退单', en: 'Refuse the return' },
    fields: [reason(false)],
    fixed: { approve: false },
  },
  requestExtension: {
    action: 'ticket.requestExtension',
    title: { zh: '申请延期', en: 'Ask for more time' },
    fields: [
      { name: 'until', kind: 'datetime', label: { zh: '延期至', en: 'New due time' } },
      reason(true, { zh: '延期理由', en: 'Why more time is needed' }),
    ],
  },
  refuseExtension: {
    action: 'ticket.decideExtension',
    title: { zh: '不同意延期', en: 'Refuse the extension' },
    fields: [reason(false)],
    fixed: { approve: false },
  },
  supervise: {
    action: 'ticket.supervise',
    title: { zh: '督办', en: 'Supervise' },
    fields: [
      {
        name: 'text',
        kind: 'text',
        label: { zh: '督办意见（可选）', en: 'Instructions (optional)' },
        required: false,
        multiline: true,
      },
    ],
  },
  reply: {
    action: 'ticket.reply',
    title: { zh: '办结回复', en: 'Reply' },
    fields: [
      {
        name: 'resolved',
        kind: 'choice',
        label: { zh: '办理结果', en: 'Outcome' },
        options: [
          { value: true, label: { zh: '已解决', en: 'Resolved' }, key: '1' },
          {
            value: false,
            label: { zh: '未解决（已解释）', en: 'Not resolved (explained)' },
            key: '2',
          },
        ],
      },
      {
        name: 'text',
        kind: 'text',
        label: { zh: '办理情况', en: 'What was done' },
        required: true,
        multiline: true,
      },
    ],
  },
  rejectReply: {
    action: 'ticket.rejectReply',
    title: { zh: '审核驳回（退回单位重新回复）', en: 'Send the reply back' },
    fields: [reason(true)],
  },
  callback: {
    action: 'ticket.callback',
    title: { zh: '回访', en: 'Callback' },
    fields: [
      {
        name: 'satisfaction',
        kind: 'choice',
        label: { zh: '市民评价', en: "Citizen's rating" },
        options: SATISFACTIONS.map((s, i) => ({
          value: s,
          label: SATISFACTION_LABELS[s],
          key: String(i + 1),
        })),
      },
      {
        // The citizen's own word on the outcome (解决率, issue 17), asked beside the rating.
        name: 'resolved',
        kind: 'choice',
        label: { zh: '问题是否解决（市民评价）', en: 'Solved? (the citizen says)' },
        options: [
          { value: true, label: { zh: '已解决', en: 'Resolved' }, key: '1' },
          { value: false, label: { zh: '未解决', en: 'Not resolved' }, key: '2' },
        ],
      },
      {
        name: 'text',
        kind: 'text',
        label: { zh: '回访记录（可选）', en: 'Remarks (optional)' },
        required: false,
        multiline: true,
      },
    ],
  },
  redo: {
    action: 'ticket.redo',
    title: { zh: '重办（退回原单位）', en: 'Redo (back to the unit)' },
    fields: [reason(true)],
  },
  closeWithoutCallback: {
    action: 'ticket.closeWithoutCallback',
    title: { zh: '免回访办结', en: 'Close without callback' },
    fields: [reason(true)],
  },
  merge: {
    action: 'ticket.merge',
    title: { zh: '合并到另一张工单', en: 'Merge into another ticket' },
    fields: [
      {
        name: 'targetId',
        kind: 'ticket',
        label: { zh: '目标工单（工单号或内容）', en: 'Target ticket (number or words)' },
      },
    ],
    destructive: true,
  },
  cancel: {
    action: 'ticket.cancel',
    title: { zh: '作废工单', en: 'Cancel the ticket' },
    fields: [reason(true)],
    destructive: true,
  },
  recall: {
    action: 'ticket.recall',
    title: { zh: '撤回派单', en: 'Recall the dispatch' },
    fields: [
      reason(false, { zh: '撤回原因（已签收的须填写）', en: 'Reason (needed once signed)' }),
    ],
  },
  submitPart: {
    action: 'ticket.submitPart',
    title: { zh: '提交协办意见', en: 'Submit the assisting part' },
    fields: [
      {
        name: 'text',
        kind: 'text',
        label: { zh: '协办意见', en: 'Our part' },
        required: true,
        multiline: true,
      },
    ],
  },
  refuseLevelReturn: {
    action: 'ticket.reviewReturn',
    title: { zh: '驳回下级退单', en: 'Refuse the return from below' },
    fields: [reason(false)],
    fixed: { approve: false },
  },
  sendBackReply: {
    action: 'ticket.reviewReply',
    title: { zh: '退回下级重办', en: 'Send the reply back down' },
    fields: [reason(true)],
    fixed: { approve: false },
  },
  update: {
    action: 'ticket.update',
    title: { zh: '修改工单', en: 'Edit the ticket' },
    fields: [
      { name: 'category', kind: 'category', label: { zh: '类别', en: 'Category' } },
      {
        name: 'urgency',
        kind: 'choice',
        label: { zh: '紧急程度', en: 'Urgency' },
        options: URGENCIES.map((u, i) => ({
          value: u,
          label: URGENCY_LABELS[u],
          key: String(i + 1),
        })),
      },
      {
        name: 'address',
        kind: 'text',
        label: { zh: '地址', en: 'Address' },
        required: true,
      },
      {
        name: 'description',
        kind: 'text',
        label: { zh: '诉求内容', en: 'Description' },
        required: true,
        multiline: true,
      },
      {
        // Open311 may publish it (without name, numbers or house number) once the caller
        // agreed: src/shared/publication.ts. Keys apart from urgency's 1–3.
        name: 'publishable',
        kind: 'choice',
        label: { zh: '公开（经来电人同意）', en: 'Publish (the caller agreed)' },
        options: [
          { value: false, label: { zh: '不公开', en: 'Not published' }, key: '8' },
          { value: true, label: { zh: '公开', en: 'Published' }, key: '9' },
        ],
      },
    ],
  },
}

/** The workflow action each form runs, for the registry's `when`. */
export const formAction = (id: FormId): ActionName => FORMS[id].action
