// A new ticket is never rejected (DESIGN.md §4): when a create arrives malformed, keep what
// parses, fill the rest with placeholders, flag it for review, and record the raw values. The raw
// values are shown to others as src/shared/phone-access.ts allows, which judges by the ticket's
// caller — so a caller that did not parse is rebuilt field by field, and its anonymity taken from
// the raw input (issue 12, finding 7): a default non-anonymous caller would have shown an
// anonymous caller's raw name and number to the unit.
import { callerSchema, ticketDraftSchema, ticketId, type TicketDraft } from '../../shared/actions'
import { fieldErrors, type FieldError } from '../../shared/validation'

export interface Salvaged {
  draft: TicketDraft
  /** The raw values of the fields that did not parse, kept on the timeline. */
  invalid: Record<string, unknown>
  errors: FieldError[]
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

const clip = (v: unknown, max: number): string | null =>
  typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null

/** null when not even the ticket id is usable: then there is nothing to keep. */
export function salvageCreate(args: unknown): Salvaged | null {
  const raw = isObject(args) && isObject(args.ticket) ? args.ticket : null
  if (!raw || !ticketId.safeParse(raw.id).success) return null
  const shape = ticketDraftSchema.shape
  const invalid: Record<string, unknown> = {}
  const errors: FieldError[] = []
  function pick<K extends keyof typeof shape>(key: K, fallback: TicketDraft[K]): TicketDraft[K] {
    const r = shape[key].safeParse(raw![key])
    if (r.success) return r.data as TicketDraft[K]
    invalid[key] = raw![key] ?? null
    errors.push(...fieldErrors(r.error, `ticket.${key}`))
    return fallback
  }
  const rawLocation = isObject(raw.location) ? raw.location : {}
  const draft: TicketDraft = {
    id: raw.id as string,
    channel: pick('channel', 'phone'),
    kind: pick('kind', 'consultation'),
    // No category matches "00", so the rules flag the ticket for review on their own as well.
    category: pick('category', '00'),
    urgency: pick('urgency', 'normal'),
    caller: pick('caller', salvageCaller(raw.caller)),
    description: pick('description', clip(raw.description, 4000) ?? '（诉求内容缺失，待核实）'),
    location: pick('location', {
      address: clip(rawLocation.address, 200) ?? '（地址缺失，待核实）',
      district: null,
      street: null,
      community: null,
      lat: null,
      lng: null,
    }),
  }
  return { draft, invalid, errors }
}

/** `true`, `1`, `"true"`, `"yes"` …: whatever a sender may have meant as yes. */
const yes = (v: unknown): boolean =>
  v === true || v === 1 || (typeof v === 'string' && /^\s*(true|1|yes|y)\s*$/i.test(v))

/**
 * A caller that failed validation, rebuilt from the fields that parse on their own (a phone
 * given as a JSON number is still the number). Anonymous when the raw input says so, or when it
 * is not even an object: then nobody can tell, and anonymity is the side that leaks nothing.
 */
function salvageCaller(raw: unknown): TicketDraft['caller'] {
  const empty = { name: null, phone: null, company: null, callbackConsent: true }
  if (raw == null) return { ...empty, anonymous: false }
  if (!isObject(raw)) return { ...empty, anonymous: true }
  const field = <T>(
    schema: { safeParse(v: unknown): { success: boolean; data?: T } },
    v: unknown,
  ) => {
    const r = schema.safeParse(v)
    return r.success ? (r.data as T) : null
  }
  const shape = callerSchema.shape
  const phone = typeof raw.phone === 'number' ? String(raw.phone) : raw.phone
  return {
    name: field<string | null>(shape.name, raw.name),
    phone: field<string | null>(shape.phone, phone),
    anonymous: yes(raw.anonymous),
    company: field<string | null>(shape.company, raw.company),
    callbackConsent: typeof raw.callbackConsent === 'boolean' ? raw.callbackConsent : true,
  }
}
