// The intake form as the screen holds it (and as its draft stores it): plain strings and flags,
// codes for picked values. Turning it into `ticket.create` args, checking the obvious before the
// core does, and mapping the core's dotted field names back onto the form's fields.
import { normalizePhone, type TicketDraftInput } from '../../shared/actions'
import {
  CHANNELS,
  KINDS,
  URGENCIES,
  type Channel,
  type Kind,
  type Urgency,
} from '../../shared/ticket'
import { checkPhone } from '../../shared/phone-rules'
import { fieldLabel, type Localized } from '../../shared/validation'

/** The longest description the shared schema takes (the counter shows it). */
export const DESCRIPTION_MAX = 4000

export interface IntakeForm {
  phone: string
  name: string
  anonymous: boolean
  callbackConsent: boolean
  company: string
  channel: Channel
  kind: Kind
  /** The agent chose the kind (or urgency) themselves: a category's hint no longer changes it. */
  kindSet: boolean
  category: string
  urgency: Urgency
  urgencySet: boolean
  district: string
  street: string
  community: string
  /**
   * Place names typed that are not in the reference data (no code to pick): kept as text, shown
   * flagged, and saved with the address — never dropped.
   */
  districtText: string
  streetText: string
  communityText: string
  address: string
  description: string
  answer: string
  /** The knowledge entry the answer was filled in from (Alt+K …), '' / 0 when none. */
  kbEntryId: string
  kbVersion: number
  kbTitle: string
}

/** The fields in call order: Tab, Enter and error focus follow it. */
export const FIELD_ORDER = [
  'phone',
  'name',
  'anonymous',
  'callbackConsent',
  'company',
  'channel',
  'kind',
  'category',
  'urgency',
  'district',
  'street',
  'community',
  'address',
  'description',
  'answer',
] as const
export type FieldId = (typeof FIELD_ORDER)[number]

export const emptyForm = (): IntakeForm => ({
  phone: '',
  name: '',
  anonymous: false,
  callbackConsent: true,
  company: '',
  channel: 'phone',
  kind: 'complaint',
  kindSet: false,
  category: '',
  urgency: 'normal',
  urgencySet: false,
  district: '',
  street: '',
  community: '',
  districtText: '',
  streetText: '',
  communityText: '',
  address: '',
  description: '',
  answer: '',
  kbEntryId: '',
  kbVersion: 0,
  kbTitle: '',
})

/** A stored draft back into a form; anything missing or malformed falls back to the default. */
export function formFromDraft(data: Record<string, unknown>): IntakeForm {
  const base = emptyForm()
  const out: Record<string, unknown> = { ...base }
  for (const [k, v] of Object.entries(base)) if (typeof data[k] === typeof v) out[k] = data[k]
  const f = out as unknown as IntakeForm
  if (!CHANNELS.includes(f.channel)) f.channel = base.channel
  if (!KINDS.includes(f.kind)) f.kind = base.kind
  if (!URGENCIES.includes(f.urgency)) f.urgency = base.urgency
  return f
}

/** Something worth keeping: more than the defaults, and more than a number the switch gave. */
export function hasContent(f: IntakeForm, poppedPhone: string | null = null): boolean {
  const phone = normalizePhone(f.phone)
  const ownPhone = phone !== '' && phone !== (poppedPhone ?? '')
  return (
    ownPhone ||
    [
      f.name,
      f.company,
      f.category,
      f.district,
      f.districtText,
      f.streetText,
      f.communityText,
      f.address,
      f.description,
      f.answer,
    ].some((s) => s.trim() !== '')
  )
}

export const digitsOf = (phone: string): number => phone.replace(/\D/g, '').length

/** Places typed that the reference data does not know, as the words the address carries. */
export function unknownPlaces(f: IntakeForm): string {
  const parts = [
    ['区县', f.district ? '' : f.districtText],
    ['街道', f.street ? '' : f.streetText],
    ['社区', f.community ? '' : f.communityText],
  ]
    .filter(([, text]) => text!.trim() !== '')
    .map(([what, text]) => `${what}“${text!.trim()}”`)
  return parts.length ? `（${parts.join('、')}不在地名库中，按来电人所说记录）` : ''
}

/** `ticket.create`'s ticket. Anonymous callers keep their number (for the callback and the
 *  caller's history) but no name. */
export function ticketOf(f: IntakeForm, id: string): TicketDraftInput {
  const opt = (s: string) => (s.trim() ? s.trim() : null)
  return {
    id,
    channel: f.channel,
    kind: f.kind,
    category: f.category,
    urgency: f.urgency,
    caller: {
      name: f.anonymous ? null : opt(f.name),
      phone: opt(f.phone),
      anonymous: f.anonymous,
      company: opt(f.company),
      callbackConsent: f.callbackConsent,
    },
    description: f.description.trim(),
    location: {
      address: `${f.address.trim()}${unknownPlaces(f)}`,
      district: opt(f.district),
      street: opt(f.street),
      community: opt(f.community),
    },
  }
}

export interface FormError {
  field: FieldId
  message: Localized
}

const required = (wire: string, field: FieldId): FormError => {
  const label = fieldLabel(wire)
  const en = label.en.charAt(0).toUpperCase() + label.en.slice(1)
  return { field, message: { zh: `${label.zh}不能为空`, en: `${en} is required` } }
}

/** What is plainly wrong or missing, in field order; the core checks the rest with the shared
 *  schema (the phone by the same rules, phone-rules.ts). */
export function checkForm(f: IntakeForm): FormError[] {
  const out: FormError[] = []
  if (f.phone.trim()) {
    const c = checkPhone(f.phone)
    if (!c.ok) {
      const label = fieldLabel('caller.phone')
      out.push({
        field: 'phone',
        message: { zh: `${label.zh}${c.reason.zh}`, en: `Phone ${c.reason.en}` },
      })
    }
  }
  if (!f.category)
    out.push({
      field: 'category',
      message: {
        zh: '问题分类不能为空：请选定一个末级分类',
        en: 'Category is required: pick a leaf',
      },
    })
  if (!f.address.trim()) out.push(required('location.address', 'address'))
  if (!f.description.trim()) out.push(required('description', 'description'))
  else if (f.description.trim().length > DESCRIPTION_MAX)
    out.push({
      field: 'description',
      message: {
        zh: `诉求内容不能超过 ${DESCRIPTION_MAX} 字（现为 ${f.description.trim().length} 字）`,
        en: `Description is limited to ${DESCRIPTION_MAX} characters (now ${f.description.trim().length})`,
      },
    })
  return out
}

/** No number, yet the caller agreed to be called back: the agent confirms that before saving. */
export const needsNumberConfirm = (f: IntakeForm): boolean =>
  f.phone.trim() === '' && f.callbackConsent

const WIRE_FIELDS: Record<string, FieldId> = {
  'caller.name': 'name',
  'caller.phone': 'phone',
  'caller.anonymous': 'anonymous',
  'caller.company': 'company',
  'caller.callbackConsent': 'callbackConsent',
  channel: 'channel',
  kind: 'kind',
  category: 'category',
  urgency: 'urgency',
  description: 'description',
  'location.address': 'address',
  'location.district': 'district',
  'location.street': 'street',
  'location.community': 'community',
  text: 'answer',
}

/** The form field a core error names (`ticket.caller.phone` → `phone`), if any. */
export function fieldOfWire(field: string | undefined): FieldId | null {
  if (!field) return null
  const path = field.replace(/^ticket\./, '')
  return WIRE_FIELDS[path] ?? WIRE_FIELDS[path.split('.').slice(0, 2).join('.')] ?? null
}
