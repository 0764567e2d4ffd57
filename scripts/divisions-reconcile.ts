// The unit directory brought in line with the divisions (scripts/divisions.ts --reconcile):
// every street office, town, zone and committee of the divisions is a unit, found by name under
// its district (street level) or street (committees). Existing units keep their codes — tests,
// demo data and tickets name them; a street office the divisions no longer list stays, inactive.
// Routing rules that list a district's street offices get that district's list anew.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pinyin } from 'pinyin-pro'

export interface DivisionsFile {
  source: string
  city: { code: string; name: string }
  districts: { code: string; division: string; name: string }[]
  streets: { division: string; name: string; district: string; kind: 'street' | 'town' | 'zone' }[]
  communities: {
    division: string
    name: string
    street: string
    kind: 'community' | 'village'
  }[]
}

interface UnitRow {
  code: string
  name: string
  nameEn: string
  type: string
  parent: string | null
  districts: string[]
  active?: boolean
  division?: string
}
interface RuleRow {
  category: string
  district: string | null
  units: string[]
}

const STREET_TYPES = new Set(['street', 'town'])

const initialsOf = (name: string) =>
  pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' })
    .join('')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')

/** Initials of a name without its generic ending: 梦溪社区 → MX. */
const initials = (name: string) => initialsOf(name.replace(/(街道|社区|镇|乡|村)$/, '') || name)

function english(name: string, kind: string): string {
  const suffix: Record<string, [RegExp, string]> = {
    street: [/街道$/, 'Subdistrict'],
    town: [/镇$/, 'Town'],
    zone: [/$/, 'Zone'],
    community: [/社区$/, 'Community'],
    village: [/村$/, 'Village'],
  }
  const [re, word] = suffix[kind] ?? [/$/, '']
  const core = name.replace(re, '')
  const py = pinyin(core, { toneType: 'none', type: 'array' }).join('')
  return `${py.charAt(0).toUpperCase()}${py.slice(1)} ${word}`.trim()
}

function freeCode(base: string, taken: Set<string>): string {
  let code = base
  for (let i = 2; taken.has(code); i++) code = `${base}${i}`
  taken.add(code)
  return code
}

export function reconcileUnits(dir: string, div: DivisionsFile): string[] {
  const report: string[] = []
  const unitsPath = join(dir, 'units.json')
  const routingPath = join(dir, 'routing.json')
  const units = JSON.parse(readFileSync(unitsPath, 'utf8')) as UnitRow[]
  const routing = JSON.parse(readFileSync(routingPath, 'utf8')) as RuleRow[]
  const taken = new Set(units.map((u) => u.code))
  const districtUnit = new Map(
    units.filter((u) => u.type === 'district').map((u) => [u.districts[0]!, u]),
  )

  // Street level: matched by name anywhere in the city (丁卯 moved district), else added.
  const byDivision = new Map<string, UnitRow>()
  for (const s of div.streets) {
    let u = units.find(
      (x) => STREET_TYPES.has(x.type) && (x.name === s.name || x.division === s.division),
    )
    const parent = districtUnit.get(s.district)
    if (!u) {
      const prefix = parent?.code ?? s.district
      // 经济开发区 alone names no place: the district's name goes before it (扬中经济开发区).
      const district = div.districts.find((d) => d.code === s.district)?.name ?? ''
      const name = /^经济开发区/.test(s.name)
        ? `${district.replace(/[市区县]$/, '')}${s.name}`
        : s.name
      // A zone's initials keep its ending, so 茅山风景区 does not take 茅山镇's code.
      const key = s.kind === 'zone' ? initialsOf(name).slice(0, 5) : initials(name)
      u = {
        code: freeCode(`${prefix}-${key}`, taken),
        name,
        nameEn: english(s.name, s.kind),
        type: s.kind === 'town' ? 'town' : 'street',
        parent: parent?.code ?? null,
        districts: [s.district],
      }
      units.push(u)
      report.push(`added ${u.code} ${u.name}`)
    } else if (u.districts.length !== 1 || u.districts[0] !== s.district) {
      report.push(`moved ${u.code} ${u.name}: ${u.districts.join(',')} → ${s.district}`)
      u.districts = [s.district]
      u.parent = parent?.code ?? u.parent
    }
    u.division = s.division
    byDivision.set(s.division, u)
  }
  for (const u of units) {
    if (STREET_TYPES.has(u.type) && !u.division && u.active !== false) {
      u.active = false
      report.push(`inactive ${u.code} ${u.name}: not in the divisions`)
    }
  }

  // Committees: matched by name under their street, else added under it.
  for (const c of div.communities) {
    const street = byDivision.get(c.street)
    if (!street) continue
    let u = units.find(
      (x) => x.type === 'community' && x.parent === street.code && x.name === c.name,
    )
    if (!u) {
      u = {
        code: freeCode(`${street.code}-${initials(c.name)}`, taken),
        name: c.name,
        nameEn: english(c.name, c.kind),
        type: 'community',
        parent: street.code,
        districts: [...street.districts],
      }
      units.push(u)
    }
    u.division = c.division
  }
  for (const u of units) {
    if (u.type === 'community' && !u.division && u.active !== false) {
      u.active = false
      report.push(`inactive ${u.code} ${u.name}: not in the divisions`)
    }
  }

  // Street offices in division order after the other units, committees last: the file reads
  // like the city's directory.
  const order = new Map([...byDivision.values()].map((u, i) => [u.code, i]))
  const rank = (u: UnitRow) => (u.type === 'community' ? 2 : STREET_TYPES.has(u.type) ? 1 : 0)
  const sorted = units
    .map((u, i) => ({ u, i }))
    .sort(
      (a, b) =>
        rank(a.u) - rank(b.u) ||
        (rank(a.u) === 2
          ? (a.u.division ?? '~').localeCompare(b.u.division ?? '~')
          : rank(a.u) === 1
            ? (order.get(a.u.code) ?? 1e9) - (order.get(b.u.code) ?? 1e9) || a.i - b.i
            : a.i - b.i),
    )
    .map((x) => x.u)

  // Routing: a rule listing street offices lists exactly its district's active ones.
  const streetsOf = (d: string) =>
    sorted.filter((u) => STREET_TYPES.has(u.type) && u.active !== false && u.districts[0] === d)
  const isStreet = new Set(units.filter((u) => STREET_TYPES.has(u.type)).map((u) => u.code))
  let rules = 0
  for (const r of routing) {
    if (r.district == null) continue
    const at = r.units.findIndex((c) => isStreet.has(c))
    if (at < 0) continue
    const rest = r.units.filter((c) => !isStreet.has(c))
    // The rule's own order is kept (it is the centre's); streets new to the district follow.
    const all = streetsOf(r.district).map((u) => u.code)
    const kept = r.units.filter((c) => all.includes(c))
    const list = [...kept, ...all.filter((c) => !kept.includes(c))]
    const next = [...rest.slice(0, at), ...list, ...rest.slice(at)]
    if (next.join() !== r.units.join()) rules++
    r.units = next
  }
  report.push(`${rules} routing rules' street lists updated`)

  const text = (rows: unknown[]) =>
    `[\n${rows.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`
  writeFileSync(unitsPath, text(sorted))
  writeFileSync(routingPath, text(routing))
  report.push(
    `${unitsPath}: ${sorted.length} units (${sorted.filter((u) => u.type === 'community').length} committees)`,
  )
  return report
}
