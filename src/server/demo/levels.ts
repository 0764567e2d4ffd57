// Demo tickets that went down the levels (issue 16): the city dispatches to a district's or
// county's sub-centre, which signs and dispatches down to its streets and bureaus — some with an
// assisting unit, some passed on to a community, some returned and re-routed, some recalled by
// the city first — and the replies come back up for review. Every step goes through the shared
// rules, as in tickets.ts; stories stop at random points so every state of the chain appears.
import type { Action } from '../../shared/actions'
import { chainOf, holder } from '../../shared/assignments'
import { dispatchTargets, subCentreOf } from '../../shared/dispatch-targets'
import { uuidv7 } from '../../shared/ids'
import type { ReferenceData } from '../../shared/reference'
import type { Actor, Ticket, TimelineEvent } from '../../shared/ticket'
import { applyAction, makeRulesContext } from '../../shared/workflow'
import type { BulkTicket, Store } from '../store'
import { PLACES, REPLIES, SAYINGS, SURNAMES } from './texts'
import { prng } from '../../shared/prng'

const MINUTE = 60_000

/**
 * Loads `count` multi-level demo tickets. Their numbers take the upper range of each day
 * (`…9xxxxx`), so they never meet the numbers tickets.ts or the server give.
 */
export async function seedLevelTickets(
  store: Store,
  reference: ReferenceData,
  options: { count: number; nowMs?: number; seed?: number },
): Promise<number> {
  const nowMs = options.nowMs ?? Date.now()
  const r = prng(options.seed ?? 16)
  const ctx = makeRulesContext(reference)
  const users = await store.accounts.listUsers()
  const actorOf = (username: string): Actor | undefined => {
    const u = users.find((x) => x.username === username)
    return u && { userId: u.id, role: u.role, unit: u.unit, name: u.displayName, consoleId: null }
  }
  const staff = (unit: string) => actorOf(`unit-${unit}`)
  const dispatcher = actorOf('dispatcher1')!
  const agent = actorOf('agent1')!
  const leaves = reference.categories.filter(
    (c) => c.active && !reference.categories.some((x) => x.parent === c.code),
  )
  const districts = reference.districts.filter((d) => PLACES[d.code])
  const perDay = new Map<string, number>()

  const story = (): BulkTicket | null => {
    const events: TimelineEvent[] = []
    let t: Ticket | null = null
    let at = nowMs - Math.floor(r.next() * 20 * 24 * 60 * MINUTE)
    const stopAt = r.chance(0.5) ? at + r.next() * (nowMs - at) : nowMs
    const act = (a: Action, who: Actor | undefined, gap: number): boolean => {
      if (!who) return false
      const when = at + Math.floor((0.3 + r.next()) * gap * MINUTE)
      if (when > stopAt) return false
      const out = applyAction(t, a, who, when, ctx)
      if (!out.ok) return false
      at = when
      t = out.ticket
      events.push(out.event)
      return true
    }
    const cur = () => t as unknown as Ticket
    const district = r.pick(districts)
    const centre = subCentreOf(reference, district.code)
    if (!centre) return null
    const place = PLACES[district.code]!
    const category = r.pick(leaves)
    const top = category.code.slice(0, 2)
    const address = `镇江市${place.district}${r.pick(place.roads)}${1 + Math.floor(r.next() * 300)}号`
    const id = uuidv7(at)
    const ticketId = id
    const created = act(
      {
        name: 'ticket.create',
        args: {
          ticket: {
            id,
            channel: 'phone',
            kind: category.defaultKind ?? 'complaint',
            category: category.code,
            urgency: 'normal',
            caller: {
              name: `${r.pick(SURNAMES)}${r.chance(0.5) ? '先生' : '女士'}`,
              phone: `139${String(Math.floor(r.next() * 1e8)).padStart(8, '0')}`,
              anonymous: false,
              company: null,
              callbackConsent: true,
            },
            description: r
              .pick(SAYINGS[top] ?? SAYINGS['01']!)
              .replace('{place}', address.replace(/^镇江市/, '')),
            location: {
              address,
              district: district.code,
              street: null,
              community: null,
              lat: null,
              lng: null,
            },
          },
        },
      },
      agent,
      0,
    )
    if (!created) return null
    const done = (): BulkTicket => {
      const tk = cur()
      const l = ctx.calendar.local(Date.parse(tk.createdAt))
      const day = `${l.y}${String(l.m).padStart(2, '0')}${String(l.d).padStart(2, '0')}`
      const n = (perDay.get(day) ?? 0) + 1
      perDay.set(day, n)
      return { ticket: { ...tk, number: `${day}9${String(n).padStart(5, '0')}` }, events }
    }
    const dispatch = (unit: string) =>
      act(
        {
          name: 'ticket.dispatch',
          args: { ticketId, unit, coUnits: [], instructions: '请分中心按属地办理' },
        },
        dispatcher,
        30,
      )
    // Sometimes first to the wrong district: recalled at once, before anyone signed.
    if (r.chance(0.08)) {
      const wrong = r.pick(districts.filter((d) => d.code !== district.code))
      const other = subCentreOf(reference, wrong.code)
      if (other && dispatch(other.code))
        if (!act({ name: 'ticket.recall', args: { ticketId, reason: null } }, dispatcher, 20))
          return done()
    }
    if (!dispatch(centre.code)) return done()
    const c = staff(centre.code)
    if (!act({ name: 'ticket.sign', args: { ticketId } }, c, 40)) return done()
    const targets = dispatchTargets(reference, centre.code).filter((u) => staff(u.code))
    const streets = targets.filter((u) => u.type === 'street' || u.type === 'town')
    const bureaus = targets.filter((u) => u.type === 'bureau')
    if (!streets.length) return done()
    let unit = r.pick(streets).code
    const assisting = bureaus.length && r.chance(0.3) ? [r.pick(bureaus).code] : []
    const down = (to: string, parts: string[], by: Actor | undefined) =>
      act(
        {
          name: 'ticket.dispatchDown',
          args: { ticketId, unit: to, assisting: parts, instructions: '请核实后处理并回复' },
        },
        by,
        60,
      )
    if (!down(unit, assisting, c)) return done()
    // A street that says it is not theirs: the sub-centre re-routes it to another.
    if (r.chance(0.15)) {
      const reason = '该地址不在本街道辖区'
      if (!act({ name: 'ticket.requestReturn', args: { ticketId, reason } }, staff(unit), 90))
        return done()
      const next = r.pick(streets.filter((s) => s.code !== unit))?.code
      if (!next) return done()
      const ok = act(
        {
          name: 'ticket.reroute',
          args: { ticketId, unit: next, assisting, reason: '按辖区改派', instructions: null },
        },
        c,
        60,
      )
      if (!ok) return done()
      unit = next
    }
    for (const p of assisting) act({ name: 'ticket.sign', args: { ticketId } }, staff(p), 60)
    if (!act({ name: 'ticket.sign', args: { ticketId } }, staff(unit), 60)) return done()
    for (const p of assisting)
      act(
        { name: 'ticket.submitPart', args: { ticketId, text: '已配合核查，意见如下：情况属实。' } },
        staff(p),
        300,
      )
    // A third level: the street passes it to one of its communities.
    const communities = dispatchTargets(reference, unit).filter((u) => staff(u.code))
    const reply = (who: Actor | undefined) =>
      act(
        { name: 'ticket.reply', args: { ticketId, text: r.pick(REPLIES), resolved: true } },
        who,
        900,
      )
    const review = (who: Actor | undefined) =>
      act({ name: 'ticket.reviewReply', args: { ticketId, approve: true, reason: null } }, who, 120)
    if (communities.length && r.chance(0.35)) {
      const com = r.pick(communities).code
      if (!down(com, [], staff(unit))) return done()
      if (!act({ name: 'ticket.sign', args: { ticketId } }, staff(com), 60)) return done()
      if (!reply(staff(com)) || !review(staff(unit))) return done()
    } else if (!reply(staff(unit))) return done()
    if (!review(c)) return done()
    if (holder(chainOf(cur()))?.level !== 1 || cur().status !== 'replied') return done()
    act(
      { name: 'ticket.callback', args: { ticketId, satisfaction: 'satisfied', text: null } },
      agent,
      240,
    )
    return done()
  }

  const batch: BulkTicket[] = []
  for (let i = 0; i < options.count; i++) {
    const b = story()
    if (b) batch.push(b)
  }
  // Their numbers are out of the daily sequence: the server's own numbering is left as it is.
  await store.bulkInsert(batch, new Map())
  return batch.length
}
