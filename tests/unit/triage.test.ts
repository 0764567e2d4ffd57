// Triage (src/shared/triage.ts) on hand-written calls: an operator named beats the category's
// default unit, the place comes from the gazetteer and the names people use, a company's utility
// trouble goes to that utility, a returned dispatch lowers that unit for similar words (and only
// for them), the reasons read as a dispatcher needs them, and the same call gives the same answer.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadReferenceData } from '../../src/server/reference-files'
import type { ReferenceData } from '../../src/shared/reference'
import { triage } from '../../src/shared/triage'
import { buildTriageModel, type HistoryDispatch } from '../../src/shared/triage-model'

let data: ReferenceData
beforeAll(async () => {
  data = await loadReferenceData()
})

const codes = (xs: { code: string }[]) => xs.map((x) => x.code)
const zh = (xs: { zh: string }[]) => xs.map((x) => x.zh)

describe('triage', () => {
  it('puts the operator the caller named before the category’s default unit', () => {
    const call = { description: '家里电信宽带断网两天了，光猫一直闪红灯', address: '中营街12号' }
    // The rule alone would send broadband faults to China Mobile first.
    expect(
      triage({ ...data, triage: undefined }, { ...call, category: '0502' }).units[0]?.code,
    ).toBe('TEL-CMCC')
    const r = triage(data, call)
    expect(r.categories[0]?.code).toBe('0502')
    expect(r.units[0]?.code).toBe('TEL-CT')
    expect(zh(r.units[0]!.reasons)).toContain('来电提到“电信宽带”')
    // The dispatch dialog: the category known, the same order.
    expect(triage(data, { ...call, category: '0502' }).units[0]?.code).toBe('TEL-CT')
    // No operator named: the rule's order stands.
    expect(triage(data, { description: '宽带断网了', category: '0502' }).units[0]?.code).toBe(
      'TEL-CMCC',
    )
  })

  it('does not take a word for an organisation’s name: 电信诈骗 names no operator', () => {
    const r = triage(data, { description: '我妈被电信诈骗骗了八万块', district: '321102' })
    expect(r.categories[0]?.code).toBe('1103')
    expect(r.units[0]?.code).toBe('JK-PSB')
    expect(codes(r.units)).not.toContain('TEL-CT')
  })

  it('finds the place in the gazetteer: 中营街 is 健康路街道, 梦溪社区', () => {
    const r = triage(data, { description: '楼上邻居天天半夜拖凳子，吵得睡不着', address: '中营街' })
    expect(r.place).toMatchObject({ district: '321102', street: 'JK-JKL', community: 'JK-JKL-MX' })
    expect(zh(r.place.reasons)).toContain('“中营街”属健康路街道梦溪社区')
    expect(r.categories[0]?.code).toBe('030103')
    // Neighbour noise goes to the street office of the place, which the rule lists seventh.
    expect(r.units[0]?.code).toBe('JK-JKL')
    expect(zh(r.units[0]!.reasons)).toContain('地址属健康路街道')
  })

  it('knows the names people use for districts and the city’s real committees', () => {
    const r = triage(data, { description: '门口路灯不亮', address: '经开区金港大道' })
    expect(r.place.district).toBe('321191')
    expect(zh(r.place.reasons)).toContain('“经开区”即镇江新区')
    expect(r.units[0]?.code).toBe('XQ-UM')
    const m = triage(data, { description: '垃圾没人收', address: '健康路街道梦溪社区' })
    expect(m.place).toMatchObject({ street: 'JK-JKL', community: 'JK-JKL-MX' })
  })

  it('understands colloquial words for categories', () => {
    const top = (description: string) => triage(data, { description }).categories[0]?.code
    expect(top('家里天然气没了，打不着火')).toBe('040302')
    expect(top('我们这栋楼断网了')).toBe('0502')
    expect(top('早高峰堵车堵得厉害')).toBe('0206')
    expect(top('工地夜间施工吵得睡不着')).toBe('030101')
    expect(top('楼道里一股煤气味')).toBe('040301')
  })

  it('sends night construction noise to the environment bureau first', () => {
    const r = triage(data, { description: '工地半夜还在打桩', address: '京口区学府路' })
    expect(r.units[0]?.code).toBe('JK-EE')
    expect(zh(r.units[0]!.reasons)).toContain('规则：建筑施工噪音 × 京口区')
  })

  it('files a company’s gas works under company services and sends them to the gas company', () => {
    const r = triage(data, {
      description: '我们厂区燃气管道改造要接气，华润燃气一直排不上期',
      address: '镇江新区金港大道',
      company: '镇江新区某化工有限公司',
    })
    expect(r.categories[0]?.code).toBe('1307')
    expect(r.units[0]?.code).toBe('GAS-CR')
    expect(zh(r.categories[0]!.reasons)).toContain('企业来电（一企来办）')
  })

  it('lowers a unit that returned tickets with similar words, and only for them', () => {
    const history: HistoryDispatch[] = []
    const at = (i: number) => new Date(Date.UTC(2026, 5, 1, 8, i)).toISOString()
    for (let i = 0; i < 4; i++) {
      const description = `小区宽带断网，光猫亮红灯，第${i + 1}次报修`
      const base = { ticketId: `t${i}`, description, category: '0502', district: '321102' }
      // Dispatched to China Mobile by the rule, returned, then handled by China Unicom.
      history.push({ ...base, unit: 'TEL-CMCC', returned: true, createdAt: at(i) })
      history.push({ ...base, unit: 'TEL-CU', returned: false, createdAt: at(i) })
    }
    for (let i = 4; i < 10; i++)
      history.push({
        ticketId: `t${i}`,
        description: '手机在家里没有信号，打不出电话',
        category: '0501',
        district: '321102',
        unit: 'TEL-CMCC',
        returned: false,
        createdAt: at(i),
      })
    const model = buildTriageModel(history, { version: 1, builtAt: at(0) })
    const learnt: ReferenceData = { ...data, triage: { ...data.triage!, model } }
    const call = { description: '宽带断网了，光猫一直亮红灯', district: '321102', category: '0502' }

    expect(triage(data, call).units[0]?.code).toBe('TEL-CMCC')
    const after = triage(learnt, call)
    expect(after.units[0]?.code).toBe('TEL-CU')
    const cmcc = after.units.find((u) => u.code === 'TEL-CMCC')!
    expect(zh(cmcc.reasons)).toContain('相似工单 4 张被此单位退回')
    expect(zh(cmcc.reasons)).toContain('同类工单 4 张派往此单位，4 张退单')

    // Different words (a mobile signal) keep China Mobile first.
    const signal = { description: '手机没信号，电话打不出去', district: '321102', category: '0501' }
    expect(triage(learnt, signal).units[0]?.code).toBe('TEL-CMCC')
  })

  it('gives the same answer for the same call, and nothing for nothing', () => {
    const call = { description: '路灯坏了，井盖也没了', address: '润州区黄山南路' }
    expect(triage(data, call)).toEqual(triage(data, call))
    const empty = triage(data, { description: '' })
    expect(empty.categories).toEqual([])
    expect(empty.units).toEqual([])
  })
})
