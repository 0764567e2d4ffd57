// The dashboard compares like with like (issue 13): a calendar period runs to now, and is set
// against the same stretch of the period before — the first 6 days of last month for the first 6
// of this one, not the whole of last month. A custom span is set against the equally long one
// just before it.
import { describe, expect, it } from 'vitest'
import { periodSpan } from '../../src/renderer/dashboard/period'
import { calendar } from '../helpers/calendar'

/** A moment on the city's clock (Asia/Shanghai, UTC+8). */
const at = (local: string) => Date.parse(`${local}+08:00`)
const city = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16)
const spanAt = (kind: Parameters<typeof periodSpan>[0]['kind'], now: string) => {
  const s = periodSpan({ kind }, calendar, at(now))
  if ('error' in s) throw new Error(s.error)
  return {
    from: city(s.from),
    to: city(s.to),
    prevFrom: city(s.previous.from),
    prevTo: city(s.previous.to),
    sameStretch: s.sameStretch,
  }
}

describe('dashboard periods', () => {
  it('this month so far against the same days of last month', () => {
    expect(spanAt('month', '2026-12-06T15:30')).toEqual({
      from: '2026-12-01T00:00',
      to: '2026-12-06T15:30',
      prevFrom: '2026-11-01T00:00',
      prevTo: '2026-11-06T15:30',
      sameStretch: true,
    })
  })

  it('a month longer than the one before is set against the whole of that one', () => {
    expect(spanAt('month', '2026-03-31T12:00')).toMatchObject({
      prevFrom: '2026-02-01T00:00',
      prevTo: '2026-03-01T00:00',
    })
  })

  it('today, this week, this quarter and this year likewise', () => {
    expect(spanAt('today', '2026-12-06T09:15')).toMatchObject({
      from: '2026-12-06T00:00',
      prevFrom: '2026-12-05T00:00',
      prevTo: '2026-12-05T09:15',
    })
    // Sunday 6 December: the week began on Monday 30 November.
    expect(spanAt('week', '2026-12-06T09:15')).toMatchObject({
      from: '2026-11-30T00:00',
      prevFrom: '2026-11-23T00:00',
      prevTo: '2026-11-29T09:15',
    })
    expect(spanAt('quarter', '2026-11-15T08:00')).toMatchObject({
      from: '2026-10-01T00:00',
      prevFrom: '2026-07-01T00:00',
      prevTo: '2026-08-15T08:00',
    })
    expect(spanAt('year', '2026-12-06T15:30')).toMatchObject({
      from: '2026-01-01T00:00',
      prevFrom: '2025-01-01T00:00',
      prevTo: '2025-12-06T15:30',
    })
  })

  it('a custom span against the equally long span just before', () => {
    const s = periodSpan({ kind: 'custom', first: '2026-11-10', last: '2026-11-16' }, calendar, 0)
    if ('error' in s) throw new Error(s.error)
    expect([city(s.previous.from), city(s.previous.to)]).toEqual([
      '2026-11-03T00:00',
      '2026-11-10T00:00',
    ])
    expect(s.sameStretch).toBe(false)
  })
})
