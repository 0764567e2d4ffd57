// A new ticket is never rejected (DESIGN.md §4): when a create arrives malformed, keep what
// parses, fill the rest with placeholders, flag it for review, and record the raw values.
import { ticketDraftSchema, ticketId, type TicketDraft } from '../../shared/actions'
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
    caller: pick('caller', {
      name: null,
      phone: null,
      anonymous: false,
      company: null,
      callbackConsent: true,
    }),
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
