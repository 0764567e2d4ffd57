// The history model: the centre's past dispatches condensed into counts triage can read in
// microseconds — per category and district, where tickets went and whether the unit returned
// them; per two-character piece of the caller's words, the same, and which categories it meant.
// Built on the server (src/server/triage), shipped with the reference data. Pure.
import type { TriageModel } from './triage-data'
import { normalizeText } from './triage-index'

/** One dispatch of the past: where a ticket went and whether the unit returned it. */
export interface HistoryDispatch {
  ticketId: string
  description: string
  category: string
  district: string | null
  unit: string
  returned: boolean
  createdAt: string
}

export interface ModelOptions {
  version: number
  builtAt: string
  /** Features kept at most (the most informative first); 3,000. */
  maxFeatures?: number
  /** A feature must appear in this many tickets; 3. */
  minTickets?: number
}

const HAN = /^\p{Script=Han}$/u

/** Two-character pieces of the Chinese in `text`: 夜间施工 → 夜间, 间施, 施工. */
export function textFeatures(text: string): string[] {
  const chars = Array.from(normalizeText(text))
  const out = new Set<string>()
  for (let i = 0; i + 1 < chars.length; i++) {
    const a = chars[i]!
    const b = chars[i + 1]!
    if (HAN.test(a) && HAN.test(b)) out.add(a + b)
  }
  return [...out]
}

type Counts = [number, number]

function bump(map: Map<string, Map<string, Counts>>, key: string, unit: string, returned: boolean) {
  let m = map.get(key)
  if (!m) map.set(key, (m = new Map()))
  const c = m.get(unit) ?? [0, 0]
  c[returned ? 1 : 0]++
  m.set(unit, c)
}

const top = <V>(m: Map<string, V>, n: number, size: (v: V) => number): Record<string, V> =>
  Object.fromEntries([...m.entries()].sort((a, b) => size(b[1]) - size(a[1])).slice(0, n))

export function buildTriageModel(rows: readonly HistoryDispatch[], o: ModelOptions): TriageModel {
  const routes = new Map<string, Map<string, Counts>>()
  const featUnits = new Map<string, Map<string, Counts>>()
  const featCats = new Map<string, Map<string, number>>()
  const df = new Map<string, number>()
  const tickets = new Set<string>()
  let from: string | null = null
  let to: string | null = null

  for (const r of rows) {
    bump(routes, `${r.category}|${r.district ?? ''}`, r.unit, r.returned)
    const firstTime = !tickets.has(r.ticketId)
    tickets.add(r.ticketId)
    if (from == null || r.createdAt < from) from = r.createdAt
    if (to == null || r.createdAt > to) to = r.createdAt
    for (const f of textFeatures(r.description)) {
      bump(featUnits, f, r.unit, r.returned)
      // A ticket dispatched twice names its category once.
      if (!firstTime) continue
      df.set(f, (df.get(f) ?? 0) + 1)
      let cats = featCats.get(f)
      if (!cats) featCats.set(f, (cats = new Map()))
      cats.set(r.category, (cats.get(r.category) ?? 0) + 1)
    }
  }

  // Informative features: seen often enough, not everywhere, and leaning to few categories or
  // carrying a return (a return is rare and exactly what the model must remember).
  const n = Math.max(1, tickets.size)
  const minTickets = o.minTickets ?? 3
  const scored: [string, number][] = []
  for (const [f, count] of df) {
    const returns = [...(featUnits.get(f)?.values() ?? [])].some((c) => c[1] > 0)
    if (count < minTickets && !returns) continue
    // In a large history a piece in a quarter of all tickets (工单, 反映) tells nothing.
    if (count > Math.max(20, n * 0.25) && !returns) continue
    const cats = featCats.get(f)!
    const lean = Math.max(...cats.values()) / count
    scored.push([f, lean * Math.log(1 + count) + (returns ? 10 : 0)])
  }
  scored.sort((a, b) => b[1] - a[1])
  const kept = scored.slice(0, o.maxFeatures ?? 3000).map(([f]) => f)

  const size = (c: Counts) => c[0] + c[1] * 3
  return {
    version: o.version,
    builtAt: o.builtAt,
    tickets: tickets.size,
    from,
    to,
    routes: Object.fromEntries([...routes].map(([k, m]) => [k, top(m, 8, size)])),
    features: Object.fromEntries(kept.map((f) => [f, top(featUnits.get(f)!, 6, size)])),
    featureCategories: Object.fromEntries(
      kept.map((f) => [f, top(featCats.get(f)!, 4, (x: number) => x)]),
    ),
    accuracy: null,
  }
}
