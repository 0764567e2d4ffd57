// Turning zod's issues into errors an agent understands: the field's name in words, what is
// wrong with it, in Chinese and English.
import type { z } from 'zod'

export interface Localized {
  zh: string
  en: string
}

export type Lang = 'zh' | 'en'

export interface FieldError {
  /** Dotted path of the field, as on the wire: `caller.phone`, `location.address`. */
  field: string
  code: string
  message: Localized
}

/** Names of fields as people say them. The last path segment is tried after the full path. */
const FIELD_LABELS: Record<string, Localized> = {
  id: { zh: '工单编号(ID)', en: 'ticket id' },
  ticketId: { zh: '工单', en: 'ticket' },
  serverUrl: { zh: '服务器地址', en: 'server address' },
  targetId: { zh: '合并目标工单', en: 'target ticket' },
  channel: { zh: '来源渠道', en: 'channel' },
  kind: { zh: '诉求类型', en: 'kind' },
  category: { zh: '问题分类', en: 'category' },
  urgency: { zh: '紧急程度', en: 'urgency' },
  caller: { zh: '来电人', en: 'caller' },
  'caller.name': { zh: '来电人姓名', en: "caller's name" },
  'caller.phone': { zh: '来电号码', en: "caller's phone" },
  'caller.anonymous': { zh: '是否匿名', en: 'anonymous' },
  'caller.company': { zh: '企业名称', en: 'company name' },
  'caller.callbackConsent': { zh: '是否同意回访', en: 'callback consent' },
  description: { zh: '诉求内容', en: 'description' },
  location: { zh: '地点', en: 'location' },
  'location.address': { zh: '详细地址', en: 'address' },
  'location.district': { zh: '所属区县', en: 'district' },
  'location.street': { zh: '街道/镇', en: 'street' },
  'location.community': { zh: '社区/村', en: 'community' },
  'location.lat': { zh: '纬度', en: 'latitude' },
  'location.lng': { zh: '经度', en: 'longitude' },
  unit: { zh: '承办单位', en: 'unit' },
  coUnits: { zh: '协办单位', en: 'co-units' },
  instructions: { zh: '派单意见', en: 'instructions' },
  reason: { zh: '理由', en: 'reason' },
  until: { zh: '申请延期至', en: 'extend until' },
  text: { zh: '内容', en: 'text' },
  resolved: { zh: '是否解决', en: 'resolved' },
  satisfaction: { zh: '满意度', en: 'satisfaction' },
  approve: { zh: '审批结果', en: 'decision' },
  patch: { zh: '修改内容', en: 'changes' },
  username: { zh: '用户名', en: 'username' },
  password: { zh: '密码', en: 'password' },
  title: { zh: '标题', en: 'title' },
  writeUp: { zh: '案例简介', en: 'write-up' },
  rank: { zh: '排名', en: 'rank' },
  year: { zh: '年度', en: 'year' },
}

export function fieldLabel(field: string): Localized {
  if (field === '') return { zh: '输入', en: 'input' }
  const direct = FIELD_LABELS[field]
  if (direct) return direct
  const last = field.split('.').pop() ?? field
  return FIELD_LABELS[last] ?? { zh: field, en: field }
}

function describe(issue: z.core.$ZodIssue): { code: string; zh: string; en: string } {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null)
        return { code: 'required', zh: '不能为空', en: 'is required' }
      return {
        code: 'invalid_type',
        zh: `格式不对（应为${typeZh(issue.expected)}）`,
        en: `must be ${typeEn(issue.expected)}`,
      }
    case 'too_small':
      if (issue.origin === 'string') {
        if (Number(issue.minimum) <= 1)
          return { code: 'required', zh: '不能为空', en: 'is required' }
        return {
          code: 'too_short',
          zh: `至少需要 ${issue.minimum} 个字`,
          en: `needs at least ${issue.minimum} characters`,
        }
      }
      if (issue.origin === 'array')
        return {
          code: 'too_few',
          zh: `至少需要 ${issue.minimum} 项`,
          en: `needs at least ${issue.minimum} items`,
        }
      return {
        code: 'too_small',
        zh: `不能小于 ${issue.minimum}`,
        en: `must be at least ${issue.minimum}`,
      }
    case 'too_big':
      if (issue.origin === 'string')
        return {
          code: 'too_long',
          zh: `不能超过 ${issue.maximum} 个字`,
          en: `must be at most ${issue.maximum} characters`,
        }
      if (issue.origin === 'array')
        return {
          code: 'too_many',
          zh: `最多 ${issue.maximum} 项`,
          en: `allows at most ${issue.maximum} items`,
        }
      return {
        code: 'too_big',
        zh: `不能大于 ${issue.maximum}`,
        en: `must be at most ${issue.maximum}`,
      }
    case 'invalid_value':
      return {
        code: 'invalid_value',
        zh: `不是可选的值（可选：${issue.values.map(String).join('、')}）`,
        en: `must be one of ${issue.values.map(String).join(', ')}`,
      }
    case 'invalid_format':
      return formatMessage(issue.format)
    case 'unrecognized_keys':
      return {
        code: 'unknown_field',
        zh: `含有未知字段：${issue.keys.join('、')}`,
        en: `has unknown fields: ${issue.keys.join(', ')}`,
      }
    case 'custom': {
      const params = (issue.params ?? {}) as { zh?: string; en?: string; code?: string }
      return {
        code: params.code ?? 'invalid',
        zh: params.zh ?? issue.message,
        en: params.en ?? issue.message,
      }
    }
    default:
      return { code: 'invalid', zh: '填写有误', en: 'is not valid' }
  }
}

function formatMessage(format: string): { code: string; zh: string; en: string } {
  switch (format) {
    case 'uuid':
      return { code: 'invalid_id', zh: '不是有效的编号', en: 'is not a valid id' }
    case 'datetime':
      return {
        code: 'invalid_time',
        zh: '不是有效的时间（应如 2026-11-28T09:30:00+08:00）',
        en: 'is not a valid time (e.g. 2026-11-28T09:30:00+08:00)',
      }
    case 'regex':
      return { code: 'invalid_format', zh: '格式不对', en: 'has the wrong format' }
    default:
      return { code: 'invalid_format', zh: '格式不对', en: `is not a valid ${format}` }
  }
}

const TYPE_NAMES: Record<string, Localized> = {
  string: { zh: '文字', en: 'text' },
  number: { zh: '数字', en: 'a number' },
  boolean: { zh: '是/否', en: 'true or false' },
  object: { zh: '对象', en: 'an object' },
  array: { zh: '列表', en: 'a list' },
}
const typeZh = (t: string) => TYPE_NAMES[t]?.zh ?? t
const typeEn = (t: string) => TYPE_NAMES[t]?.en ?? t

/** Every issue of a failed parse, named by field, in both languages. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.')
    const d = describe(issue)
    const label = fieldLabel(path)
    return {
      field: path,
      code: d.code,
      message: { zh: `${label.zh}${d.zh}`, en: `${capitalize(label.en)} ${d.en}` },
    }
  })
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** The outcome every boundary hands back: a value, or the first problem named by field. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

export function parseWith<T>(schema: z.ZodType<T>, input: unknown, prefix = ''): Parsed<T> {
  const r = schema.safeParse(input)
  return r.success
    ? { ok: true, value: r.data }
    : { ok: false, errors: fieldErrors(r.error, prefix) }
}

/** A custom zod issue with both languages, for `.superRefine` and `.refine`. */
export function customIssue(code: string, message: Localized) {
  return { code: 'custom' as const, message: message.en, params: { code, ...message } }
}
