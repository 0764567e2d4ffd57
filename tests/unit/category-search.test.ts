// Finding categories and places by the words callers use (the pickers of intake and the action
// forms): colloquial words reach their leaves, exact and prefix matches come first and none is
// pushed past the list's end, and districts answer to the names people use and to initials —
// without one hiding another.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadReferenceData } from '../../src/server/reference-files'
import { buildNames, type Names } from '../../src/renderer/state/reference'
import { categoryOptions, districtOptions } from '../../src/renderer/intake/options'

let names: Names
beforeAll(async () => {
  names = buildNames(await loadReferenceData())
})

const codes = (q: string, limit = 12) => categoryOptions(names, q, 'zh', limit).map((o) => o.code)

describe('category search', () => {
  it('finds categories by the words callers use', () => {
    expect(codes('天然气')).toEqual(expect.arrayContaining(['040301', '040302']))
    expect(codes('堵车')[0]).toBe('0206')
    expect(codes('断网')[0]).toBe('0502')
    expect(codes('夜间施工')[0]).toBe('030101')
    // 企业: the company services, not nothing.
    expect(codes('企业').filter((c) => c.startsWith('13')).length).toBeGreaterThanOrEqual(3)
    // 电信 is more than 电信网络诈骗: the operator's matters come too.
    expect(codes('电信')).toEqual(expect.arrayContaining(['1103', '0502']))
  })

  it('ranks exact and prefix matches first, and no exact match falls past the end', () => {
    // 燃气 is a branch (its four leaves come first), and a word of other leaves.
    const gas = codes('燃气', 4)
    expect(gas.every((c) => c.startsWith('0403'))).toBe(true)
    // An exact leaf name comes first even with a one-line list.
    expect(codes('停水', 1)).toEqual(['040101'])
    expect(codes('电梯故障', 1)).toEqual(['0602'])
    // A prefix of a leaf's name before mere substrings.
    expect(codes('燃气泄')[0]).toBe('040301')
  })

  it('finds districts by the names people use; initials do not hide the others', () => {
    const d = (q: string) => districtOptions(names, q, 'zh').map((o) => o.code)
    expect(d('经开区')).toEqual(['321191'])
    expect(d('开发区')).toEqual(['321191'])
    expect(d('新区')).toEqual(['321191'])
    expect(d('jkq')).toEqual(['321102', '321191'])
    expect(d('京口')).toEqual(['321102'])
  })
})
