// The per-period half of the KPI calculators (./kpi.ts): one accumulator per period, fed the
// tickets and then the events, each once.
import type { MeanDays, Period, PeriodKpis, Ratio } from './kpi'
import { cityCompletion } from './kpi-judge'
import { isCompanyCategory } from './reference-data'
import type { EventType, Ticket, TimelineEvent } from './ticket'

const DAY_MS = 86_400_000

/** A company request (一企来办): the enterprise channel, or a company-services category. */
export const isCompanyRequest = (t: Pick<Ticket, 'channel' | 'category'>): boolean =>
  t.channel === 'enterprise' || isCompanyCategory(t.category)

export const ratio = (numerator: number, denominator: number): Ratio => ({
  numerator,
  denominator,
  rate: denominator === 0 ? null : numerator / denominator,
})

export const meanDays = (totalDays: number, count: number): MeanDays => ({
  totalDays,
  count,
  mean: count === 0 ? null : totalDays / count,
})

/**
 * The timeline events the period figures count, by what they count: completions (answered on the
 * call or replied), callbacks, dispatches, approved returns and redos. No other event is read.
 */
export const KPI_EVENT_TYPES = {
  completed: ['answered', 'replied'],
  called_back: ['called_back'],
  dispatched: ['dispatched'],
  returned: ['return_approved'],
  reopened: ['redone'],
} as const satisfies Record<string, readonly EventType[]>

/** Closed as answered on the call (first-call resolution), by the ticket's own state. */
export const answeredByStatus = (t: Pick<Ticket, 'status' | 'resolution'>): boolean =>
  t.status === 'closed' && t.resolution?.kind === 'answered'

/**
 * Per ticket (by its index in the input), the earliest event of a kind in the period and how many
 * there were: typed arrays, so a million tickets cost two allocations, not a million objects.
 */
class Anchors {
  readonly first: Float64Array
  readonly count: Uint32Array

  constructor(n: number) {
    this.first = new Float64Array(n).fill(Infinity)
    this.count = new Uint32Array(n)
  }

  add(i: number, at: number): void {
    this.count[i]!++
    if (at < this.first[i]!) this.first[i] = at
  }

  /**
   * How many of the `later` events (ticket index, time) follow an anchor of the same ticket: each
   * anchor pairs with at most one, so the result never exceeds the anchors' total. On a consistent
   * timeline (dispatch → return → dispatch …) this is exactly "returns of dispatches made in the
   * period", whatever order the events came in.
   */
  paired(laterIdx: number[], laterAts: number[]): number {
    const used = new Map<number, number>()
    let n = 0
    for (let k = 0; k < laterIdx.length; k++) {
      const i = laterIdx[k]!
      if (this.first[i]! > laterAts[k]!) continue
      const u = used.get(i) ?? 0
      if (u >= this.count[i]!) continue
      used.set(i, u + 1)
      n++
    }
    return n
  }
}

/**
 * One period's figures. Fed each received ticket during the ticket pass, then `begin(n)` with the
 * number of tickets, then every event of a known ticket (by index) during the event pass.
 */
export class PeriodAccumulator {
  private readonly period: Period
  private received = 0
  /** Received tickets answered on the call: by status, plus by an `answered` event (flagged). */
  private answeredByStatus = 0
  private answeredByEvent = 0
  private answeredFlag = new Uint8Array(0)
  private completions = 0
  /** 按时办结率 (应办结, kpi-judge.ts): tickets judged, and those replied by their due. */
  private due = 0
  private onTime = 0
  private handlingTotal = 0
  private handlingCount = 0
  private companyTotal = 0
  private companyCount = 0
  private callbacks = 0
  private satisfied = 0
  private basicallySatisfied = 0
  private unsatisfied = 0
  private dispatches = 0
  private returnsApproved = 0
  private redos = 0
  private dispatchAnchors = new Anchors(0)
  private completionAnchors = new Anchors(0)
  private readonly returnIdx: number[] = []
  private readonly returnAts: number[] = []
  private readonly redoIdx: number[] = []
  private readonly redoAts: number[] = []

