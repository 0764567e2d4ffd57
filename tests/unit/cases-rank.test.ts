// The ranking of a year's exemplary cases (src/shared/cases.ts): an ordered top-ten list.
import { describe, expect, it } from 'vitest'
import { caseOrder, MAX_RANK, rerank } from '../../src/shared/cases'

const list = (...ids: string[]) => ids.map((id, i) => ({ id, rank: i + 1 }))
const apply = (ranked: Array<{ id: string; rank: number }>, id: string, rank: number | null) => {
  const m = new Map<string, number | null>(ranked.map((r) => [r.id, r.rank]))
  for (const [x, r] of rerank(ranked, id, rank)) m.set(x, r)
  return [...m]
    .filter(([, r]) => r != null)
    .sort((a, b) => a[1]! - b[1]!)
    .map(([x]) => x)
}

describe('rerank', () => {
  it('inserts at a taken rank and moves the rest down', () => {
    expect(apply(list('a', 'b', 'c'), 'd', 2)).toEqual(['a', 'd', 'b', 'c'])
    expect(rerank(list('a', 'b', 'c'), 'd', 2)).toEqual(
      new Map([
        ['b', 3],
        ['c', 4],
        ['d', 2],
      ]),
    )
  })

  it('moves within the list (Alt+↑ / Alt+↓ swap neighbours)', () => {
    expect(apply(list('a', 'b', 'c', 'd'), 'c', 2)).toEqual(['a', 'c', 'b', 'd'])
    expect(apply(list('a', 'b', 'c', 'd'), 'b', 3)).toEqual(['a', 'c', 'b', 'd'])
    expect(apply(list('a', 'b', 'c', 'd'), 'd', 1)).toEqual(['d', 'a', 'b', 'c'])
    expect(rerank(list('a', 'b'), 'b', 2).size).toBe(0)
  })

  it('takes the next free rank for one past the end, and closes gaps when unranking', () => {
    expect(rerank(list('a'), 'b', 7)).toEqual(new Map([['b', 2]]))
    expect(apply(list('a', 'b', 'c'), 'a', null)).toEqual(['b', 'c'])
    expect(rerank(list('a', 'b', 'c'), 'a', null).get('a')).toBeNull()
    expect(rerank(list('a'), 'x', null).size).toBe(0)
  })

  it('drops the tenth out when an eleventh is put in', () => {
    const ten = list(...'abcdefghij'.split(''))
    const changed = rerank(ten, 'k', 1)
    expect(changed.get('k')).toBe(1)
    expect(changed.get('j')).toBeNull()
    expect(apply(ten, 'k', 1)).toHaveLength(MAX_RANK)
  })
})

describe('caseOrder', () => {
  it('puts ranked cases first, then the others by nomination', () => {
    const cases = [
      { id: '1', rank: null, nominatedAt: '2026-01-02' },
      { id: '2', rank: 2, nominatedAt: '2026-01-05' },
      { id: '3', rank: null, nominatedAt: '2026-01-01' },
      { id: '4', rank: 1, nominatedAt: '2026-01-09' },
    ]
    expect([...cases].sort(caseOrder).map((c) => c.id)).toEqual(['4', '2', '3', '1'])
  })
})
