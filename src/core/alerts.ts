// Alerts (issue 6): watches the cache and raises an `alert` event when a very urgent ticket
// arrives, a ticket turns overdue, or a return or extension request has waited too long — each
// kind for the roles that act on it (alertKindsFor) and unless the person turned it off.
//
// Each alert has a moment (when it became due: creation, the deadline that ran out, the request
// plus the waiting time) and a marker (the ticket's occasion: that creation, that deadline, that
// request). A marker is remembered per user in the cache's meta once seen, so a restart or the
// next check never repeats it, while a new occasion (another deadline after an extension, a second
// return) alerts again. Only moments after the user's session began (and within a day) alert: the
// first sync's backlog and what happened long ago are the queue's business, not a notification's.
// Kinds turned off are still marked, so turning one on again does not replay what was missed.
import type { TicketRow } from '../shared/api'
import { ALERT_KINDS, alertKindsFor, type Alert, type AlertKind } from '../shared/alerts'
import type { Status } from '../shared/ticket'
import { alertBody, alertTitle, summaryBody, summaryTitle, type AlertFacts } from './alert-texts'
import type { LocalStoreApi, ParsedQueueQuery, Viewer } from './db/types'
import type { StoredSession } from './session'
import { readSettings } from './settings'

export interface AlertOptions {
  /** The alerts' clock; tests move it. */
  now: () => number
  /** How often overdue and waiting tickets are looked for without a change to prompt it. */
  intervalMs: number
  /** A change (pull, local action) is looked at this long after, so a burst is one check. */
  debounceMs: number
  /** Moments older than this never alert (a console back after a weekend). */
  lookbackMs: number
  /** More alerts of one kind at once than this become one summary alert. */
  burst: number
}

export const DEFAULT_ALERT_OPTIONS: AlertOptions = {
  now: Date.now,
  intervalMs: 30_000,
  debounceMs: 250,
  lookbackMs: 24 * 3600_000,
  burst: 5,
}

export interface AlertDeps {
  store: LocalStoreApi
  session(): StoredSession | null
  emit(alert: Alert): void
  log?(msg: string, extra?: unknown): void
}

interface Candidate {
  ticketId: string
  number: string
  /** When the alert became due (ms); it is raised once now has passed it. */
  moment: number
  /** The occasion, remembered once alerted (an ISO time). */
  marker: string
  facts: AlertFacts
  /** Marked but not raised (the person's own ticket). */
  silent?: boolean
}

/** Open states a very urgent ticket still needs someone in (replied: the unit is done). */
const STILL_OPEN: Status[] = ['new', 'dispatched', 'in_progress', 'return_requested']
const MINUTE = 60_000

const sinceKey = (userId: string) => `alerts:since:${userId}`
const markerPrefix = (userId: string) => `alerted:${userId}:`
const markerKey = (userId: string, kind: AlertKind, ticketId: string) =>
  `${markerPrefix(userId)}${kind}:${ticketId}`

export class AlertWatcher {
  private timer: NodeJS.Timeout | null = null
  private soon: NodeJS.Timeout | null = null
  private lastPrune = 0
  private readonly opts: AlertOptions

  constructor(
    private readonly deps: AlertDeps,
    opts: Partial<AlertOptions> = {},
  ) {
    this.opts = { ...DEFAULT_ALERT_OPTIONS, ...opts }
  }

  start(): void {
    this.timer ??= setInterval(() => this.safeCheck(), this.opts.intervalMs)
    this.timer.unref?.()
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    if (this.soon) clearTimeout(this.soon)
    this.timer = this.soon = null
  }

  /** Something changed (a pull, an action, the settings): look again shortly. */
  changed(): void {
    if (this.soon || !this.timer) return
    this.soon = setTimeout(() => {
      this.soon = null
      this.safeCheck()
    }, this.opts.debounceMs)
  }

  /** A person logged in: their alerts start now, not with the backlog the snapshot brings. */
  loggedIn(userId: string): void {
    this.deps.store.setMeta(sinceKey(userId), new Date(this.opts.now()).toISOString())
    this.changed()
  }

  private safeCheck(): void {
    try {
      this.check()
    } catch (e) {
      this.deps.log?.('alert check failed', e)
    }
  }