  private readonly now: number

  constructor(period: Period, now: number) {
    this.period = period
    this.now = now
  }

  /** Every ticket, received in the period or not: judged for on-time completion if due in it. */
  addTicket(t: Ticket): void {
    const c = cityCompletion(t, { period: this.period, now: this.now })
    if (c == null) return
    this.due++
    if (c === 'on_time') this.onTime++
  }

  contains(ms: number): boolean {
    return ms >= this.period.from && ms < this.period.to
  }

  addReceived(t: Ticket): void {
    this.received++
    if (answeredByStatus(t)) this.answeredByStatus++
  }

  begin(ticketCount: number): void {
    this.answeredFlag = new Uint8Array(ticketCount)
    this.dispatchAnchors = new Anchors(ticketCount)
    this.completionAnchors = new Anchors(ticketCount)
  }

  /**
   * An event of ticket `t` (index `i`, created at `created` ms), at `at` ms. Only `answered`
   * matters outside the period: a ticket received in the period may be answered just after it.
   */
  addEvent(ev: TimelineEvent, at: number, t: Ticket, i: number, created: number): void {
    if (ev.type === 'answered' && this.contains(created) && !answeredByStatus(t)) {
      if (this.answeredFlag[i] === 0) this.answeredByEvent++
      this.answeredFlag[i] = 1
    }
    if (!this.contains(at)) return
    switch (ev.type) {
      case 'answered':
      case 'replied':
        this.addCompletion(ev, at, t, i, created)
        break
      case 'called_back':
        this.callbacks++
        if (ev.data.satisfaction === 'satisfied') this.satisfied++
        else if (ev.data.satisfaction === 'basically_satisfied') this.basicallySatisfied++
        else if (ev.data.satisfaction === 'unsatisfied') this.unsatisfied++
        break
      case 'dispatched':
        this.dispatches++
        this.dispatchAnchors.add(i, at)
        break
      case 'return_approved':
        this.returnsApproved++
        this.returnIdx.push(i)
        this.returnAts.push(at)
        break
      case 'redone':
        this.redos++
        this.redoIdx.push(i)
        this.redoAts.push(at)
        break
      default:
        break
    }
  }

  private addCompletion(ev: TimelineEvent, at: number, t: Ticket, i: number, created: number) {
    this.completions++
    const days = (at - created) / DAY_MS
    if (Number.isFinite(days)) {
      this.handlingTotal += days
      this.handlingCount++
      if (isCompanyRequest(t)) {
        this.companyTotal += days
        this.companyCount++
      }
    }
    this.completionAnchors.add(i, at)
  }

  result(): PeriodKpis {
    const rated = this.satisfied + this.basicallySatisfied + this.unsatisfied
    return {
      period: { from: this.period.from, to: this.period.to },
      counts: {
        received: this.received,
        completions: this.completions,
        dispatches: this.dispatches,
        returnsApproved: this.returnsApproved,
        redos: this.redos,
        callbacks: this.callbacks,
      },
      onTimeRate: ratio(this.onTime, this.due),
      satisfactionRate: {
        ...ratio(this.satisfied + this.basicallySatisfied, rated),
        satisfied: this.satisfied,
        basicallySatisfied: this.basicallySatisfied,
        unsatisfied: this.unsatisfied,
      },
      avgHandlingDays: meanDays(this.handlingTotal, this.handlingCount),
      avgCompanyHandlingDays: meanDays(this.companyTotal, this.companyCount),
      returnRate: ratio(
        this.dispatchAnchors.paired(this.returnIdx, this.returnAts),
        this.dispatches,
      ),
      reopenRate: ratio(
        this.completionAnchors.paired(this.redoIdx, this.redoAts),
        this.completions,
      ),
      firstCallResolutionRate: ratio(this.answeredByStatus + this.answeredByEvent, this.received),
    }
  }
}
