// `npm run bench:triage`: triage on the held-out calls (bench/triage/heldout.txt) and on the
// tuning calls, against two baselines — the routing rules alone (the category from the
// taxonomy's own names in the text, the district from district names), and the most frequent
// unit for the category — with the time per call. The history model is built from the tuning and
// development calls (as past tickets, with the returns the rules would have caused), never from
// the held-out ones. `--tuning-only` leaves the held-out figures out while tuning.
import { loadReferenceData } from '../src/server/reference-files'
import type { ReferenceData } from '../src/shared/reference'
import { indexReference } from '../src/shared/reference-data'
import { triage } from '../src/shared/triage'
import { buildTriageModel } from '../src/shared/triage-model'
import {
  callsAsHistory,
  emptyTally,
  loadCalls,
  pct,
  score,
  type EvalCall,
  type Tally,
} from './triage-eval'

const base = await loadReferenceData()
const ref = indexReference(base)
const heldout = loadCalls('heldout.txt', base)
const tuning = loadCalls('tuning.txt', base)
/**
 * The development calls, written (by another hand, in callers' words) after the held-out set had
 * been measured, to tune the words on: their misses are listed, the held-out ones never are.
 */
const dev = loadCalls('dev.txt', base)
/** While tuning: `--tuning-only` prints no held-out figure, so no choice is made by looking at one. */
const tuningOnly = process.argv.includes('--tuning-only')

const leaves = base.categories.filter((c) => c.active && ref.isLeaf(c.code))
/** Rules only: the taxonomy's own names in the words, the longest first; districts by name. */
function rulesOnly(call: EvalCall, given?: string): { cats: string[]; units: string[] } {
  const text = `${call.address}${call.description}`
  const cats = given
    ? [given]
    : leaves
        .filter((c) => call.description.includes(c.name))
        .sort((a, b) => b.name.length - a.name.length)
        .map((c) => c.code)
  const district = base.districts.find((d) => text.includes(d.name))?.code ?? null
  return { cats, units: cats[0] ? ref.suggestUnits(cats[0], district).slice(0, 3) : [] }
}

/** What a dispatcher following the rules sends first, knowing the place's street office. */
const firstByRule = (c: EvalCall) => {
  const street = c.units.find((u) => ['street', 'town'].includes(ref.units.get(u)?.type ?? ''))
  return ref.suggestUnits(c.categories[0]!, c.district, street)[0]
}
const history = callsAsHistory([...tuning, ...dev], firstByRule)
const model = buildTriageModel(history, { version: 1, builtAt: new Date().toISOString() })
const withModel: ReferenceData = { ...base, triage: { ...base.triage!, model } }

/** Most frequent unit for the category in the history; the city-wide rule's first without. */
const frequent = new Map<string, Map<string, number>>()
for (const h of history) {
  if (h.returned) continue
  const m = frequent.get(h.category) ?? new Map<string, number>()
  m.set(h.unit, (m.get(h.unit) ?? 0) + 1)
  frequent.set(h.category, m)
}
function mostFrequent(category: string | undefined): string[] {
  if (!category) return []
  const m = frequent.get(category)
  if (m) return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([u]) => u)
  return ref.suggestUnits(category, null).slice(0, 1)
}

/**
 * What intake knows of a call: the words and the address; a call without an address carries the
 * district the agent recorded (the caller said which district, not where).
 */
const inputOf = (call: EvalCall) => ({
  description: call.description,
  address: call.address,
  company: call.company,
  district: call.address ? null : call.district,
})

interface Row {
  name: string
  e2e: Tally
  given: Tally
}
function run(calls: EvalCall[], timing: number[] | null): Row[] {
  const rows: Row[] = ['triage', 'triage without history', 'rules only', 'most frequent unit'].map(
    (name) => ({ name, e2e: emptyTally(), given: emptyTally() }),
  )
  for (const call of calls) {
    const input = inputOf(call)
    for (const [i, data] of [withModel, base].entries()) {
      const t0 = performance.now()
      const r = triage(data, input)
      if (timing && i === 0) timing.push(performance.now() - t0)
      const g = triage(data, { ...input, category: call.categories[0]! })
      const cats = r.categories.map((c) => c.code)
      score(
        rows[i]!.e2e,
        call,
        cats,
        r.units.map((u) => u.code),
      )
      score(
        rows[i]!.given,
        call,
        cats,
        g.units.map((u) => u.code),
      )
    }
    const rules = rulesOnly(call)
    score(rows[2]!.e2e, call, rules.cats, rules.units)
    score(rows[2]!.given, call, rules.cats, rulesOnly(call, call.categories[0]).units)
    score(rows[3]!.e2e, call, rules.cats, mostFrequent(rules.cats[0]))
    score(rows[3]!.given, call, rules.cats, mostFrequent(call.categories[0]))
  }
  return rows
}

