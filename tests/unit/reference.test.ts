import { describe, it, expect, beforeAll } from 'vitest'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadReferenceData, RESOURCES_DIR, REFERENCE_FILES } from '../../src/server/reference-files'
import type { ReferenceData } from '../../src/shared/reference'
import { dispatchTargets, subCentreOf } from '../../src/shared/dispatch-targets'
import {
  categoryPath,
  checkReferenceData,
  indexReference,
  isCompanyCategory,
  isLeafCategory,
  leafCategories,
  parseReferenceData,
  ReferenceDataError,
  suggestUnitsByRules,
} from '../../src/shared/reference-data'

const JK = '321102'
const RZ = '321111'
const DY = '321181'

let data: ReferenceData
beforeAll(async () => {
  data = await loadReferenceData()
})

/** A deep copy to break on purpose. */
const copy = (): ReferenceData => structuredClone(data)
const unitOf = (code: string) => data.units.find((u) => u.code === code)!

describe('reference files', () => {
  it('load through loadReferenceData with no problems', () => {
    expect(checkReferenceData(data)).toEqual([])
  })

  it('have seven districts, at least 60 leaf categories and 60 units', () => {
    expect(data.districts.map((d) => d.code).sort()).toEqual(
      ['321102', '321111', '321112', '321181', '321182', '321183', '321191'].sort(),
    )
    expect(data.districts.find((d) => d.code === '321191')?.nameEn).toContain('Zhenjiang New Area')
    expect(leafCategories(data.categories).length).toBeGreaterThanOrEqual(60)
    expect(data.units.length).toBeGreaterThanOrEqual(60)
  })

  it('have every top branch, company services at 13', () => {
    const top = new Map(data.categories.filter((c) => c.parent === null).map((c) => [c.code, c]))
    const expected: [string, string][] = [
      ['01', '市政设施'],
      ['02', '道路交通'],
      ['03', '生态环境'],
      ['04', '水电气暖'],
      ['05', '通信'],
      ['06', '住房物业'],
      ['07', '市场监管'],
      ['08', '劳动保障'],
      ['09', '教育'],
      ['10', '卫生健康'],
      ['11', '公共安全'],
      ['12', '社会救助'],
      ['13', '一企来办'],
    ]
    for (const [code, name] of expected) expect(top.get(code)?.name, code).toBe(name)
    expect(isCompanyCategory('1301')).toBe(true)
    expect(isCompanyCategory('0301')).toBe(false)
  })

  it('give every leaf a kind and urgency hint; gas leaks are very urgent', () => {
    for (const c of leafCategories(data.categories)) {
      expect(c.defaultKind, c.code).toBeDefined()
      expect(c.defaultUrgency, c.code).toBeDefined()
    }
    const gasLeak = data.categories.find((c) => c.name === '燃气泄漏')!
    expect(gasLeak.defaultUrgency).toBe('very_urgent')
    expect(data.categories.find((c) => c.name === '停电')?.defaultUrgency).toBe('urgent')
  })

  it('have routing rules that point at existing units, categories and districts', () => {
    const units = new Set(data.units.map((u) => u.code))
    const categories = new Set(data.categories.map((c) => c.code))
    const districts = new Set(data.districts.map((d) => d.code))
    for (const r of data.routing) {
      expect(categories.has(r.category), r.category).toBe(true)
      if (r.district !== null) expect(districts.has(r.district), r.district).toBe(true)
      for (const u of r.units) expect(units.has(u), u).toBe(true)
    }
  })

  it('have unit parents that exist, streets under districts, communities under streets', () => {
    const byCode = new Map(data.units.map((u) => [u.code, u]))
    for (const u of data.units) {
      if (u.parent !== null) expect(byCode.has(u.parent), `${u.code} → ${u.parent}`).toBe(true)
      if (u.type === 'street' || u.type === 'town')
        expect(byCode.get(u.parent!)?.type, u.code).toBe('district')
      // Committees: 社区 under street offices, villages (also type community) under towns too.
      if (u.type === 'community')
        expect(['street', 'town'], u.code).toContain(byCode.get(u.parent!)?.type)
    }
    expect(unitOf('JK-ZDL').name).toBe('正东路街道')
    expect(unitOf('JK-ZDL').parent).toBe('JK')
    expect(unitOf('CITY-UM').districts).toHaveLength(7)
  })

  it('suggest a unit covering the district for every leaf in every district', () => {
    for (const c of leafCategories(data.categories))
      for (const d of data.districts) {
        const units = suggestUnitsByRules(data, c.code, d.code)
        expect(units.length, `${c.code} in ${d.code}`).toBeGreaterThan(0)
        expect(unitOf(units[0]!).districts, `${c.code} in ${d.code}`).toContain(d.code)
      }
  })

  it('route realistically', () => {
    const leaf = (name: string) => data.categories.find((c) => c.name === name)!.code
    // A gas leak goes to the gas company first.
    expect(suggestUnitsByRules(data, leaf('燃气泄漏'), JK)[0]).toBe('GAS-CR')
    expect(suggestUnitsByRules(data, leaf('燃气泄漏'), DY)[0]).toBe('GAS-DY')
    // Neighbour noise goes to a street office of the district.
    const noise = suggestUnitsByRules(data, leaf('邻里生活噪音'), RZ)
    expect(unitOf(noise[0]!).districts).toEqual([RZ])
    expect(unitOf(noise[0]!).type).toBe('street')
    // … and the ticket's own street goes first when given.
    expect(suggestUnitsByRules(data, leaf('邻里生活噪音'), RZ, 'RZ-JS')[0]).toBe('RZ-JS')
    // Municipal facilities: the district's urban management bureau.
    expect(suggestUnitsByRules(data, leaf('路灯故障'), JK)[0]).toBe('JK-UM')
    // Power outage in a county-level city: its own power supply company.
    expect(suggestUnitsByRules(data, leaf('停电'), DY)).toEqual(['POWER-DY'])
    // Without a district, the city-level fallback.
    expect(suggestUnitsByRules(data, leaf('路灯故障'), null)).toEqual(['CITY-UM'])
    // Company services have their owners.
    expect(suggestUnitsByRules(data, leaf('税费服务'), JK)).toEqual(['CITY-TAX'])
  })

  it('prefer the longest prefix, then a district rule over an any-district rule', () => {
    const d: ReferenceData = {
      ...copy(),
      routing: [
        { category: '03', district: null, units: ['CITY-EE'] },
        { category: '03', district: JK, units: ['JK-EE'] },
        { category: '0301', district: null, units: ['CITY-UM', 'CITY-UM', 'CITY-EE'] },
      ],
    }
    expect(suggestUnitsByRules(d, '030101', JK)).toEqual(['CITY-UM', 'CITY-EE'])
    expect(suggestUnitsByRules(d, '0302', JK)).toEqual(['JK-EE'])
    expect(suggestUnitsByRules(d, '0302', RZ)).toEqual(['CITY-EE'])
    expect(suggestUnitsByRules(d, '0401', RZ)).toEqual([])
  })

  it('give category paths and leaves', () => {
    const path = categoryPath(data.categories, '030101').map((c) => c.code)
    expect(path).toEqual(['03', '0301', '030101'])
    expect(categoryPath(data.categories, '99')).toEqual([])
    expect(isLeafCategory(data.categories, '030101')).toBe(true)
    expect(isLeafCategory(data.categories, '0301')).toBe(false)
    expect(indexReference(data).isLeaf('0301')).toBe(false)
    expect(indexReference(data)).toBe(indexReference(data))
  })
})

