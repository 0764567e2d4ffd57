// Property: `queue` with random filters, sorts and pages — and `counts` — return exactly what a
// plain in-memory filter and sort over the same tickets return (the model below is written from
// the contract, not from the SQL).
import fc from 'fast-check'
import { toPassUnits } from '../../src/shared/assignments'
import { describe, expect, it } from 'vitest'
import type { Viewer } from '../../src/core/db'
import {
  DEADLINE_STATES,
  SAVED_VIEWS,
  SORT_COLUMNS,
  queueQuerySchema,
  type SavedView,
  type SortColumn,
} from '../../src/shared/api'
import { deadlineState } from '../../src/shared/deadline-state'
import { CHANNELS, KINDS, STATUSES, URGENCIES, type Ticket } from '../../src/shared/ticket'
import { created, ctx, T0 } from '../helpers/workflow'
import { openStore, page } from './helpers'

const MIN = 60_000
type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never
const UNITS = ['JK-ZDL', 'CITY-UM', 'CITY-EEB']
const CATEGORIES = ['0301', '0302', '1302', '030101']
const DISTRICTS = ['321102', '321111']
const USERS = ['u-agent1', 'u-agent2', 'u-disp1']
const WORDS = ['噪音', '路灯', '漏水', '扰民', '正东路', '小区', 'A座', 'abc', '88号', '井盖']
const NOW = T0 + 3 * 86_400_000

const time = fc.option(fc.integer({ min: T0 - 2 * 86_400_000, max: NOW + 5 * 86_400_000 }))
const iso = (ms: number | null) => (ms == null ? null : new Date(ms).toISOString())
const text = fc
  .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 })
  .map((w) => w.join('，'))

const ticketArb = fc.record({
  status: fc.constantFrom(...STATUSES),
  channel: fc.constantFrom(...CHANNELS),
  kind: fc.constantFrom(...KINDS),
  urgency: fc.constantFrom(...URGENCIES),
  category: fc.constantFrom(...CATEGORIES),
  unit: fc.option(fc.constantFrom(...UNITS)),
  coUnits: fc.subarray(UNITS, { maxLength: 2 }),
  district: fc.option(fc.constantFrom(...DISTRICTS)),
  createdBy: fc.constantFrom(...USERS),
  number: fc.option(fc.integer({ min: 1, max: 999 })),
  dispatchedAt: time,
  signedAt: time,
  signBy: time,
  dueAt: time,
  updated: fc.integer({ min: 0, max: 100_000 }),
  extension: fc.constantFrom('none', 'requested', 'granted'),
  phone: fc.option(fc.constantFrom('13800001234', '13912345678', '05115551234')),
  name: fc.option(fc.constantFrom('张先生', '李女士', 'Wang')),
  address: text,
  description: text,
})

function build(specs: Array<ValueOf<typeof ticketArb>>): Ticket[] {
  return specs.map((s, i) => {
    const base = created(T0 + i * MIN + 7).ticket
    return {
      ...base,
      status: s.status,
      channel: s.channel,
      kind: s.kind,
      urgency: s.urgency,
      category: s.category,
      unit: s.unit,
      coUnits: s.coUnits,
      number: s.number == null ? null : `20261123${String(s.number).padStart(6, '0')}`,
      dispatchedAt: iso(s.dispatchedAt),
      signedAt: iso(s.signedAt),
      signBy: iso(s.signBy),
      dueAt: iso(s.dueAt),
      updatedAt: iso(T0 + s.updated * MIN)!,
      extension: { ...base.extension, state: s.extension },
      caller: { ...base.caller, phone: s.phone, name: s.name },
      location: { ...base.location, address: s.address, district: s.district },
      description: s.description,
      createdBy: s.createdBy,
    }
  })
}

const FILTER_KEYS = {
  view: 0,
  status: 0,
  unit: 0,
  category: 0,
  urgency: 0,
  channel: 0,
  kind: 0,
  district: 0,
  createdBy: 0,
  deadline: 0,
  createdFrom: 0,
  createdTo: 0,
  text: 0,
}
const some = <T>(xs: readonly T[]) => fc.subarray([...xs], { minLength: 1 })
const allFilters = fc.record({
  view: fc.constantFrom(...SAVED_VIEWS),
  status: some(STATUSES),
  unit: some(UNITS),
  category: some(['03', '0301', '13', '030101']),
  urgency: some(URGENCIES),
  channel: some(CHANNELS),
  kind: some(KINDS),
  district: some(DISTRICTS),
  createdBy: fc.constantFrom(...USERS),
  deadline: some(DEADLINE_STATES),
  createdFrom: fc.integer({ min: 0, max: 60 }).map((m) => iso(T0 + m * MIN)!),
  createdTo: fc.integer({ min: 0, max: 60 }).map((m) => iso(T0 + m * MIN)!),
  text: fc.constantFrom(
    ...WORDS,
    '噪',
    '水',
    'ABC',
    '1234',
    '2026112300',
    '噪音 小区',
    '88',
    '先生',
  ),
})
/** A few filters at a time (all at once would leave nothing to compare). */
const filterArb = fc
  .tuple(
    allFilters,
    fc.subarray(Object.keys(FILTER_KEYS) as Array<keyof typeof FILTER_KEYS>, { maxLength: 3 }),
  )
  .map(([all, keys]) => Object.fromEntries(keys.map((k) => [k, all[k]])) as Partial<Filter>)

type Filter = ValueOf<typeof allFilters>

const viewerArb = fc.constantFrom<Viewer>(
  { userId: 'u-disp1', role: 'dispatcher', unit: null },
  { userId: 'u-agent1', role: 'agent', unit: null },
  { userId: 'u-zdl', role: 'unit', unit: 'JK-ZDL' },
)

