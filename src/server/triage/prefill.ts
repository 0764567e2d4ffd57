// A request arriving without a usable category (an Open311 service group instead of a service,
// an integration's unknown code, a malformed push) gets the category triage finds in its words —
// within the group it named, if any — and stays flagged for review, so an agent confirms it.
import type { ReferenceData } from '../../shared/reference'
import { indexReference } from '../../shared/reference-data'
import { triage } from '../../shared/triage'

/** Below this score the words say too little to pre-fill anything (one short word is 1). */
const MIN_SCORE = 1

export interface Prefill {
  category: string
  /** The code that came (null when none did). */
  from: string | null
}

export function prefillCategory(
  data: ReferenceData,
  ticket: {
    category: string | null
    description: string
    location?: { address?: string | null; district?: string | null } | null
    caller?: { company?: string | null } | null
  },
): Prefill | null {
  const ref = indexReference(data)
  const given = ticket.category
  const known = given != null ? ref.categories.get(given) : undefined
  if (known && known.active && ref.isLeaf(known.code)) return null
  const r = triage(
    data,
    {
      description: ticket.description,
      address: ticket.location?.address ?? null,
      district: ticket.location?.district ?? null,
      company: ticket.caller?.company ?? null,
    },
    { categories: 10, units: 1 },
  )
  // A group that was named bounds the choice: 04 stays water, power, gas or heating.
  const within = known ? r.categories.filter((c) => c.code.startsWith(known.code)) : r.categories
  const best = within[0]
  if (!best || best.score < MIN_SCORE) return null
  return { category: best.code, from: given }
}
