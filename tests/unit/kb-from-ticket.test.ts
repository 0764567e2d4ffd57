// Shift+K: a unit's reply that should be a knowledge entry becomes a draft pre-filled from the
// ticket; a ticket without a unit's reply (answered on the call, not replied yet) makes none.
import { describe, expect, it } from 'vitest'
import { kbEntryInputSchema } from '../../src/shared/knowledge'
import { kbDraftOf } from '../../src/renderer/knowledge/from-ticket'
import type { Names } from '../../src/renderer/state/reference'
import { inState } from '../helpers/workflow'

const names = { category: () => '住房物业 › 住房公积金' } as unknown as Names
const NOW = Date.parse('2026-12-06T10:00:00+08:00')

describe('a knowledge draft from a ticket', () => {
  it("takes the category, the caller's words, the unit's reply and the unit", () => {
    const t = inState('replied').ticket
    const d = kbDraftOf(t, names, 'zh', NOW)!
    expect(d).toMatchObject({
      questions: [t.description],
      answer: t.resolution!.text,
      unit: t.unit,
      categories: [t.category],
      keywords: ['住房公积金'],
      validFrom: '2026-12-06',
      reviewBy: '2027-12-06',
    })
    expect(d.title.startsWith('住房公积金：')).toBe(true)
    // What the form saves passes the server's schema as it stands.
    expect(kbEntryInputSchema.safeParse(d).success).toBe(true)
  })

  it('makes none from a ticket without a unit’s reply', () => {
    expect(kbDraftOf(inState('new').ticket, names, 'zh', NOW)).toBeNull()
    expect(kbDraftOf(inState('closed', 'answered').ticket, names, 'zh', NOW)).toBeNull()
  })
})
