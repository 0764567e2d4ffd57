// The triage evaluation sets (bench/triage/heldout.txt, tuning.txt): parsing, the labels'
// shorthand (@UM = the district's urban management bureau …) and scoring. Used by
// `npm run bench:triage` and by the triage tests.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ReferenceData } from '../src/shared/reference'
import type { HistoryDispatch } from '../src/shared/triage-model'

export interface EvalCall {
  id: string
  /** The district the call is truly about (null: the caller gave none). */
  district: string | null
  categories: string[]
  units: string[]
  address: string
  description: string
  company: string | null
}

const DISTRICTS: Record<string, string> = {
  JK: '321102',
  RZ: '321111',
  DT: '321112',
  XQ: '321191',
  DY: '321181',
  YZ: '321182',
  JR: '321183',
}
const URBAN = new Set(['JK', 'RZ', 'DT', 'XQ'])

/** `@UM` in district `JK` → `JK-UM`; city-level where the district has no such unit. */
function expand(token: string, d: string | null): string {
  if (!token.startsWith('@')) return token
  const kind = token.slice(1)
  const urban = d == null || URBAN.has(d)
  switch (kind) {
    case 'WATER':
      return urban ? 'WATER-ZJ' : `WATER-${d}`
    case 'POWER':
      return urban ? 'POWER-ZJ' : `POWER-${d}`
    case 'GAS':
      return d === 'DY' ? 'GAS-DY' : d === 'YZ' ? 'GAS-YZ' : 'GAS-CR'
    case 'HEALTH':
      return d === 'XQ' ? 'XQ-SOC' : d && !urban ? `${d}-HEALTH` : 'CITY-HEALTH'
    case 'EM':
      return d && !urban ? `${d}-EM` : 'CITY-EM'
    case 'EDU':
    case 'CA':
      if (d === 'XQ') return 'XQ-SOC'
      return d ? `${d}-${kind}` : `CITY-${kind}`
    case 'HRSS':
      return d && d !== 'XQ' ? `${d}-HRSS` : 'CITY-HRSS'
    default:
      return d ? `${d}-${kind}` : `CITY-${kind}`
  }
}

export function loadCalls(file: string, data: ReferenceData): EvalCall[] {
  const units = new Set(data.units.map((u) => u.code))
  const cats = new Set(data.categories.map((c) => c.code))
  const text = readFileSync(join(import.meta.dirname, 'triage', file), 'utf8')
  const out: EvalCall[] = []
  text.split('\n').forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return
    const [d, c, u, address, description, company] = line.split('|').map((s) => s.trim())
    const where = `${file}:${i + 1}`
    if (!d || !c || !u || description == null) throw new Error(`${where}: malformed line`)
    const short = d === '-' ? null : d
    if (short && !DISTRICTS[short]) throw new Error(`${where}: district ${d}`)
    const call: EvalCall = {
      id: where,
      district: short ? DISTRICTS[short]! : null,
      categories: c.split('/'),
      units: u.split(',').map((t) => expand(t.trim(), short)),
      address: address === '-' ? '' : (address ?? ''),
      description,
      company: company || null,
    }
    for (const code of call.categories) if (!cats.has(code)) throw new Error(`${where}: ${code}`)
    for (const code of call.units) if (!units.has(code)) throw new Error(`${where}: unit ${code}`)
    out.push(call)
  })
  return out
}

/**
 * The calls as a centre's past: each dispatched to its first acceptable unit and kept — and,
 * where the routing rules' first unit was not acceptable, first dispatched there and returned,
 * as a dispatcher following the rules would have done.
 */
export function callsAsHistory(
  calls: EvalCall[],
  firstByRule: (c: EvalCall) => string | undefined,
): HistoryDispatch[] {
  const out: HistoryDispatch[] = []
  calls.forEach((c, i) => {
    const base = {
      ticketId: `t${i}`,
      description: c.description,
      category: c.categories[0]!,
      district: c.district,
      createdAt: new Date(Date.UTC(2026, 0, 1) + i * 3600_000).toISOString(),
    }
    const rule = firstByRule(c)
    if (rule && !c.units.includes(rule)) out.push({ ...base, unit: rule, returned: true })
    out.push({ ...base, unit: c.units[0]!, returned: false })
  })
  return out
}

export interface Tally {
  n: number
  cat1: number
  cat3: number
  unit1: number
  unit3: number
}

export const emptyTally = (): Tally => ({ n: 0, cat1: 0, cat3: 0, unit1: 0, unit3: 0 })

export function score(t: Tally, call: EvalCall, cats: string[], units: string[]): void {
  t.n++
  if (cats[0] && call.categories.includes(cats[0])) t.cat1++
  if (cats.slice(0, 3).some((c) => call.categories.includes(c))) t.cat3++
  if (units[0] && call.units.includes(units[0])) t.unit1++
  if (units.slice(0, 3).some((u) => call.units.includes(u))) t.unit3++
}

export const pct = (k: number, n: number) => `${((100 * k) / Math.max(1, n)).toFixed(1)} %`
