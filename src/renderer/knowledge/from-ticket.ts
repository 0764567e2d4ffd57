// Shift+K on a ticket a unit replied to: the reply that should be an entry becomes a draft,
// pre-filled from the ticket — its category, the caller's words as the question form, the reply
// as the answer, the replying unit as the owner — for a supervisor to finish and save (a draft
// until published). A year from today is suggested as the review-by date.
import { cityDate, type KbEntryInputRaw } from '../../shared/knowledge'
import type { Ticket } from '../../shared/ticket'
import type { Lang } from '../i18n'
import type { Names } from '../state/reference'

const YEAR_MS = 365 * 86_400_000

export function kbDraftOf(
  t: Ticket,
  names: Names,
  lang: Lang,
  nowMs = Date.now(),
): KbEntryInputRaw | null {
  const reply = t.resolution?.kind === 'replied' ? t.resolution.text.trim() : ''
  if (!reply || !t.unit) return null
  const said = t.description.trim().replace(/\s+/g, ' ')
  const category = names.category(t.category, lang).split(' › ').pop() ?? ''
  return {
    title: `${category}：${Array.from(said).slice(0, 24).join('')}`.slice(0, 80),
    questions: [Array.from(said).slice(0, 200).join('')],
    answer: reply.slice(0, 8000),
    categories: [t.category],
    keywords: category ? [category] : [],
    unit: t.unit,
    source: null,
    validFrom: cityDate(nowMs),
    validUntil: null,
    reviewBy: cityDate(nowMs + YEAR_MS),
  }
}
