// Chinese full-text search: 3+ characters through the trigram index, 1–2 characters (噪音, 路灯,
// 漏水, a surname) through the gram index, phone fragments, number prefixes, several terms.
import { describe, expect, it } from 'vitest'
import { queueQuerySchema } from '../../src/shared/api'
import type { Ticket } from '../../src/shared/ticket'
import { actors, created, ctx, T0 } from '../helpers/workflow'
import { act, dispatcherViewer, openStore, page } from './helpers'

function ticket(
  n: number,
  description: string,
  address: string,
  name: string | null,
  phone: string | null,
): Ticket {
  const t = created(T0 + n * 60_000).ticket
  return {
    ...t,
    number: `20261123${String(n).padStart(6, '0')}`,
    description,
    location: { ...t.location, address },
    caller: { ...t.caller, name, phone },
  }
}

const TICKETS = [
  ticket(1, '小区门口饭店夜间噪音扰民，已持续一周', '京口区正东路88号', '张先生', '13800001234'),
  ticket(2, '路灯不亮，晚上出行不便', '润州区中山西路12号', '李女士', '13900005678'),
  ticket(3, '楼上卫生间漏水，渗到我家天花板', '丹徒区谷阳大道1号A座', '王先生', '05118881234'),
  ticket(4, '施工噪声扰民，凌晨还在施工', '京口区学府路3号', null, null),
  ticket(5, 'Broadband DOWN since Monday', '新区大港路5号', '赵女士', '18600009999'),
]

function loaded() {
  const store = openStore()
  store.applyPull(page({ tickets: TICKETS }), ctx)
  return store
}

const numbers = (rows: Array<{ number: string }>) => rows.map((r) => r.number.slice(-1)).sort()

describe('search', () => {
  it.each([
    ['噪音', ['1']],
    ['路灯', ['2']],
    ['漏水', ['3']],
    ['噪', ['1', '4']],
    ['张', ['1']],
    ['扰民', ['1', '4']],
    ['正东路', ['1']],
    ['夜间噪音扰民', ['1']],
    ['京口区', ['1', '4']],
    ['1234', ['1', '3']],
    ['0000567', ['2']],
    ['20261123000003', ['3']],
    ['2026112300000', ['1', '2', '3', '4', '5']],
    ['A座', ['3']],
    ['a座', ['3']],
    ['broadband', ['5']],
    ['88号', ['1']],
    ['噪音 正东路', ['1']],
    ['京口 施工', ['4']],
    ['漏水 路灯', []],
    ['不存在的词', []],
    ['鬼', []],
  ])('%s finds %j', (q, expected) => {
    const store = loaded()
    expect(numbers(store.search(q, 50))).toEqual(expected)
    const filtered = store.queue(
      queueQuerySchema.parse({ filter: { text: q } }),
      dispatcherViewer,
      T0,
    )
    expect(numbers(filtered.rows)).toEqual(expected)
    expect(filtered.total).toBe(expected.length)
  })

  it('returns the newest first, masks phones and honours the limit', () => {
    const store = loaded()
    const rows = store.search('京口区', 1)
    expect(rows.map((r) => r.number)).toEqual(['20261123000004'])
    expect(store.search('1234', 5).map((r) => r.callerPhoneMasked)).toEqual([
      '051****1234',
      '138****1234',
    ])
  })

  it('follows edits, pending changes and removals', () => {
    const store = loaded()
    const t = TICKETS[1]!
    act(
      store,
      {
        name: 'ticket.update',
        args: { ticketId: t.id, patch: { description: '井盖缺失，存在安全隐患' } },
      },
      actors.dispatcher,
      T0 + 3_600_000,
    )
    expect(numbers(store.search('井盖', 10))).toEqual(['2'])
    expect(store.search('路灯', 10)).toEqual([])
    store.applyPull(page({ cursor: 2, removed: [t.id] }), ctx)
    expect(store.search('井盖', 10)).toEqual([])
  })
})