// --- The model ---------------------------------------------------------------------------------

const has = (hay: string | null, needle: string) =>
  hay != null && hay.toLowerCase().includes(needle.toLowerCase())

function matchesTerm(t: Ticket, term: string): boolean {
  const words = [t.caller.name, t.location.address, t.description]
  if (Array.from(term).length < 3) return words.some((w) => has(w, term))
  if (/^\d+$/.test(term) && t.number?.startsWith(term)) return true
  return [t.caller.phone, ...words].some((w) => has(w, term))
}

function inView(t: Ticket, view: SavedView, v: Viewer, now: number): boolean {
  const state = deadlineState(t, now, 0.2)
  switch (view) {
    case 'new':
      return t.status === 'new'
    case 'at_risk':
      return state === 'at_risk'
    case 'overdue':
      return state === 'overdue'
    case 'returns':
      return t.status === 'return_requested'
    case 'extensions':
      return t.extension.state === 'requested'
    case 'callbacks':
      return t.status === 'replied'
    case 'mine':
      return v.role === 'unit'
        ? ['dispatched', 'in_progress', 'return_requested'].includes(t.status)
        : t.createdBy === v.userId
    case 'all':
      return true
    case 'down':
      return v.role === 'unit' && toPassUnits(t).includes(v.unit!)
  }
}

function model(ts: Ticket[], f: Partial<Filter>, v: Viewer, now: number): Ticket[] {
  return ts.filter((t) => {
    if (v.role === 'unit' && t.unit !== v.unit && !t.coUnits.includes(v.unit!)) return false
    if (f.view && !inView(t, f.view, v, now)) return false
    if (f.status && !f.status.includes(t.status)) return false
    if (f.unit && !f.unit.includes(t.unit!)) return false
    if (f.category && !f.category.some((c) => t.category.startsWith(c))) return false
    if (f.urgency && !f.urgency.includes(t.urgency)) return false
    if (f.channel && !f.channel.includes(t.channel)) return false
    if (f.kind && !f.kind.includes(t.kind)) return false
    if (f.district && !f.district.includes(t.location.district!)) return false
    if (f.createdBy && t.createdBy !== f.createdBy) return false
    if (f.deadline && !f.deadline.includes(deadlineState(t, now, 0.2))) return false
    if (f.createdFrom && t.createdAt < f.createdFrom) return false
    if (f.createdTo && t.createdAt >= f.createdTo) return false
    if (f.text && !f.text.split(/\s+/).every((term) => matchesTerm(t, term))) return false
    return true
  })
}

const RANKED: Partial<Record<SortColumn, readonly string[]>> = {
  status: STATUSES,
  urgency: URGENCIES,
  channel: CHANNELS,
  kind: KINDS,
}

function sortKey(t: Ticket, c: SortColumn): string | number | null {
  const ranked = RANKED[c]
  if (ranked) return ranked.indexOf(t[c as 'status'])
  if (c === 'district') return t.location.district
  if (c === 'createdAt' || c === 'updatedAt' || c === 'dueAt' || c === 'signBy')
    return t[c] == null ? null : Date.parse(t[c])
  return t[c as 'number' | 'category' | 'unit']
}

function sorted(ts: Ticket[], c: SortColumn, dir: 'asc' | 'desc'): Ticket[] {
  const cmp = (a: string | number | null, b: string | number | null) =>
    a === b ? 0 : a == null ? -1 : b == null ? 1 : a < b ? -1 : 1
  const sign = dir === 'asc' ? 1 : -1
  return [...ts].sort(
    (a, b) =>
      sign *
      (cmp(sortKey(a, c), sortKey(b, c)) || cmp(Date.parse(a.createdAt), Date.parse(b.createdAt))),
  )
}

describe('queue and counts against a model', () => {
  it('return exactly the filtered, sorted, paged tickets', () => {
    let nonEmpty = 0
    let total = 0
    fc.assert(
      fc.property(
        fc.array(ticketArb, { minLength: 1, maxLength: 40 }),
        fc.array(
          fc.record({
            filter: filterArb,
            viewer: viewerArb,
            column: fc.constantFrom(...SORT_COLUMNS),
            dir: fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
            offset: fc.integer({ min: 0, max: 10 }),
            limit: fc.integer({ min: 1, max: 30 }),
            now: fc.integer({ min: T0, max: NOW + 4 * 86_400_000 }),
          }),
          { minLength: 1, maxLength: 15 },
        ),
        (specs, queries) => {
          const tickets = build(specs)
          const store = openStore()
          store.applyPull(page({ tickets }), ctx)
          for (const q of queries) {
            const parsed = queueQuerySchema.parse({
              filter: q.filter,
              sort: { column: q.column, dir: q.dir },
              offset: q.offset,
              limit: q.limit,
            })
            const expected = sorted(model(tickets, q.filter, q.viewer, q.now), q.column, q.dir)
            const got = store.queue(parsed, q.viewer, q.now)
            total++
            if (expected.length > q.offset) nonEmpty++
            expect(got.total).toBe(expected.length)
            expect(got.rows.map((r) => r.id)).toEqual(
              expected.slice(q.offset, q.offset + q.limit).map((t) => t.id),
            )
            for (const r of got.rows) {
              const t = tickets.find((x) => x.id === r.id)!
              expect(r.deadlineState).toBe(deadlineState(t, q.now, 0.2))
            }
            const counts = store.counts(SAVED_VIEWS, q.viewer, q.now)
            for (const view of SAVED_VIEWS)
              expect(counts[view]).toBe(model(tickets, { view }, q.viewer, q.now).length)
          }
          store.close()
        },
      ),
      { numRuns: 60 },
    )
    // Most queries must return rows, or the property proves little.
    expect(nonEmpty).toBeGreaterThan(total / 6)
  })
})
