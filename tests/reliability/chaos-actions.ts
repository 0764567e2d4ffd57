// The chaos runs' simulated people: each console, logged in as an agent, a dispatcher, a
// supervisor or unit staff, picks a ticket it sees in its own cache and one of the actions the
// shared rules allow it there now (ticket.get's `allowed`), weighted the way that role works a
// shift. Every action that carries text carries a marker `[chaos cNN#k]`, so the server's
// timeline can be searched for it afterwards: found once = applied once. Issue 16's levels are
// in it: the city dispatches to 京口区's sub-centre too, whose console passes tickets down to a
// bureau and a street (with the other assisting), rules on their returns and replies, recalls
// and re-routes; the street passes some on to a community, which has no console (so the street
// recalls them); the city's dispatchers recall and re-route at level 1.
import type { ActionName } from '../../src/shared/actions'
import type { TicketDetail } from '../../src/shared/api'
import { assignmentOf, chainOf, liveChild } from '../../src/shared/assignments'
import { uuidv7 } from '../../src/shared/ids'
import type { Status } from '../../src/shared/ticket'
import type { Core } from '../sync/harness'

/** Units whose staff have consoles in the run: dispatchers send most tickets there. */
export const UNITS = ['JK-UM', 'RZ-UM', 'CITY-UM', 'JK-CENTER'] as const

/** Where a console's unit passes tickets down (its own units in the reference data). */
const DOWN_TO: Record<string, readonly string[]> = {
  'JK-CENTER': ['JK-UM', 'JK-ZDL', 'JK-UM', 'JK-ZDL', 'JK-DSK'],
  'JK-ZDL': ['JK-ZDL-HJN', 'JK-ZDL-JHJ'],
}
/** Units with a console that may assist on the sub-centre's dispatches. */
const ASSISTING = ['JK-UM', 'JK-ZDL'] as const

/** 20 logins, roles interleaved so that any first N make a working mix. */
export const ROSTER = [
  'agent1',
  'dispatcher1',
  'unit-JK-UM',
  'unit-RZ-UM',
  'agent2',
  'supervisor1',
  'unit-CITY-UM',
  'agent1',
  'dispatcher1',
  'unit-JK-CENTER',
  'unit-JK-ZDL',
  'agent2',
  'unit-CITY-UM',
  'supervisor1',
  'agent1',
  'dispatcher1',
  'unit-JK-CENTER',
  'unit-RZ-UM',
  'unit-CITY-UM',
  'agent2',
] as const

type Role = 'agent' | 'dispatcher' | 'supervisor' | 'unit'
export const roleOf = (username: string): Role =>
  username.startsWith('unit-')
    ? 'unit'
    : username.startsWith('agent')
      ? 'agent'
      : username.startsWith('supervisor')
        ? 'supervisor'
        : 'dispatcher'

/** Which tickets each role looks at, and how much it likes each action. */
const LOOKS_AT: Record<Role, Status[]> = {
  agent: ['replied', 'new'],
  dispatcher: ['new', 'return_requested', 'in_progress', 'dispatched', 'replied', 'closed'],
  supervisor: ['new', 'return_requested', 'in_progress', 'dispatched', 'replied', 'closed'],
  unit: ['dispatched', 'in_progress'],
}
const WEIGHTS: Record<Role, Partial<Record<ActionName, number>>> = {
  agent: { 'ticket.callback': 10, 'ticket.answer': 1, 'ticket.note': 2 },
  dispatcher: {
    'ticket.dispatch': 10,
    'ticket.decideReturn': 8,
    'ticket.decideExtension': 8,
    'ticket.rejectReply': 2,
    'ticket.closeWithoutCallback': 2,
    'ticket.redo': 3,
    'ticket.urge': 3,
    'ticket.note': 1,
    'ticket.recall': 1,
    'ticket.reroute': 1,
  },
  supervisor: {
    'ticket.dispatch': 6,
    'ticket.decideReturn': 6,
    'ticket.decideExtension': 6,
    'ticket.supervise': 3,
    'ticket.urge': 2,
    'ticket.cancel': 1,
    'ticket.closeWithoutCallback': 2,
    'ticket.redo': 2,
    'ticket.note': 1,
  },
  unit: {
    'ticket.sign': 10,
    'ticket.requestReturn': 2,
    'ticket.reply': 8,
    'ticket.requestExtension': 2,
    'ticket.note': 2,
    // Issue 16: passing down, ruling on what comes back up, recalling, assisting.
    'ticket.dispatchDown': 12,
    'ticket.reviewReturn': 8,
    'ticket.reviewReply': 8,
    'ticket.recall': 2,
    'ticket.reroute': 2,
    'ticket.submitPart': 8,
  },
}
/** Share of turns an agent (or a supervisor) logs a new call instead. */
const CREATE_SHARE: Record<Role, number> = { agent: 0.5, dispatcher: 0, supervisor: 0.1, unit: 0 }

