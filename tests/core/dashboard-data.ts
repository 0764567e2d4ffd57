// The dashboard test's data set: 30 tickets and their timelines, November 2026, written in city
// time (Asia/Shanghai). The period is the week [Mon 11-16, Mon 11-23), the previous one
// [11-09, 11-16), "now" is Sun 11-22 18:00. Units A = JK-ZDL, B = CITY-UM, C = CITY-EEB;
// districts D1 = 321102 (the default), D2 = 321111; communities C1 = 321102001 … What each
// ticket adds to the figures is counted in dashboard.test.ts.
//
// A timeline is steps after `created`, split by `|`: `d TIME UNIT DUE` dispatched (due carried),
// `s` signed, `r TIME DUE` replied (due carried), `a` answered on the call, `cb TIME RATING`
// called back, `rr`/`ra` return requested/approved, `rj` reply sent back, `redo TIME UNIT DUE`,
// `x` more time asked, `cancel`, `merge`. TIME is `MM-DD HH:MM`. The ticket's clock is that of
// its last dispatch (sign-by a day later) unless it is new again.
import type { EventType, Status, Ticket, TimelineEvent } from '../../src/shared/ticket'
import { at } from '../helpers/calendar'

export const city = (s: string): number => at(`2026-${s}`)
const iso = (s: string) => new Date(city(s)).toISOString()

export const A = 'JK-ZDL'
export const B = 'CITY-UM'
export const C = 'CITY-EEB'
export const D1 = '321102'
export const D2 = '321111'
export const C1 = '321102001'
const UNITS: Record<string, string> = { A, B, C }

interface Where {
  unit?: string
  co?: string[]
  district?: string
  community?: string
  address?: string
  category?: string
  channel?: Ticket['channel']
}

const STEPS: Record<string, [EventType, Status]> = {
  d: ['dispatched', 'dispatched'],
  s: ['signed', 'in_progress'],
  r: ['replied', 'replied'],
  a: ['answered', 'closed'],
  cb: ['called_back', 'closed'],
  rr: ['return_requested', 'return_requested'],
  ra: ['return_approved', 'new'],
  rj: ['reply_rejected', 'in_progress'],
  redo: ['redone', 'dispatched'],
  x: ['extension_requested', 'in_progress'],
  cancel: ['cancelled', 'cancelled'],
  merge: ['merged', 'merged'],
}

const tickets: Ticket[] = []
const events: TimelineEvent[] = []

function add(n: number, created: string, status: Status, where: Where, timeline = ''): void {
  const id = `0190f5c2-0000-7000-8000-${String(n).padStart(12, '0')}`
  const steps = timeline ? timeline.split(' | ') : []
  let from: Status | null = null
  let clock: { at: string; signed: string | null; due: string } | null = null
  const evs = ['created', ...steps].map((step, i): TimelineEvent => {
    const [code, day, time, ...rest] =
      step === 'created' ? ['created', ...created.split(' ')] : step.split(' ')
    const when = `${day} ${time}`
    const [type, to] = code === 'created' ? (['created', 'new'] as const) : STEPS[code!]!
    let data: Record<string, unknown> = {}
    if (code === 'd' || code === 'redo') {
      data = { unit: UNITS[rest[0]!], dueAt: iso(rest.slice(1).join(' ')) }
      clock = { at: when, signed: null, due: rest.slice(1).join(' ') }
    } else if (code === 'r') data = { dueAt: iso(rest.join(' ')) }
    else if (code === 'a') data = { dueAt: null }
    else if (code === 'cb') data = { satisfaction: rest[0] }
    else if (code === 's' && clock) clock.signed = when
    else if (code === 'ra') clock = null
    const ev: TimelineEvent = {
      id: `${id}/${i + 1}`,
      ticketId: id,
      type,
      version: i + 1,
      at: iso(when),
      actor: { userId: 'u1', role: 'dispatcher', unit: null, name: null, consoleId: null },
      from,
      to,
      data,
    }
    from = to
    return ev
  })
  const last = (type: EventType) => evs.filter((e) => e.type === type).at(-1)
  const completion = last('replied') ?? last('answered')
  const callback = last('called_back')
  const c = clock as { at: string; signed: string | null; due: string } | null
  tickets.push({
    id,
    number: null,
    channel: where.channel ?? 'phone',
    kind: 'complaint',
    category: where.category ?? '0301',
    urgency: 'normal',
    caller: { name: '张先生', phone: null, anonymous: false, company: null, callbackConsent: true },
    description: '测试工单',
    location: {
      address: where.address ?? '正东路1号',
      district: where.district ?? D1,
      street: null,
      community: where.community ?? null,
      lat: null,
      lng: null,
    },
    status,
    unit: where.unit ?? null,
    coUnits: where.co ?? [],
    instructions: null,
    dispatchedAt: c && iso(c.at),
    signedAt: c?.signed ? iso(c.signed) : null,
    signBy: c && new Date(city(c.at) + 86_400_000).toISOString(),
    dueAt: c && iso(c.due),
    extension: last('extension_requested')
      ? {
          state: 'requested',
          requestedUntil: iso('11-25 09:00'),
          reason: '需协调',
          originalDueAt: null,
        }
      : { state: 'none', requestedUntil: null, reason: null, originalDueAt: null },
    returnRequest: null,
    counts: { returns: 0, urges: 0, reopens: 0, extensions: 0 },
    completedAt: completion?.at ?? null,
    closedAt: status === 'closed' ? (callback?.at ?? completion?.at ?? null) : null,
    resolution: completion
      ? {
          kind: completion.type === 'answered' ? 'answered' : 'replied',
          text: '已处理',
          resolved: true,
          at: completion.at,
          by: 'u1',
        }
      : null,
    satisfaction: (callback?.data.satisfaction as Ticket['satisfaction']) ?? null,
    supervised: false,
    duplicateOf: null,
    needsReview: false,
    createdBy: 'u-agent1',
    createdAt: iso(created),
    updatedAt: evs.at(-1)!.at,
    version: evs.length,
  })
  events.push(...evs)
}

