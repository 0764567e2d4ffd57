// The workflow actions as they cross a boundary: one zod schema for each mutation's args
// (DESIGN.md §6 names). The same schemas validate on the console, in IPC and on the server.
import { z } from 'zod'
import { CHANNELS, EXEMPTION_REASONS, KINDS, SATISFACTIONS, URGENCIES } from './ticket'
import { foldWidth } from './personal-data'
import { checkPhone } from './phone-rules'
import { customIssue } from './validation'

/** Category codes: two digits a level, `01` … `0103` … `010302`. */
export const categoryCode = z.string().regex(/^(\d{2}){1,4}$/)
/** Unit codes: letters, digits and dashes (`JK-DSJD`, `CITY-UM`). */
export const unitCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/)
/** District codes: the six-digit administrative division codes (GB/T 2260), `321102`. */
export const districtCode = z.string().regex(/^\d{6}$/)
export const ticketId = z.uuid()
export const isoTime = z.iso.datetime({ offset: true })

const text = (max: number) => z.string().trim().min(1).max(max)
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => (s ? s : null))

/**
 * A phone number as stored and compared: ASCII digits (full-width ones from Chinese input
 * methods folded), without the spaces, dashes, dots and brackets people type.
 */
export const normalizePhone = (s: string): string => foldWidth(s).replace(/[\s\-.()]/g, '')

/**
 * A caller's number by the rules of phone-rules.ts (mobile, landline with area code, service,
 * 400/800, extension, international), stored normalized; refused with the reason otherwise.
 */
export const phone = z.string().transform((s, ctx) => {
  // Full-width digits and punctuation from Chinese input methods count as the ASCII ones.
  const c = checkPhone(foldWidth(s))
  if (c.ok) return c.normalized
  ctx.issues.push({ ...customIssue('invalid_phone', c.reason), input: s })
  return z.NEVER
})

export const callerSchema = z.object({
  name: optionalText(50),
  phone: phone.nullish().transform((p) => p ?? null),
  anonymous: z.boolean().default(false),
  company: optionalText(100),
  callbackConsent: z.boolean().default(true),
})

export const locationSchema = z.object({
  address: text(200),
  district: districtCode.nullish().transform((v) => v ?? null),
  street: unitCode.nullish().transform((v) => v ?? null),
  community: unitCode.nullish().transform((v) => v ?? null),
  lat: z
    .number()
    .min(-90)
    .max(90)
    .nullish()
    .transform((v) => v ?? null),
  lng: z
    .number()
    .min(-180)
    .max(180)
    .nullish()
    .transform((v) => v ?? null),
})

/** What an agent types for a new ticket (`ticket.create` args.ticket). */
export const ticketDraftSchema = z.object({
  id: ticketId,
  channel: z.enum(CHANNELS),
  kind: z.enum(KINDS),
  category: categoryCode,
  urgency: z.enum(URGENCIES).default('normal'),
  caller: callerSchema,
  description: text(4000),
  location: locationSchema,
  /** The caller agrees to the request being published (without their name and number). */
  publishable: z.boolean().optional(),
})
export type TicketDraft = z.output<typeof ticketDraftSchema>
export type TicketDraftInput = z.input<typeof ticketDraftSchema>