  /** Looks for what is due now and raises it; synchronous (the store is). */
  check(): void {
    const s = this.deps.session()
    const { store } = this.deps
    // During the first sync the snapshot's rows are the backlog, and half of it at that.
    if (!s || !Number(store.getMeta('cursor'))) return
    const kinds = alertKindsFor(s.user.role)
    if (kinds.length === 0) return
    const nowMs = this.opts.now()
    const userId = s.user.id
    let since = Date.parse(store.getMeta(sinceKey(userId)) ?? '')
    if (Number.isNaN(since)) {
      since = nowMs
      store.setMeta(sinceKey(userId), new Date(nowMs).toISOString())
    }
    const cutoff = Math.max(since, nowMs - this.opts.lookbackMs)
    const viewer: Viewer = { userId, role: s.user.role, unit: s.user.unit }
    const settings = readSettings(store, userId).notifications
    const found: Record<AlertKind, Candidate[]> = {
      very_urgent: [],
      overdue: [],
      return_waiting: [],
      extension_waiting: [],
    }
    for (const kind of kinds) {
      if (kind === 'very_urgent') found[kind] = this.veryUrgent(viewer, cutoff, nowMs)
      else if (kind === 'overdue') found[kind] = this.overdue(viewer, cutoff, nowMs)
      else found[kind] = this.waiting(kind, viewer, settings.waitingMinutes, nowMs)
    }
    const at = new Date(nowMs).toISOString()
    for (const kind of ALERT_KINDS) {
      const due = found[kind].filter((c) => {
        if (c.moment > nowMs || c.moment < cutoff) return false
        const key = markerKey(userId, kind, c.ticketId)
        if (this.seen(userId, kind, c.ticketId, c.marker)) return false
        store.setMeta(key, c.marker)
        return true
      })
      const loud = due.filter((c) => !c.silent)
      if (loud.length > 0 && settings[kind]) this.raise(kind, loud, at)
    }
    if (nowMs - this.lastPrune > 3600_000) this.prune(userId, nowMs)
  }

  private seen(userId: string, kind: AlertKind, ticketId: string, marker: string): boolean {
    return this.deps.store.getMeta(markerKey(userId, kind, ticketId)) === marker
  }

  private raise(kind: AlertKind, due: Candidate[], at: string): void {
    if (due.length > this.opts.burst) {
      due.sort((a, b) => a.moment - b.moment)
      return this.deps.emit({
        id: `${kind}:summary:${at}`,
        kind,
        ticketId: null,
        ticketNumber: null,
        title: summaryTitle(kind, due.length),
        body: summaryBody(due.map((c) => c.number)),
        at,
        count: due.length,
      })
    }
    for (const c of due)
      this.deps.emit({
        id: `${kind}:${c.ticketId}:${c.marker}`,
        kind,
        ticketId: c.ticketId,
        ticketNumber: c.number,
        title: alertTitle(kind, c.facts),
        body: alertBody(kind, c.facts),
        at,
        count: 1,
      })
  }

  /** Markers too old to matter again (their moments are past the lookback) are dropped. */
  private prune(userId: string, nowMs: number): void {
    this.lastPrune = nowMs
    // A waiting alert's moment is its marker plus up to a day of waiting time: keep two days.
    const old = nowMs - 2 * this.opts.lookbackMs - 1440 * MINUTE
    for (const { key, value } of this.deps.store.metaWithPrefix(markerPrefix(userId)))
      if (!(Date.parse(value) >= old)) this.deps.store.setMeta(key, null)
  }

  private rows(viewer: Viewer, nowMs: number, q: Partial<ParsedQueueQuery>): TicketRow[] {
    const query: ParsedQueueQuery = {
      filter: {},
      sort: { column: 'createdAt', dir: 'asc' },
      offset: 0,
      limit: 500,
      ...q,
    }
    return this.deps.store.queue(query, viewer, nowMs).rows
  }

