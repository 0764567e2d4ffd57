// What the intake's three keys do to the core: log the call as a new ticket (Ctrl+Enter), log it
// and answer it on the call (Alt+Enter), or link it to an existing ticket as a repeat call
// (Alt+1…9). Each answers a line for the toast or the error to show and the field it concerns.
import { normalizePhone } from '../../shared/actions'
import {
  maskPhone,
  type ApiError,
  type ConsoleApi,
  type DuplicateCandidate,
} from '../../shared/api'
import { uuidv7 } from '../../shared/ids'
import { formatTime, type Lang } from '../i18n'
import { errorText } from '../state/api'
import { fieldOfWire, ticketOf, type FieldId, type IntakeForm } from './form'
import { WORDS } from './words'

export type Outcome =
  | { ok: true; message: string; ticketId: string }
  | { ok: false; message: string; field: FieldId | null }

const failed = (e: ApiError, lang: Lang): Outcome => ({
  ok: false,
  message: errorText(e, lang),
  field: fieldOfWire(e.field),
})

/** `ticket.create`: applied by the core at once (offline too), numbered by the server later. */
export async function createTicket(
  api: ConsoleApi,
  f: IntakeForm,
  lang: Lang,
  answer: boolean,
): Promise<Outcome> {
  const id = uuidv7()
  const r = await api.call('ticket.act', {
    name: 'ticket.create',
    args: { ticket: ticketOf(f, id) },
  })
  if (!r.ok) return failed(r.error, lang)
  const number = r.value.displayNumber
  if (!answer) return { ok: true, message: `${WORDS.created[lang]} ${number}`, ticketId: id }
  const a = await api.call('ticket.act', {
    name: 'ticket.answer',
    args: {
      ticketId: id,
      text: f.answer.trim(),
      // Read out from a knowledge entry: its id and version go on the timeline (issue 15).
      ...(f.kbEntryId && f.kbVersion > 0
        ? { kb: { entryId: f.kbEntryId, version: f.kbVersion } }
        : {}),
    },
  })
  // The ticket exists either way; a refused answer is said, and the ticket stays new for dispatch.
  const message = a.ok
    ? `${WORDS.answered[lang]} ${number}`
    : `${WORDS.answerFailed[lang]} ${number}：${errorText(a.error, lang)}`
  return { ok: true, message, ticketId: id }
}

/** The note a repeat call leaves on the ticket it repeats: who, when, what they said. */
export function repeatCallText(f: IntakeForm, lang: Lang, nowMs = Date.now()): string {
  const W = (k: keyof typeof WORDS) => WORDS[k][lang]
  const who = f.anonymous ? W('anonymousCaller') : f.name.trim() || W('caller')
  const phone = maskPhone(normalizePhone(f.phone.trim()) || null)
  const said = f.description.trim() || W('nothingSaid')
  const at = formatTime(new Date(nowMs).toISOString())
  return lang === 'zh'
    ? `【${W('repeatCall')}】${who}${phone ? `（${phone}）` : ''}于 ${at} 再次来电${W('said')}：${said}`
    : `[${W('repeatCall')}] ${who}${phone ? ` (${phone})` : ''} called again at ${at}: ${said}`
}

/** A note the unit sees (`internal: false`) on the existing ticket; no new ticket. */
export async function linkToTicket(
  api: ConsoleApi,
  f: IntakeForm,
  c: DuplicateCandidate,
  lang: Lang,
): Promise<Outcome> {
  const r = await api.call('ticket.act', {
    name: 'ticket.note',
    args: { ticketId: c.row.id, text: repeatCallText(f, lang), internal: false },
  })
  if (!r.ok)
    return { ok: false, message: `${c.row.number}：${errorText(r.error, lang)}`, field: null }
  return {
    ok: true,
    message:
      lang === 'zh'
        ? `${WORDS.linked.zh} ${r.value.displayNumber}（${WORDS.linkedNote.zh}）`
        : `${WORDS.linked.en} ${r.value.displayNumber} (${WORDS.linkedNote.en})`,
    ticketId: c.row.id,
  }
}