/** One mutation the console queued: what to look for on the server afterwards. */
export interface Queued {
  mutationId: number
  name: ActionName
  ticketId: string
  /** Text carried in the args (null for an action that leaves none on the timeline). */
  marker: string | null
  /**
   * How one without a marker is counted (chaos-check.ts): its events of that kind by this
   * console on the ticket — a signing (any level), an approval of a reply from below.
   */
  tally?: 'sign' | 'approve'
  /** When it was queued (ms since the epoch), to tell a failure's story. */
  at: number
}

export interface Player {
  index: number
  username: string
  role: Role
  core: Core
  queued: Queued[]
  /** Actions the console's own rules refused before queueing, by code. */
  refusedLocally: Map<string, number>
  /** Turns with nothing to do (no ticket in a state this role works on). */
  idle: number
  /** What the core logged (sync failures, fresh snapshots), with the time. */
  log: Array<{ at: number; msg: string }>
}

const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!

function weighted(random: () => number, weights: Array<[ActionName, number]>): ActionName | null {
  const total = weights.reduce((s, [, w]) => s + w, 0)
  if (total <= 0) return null
  let r = random() * total
  for (const [name, w] of weights) if ((r -= w) < 0) return name
  return weights[weights.length - 1]![0]
}

const PHRASES = ['夜间施工噪音扰民', '小区路灯不亮', '占道经营油烟', '雨水井盖缺失', '违章停车堵路']

/** `ticket.act` args for `name` on `d`, carrying `marker` wherever the action takes text. */
function argsFor(
  random: () => number,
  name: ActionName,
  d: TicketDetail,
  marker: string,
  unit: string | null,
): Record<string, unknown> | null {
  const ticketId = d.ticket.id
  switch (name) {
    case 'ticket.dispatchDown': {
      const to = pick(random, DOWN_TO[unit!]!)
      const assist = ASSISTING.filter((u) => u !== to && u !== unit)
      return {
        ticketId,
        unit: to,
        assisting: unit === 'JK-CENTER' && random() < 0.5 ? [pick(random, assist)] : [],
        instructions: `请核实处理 ${marker}`,
      }
    }
    case 'ticket.reviewReturn':
      return { ticketId, approve: random() < 0.6, reason: `审核意见 ${marker}` }
    case 'ticket.reviewReply':
      // An approval records no words of its own (counted as an approval); a send-back a reason.
      return random() < 0.7
        ? { ticketId, approve: true, reason: null }
        : { ticketId, approve: false, reason: `请重新办理 ${marker}` }
    case 'ticket.recall':
      return { ticketId, reason: `派错单位 ${marker}` }
    case 'ticket.reroute': {
      const chain = chainOf(d.ticket)
      const own = unit ? assignmentOf(chain, unit) : undefined
      const now = own ? liveChild(chain, own.id)?.unit : d.ticket.unit
      const options = (unit ? (DOWN_TO[unit] ?? []) : UNITS).filter((u) => u !== now)
      if (!options.length) return null
      return { ticketId, unit: pick(random, options), reason: `改派 ${marker}`, instructions: null }
    }
    case 'ticket.submitPart':
      return { ticketId, text: `协办意见 ${marker}` }
    case 'ticket.dispatch':
      return {
        ticketId,
        // Most city tickets go to a sub-centre, as in the 12345 centres (issue 16).
        unit: random() < 0.9 ? pick(random, [...UNITS, 'JK-CENTER']) : 'JK-HUD',
        instructions: `请尽快处理 ${marker}`,
      }
    case 'ticket.sign':
      return { ticketId }
    case 'ticket.requestReturn':
      return { ticketId, reason: `不属于本单位职责 ${marker}` }
    case 'ticket.decideReturn':
    case 'ticket.decideExtension':
      return { ticketId, approve: random() < 0.5, reason: `审核意见 ${marker}` }
    case 'ticket.requestExtension': {
      const due = d.ticket.dueAt ? Date.parse(d.ticket.dueAt) : Date.now()
      const until = new Date(due + 3_600_000 * (1 + Math.floor(random() * 6))).toISOString()
      return { ticketId, until, reason: `需协调多个部门 ${marker}` }
    }
    case 'ticket.reply':
      return { ticketId, text: `已现场处理完毕 ${marker}`, resolved: random() < 0.8 }
    case 'ticket.callback':
      return {
        ticketId,
        satisfaction:
          random() < 0.25 ? 'unsatisfied' : random() < 0.5 ? 'basically_satisfied' : 'satisfied',
        text: `回访记录 ${marker}`,
      }
    case 'ticket.answer':
      return { ticketId, text: `已当场解答 ${marker}` }
    case 'ticket.note':
      return { ticketId, text: `备注 ${marker}`, internal: random() < 0.7 }
    case 'ticket.urge':
    case 'ticket.supervise':
      return { ticketId, text: `请加快办理 ${marker}` }
    default:
      // rejectReply, redo, closeWithoutCallback, cancel: a reason.
      return { ticketId, reason: `处理意见 ${marker}` }
  }
}