  /**
   * Very urgent tickets created since the cutoff and still open; for unit staff, those dispatched
   * to their unit and not yet signed for. A person's own tickets are news to nobody.
   */
  private veryUrgent(viewer: Viewer, cutoff: number, nowMs: number): Candidate[] {
    const unit = viewer.role === 'unit'
    const rows = unit
      ? this.rows(viewer, nowMs, {
          filter: { urgency: ['very_urgent'], status: ['dispatched', 'in_progress'] },
          sort: { column: 'dueAt', dir: 'asc' },
          // Not yet signed at the unit's own level (issue 16: passed down to it).
        }).filter((r) => (r.own ? !r.own.signed : r.status === 'dispatched'))
      : this.rows(viewer, nowMs, {
          filter: {
            urgency: ['very_urgent'],
            status: STILL_OPEN,
            createdFrom: new Date(cutoff).toISOString(),
          },
        })
    const out: Candidate[] = []
    for (const r of rows) {
      const at = unit ? r.dispatchedAt : r.createdAt
      if (!at || this.seen(viewer.userId, 'very_urgent', r.id, at)) continue
      const own = !unit && this.deps.store.ticket(r.id)?.ticket.createdBy === viewer.userId
      const b = this.base(r)
      out.push({
        ...b,
        moment: Date.parse(at),
        marker: at,
        facts: { ...b.facts, address: r.address, forUnit: unit },
        silent: own,
      })
    }
    return out
  }

  /** Overdue tickets in view, by the first of their deadlines that ran out. */
  private overdue(viewer: Viewer, cutoff: number, nowMs: number): Candidate[] {
    const out: Candidate[] = []
    const limit = 1000
    for (let offset = 0; ; offset += limit) {
      // Latest due first: a ticket due before the cutoff ran out before it, whichever clock.
      const rows = this.rows(viewer, nowMs, {
        filter: { view: 'overdue' },
        sort: { column: 'dueAt', dir: 'desc' },
        offset,
        limit,
      })
      for (const r of rows) {
        if (r.dueAt && Date.parse(r.dueAt) < cutoff) return out
        // Unit staff lower in the chain: their own assignment's signing (issue 16).
        const signed = r.own
          ? r.own.signed
          : r.status === 'dispatched'
            ? false
            : r.status === 'return_requested'
              ? this.deps.store.ticket(r.id)?.ticket.signedAt != null
              : true
        const passed: Array<{ ms: number; missed: 'sign' | 'due' }> = []
        if (!signed && r.signBy) passed.push({ ms: Date.parse(r.signBy), missed: 'sign' })
        if (r.dueAt) passed.push({ ms: Date.parse(r.dueAt), missed: 'due' })
        const first = passed.filter((p) => p.ms < nowMs).sort((a, b) => a.ms - b.ms)[0]
        if (!first) continue
        const b = this.base(r)
        out.push({
          ...b,
          moment: first.ms,
          marker: new Date(first.ms).toISOString(),
          facts: { ...b.facts, missed: first.missed },
        })
      }
      if (rows.length < limit) return out
    }
  }

  /** Returns and extension requests waiting longer than the person's setting. */
  private waiting(
    kind: 'return_waiting' | 'extension_waiting',
    viewer: Viewer,
    minutes: number,
    nowMs: number,
  ): Candidate[] {
    const view = kind === 'return_waiting' ? 'returns' : 'extensions'
    const out: Candidate[] = []
    for (const r of this.rows(viewer, nowMs, { filter: { view } })) {
      const found = this.deps.store.ticket(r.id)
      if (!found) continue
      const { ticket, events } = found
      let since: string | null
      let reason: string | null
      if (kind === 'return_waiting') {
        since = ticket.returnRequest?.requestedAt ?? null
        reason = ticket.returnRequest?.reason ?? null
      } else {
        const asked = events.filter((e) => e.type === 'extension_requested').at(-1)
        since = asked?.at ?? null
        reason = ticket.extension.reason
      }
      if (!since) continue
      const sinceMs = Date.parse(since)
      const b = this.base(r)
      out.push({
        ...b,
        moment: sinceMs + minutes * MINUTE,
        marker: since,
        facts: { ...b.facts, waited: Math.floor((nowMs - sinceMs) / MINUTE), reason },
      })
    }
    return out
  }

  private base(r: TicketRow): Pick<Candidate, 'ticketId' | 'number'> & { facts: AlertFacts } {
    return { ticketId: r.id, number: r.number, facts: { number: r.number, summary: r.summary } }
  }
}
