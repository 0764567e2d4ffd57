// What the chaos runs check once the faults stop: every console catches up by itself (outbox
// empty, cursor at the server's newest change), shows exactly what the server holds for its
// user, and every action the server acknowledged is in the server's timeline exactly once —
// found by the marker its text carries (ticket.sign carries none, nor an approval of a reply
// from below: counted per console and ticket instead), a refused one not at all, and every
// acknowledged new ticket exists. Issue 16's events repeat words from below as they carry them
// up (an approved reply's text, an approved return's reason): those copies are not counted.
import type { TicketRow } from '../../src/shared/api'
import { consoleLabel } from '../../src/shared/ids'
import type { PullResponse } from '../../src/shared/sync'
import type { TimelineEvent } from '../../src/shared/ticket'
import { api, login, serverState } from '../sync/harness'
import type { Player } from './chaos-actions'

const MARKER = /\[chaos c\d+#\d+\]/g

/** The server's newest settled change, as a full pull from 0 ends. */
export async function latestSeq(url: string, token: string): Promise<number> {
  let cursor = 0
  for (;;) {
    const r = await api(url, 'GET', `/api/v1/sync/pull?cursor=${cursor}&limit=2000`, token)
    if (r.status !== 200) throw new Error(`pull: ${r.status} ${JSON.stringify(r.body)}`)
    const page = r.body as PullResponse
    cursor = page.cursor
    if (!page.hasMore) return cursor
  }
}

const name = (p: Player) => `console c${p.index} (${p.username})`

/** Wait until every console has nothing pending and has pulled the server's newest seq. */
export async function waitConverged(
  players: Player[],
  url: string,
  timeoutMs: number,
): Promise<number> {
  const token = await login(url, 'supervisor1')
  const t0 = Date.now()
  let told = false
  for (;;) {
    const latest = await latestSeq(url, token)
    const behind = players
      .map((p) => ({
        p,
        pending: p.core.store.pendingCount(),
        cursor: Number(p.core.store.getMeta('cursor') ?? 0),
      }))
      .filter((x) => x.pending > 0 || x.cursor < latest)
    if (!behind.length) return (Date.now() - t0) / 1000
    const list = () =>
      behind.map((x) => {
        const s = x.p.core.handlers['sync.status']({}) as {
          state: string
          lastError: string | null
        }
        const why = s.lastError ? ` (${s.lastError})` : ''
        return `${name(x.p)}: ${x.pending} pending, cursor ${x.cursor} of ${latest}, ${s.state}${why}`
      })
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`not converged after ${timeoutMs / 1000} s:\n${list().join('\n')}`)
    if (!told && Date.now() - t0 > 5000) {
      told = true
      console.log(`[chaos] still behind after 5 s:\n${list().join('\n')}`)
    }
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Every ticket id the console's queue lists for its user. */
async function consoleIds(p: Player): Promise<Set<string>> {
  const ids = new Set<string>()
  for (let offset = 0; ; offset += 1000) {
    const r = await p.core.call('queue.query', { offset, limit: 1000 })
    if (!r.ok) throw new Error(`${name(p)}: queue.query ${r.error.code}`)
    for (const row of r.value.rows as TicketRow[]) ids.add(row.id)
    if (r.value.rows.length < 1000) return ids
  }
}

/** Fields that carry up words another action wrote (issue 16): not that action again. */
function carried(e: TimelineEvent): string[] {
  if (e.type === 'level_reply_approved') return ['text']
  if (e.type === 'replied' && e.data.via != null) return ['text']
  if (e.type === 'level_return_approved') return ['asked']
  return []
}

/** What an action without a marker left: a signing at any level, an approval from below. */
function tallyOf(e: TimelineEvent): 'sign' | 'approve' | null {
  if (e.type === 'signed' || e.type === 'level_signed') return 'sign'
  if (e.type === 'level_reply_approved' || (e.type === 'replied' && e.data.via != null))
    return 'approve'
  return null
}

const eventKey = (e: TimelineEvent) => `${e.id} ${e.type} ${e.to} ${JSON.stringify(e.data)}`

/** Differences between one console's cache and the server as its user sees it (empty: none). */
export async function differences(p: Player, url: string): Promise<string[]> {
  const server = await serverState(url, p.username)
  const local = await consoleIds(p)
  const out: string[] = []
  const eventsOf = new Map<string, TimelineEvent[]>()
  for (const e of server.events.values()) {
    if (!eventsOf.has(e.ticketId)) eventsOf.set(e.ticketId, [])
    eventsOf.get(e.ticketId)!.push(e)
  }
  for (const id of local) if (!server.tickets.has(id)) out.push(`${id}: only on the console`)
  for (const [id, t] of server.tickets) {
    const mine = p.core.store.ticket(id)
    if (!mine || !local.has(id)) {
      out.push(`${id}: missing on the console`)
      continue
    }
    if (mine.pending) out.push(`${id}: still pending`)
    if (JSON.stringify(mine.ticket) !== JSON.stringify(t))
      out.push(
        `${id}: console v${mine.ticket.version} ${mine.ticket.status}, server v${t.version} ${t.status}`,
      )
    const want = (eventsOf.get(id) ?? []).sort((a, b) => a.version - b.version).map(eventKey)
    const have = [...mine.events].sort((a, b) => a.version - b.version).map(eventKey)
    if (want.join('\n') !== have.join('\n'))
      out.push(`${id}: timeline ${have.length} events on the console, ${want.length} on the server`)
  }
  return out.map((d) => `${name(p)}: ${d}`)
}

export interface OnceFigures {
  acknowledged: number
  refusedByServer: number
  lost: number
  duplicated: number
  /** Refused by the server, yet in its timeline. */
  refusedButApplied: number
  ticketsCreated: number
  ticketsLost: number
  /** The server's refusals, by code. */
  refusedCodes: Record<string, number>
  problems: string[]
}

/** Every queued action against the server's whole state (as a supervisor sees it). */
export async function exactlyOnce(
  players: Player[],
  url: string,
  t0: number,
): Promise<OnceFigures> {
  const server = await serverState(url, 'supervisor1')
  const found = new Map<string, number>()
  // Once per event or ticket: a re-route's reason and instructions may both carry its marker.
  const count = (texts: unknown[]) => {
    const markers = new Set(
      texts.flatMap((v) => (typeof v === 'string' ? (v.match(MARKER) ?? []) : [])),
    )
    for (const m of markers) found.set(m, (found.get(m) ?? 0) + 1)
  }
  for (const e of server.events.values()) {
    const skip = carried(e)
    count(Object.entries(e.data).flatMap(([k, v]) => (skip.includes(k) ? [] : [v])))
  }
  for (const t of server.tickets.values()) count([t.description])
  const signs = new Map<string, number>()
  for (const e of server.events.values()) {
    const tally = tallyOf(e)
    if (!tally) continue
    const k = `${tally} ${e.actor.consoleId} ${e.ticketId}`
    signs.set(k, (signs.get(k) ?? 0) + 1)
  }

  const f: OnceFigures = {
    acknowledged: 0,
    refusedByServer: 0,
    lost: 0,
    duplicated: 0,
    refusedButApplied: 0,
    ticketsCreated: 0,
    ticketsLost: 0,
    refusedCodes: {},
    problems: [],
  }
  const problem = (s: string) => f.problems.length < 20 && f.problems.push(s)
  const secs = (at: number) => `${((at - t0) / 1000).toFixed(1)} s`
  /** The console's story around a lost action: what its core logged near then. */
  const story = (p: Player, at: number) =>
    p.log
      .filter((l) => Math.abs(l.at - at) < 5000 && !/^(push|pull) failed$/.test(l.msg))
      .map((l) => `${secs(l.at)} ${l.msg}`)
      .join('; ')
  for (const p of players) {
    const rejected = p.core.store.rejected()
    for (const r of rejected) f.refusedCodes[r.code] = (f.refusedCodes[r.code] ?? 0) + 1
    const refused = new Set(rejected.map((r) => r.id))
    const signsWanted = new Map<string, number>()
    const signedAt = new Map<string, number>()
    for (const q of p.queued) {
      if (q.marker == null) {
        // Timelines name the console by a label made from its id (src/shared/ids.ts).
        const k = `${q.tally ?? 'sign'} ${consoleLabel(p.core.clientId)} ${q.ticketId}`
        if (!signsWanted.has(k)) signsWanted.set(k, 0)
        signedAt.set(k, q.at)
        if (refused.has(q.mutationId)) f.refusedByServer++
        else {
          f.acknowledged++
          signsWanted.set(k, signsWanted.get(k)! + 1)
        }
        continue
      }
      const n = found.get(q.marker!) ?? 0
      if (refused.has(q.mutationId)) {
        f.refusedByServer++
        if (n > 0) {
          f.refusedButApplied++
          problem(`${name(p)}: ${q.name} ${q.marker} refused, yet on the server ${n}×`)
        }
        continue
      }
      f.acknowledged++
      if (q.name === 'ticket.create') {
        f.ticketsCreated++
        if (!server.tickets.has(q.ticketId)) {
          f.ticketsLost++
          problem(`${name(p)}: ticket ${q.ticketId} ${q.marker} acknowledged, not on the server`)
        }
      }
      if (n === 0) {
        f.lost++
        problem(
          `${name(p)}: ${q.name} ${q.marker} (mutation ${q.mutationId} at ${secs(q.at)}) lost [${story(p, q.at)}]`,
        )
      } else if (n > 1) {
        f.duplicated += n - 1
        problem(`${name(p)}: ${q.name} ${q.marker} on the server ${n}×`)
      }
    }
    for (const [k, want] of signsWanted) {
      const got = signs.get(k) ?? 0
      if (got === want) continue
      if (got < want) f.lost += want - got
      else f.duplicated += got - want
      const [what, , id] = k.split(' ') as [string, string, string]
      const timeline = [...server.events.values()]
        .filter((e) => e.ticketId === id)
        .sort((a, b) => a.version - b.version)
        .map((e) => `${e.type}@${e.actor.consoleId ?? e.actor.userId}`)
      const at = signedAt.get(k)!
      problem(
        `${name(p)}: ${want} ${what}s acknowledged on ${id} (at ${secs(at)}), ${got} on the server (${timeline.join(' ')}) [${story(p, at)}]`,
      )
    }
  }
  return f
}