/** A new call as an agent logs it. */
function newTicket(random: () => number, marker: string) {
  const n = Math.floor(random() * 10_000)
  return {
    ticket: {
      id: uuidv7(),
      channel: pick(random, ['phone', 'phone', 'wechat', 'web'] as const),
      kind: pick(random, ['complaint', 'help', 'report'] as const),
      category: '0110',
      urgency: random() < 0.15 ? 'urgent' : 'normal',
      caller: { name: '市民', phone: `1390529${String(n).padStart(4, '0')}` },
      description: `${pick(random, PHRASES)}（混沌测试）${marker}`,
      location: { address: `镇江市京口区学府路 ${n} 号`, district: '321102' },
    },
  }
}

/** One turn: choose, act, note what was queued or refused. */
export async function takeTurn(p: Player, random: () => number, n: number): Promise<void> {
  const marker = `[chaos c${String(p.index).padStart(2, '0')}#${n}]`
  const refused = (code: string) =>
    p.refusedLocally.set(code, (p.refusedLocally.get(code) ?? 0) + 1)
  let name: ActionName
  let args: Record<string, unknown>
  let ticketId: string
  if (random() < CREATE_SHARE[p.role]) {
    name = 'ticket.create'
    args = newTicket(random, marker)
    ticketId = (args.ticket as { id: string }).id
  } else {
    // Unit staff work their inbox (本单位待办: to sign, to pass down, a return or a reply from
    // below to rule on, a part to give) most of the time, the rest of their tickets otherwise.
    const inbox = p.role === 'unit' && random() < 0.6
    const page = await p.core.call('queue.query', {
      filter: inbox ? { view: 'mine' } : { status: LOOKS_AT[p.role] },
      sort: { column: 'updatedAt', dir: 'desc' },
      limit: 200,
    })
    if (!page.ok) return void refused(page.error.code)
    if (!page.value.rows.length) return void p.idle++
    const row = pick(random, page.value.rows)
    const got = await p.core.call('ticket.get', { id: row.id })
    if (!got.ok) return void refused(got.error.code)
    const allowed = got.value.allowed
    const unit = p.role === 'unit' ? p.username.slice('unit-'.length) : null
    // Only a unit with units of its own passes down or re-routes below it.
    const passes = (a: string) =>
      !(unit && !DOWN_TO[unit] && (a === 'ticket.dispatchDown' || a === 'ticket.reroute'))
    const chosen = weighted(
      random,
      Object.entries(WEIGHTS[p.role]).filter(
        ([a]) => allowed.includes(a as ActionName) && passes(a),
      ) as Array<[ActionName, number]>,
    )
    if (!chosen) return void p.idle++
    name = chosen
    const made = argsFor(random, name, got.value, marker, unit)
    if (!made) return void p.idle++
    args = made
    ticketId = row.id
  }
  const r = await p.core.call('ticket.act', { name, args })
  if (!r.ok) return void refused(r.error.code)
  const tally =
    name === 'ticket.sign'
      ? 'sign'
      : name === 'ticket.reviewReply' && args.approve === true
        ? 'approve'
        : undefined
  p.queued.push({
    mutationId: r.value.mutationId,
    name,
    ticketId,
    marker: tally ? null : marker,
    ...(tally ? { tally } : {}),
    at: Date.now(),
  })
}
