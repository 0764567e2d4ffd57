// The simulated megacity's tickets (bench/megacity.ts): one city day at a time, as COPY text rows
// for `tickets`, `timeline_events`, `change_log` and `ticket_search`, in the shapes the server
// store writes them (store/rows.ts, migration 0003). Deterministic: day d of a run always makes
// the same tickets, so a run that stopped half-way through a day makes it again in full.
//
// Distributions (after published 12345 figures; DESIGN.md §1): ~20 million tickets a year, by
// weekday and season, by hour of day (a day peak around 10:00 and 15:00); phone most of them;
// consultations mostly answered on the call; units and categories by a Zipf law (a few take much
// of the work); each dispatched ticket goes dispatch → sign → (urge, extension, return) → reply
// → callback → closed, with delays drawn from log-normal laws, so what is still open is what
// was made recently, as in a real centre.
import type { ReferenceData } from '../src/shared/reference'
import type { Status } from '../src/shared/ticket'
import { COMPANIES, PLACES, REPLIES, ANSWERS, SAYINGS, SURNAMES } from '../src/server/demo/texts'
import { mulberry32 } from '../src/shared/prng'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
/** Asia/Shanghai. */
const CITY = 8 * HOUR

/** Small fast seeded generator. */
export const rng = mulberry32

type Rand = () => number

function weighted<T>(items: Array<[T, number]>): (r: Rand) => T {
  const total = items.reduce((s, [, w]) => s + w, 0)
  const cum: number[] = []
  let acc = 0
  for (const [, w] of items) cum.push((acc += w / total))
  return (r) => {
    const x = r()
    let lo = 0
    let hi = cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cum[mid]! < x) lo = mid + 1
      else hi = mid
    }
    return items[lo]![0]
  }
}

const zipf = <T>(items: T[], s: number) => weighted(items.map((x, i) => [x, 1 / (i + 1) ** s]))
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
/** Log-normal with the given median (ms) and spread. */
const lognormal = (r: Rand, median: number, sigma: number) => {
  const u = Math.max(1e-12, r())
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r())
  return median * Math.exp(sigma * z)
}

/** COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
const esc = (v: string | number | null): string =>
  v === null
    ? '\\N'
    : typeof v === 'number'
      ? String(v)
      : v.replace(/[\\\t\n\r]/g, (c) =>
          c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
        )
const line = (vals: Array<string | number | null>) => vals.map(esc).join('\t') + '\n'

export const TICKET_COLUMNS = [
  'id',
  'number',
  'channel',
  'kind',
  'category',
  'urgency',
  'status',
  'unit',
  'units',
  'caller_phone',
  'caller_name',
  'address',
  'district',
  'description',
  'sign_by',
  'due_at',
  'completed_at',
  'needs_review',
  'created_at',
  'updated_at',
  'version',
  'seq',
  'data',
]
export const EVENT_COLUMNS = ['id', 'ticket_id', 'version', 'type', 'at', 'seq', 'data']
export const CHANGE_COLUMNS = ['seq', 'kind', 'ticket_id', 'client_id', 'audience', 'xid', 'at']
export const SEARCH_COLUMNS = ['sid', 'ticket_id', 'body']

/** UUIDv7 from a time and the generator (time-ordered, as the consoles make them). */
function uuid7(ms: number, r: Rand): string {
  const hex = ms.toString(16).padStart(12, '0')
  const rnd = (n: number) => {
    let s = ''
    for (let i = 0; i < n; i++) s += Math.floor(r() * 16).toString(16)
    return s
  }
  const variant = (8 + Math.floor(r() * 4)).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${rnd(3)}-${variant}${rnd(3)}-${rnd(12)}`
}

const iso = (ms: number) => new Date(ms).toISOString()

/** The city's local date `YYYYMMDD` of an instant. */
export const cityDay = (ms: number) =>
  iso(ms + CITY)
    .slice(0, 10)
    .replace(/-/g, '')

export interface World {
  categories: Array<{ code: string; top: string; kind: string | null; urgency: string | null }>
  pickCategory: (r: Rand) => {
    code: string
    top: string
    kind: string | null
    urgency: string | null
  }
  pickUnit: (r: Rand) => string
  pickDistrict: (r: Rand) => string
  units: string[]
}

export function world(ref: ReferenceData): World {
  const categories = ref.categories
    .filter((c) => c.parent != null && c.active)
    .map((c) => {
      const x = c as unknown as { defaultKind?: string; defaultUrgency?: string }
      return {
        code: c.code,
        top: c.code.slice(0, 2),
        kind: x.defaultKind ?? null,
        urgency: x.defaultUrgency ?? null,
      }
    })
  // A fixed shuffle so the busiest categories and units are not simply the first listed.
  const r = rng(18)
  const shuffled = <T>(xs: T[]) =>
    xs
      .map((x) => [r(), x] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, x]) => x)
  const units = ref.units.filter((u) => u.active).map((u) => u.code)
  const unitOrder = [
    ...units.filter((u) => u.startsWith('CITY-')),
    ...shuffled(units.filter((u) => !u.startsWith('CITY-'))),
  ]
  const districts = Object.keys(PLACES)
  return {
    categories,
    pickCategory: zipf(shuffled(categories), 0.9),
    pickUnit: zipf(unitOrder, 0.9),
    pickDistrict: weighted(districts.map((d, i) => [d, [18, 16, 12, 10, 20, 9, 15][i] ?? 10])),
    units: unitOrder,
  }
}

const CHANNEL = weighted<string>([
  ['phone', 62],
  ['wechat', 14],
  ['web', 8],
  ['app', 8],
  ['enterprise', 4],
  ['email', 2],
  ['open311', 2],
])
const KIND = weighted<string>([
  ['complaint', 30],
  ['help', 25],
  ['consultation', 30],
  ['suggestion', 6],
  ['report', 8],
  ['praise', 1],
])
const URGENCY = weighted<string>([
  ['normal', 90],
  ['urgent', 8],
  ['very_urgent', 2],
])
/** Share of a day's calls by city hour (0–23). */
const HOURS = weighted<number>(
  [
    1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.5, 3.5, 6.5, 8.5, 9, 8.5, 6.5, 7, 8, 8.5, 8, 7, 5, 4.5, 4, 3, 2,
    1.5,
  ].map((w, h) => [h, w]),
)
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红'
const EXTRA = [
  '',
  '',
  '已经持续一周了。',
  '之前反映过一次，没有解决。',
  '希望相关部门尽快处理。',
  '附近居民意见很大。',
  '请尽快给予答复。',
  '晚上尤其严重。',
  '影响老人和孩子出行。',
  '来电人要求回访。',
]

/** Tickets a city day brings: ~20 million a year, fewer at weekends, more in summer. */
export function dayVolume(dayStartMs: number, perYear: number): number {
  const d = new Date(dayStartMs + CITY)
  const weekday = d.getUTCDay()
  const month = d.getUTCMonth()
  const week = weekday === 0 || weekday === 6 ? 0.72 : 1.11
  const season = 1 + 0.15 * Math.sin(((month - 3) / 12) * 2 * Math.PI)
  return Math.round((perYear / 365) * week * season)
}

export interface DayRows {
  tickets: string[]
  events: string[]
  changes: string[]
  search: string[]
  count: number
  eventCount: number
}

interface Ev {
  type: string
  at: number
  from: Status | null
  to: Status
  role: string
  unit: string | null
  data: Record<string, unknown>
}

/**
 * The tickets of the city day starting at `dayStartMs` (city midnight), created before `nowMs`,
 * numbered from `firstNumber`, with change seqs from `firstSeq` and search sids from `firstSid`.
 */
export function makeDay(
  w: World,
  dayIndex: number,
  dayStartMs: number,
  nowMs: number,
  perYear: number,
  firstNumber: number,
  firstSeq: number,
  firstSid: number,
  xid: number,
): DayRows {
  const r = rng(1_000_003 * (dayIndex + 1))
  const volume = dayVolume(dayStartMs, perYear)
  const day = cityDay(dayStartMs)
  const times: number[] = []
  for (let i = 0; i < volume; i++) {
    const t = dayStartMs + HOURS(r) * HOUR + Math.floor(r() * HOUR)
    if (t < nowMs) times.push(t)
  }
  times.sort((a, b) => a - b)
  const out: DayRows = { tickets: [], events: [], changes: [], search: [], count: 0, eventCount: 0 }
  const loggedAt = iso(nowMs)
  times.forEach((created, i) => {
    const seq = firstSeq + i
    const id = uuid7(created, r)
    const number = `${day}${String(firstNumber + i).padStart(6, '0')}`
    const channel = CHANNEL(r)
    const cat = w.pickCategory(r)
    const kind = r() < 0.6 && cat.kind ? cat.kind : KIND(r)
    const urgency = r() < 0.7 && cat.urgency ? cat.urgency : URGENCY(r)
    const districtCode = w.pickDistrict(r)
    const place = PLACES[districtCode]!
    const road = pick(r, place.roads)
    const estate = r() < 0.5 ? pick(r, place.estates) : null
    const address = `${place.district}${road}${1 + Math.floor(r() * 400)}号${estate ? estate : ''}`
    const sayings = SAYINGS[cat.top] ?? SAYINGS['01']!
    const description =
      pick(r, sayings).replace('{place}', `${place.district}${road}${estate ?? ''}`) +
      pick(r, EXTRA)
    const anonymous = r() < 0.06
    const company = channel === 'enterprise' || r() < 0.03 ? pick(r, COMPANIES) : null
    const callerName = anonymous
      ? null
      : pick(r, SURNAMES) + pick(r, [...GIVEN]) + (r() < 0.5 ? pick(r, [...GIVEN]) : '')
    const phone = anonymous
      ? null
      : `1${pick(r, ['3', '5', '7', '8', '9'])}${String(Math.floor(r() * 1e9)).padStart(9, '0')}`
    const unit = w.pickUnit(r)
    const coUnits = r() < 0.06 ? [w.pickUnit(r)].filter((u) => u !== unit) : []
    const agent = `agent${1 + Math.floor(r() * 400)}`

    // The story, in time; only what happened before now is kept.
    const evs: Ev[] = [
      { type: 'created', at: created, from: null, to: 'new', role: 'agent', unit: null, data: {} },
    ]
    let dispatchedAt: number | null = null
    let signedAt: number | null = null
    let signBy: number | null = null
    let dueAt: number | null = null
    let completedAt: number | null = null
    let closedAt: number
    let resolution: Record<string, unknown> | null = null
    let satisfaction: string | null = null
    let urges = 0
    let returns = 0
    let assigned: string | null = null
    const x = r()
    const answer = (kind === 'consultation' && x < 0.7) || x < 0.05
    if (answer) {
      const at = created + Math.floor(lognormal(r, 4 * MIN, 0.5))
      const text = pick(r, ANSWERS)
      evs.push({
        type: 'answered',
        at,
        from: 'new',
        to: 'closed',
        role: 'agent',
        unit: null,
        data: { text },
      })
      completedAt = closedAt = at
      resolution = { kind: 'answered', text, resolved: true, at: iso(at), by: agent }
    } else if (x < 0.065) {
      const at = created + Math.floor(lognormal(r, 30 * MIN, 1))
      evs.push({
        type: 'cancelled',
        at,
        from: 'new',
        to: 'cancelled',
        role: 'supervisor',
        unit: null,
        data: { reason: '无效来电' },
      })
      closedAt = at
    } else if (x < 0.08) {
      const at = created + Math.floor(lognormal(r, 40 * MIN, 1))
      evs.push({
        type: 'merged',
        at,
        from: 'new',
        to: 'merged',
        role: 'dispatcher',
        unit: null,
        data: {},
      })
      closedAt = at
    } else {
      let t = created + Math.floor(lognormal(r, 20 * MIN, 0.9))
      dispatchedAt = t
      assigned = unit
      signBy = t + (urgency === 'very_urgent' ? 15 * MIN : urgency === 'urgent' ? 30 * MIN : DAY)
      dueAt =
        t +
        (urgency === 'very_urgent'
          ? 8 * HOUR
          : urgency === 'urgent'
            ? DAY
            : kind === 'consultation' || kind === 'help'
              ? 3 * DAY
              : 5 * DAY)
      evs.push({
        type: 'dispatched',
        at: t,
        from: 'new',
        to: 'dispatched',
        role: 'dispatcher',
        unit: null,
        data: { unit, coUnits, instructions: null },
      })
      if (r() < 0.03) {
        t += Math.floor(lognormal(r, 3 * HOUR, 1))
        evs.push({
          type: 'return_requested',
          at: t,
          from: 'dispatched',
          to: 'return_requested',
          role: 'unit',
          unit,
          data: { reason: '不属于本单位职责范围' },
        })
        t += Math.floor(lognormal(r, 2 * HOUR, 1))
        evs.push({
          type: 'return_approved',
          at: t,
          from: 'return_requested',
          to: 'new',
          role: 'dispatcher',
          unit: null,
          data: {},
        })
        returns++
        t += Math.floor(lognormal(r, 20 * MIN, 0.9))
        evs.push({
          type: 'dispatched',
          at: t,
          from: 'new',
          to: 'dispatched',
          role: 'dispatcher',
          unit: null,
          data: { unit, coUnits, instructions: '请按职责办理' },
        })
      }
      t += Math.floor(lognormal(r, 2 * HOUR, 1.1))
      signedAt = t
      evs.push({
        type: 'signed',
        at: t,
        from: 'dispatched',
        to: 'in_progress',
        role: 'unit',
        unit,
        data: {},
      })
      if (r() < 0.12) {
        urges++
        evs.push({
          type: 'urged',
          at: t + Math.floor(lognormal(r, 20 * HOUR, 0.7)),
          from: 'in_progress',
          to: 'in_progress',
          role: 'dispatcher',
          unit: null,
          data: { text: '请尽快办理' },
        })
      }
      if (r() < 0.15)
        evs.push({
          type: 'noted',
          at: t + Math.floor(lognormal(r, 4 * HOUR, 1)),
          from: 'in_progress',
          to: 'in_progress',
          role: 'unit',
          unit,
          data: { text: '已安排人员现场查看', internal: false },
        })
      t += Math.floor(lognormal(r, 30 * HOUR, 0.9))
      completedAt = t
      const text = pick(r, REPLIES)
      evs.push({
        type: 'replied',
        at: t,
        from: 'in_progress',
        to: 'replied',
        role: 'unit',
        unit,
        data: { text, resolved: true },
      })
      resolution = { kind: 'replied', text, resolved: r() < 0.95, at: iso(t), by: `unit-${unit}` }
      t += Math.floor(lognormal(r, 18 * HOUR, 0.8))
      const s = r()
      satisfaction = s < 0.9 ? 'satisfied' : s < 0.975 ? 'basically_satisfied' : 'unsatisfied'
      evs.push({
        type: 'called_back',
        at: t,
        from: 'replied',
        to: 'closed',
        role: 'agent',
        unit: null,
        data: { satisfaction },
      })
      closedAt = t
    }
    // Events are ordered; keep those before now.
    evs.sort((a, b) => a.at - b.at)
    const kept = evs.filter((e) => e.at < nowMs)
    const last = kept[kept.length - 1]!
    const status = last.to
    const done = (ms: number | null) => (ms != null && ms <= last.at ? ms : null)
    const isDispatched = dispatchedAt != null && dispatchedAt <= last.at
    const ticket = {
      id,
      number,
      channel,
      kind,
      category: cat.code,
      urgency,
      caller: { name: callerName, phone, anonymous, company, callbackConsent: !anonymous },
      description,
      location: {
        address,
        district: districtCode,
        street: null,
        community: null,
        lat: null,
        lng: null,
      },
      status,
      unit: isDispatched ? assigned : null,
      coUnits: isDispatched ? coUnits : [],
      instructions: null,
      dispatchedAt: isDispatched ? iso(dispatchedAt!) : null,
      signedAt: done(signedAt) != null ? iso(signedAt!) : null,
      signBy: isDispatched ? iso(signBy!) : null,
      dueAt: isDispatched ? iso(dueAt!) : null,
      extension: { state: 'none', requestedUntil: null, reason: null, originalDueAt: null },
      returnRequest: null,
      counts: {
        returns: kept.filter((e) => e.type === 'return_approved').length ? returns : 0,
        urges: kept.filter((e) => e.type === 'urged').length ? urges : 0,
        reopens: 0,
        extensions: 0,
      },
      completedAt: done(completedAt) != null ? iso(completedAt!) : null,
      closedAt: done(closedAt) != null ? iso(closedAt!) : null,
      resolution: done(completedAt) != null ? resolution : null,
      satisfaction: status === 'closed' ? satisfaction : null,
      supervised: false,
      duplicateOf: null,
      needsReview: false,
      createdBy: agent,
      createdAt: iso(created),
      updatedAt: iso(last.at),
      version: kept.length,
    }
    const unitsKey = ticket.unit ? `|${[ticket.unit, ...ticket.coUnits].join('|')}|` : ''
    out.tickets.push(
      line([
        id,
        number,
        channel,
        kind,
        cat.code,
        urgency,
        status,
        ticket.unit,
        unitsKey,
        phone,
        callerName,
        address,
        districtCode,
        description,
        ticket.signBy,
        ticket.dueAt,
        ticket.completedAt,
        0,
        ticket.createdAt,
        ticket.updatedAt,
        ticket.version,
        seq,
        JSON.stringify(ticket),
      ]),
    )
    kept.forEach((e, k) => {
      const version = k + 1
      const actorUnit = e.role === 'unit' ? e.unit : null
      const ev = {
        id: `${id}/${version}`,
        ticketId: id,
        type: e.type,
        version,
        at: iso(e.at),
        actor: {
          userId:
            e.role === 'unit' ? `unit-${actorUnit}` : e.role === 'agent' ? agent : `${e.role}1`,
          role: e.role,
          unit: actorUnit,
          name: null,
          consoleId: null,
        },
        from: e.from,
        to: e.to,
        data: e.type === 'created' ? { number } : e.data,
      }
      out.events.push(line([ev.id, id, version, e.type, ev.at, seq, JSON.stringify(ev)]))
    })
    out.eventCount += kept.length
    out.changes.push(line([seq, 'ticket', id, null, unitsKey || null, xid, loggedAt]))
    out.search.push(
      line([
        firstSid + i,
        id,
        [number, phone ?? '', callerName ?? '', address, description].join('\n'),
      ]),
    )
  })
  out.count = times.length
  return out
}