// prettier-ignore
const ROWS: Array<[number, string, Status, Where, string?]> = [
  // In the period (created 11-16 … 11-22).
  [1, '11-16 09:00', 'closed', { unit: A, community: C1 },
    'd 11-16 09:30 A 11-19 09:30 | s 11-16 10:00 | r 11-18 09:00 11-19 09:30 | cb 11-18 15:00 satisfied'],
  [2, '11-16 10:00', 'closed', { unit: A, community: C1 },
    'd 11-16 10:30 A 11-17 10:30 | s 11-16 11:00 | r 11-17 12:00 11-17 10:30 | cb 11-17 16:00 unsatisfied'],
  [3, '11-16 11:00', 'closed', { district: D2, address: '学府路1号', category: '0101' }, 'a 11-16 11:10'],
  [4, '11-17 08:00', 'closed', { community: C1, category: '0101' }, 'a 11-17 08:05'],
  [5, '11-17 09:00', 'closed', { unit: B, district: D2, address: '学府路1号', category: '0302', channel: 'enterprise' },
    'd 11-17 09:30 B 11-20 09:30 | s 11-17 10:00 | r 11-19 09:00 11-20 09:30 | cb 11-19 10:00 basically_satisfied'],
  [6, '11-17 10:00', 'replied', { unit: B, district: D2, address: ' 学府路１号 ', category: '1302', channel: 'web' },
    'd 11-17 10:30 B 11-18 10:30 | s 11-17 11:00 | r 11-18 12:00 11-18 10:30'],
  [7, '11-18 09:00', 'in_progress', { unit: A, community: '321102002', category: '0302' },
    'd 11-18 09:30 B 11-21 09:30 | rr 11-18 10:00 | ra 11-18 11:00 | d 11-18 12:00 A 11-21 12:00 | s 11-18 13:00'],
  [8, '11-18 10:00', 'dispatched', { unit: C, district: D2, address: '中山路7号' }, 'd 11-18 10:30 C 11-23 10:30'],
  [9, '11-19 09:00', 'in_progress', { unit: C, co: [A], district: D2, address: '学府路9号' },
    'd 11-19 09:30 C 11-22 21:30 | s 11-19 10:00 | x 11-20 09:00'],
  [10, '11-20 09:00', 'return_requested', { unit: B, district: D2, address: '中山路3号', category: '0302' },
    'd 11-20 09:30 B 11-25 09:30 | s 11-20 10:00 | rr 11-20 11:00'],
  [11, '11-21 09:00', 'new', { community: C1, category: '0101' }],
  [12, '11-22 09:00', 'new', { community: C1, category: '0101' }],
  [13, '11-22 10:00', 'cancelled', { district: D2, address: '解放路5号', category: '0101' }, 'cancel 11-22 10:30'],
  [14, '11-16 12:00', 'closed', { unit: A, address: '正东路88号' },
    'd 11-16 12:30 A 11-19 12:30 | s 11-16 13:00 | r 11-17 12:00 11-19 12:30 | rj 11-17 15:00 | ' +
    'r 11-18 12:00 11-19 12:30 | cb 11-18 16:00 satisfied'],
  [15, '11-16 13:00', 'closed', { unit: A, address: '正东路 88号' },
    'd 11-16 13:30 A 11-19 13:30 | s 11-16 14:00 | r 11-17 09:00 11-19 13:30 | cb 11-17 10:00 unsatisfied | ' +
    'redo 11-17 11:00 A 11-20 11:00 | s 11-17 12:00 | r 11-18 09:00 11-20 11:00 | cb 11-18 10:00 satisfied'],
  [16, '11-16 14:00', 'in_progress', { unit: A, address: '正东路88号' }, 'd 11-16 14:30 A 11-21 14:30 | s 11-16 15:00'],
  // In the previous period (created 11-09 … 11-15).
  [17, '11-10 09:00', 'closed', { unit: A, community: C1 },
    'd 11-10 09:30 A 11-13 09:30 | s 11-10 10:00 | r 11-12 09:00 11-13 09:30 | cb 11-12 10:00 satisfied'],
  [18, '11-11 09:00', 'closed', { unit: B, district: D2, address: '中山路3号', category: '0302' },
    'd 11-11 09:30 B 11-12 09:30 | s 11-11 10:00 | r 11-13 09:00 11-12 09:30 | cb 11-13 10:00 satisfied'],
  [19, '11-12 09:00', 'closed', { address: '解放路5号', category: '0101' }, 'a 11-12 09:10'],
  [20, '11-13 09:00', 'closed', { unit: B, district: D2, address: '中山路3号', category: '0302', channel: 'enterprise' },
    'd 11-13 09:30 B 11-16 09:30 | s 11-13 10:00 | r 11-14 21:00 11-16 09:30 | cb 11-16 10:00 satisfied'],
  [21, '11-14 09:00', 'replied', { unit: C, district: D2, address: '中山路3号' },
    'd 11-14 09:30 C 11-19 09:30 | rr 11-14 10:00 | ra 11-14 11:00 | d 11-16 09:00 C 11-21 09:00 | ' +
    's 11-16 10:00 | r 11-20 09:00 11-21 09:00'],
  [22, '11-15 09:00', 'new', { community: C1 }, 'd 11-15 09:30 A 11-18 09:30 | rr 11-15 12:00 | ra 11-16 10:00'],
  // Older ones.
  [23, '11-01 09:00', 'in_progress', { unit: A, address: '正东路90号' }, 'd 11-01 09:30 A 11-06 09:30 | s 11-01 10:00'],
  [24, '11-05 09:00', 'closed', { unit: B, district: D2, address: '中山路3号', category: '0302' },
    'd 11-05 09:30 B 11-10 09:30 | s 11-05 10:00 | r 11-07 09:00 11-10 09:30 | cb 11-08 09:00 satisfied'],
  [25, '11-02 09:00', 'replied', { unit: B, district: D2, address: '中山路5号', category: '0302' },
    'd 11-02 09:30 B 11-07 09:30 | s 11-02 10:00 | r 11-06 09:00 11-07 09:30'],
  [26, '11-08 09:00', 'replied', { unit: C, district: D2, address: '中山路3号', category: '0302' },
    'd 11-08 09:30 C 11-13 09:30 | s 11-08 10:00 | r 11-10 09:00 11-13 09:30 | cb 11-10 10:00 unsatisfied | ' +
    'redo 11-16 09:00 C 11-21 09:00 | s 11-16 10:00 | r 11-17 09:00 11-21 09:00'],
  // In the period again.
  [27, '11-16 15:00', 'merged', { address: '正东路88号' }, 'merge 11-16 15:30'],
  [28, '11-20 15:00', 'new', { district: D2, community: '321111001', category: '0101', channel: 'wechat' }],
  [29, '11-22 11:00', 'new', { community: C1, category: '0101' }],
  [30, '11-19 12:00', 'in_progress', { unit: C, co: [B], district: D2, address: '学府路9号', category: '1302', channel: 'web' },
    'd 11-19 12:30 C 11-24 12:30 | s 11-19 13:00'],
]
for (const row of ROWS) add(...row)

export const data = { tickets, events }
export const PERIOD = { from: city('11-16 00:00'), to: city('11-23 00:00') }
export const NOW = city('11-22 18:00')