describe('checkReferenceData', () => {
  it('catches a rule pointing at a missing unit, category or district', () => {
    const d = copy()
    d.routing.push({ category: '0101', district: JK, units: ['NO-SUCH-UNIT'] })
    d.routing.push({ category: '9901', district: null, units: ['CITY-UM'] })
    d.routing.push({ category: '0102', district: '320000', units: ['CITY-UM'] })
    const problems = checkReferenceData(d).join('\n')
    expect(problems).toContain('NO-SUCH-UNIT')
    expect(problems).toContain('9901')
    expect(problems).toContain('320000')
  })

  it('catches a missing parent', () => {
    const d = copy()
    d.units.find((u) => u.code === 'JK-ZDL')!.parent = 'GHOST'
    d.categories.push({ code: '1499', name: '孤儿', nameEn: 'Orphan', parent: '14', active: true })
    const problems = checkReferenceData(d)
    expect(problems.some((p) => p.includes('JK-ZDL') && p.includes('GHOST'))).toBe(true)
    expect(problems.some((p) => p.includes('1499') && p.includes('14'))).toBe(true)
  })

  it('catches duplicate codes', () => {
    const d = copy()
    d.units.push({ ...unitOf('CITY-UM'), name: '重复' })
    d.categories.push({ ...d.categories[0]! })
    const problems = checkReferenceData(d)
    expect(problems).toContain('duplicate unit code CITY-UM')
    expect(problems).toContain('duplicate category code 01')
  })

  it('catches a leaf with no suggestion, a unit with unknown districts and a parent loop', () => {
    const d = copy()
    d.categories.push({ code: '1401', name: '测试', nameEn: 'Test', parent: '14', active: true })
    d.categories.push({
      code: '14',
      name: '测试大类',
      nameEn: 'Test branch',
      parent: null,
      active: true,
    })
    d.units.find((u) => u.code === 'JK')!.districts.push('999999')
    d.units.find((u) => u.code === 'CITY-UM')!.parent = 'CITY-EE'
    d.units.find((u) => u.code === 'CITY-EE')!.parent = 'CITY-UM'
    const problems = checkReferenceData(d)
    expect(problems.some((p) => p.includes('1401') && p.includes('no suggested unit'))).toBe(true)
    expect(problems.some((p) => p.includes('JK') && p.includes('999999'))).toBe(true)
    expect(problems.some((p) => p.includes('CITY-UM') && p.includes('loops'))).toBe(true)
  })

  it('parseReferenceData lists schema problems and check problems', () => {
    const bad = { ...copy(), units: [{ code: 'bad code!', name: '', type: 'x', districts: [] }] }
    expect(() => parseReferenceData(bad)).toThrow(ReferenceDataError)
    try {
      parseReferenceData(bad)
    } catch (e) {
      const err = e as ReferenceDataError
      expect(err.problems.length).toBeGreaterThanOrEqual(4)
      expect(err.message).toContain('units.0.code')
    }
    const broken = copy()
    broken.routing.push({ category: '0101', district: JK, units: ['NO-SUCH-UNIT'] })
    expect(() => parseReferenceData(broken)).toThrow(/NO-SUCH-UNIT/)
  })
})