/** Fields an edit may change; everything optional, at least one present. */
export const ticketPatchSchema = z
  .object({
    channel: z.enum(CHANNELS),
    kind: z.enum(KINDS),
    category: categoryCode,
    urgency: z.enum(URGENCIES),
    caller: callerSchema,
    description: text(4000),
    location: locationSchema,
    publishable: z.boolean(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, {
    ...customIssue('empty_patch', { zh: '为空', en: 'change nothing' }),
  })
export type TicketPatch = z.output<typeof ticketPatchSchema>

const ref = { ticketId }

/** Args of every mutation, by name. Adding an action is one line here and one rule. */
export const actionArgSchemas = {
  'ticket.create': z.object({ ticket: ticketDraftSchema }),
  'ticket.update': z.object({ ...ref, patch: ticketPatchSchema }),
  'ticket.answer': z.object({
    ...ref,
    text: text(4000),
    /** The knowledge entry the answer was read from, and its version (issue 15). */
    kb: z.object({ entryId: z.uuid(), version: z.number().int().min(1) }).optional(),
  }),
  'ticket.dispatch': z.object({
    ...ref,
    unit: unitCode,
    coUnits: z.array(unitCode).max(10).default([]),
    instructions: optionalText(1000),
    /** Assisting units (协办), each owing its part to the lead (issue 16). */
    assisting: z.array(unitCode).max(10).optional(),
  }),
  'ticket.sign': z.object({ ...ref }),
  'ticket.requestReturn': z.object({ ...ref, reason: text(1000) }),
  'ticket.decideReturn': z.object({ ...ref, approve: z.boolean(), reason: optionalText(1000) }),
  'ticket.requestExtension': z.object({ ...ref, until: isoTime, reason: text(1000) }),
  'ticket.decideExtension': z.object({ ...ref, approve: z.boolean(), reason: optionalText(1000) }),
  'ticket.note': z.object({ ...ref, text: text(4000), internal: z.boolean().default(true) }),
  'ticket.urge': z.object({ ...ref, text: optionalText(1000) }),
  'ticket.supervise': z.object({ ...ref, text: optionalText(1000) }),
  'ticket.reply': z.object({ ...ref, text: text(4000), resolved: z.boolean() }),
  'ticket.rejectReply': z.object({ ...ref, reason: text(1000) }),
  'ticket.callback': z.object({
    ...ref,
    satisfaction: z.enum(SATISFACTIONS),
    /** The citizen's own word: is the problem solved? (解决率, issue 17; absent from older consoles) */
    resolved: z.boolean().optional(),
    text: optionalText(1000),
  }),
  'ticket.redo': z.object({ ...ref, reason: text(1000) }),
  'ticket.closeWithoutCallback': z.object({ ...ref, reason: text(1000) }),
  'ticket.merge': z.object({ ...ref, targetId: ticketId }),
  'ticket.cancel': z.object({ ...ref, reason: text(1000) }),
  // Seeing a citizen's full number is recorded (issue 7): revealed in the ticket pane, or shown by
  // the callback form to be dialled.
  'ticket.viewPhone': z.object({ ...ref, via: z.enum(['pane', 'callback']).default('pane') }),
  // Issue 16: levels below the city centre, recall and re-route, assisting parts.
  'ticket.dispatchDown': z.object({
    ...ref,
    unit: unitCode,
    assisting: z.array(unitCode).max(10).optional(),
    instructions: optionalText(1000),
  }),
  'ticket.reviewReturn': z.object({ ...ref, approve: z.boolean(), reason: optionalText(1000) }),
  'ticket.reviewReply': z.object({ ...ref, approve: z.boolean(), reason: optionalText(1000) }),
  'ticket.recall': z.object({ ...ref, reason: optionalText(1000) }),
  'ticket.reroute': z.object({
    ...ref,
    unit: unitCode,
    assisting: z.array(unitCode).max(10).optional(),
    instructions: optionalText(1000),
    reason: optionalText(1000),
  }),
  'ticket.submitPart': z.object({ ...ref, text: text(4000) }),
  // The server only (issue 19): deadlines counted again after the working calendar changed.
  'ticket.reschedule': z.object({ ...ref, reason: optionalText(200) }),
  // Issue 17 (workflow-kpi-rules.ts): the unit contacted the citizen (联系来电人); a supervisor
  // takes a ticket out of the unit's scores (不纳入考核) with a reason, or withdraws that.
  'ticket.contact': z.object({ ...ref, text: optionalText(1000) }),
  'ticket.exempt': z.object({
    ...ref,
    reason: z.enum(EXEMPTION_REASONS),
    text: optionalText(1000),
  }),
  'ticket.withdrawExemption': z.object({ ...ref, reason: optionalText(1000) }),
} as const

export type ActionName = keyof typeof actionArgSchemas
export const ACTION_NAMES = Object.keys(actionArgSchemas) as ActionName[]
export type ActionArgs<N extends ActionName> = z.output<(typeof actionArgSchemas)[N]>
export type ActionArgsInput<N extends ActionName> = z.input<(typeof actionArgSchemas)[N]>

/** One action with its parsed args, discriminated by name. */
export type Action = { [N in ActionName]: { name: N; args: ActionArgs<N> } }[ActionName]

/** Actions only the server takes itself: no console offers them, and pushing one is refused. */
export const SERVER_ONLY_ACTIONS: readonly ActionName[] = ['ticket.reschedule']

export const isActionName = (name: string): name is ActionName =>
  Object.prototype.hasOwnProperty.call(actionArgSchemas, name)
