// POST requests: a form-encoded service request becomes a ticket with channel `open311`, made
// exactly as a console's `ticket.create` push is — the shared workflow rule with an actor of role
// `open311`, a UUIDv7 id, a server-assigned number, the timeline event and the change-log row in
// one transaction — so it reaches every console's pull like any other ticket.
import { randomBytes } from 'node:crypto'
import { actionArgSchemas, phone as phoneSchema, type ActionArgsInput } from '../../shared/actions'
import type { Actor } from '../../shared/ticket'
import { fieldErrors } from '../../shared/validation'
import { applyAction } from '../../shared/workflow'
import { hashToken } from '../auth/tokens'
import type { Reference, ServerContext } from '../context'
import { fail, Open311Error, problem, type Open311ErrorItem } from './errors'
import { ADDRESS_ID_LABEL, MEDIA_LABEL, open311UserId } from '../../shared/publication'
import { MAX_DESCRIPTION, servicesOf } from './services'
import { indexReference } from '../../shared/reference-data'
import { prefillCategory, type Prefill } from '../triage/prefill'

/** A time-ordered UUID (RFC 9562 version 7), as consoles make ticket ids. */
export function uuidv7(nowMs: number): string {
  const b = randomBytes(16)
  b.writeUIntBE(nowMs, 0, 6)
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.toString('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

type Form = Record<string, unknown>

/** A posted field as text; empty or absent is the same as not given (the spec's "optional"). */
function field(form: Form, name: string, errors: Open311ErrorItem[]): string | null {
  const v = form[name]
  if (v == null) return null
  if (typeof v !== 'string' && typeof v !== 'number') {
    errors.push(problem(400, `${name} 只能给一个值`, `${name} must be a single value`))
    return null
  }
  const s = String(v).trim()
  return s === '' ? null : s
}

const HAN = /\p{Script=Han}/u

/** Chinese names are family name first, unspaced; others given name first. */
function fullName(first: string | null, last: string | null): string | null {
  if (!first && !last) return null
  if (!first || !last) return first ?? last
  return HAN.test(first + last) ? `${last}${first}` : `${first} ${last}`
}

function coordinate(
  raw: string | null,
  name: 'lat' | 'long',
  limit: number,
  errors: Open311ErrorItem[],
): number | null {
  if (raw == null) return null
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : NaN
  if (Number.isFinite(n) && Math.abs(n) <= limit) return n
  errors.push(
    problem(400, `${name} 须是 WGS84 坐标（±${limit}）`, `${name} must be a WGS84 coordinate`),
  )
  return null
}

/**
 * The posted form as `ticket.create` args, or every problem found with it. A service group's
 * code (a top-level branch, `04`) is accepted too: triage picks the service from the words.
 */
function draftFrom(
  form: Form,
  ref: Reference,
  id: string,
): { draft: ActionArgsInput<'ticket.create'>; prefill: Prefill | null; group: boolean } {
  const errors: Open311ErrorItem[] = []
  const services = servicesOf(ref.data)
  const code = field(form, 'service_code', errors)
  if (code == null) throw fail(400, '缺少 service_code', 'service_code was not provided')
  const service = services.byCode.get(code)
  const group = service ? undefined : indexReference(ref.data).categories.get(code)
  if (!service && !group?.active)
    throw fail(404, `没有编码为 ${code} 的服务`, `service_code ${code} was not found`)

  const rawLat = field(form, 'lat', errors)
  const rawLng = field(form, 'long', errors)
  const lat = coordinate(rawLat, 'lat', 90, errors)
  const lng = coordinate(rawLng, 'long', 180, errors)
  if ((rawLat == null) !== (rawLng == null))
    errors.push(problem(400, 'lat 和 long 须同时提供', 'lat & long must both be sent'))
  const addressString = field(form, 'address_string', errors)
  const addressId = field(form, 'address_id', errors)
  if (addressId != null && !/^[\w.:/#-]{1,64}$/.test(addressId))
    errors.push(
      problem(400, 'address_id 格式不对', 'address_id must be up to 64 letters, digits or -_.:/#'),
    )
  const parts = [addressString, addressId && `${ADDRESS_ID_LABEL}${addressId}`].filter(Boolean)
  let address = parts.join(' ')
  if (!address && lat != null && lng != null) address = `经纬度 ${lat}, ${lng}`
  if (!address && rawLat == null && rawLng == null)
    errors.push(
      problem(
        400,
        '缺少位置：须提供 lat 和 long，或 address_string，或 address_id',
        'A location is required: lat & long, or address_string, or address_id',
      ),
    )
  if (address.length > 200)
    errors.push(
      problem(400, 'address_string 不能超过 200 字', 'address_string is limited to 200 characters'),
    )

  let description = field(form, 'description', errors)
  const media = field(form, 'media_url', errors)
  if (media != null && (!/^https?:\/\/\S+$/i.test(media) || media.length > 1000))
    errors.push(problem(400, 'media_url 须是 http(s) 网址', 'media_url must be an http(s) URL'))
  if (description == null)
    errors.push(
      problem(400, '缺少问题描述 description', 'description is required by this jurisdiction'),
    )
  else {
    if (media) description = `${description}\n${MEDIA_LABEL}${media}`
    if (description.length > MAX_DESCRIPTION)
      errors.push(
        problem(
          400,
          `description 不能超过 ${MAX_DESCRIPTION} 字`,
          `description is limited to ${MAX_DESCRIPTION} characters`,
        ),
      )
  }

  const name = fullName(field(form, 'first_name', errors), field(form, 'last_name', errors))
  if (name && name.length > 50)
    errors.push(
      problem(400, '姓名不能超过 50 字', 'first_name and last_name are limited to 50 characters'),
    )
  const rawPhone = field(form, 'phone', errors)
  let phone: string | null = null
  if (rawPhone != null) {
    const p = phoneSchema.safeParse(rawPhone)
    if (p.success) phone = p.data
    else errors.push(problem(400, 'phone 不是有效的电话号码', 'phone is not a valid phone number'))
  }
  // email, device_id and account_id are accepted and not kept: the ticket has no place for
  // them, and the callback goes by phone (the service definition says so).

  let district: string | null = null
  for (const key of Object.keys(form)) {
    const m = /^attribute\[([^\]]*)\](\[\])?$/.exec(key)
    if (!m) continue
    const value = field(form, key, errors)
    if (m[1] !== 'DISTRICT' || m[2])
      errors.push(
        problem(400, `该服务没有属性 ${m[1]}`, `attribute[${m[1]}] is not defined for ${code}`),
      )
    else if (value != null && !services.districts.has(value))
      errors.push(
        problem(
          400,
          `attribute[DISTRICT] 不是本市的区县编码：${value}`,
          'attribute[DISTRICT] is not one of the listed values',
        ),
      )
    else district = value
  }
  if (errors.length) throw new Open311Error(400, errors)

  const prefill = service
    ? null
    : prefillCategory(ref.data, {
        category: code,
        description: description!,
        location: { address, district },
      })
  const c = service?.category ?? indexReference(ref.data).categories.get(prefill?.category ?? code)!
  const draft: ActionArgsInput<'ticket.create'> = {
    ticket: {
      id,
      channel: 'open311',
      kind: c.defaultKind ?? 'help',
      category: c.code,
      urgency: c.defaultUrgency ?? 'normal',
      caller: {
        name,
        phone,
        anonymous: !name && !phone,
        company: null,
        callbackConsent: phone != null,
      },
      description: description!,
      location: { address, district, lat, lng },
    },
  }
  return { draft, prefill, group: !service }
}

/** The hotline's local date `YYYYMMDD`, which starts every ticket number. */
function localDay(ref: Reference, nowMs: number): string {
  const l = ref.rules.calendar.local(nowMs)
  return `${l.y}${String(l.m).padStart(2, '0')}${String(l.d).padStart(2, '0')}`
}

/** The name of the channel an api_key was issued to; null for a key that is not one. */
export const channelOfKey = (ctx: ServerContext, key: string): Promise<string | null> =>
  key.trim() ? ctx.store.accounts.open311KeyName(hashToken(key.trim())) : Promise.resolve(null)

/** Checks the api_key (403 if missing or unknown) and the form, then files the ticket. */
export async function createRequest(
  ctx: ServerContext,
  form: Form,
): Promise<{ number: string; accountId: string | null }> {
  const key = typeof form.api_key === 'string' ? form.api_key.trim() : ''
  const keyName = key ? await channelOfKey(ctx, key) : null
  if (!keyName)
    throw fail(
      403,
      key ? 'api_key 无效，不能提交' : '缺少 api_key，不能提交',
      key
        ? "Invalid api_key received -- can't proceed with create_request"
        : "No api_key received -- can't proceed with create_request",
    )
  const ref = await ctx.reference()
  const nowMs = ctx.now()
  const id = uuidv7(nowMs)
  const { draft, prefill, group } = draftFrom(form, ref, id)
  const parsed = actionArgSchemas['ticket.create'].safeParse(draft)
  if (!parsed.success) {
    // draftFrom checks every field itself; this is the shared schema's last word.
    const first = fieldErrors(parsed.error)[0]
    throw fail(400, first?.message.zh ?? '请求有误', first?.message.en ?? 'Invalid request')
  }
  const actor: Actor = {
    userId: open311UserId(keyName),
    role: 'open311',
    unit: null,
    name: keyName,
    consoleId: null,
  }
  const action = { name: 'ticket.create' as const, args: parsed.data }
  const number = await ctx.store.mutate(async (tx) => {
    const before = await tx.ticket(id, true)
    const res = applyAction(before, action, actor, nowMs, ref.rules)
    if (!res.ok) throw fail(400, res.refusal.message.zh, res.refusal.message.en)
    const ticket = { ...res.ticket, number: await tx.nextTicketNumber(localDay(ref, nowMs)) }
    const event = {
      ...res.event,
      data: { ...res.event.data, number: ticket.number } as Record<string, unknown>,
    }
    if (group) {
      // A group is not a service: the category is triage's guess (or the group), to confirm.
      ticket.needsReview = true
      event.data = {
        ...event.data,
        needsReview: true,
        ...(prefill ? { categoryPrefilled: { from: prefill.from, to: prefill.category } } : {}),
      }
    }
    await tx.saveTicket(before, ticket, event)
    return ticket.number
  })
  const errors: Open311ErrorItem[] = []
  return { number, accountId: field(form, 'account_id', errors) }
}