describe('loadReferenceData', () => {
  it('resolves resources/ from its own location', () => {
    expect(RESOURCES_DIR.replace(/\\/g, '/')).toMatch(/\/resources$/)
  })

  it('names a missing or malformed file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hotline-ref-'))
    try {
      await mkdir(join(dir, 'reference'))
      for (const file of Object.values(REFERENCE_FILES))
        await writeFile(join(dir, file), await readFile(join(RESOURCES_DIR, file), 'utf8'))
      await expect(loadReferenceData(dir)).resolves.toBeDefined()
      await writeFile(join(dir, REFERENCE_FILES.routing), '[{')
      await rm(join(dir, REFERENCE_FILES.calendar))
      const err = await loadReferenceData(dir).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ReferenceDataError)
      expect(String((err as Error).message)).toContain('routing.json')
      expect(String((err as Error).message)).toContain('calendar.json')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('sub-centres (issue 16)', () => {
  let data: ReferenceData
  beforeAll(async () => {
    data = await loadReferenceData()
  })
  it('every district and county has one, dispatching to its own streets, towns and bureaus', () => {
    for (const d of data.districts) {
      const c = subCentreOf(data, d.code)
      expect(c, d.name).toBeDefined()
      const targets = dispatchTargets(data, c!.code)
      expect(targets.length, d.name).toBeGreaterThan(5)
      for (const u of targets) {
        expect(u.districts, `${c!.code} → ${u.code}`).toEqual([d.code])
        expect(u.type).not.toBe('community')
      }
    }
    expect(subCentreOf(data, '321102')?.name).toBe('京口区12345热线分中心')
    expect(dispatchTargets(data, 'JK-CENTER').map((u) => u.name)).toContain('正东路街道')
  })
  it('a street passes tickets only to its own active communities', () => {
    const mine = dispatchTargets(data, 'JK-ZDL')
    expect(mine.length).toBeGreaterThan(3)
    for (const u of mine) expect(u).toMatchObject({ parent: 'JK-ZDL', type: 'community' })
    expect(mine.map((u) => u.code)).not.toContain('JK-ZDL-BCY') // inactive
  })
})