function print(title: string, rows: Row[]) {
  console.log(`\n${title} (${rows[0]!.e2e.n} calls)`)
  console.log(
    '| method | category top-1 | category top-3 | unit top-1 | unit top-3 | unit top-1, category given | unit top-3, category given |',
  )
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    const { e2e: e, given: g } = r
    console.log(
      `| ${r.name} | ${pct(e.cat1, e.n)} | ${pct(e.cat3, e.n)} | ${pct(e.unit1, e.n)} | ${pct(e.unit3, e.n)} | ${pct(g.unit1, g.n)} | ${pct(g.unit3, g.n)} |`,
    )
  }
}

// Warm up (the index is built on first use, the JIT settles), then time every held-out call.
for (const c of tuning) triage(withModel, inputOf(c))
const times: number[] = []
const timed = tuningOnly ? dev : heldout
const held = run(timed, times)
for (let i = 0; i < 4; i++) run(timed, times)
if (!tuningOnly) print('held-out calls', held)
print('tuning calls', run(tuning, null))
print('development calls', run(dev, null))

times.sort((a, b) => a - b)
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!
console.log(
  `\ntime per call (${times.length} calls): p50 ${q(0.5).toFixed(3)} ms, p95 ${q(0.95).toFixed(3)} ms, max ${q(1).toFixed(3)} ms`,
)
console.log(
  `model: ${model.tickets} tickets, ${Object.keys(model.features).length} features, ${(JSON.stringify(model).length / 1024).toFixed(0)} KiB`,
)

// Two-fold cross-validation on the tuning calls: the history's weights are tuned here, a model
// built from one half judged on the other — never on the held-out calls.
if (process.argv.includes('--cv')) {
  const past = [...tuning, ...dev]
  const halves = [past.filter((_, i) => i % 2 === 0), past.filter((_, i) => i % 2 === 1)]
  for (const [k, train] of halves.entries()) {
    const m = buildTriageModel(callsAsHistory(train, firstByRule), { version: 1, builtAt: '' })
    const data: ReferenceData = { ...base, triage: { ...base.triage!, model: m } }
    const t = emptyTally()
    const g = emptyTally()
    const t0 = emptyTally()
    for (const call of halves[1 - k]!) {
      const r = triage(data, inputOf(call))
      score(
        t,
        call,
        r.categories.map((c) => c.code),
        r.units.map((u) => u.code),
      )
      const r0 = triage(base, inputOf(call))
      score(
        t0,
        call,
        r0.categories.map((c) => c.code),
        r0.units.map((u) => u.code),
      )
      if (process.argv.includes('--why') && !call.units.includes(r.units[0]?.code ?? ''))
        console.log(
          call.id,
          call.units.join(),
          '←',
          r.units
            .slice(0, 3)
            .map((u) => `${u.code} ${u.score} ${u.reasons.map((x) => x.zh).join('；')}`)
            .join(' | '),
        )
      const rg = triage(data, { ...inputOf(call), category: call.categories[0]! })
      score(
        g,
        call,
        [],
        rg.units.map((u) => u.code),
      )
    }
    console.log(
      `cv fold ${k}: with history cat ${pct(t.cat1, t.n)} unit ${pct(t.unit1, t.n)} / ${pct(t.unit3, t.n)}, given ${pct(g.unit1, g.n)}; without cat ${pct(t0.cat1, t0.n)} unit ${pct(t0.unit1, t0.n)} / ${pct(t0.unit3, t0.n)}`,
    )
  }
}

// Misses are listed for the tuning and development calls only: the held-out ones are never looked into.
if (process.argv.includes('--misses')) {
  // Top-1 misses of the tuning and development calls (top-3 misses are marked ×3).
  for (const call of [...tuning, ...dev]) {
    const r = triage(withModel, inputOf(call))
    const cat = r.categories[0]?.code
    const unit = r.units[0]?.code
    const top3 = r.units.slice(0, 3).some((u) => call.units.includes(u.code))
    if (!call.categories.includes(cat ?? '') || !call.units.includes(unit ?? ''))
      console.log(
        `${top3 ? '' : '×3 '}${call.id} want ${call.categories.join('/')} ${call.units.join(',')} got ${r.categories
          .slice(0, 3)
          .map((c) => c.code)
          .join(',')} ${r.units
          .slice(0, 3)
          .map((u) => u.code)
          .join(',')} | ${call.address} | ${call.description}`,
      )
  }
}
