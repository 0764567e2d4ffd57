import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { uuidv7, uuidv7Time } from '../../src/shared/ids'

describe('uuidv7', () => {
  it('makes valid version-7 UUIDs that carry their time', () => {
    const at = Date.parse('2026-11-28T02:00:00Z')
    const id = uuidv7(at)
    expect(z.uuid({ version: 'v7' }).safeParse(id).success).toBe(true)
    expect(uuidv7Time(id)).toBe(at)
    expect(uuidv7Time('0190f5c2-0000-4000-8000-000000000000')).toBeNull()
  })

  it('stays unique and increasing within one millisecond and across many', () => {
    const ids = Array.from({ length: 10_000 }, () => uuidv7(1_800_000_000_000))
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
    const later = uuidv7(1_800_000_000_001)
    expect(later > ids.at(-1)!).toBe(true)
  })
})
