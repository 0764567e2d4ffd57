// Automatic urging (催办) and supervision (督办), DESIGN.md §3: once a working day, from the
// configured local time, every ticket overdue in an urgeable state is urged by the system, and
// one overdue by the configured working days is flagged for supervision, once. Each is an action
// of the shared rules applied like a pushed mutation (one transaction with its timeline event and
// change-log row, then a poke), so consoles pull it and the unit's counts include it.
//
// Once a day across restarts and processes: the day's job_runs row is the lock, and each urge
// writes a job_items row in its own transaction, so a run taken over from a process that died
// (its heartbeat stale) skips what was done.
import { randomUUID } from 'node:crypto'
import { actionArgSchemas } from '../../shared/actions'
import { formatLocalDate } from '../../shared/calendar'
import type { Actor } from '../../shared/ticket'
import { applyAction } from '../../shared/workflow'
import type { Reference, ServerContext } from '../context'
import { isTemporary } from '../store'
import { clockMinutes, DEFAULT_AUTO_URGE, type AutoUrgeConfig } from './config'
import { overdueAt, superviseText, URGEABLE, urgeText } from './overdue'

export const AUTO_URGE_JOB = 'auto-urge'
/** Tickets read per query while sweeping. */
const PAGE = 200
/** A run nobody has beaten for this long is taken to be dead, and may be taken over. */
export const STALE_MS = 10 * 60_000
const HEARTBEAT_MS = 60_000

export const URGE_ACTOR: Actor = {
  userId: 'system',
  role: 'system',
  unit: null,
  name: '系统自动催办',
  consoleId: null,
}
export const SUPERVISE_ACTOR: Actor = { ...URGE_ACTOR, name: '系统自动督办' }

export interface AutoUrgeResult {
  /** The city's local date the check was for, `YYYY-MM-DD`. */
  day: string
  /** Whether this call did the day's run (false: not due, or done or being done elsewhere). */
  ran: boolean
  urged: number
  supervised: number
  /** Why it did not run. */
  reason?: 'not_working_day' | 'too_early' | 'already_ran'
}

interface Tally {
  overdue: number
  urged: number
  supervised: number
  failed: number
}

const iso = (ms: number) => new Date(ms).toISOString()

export class AutoUrgeJob {
  /** This process, as the owner of the runs it takes. */
  private readonly owner = randomUUID()
  private readonly atMinute: number

  constructor(
    private readonly ctx: ServerContext,
    readonly config: AutoUrgeConfig = DEFAULT_AUTO_URGE,
  ) {
    const m = clockMinutes(config.atLocalTime)
    if (m == null) throw new Error(`auto-urge time must be HH:MM, not "${config.atLocalTime}"`)
    this.atMinute = m
  }

  /** Does the day's run if it is due at `nowMs` and nobody has done it; see AutoUrgeResult. */
  async run(nowMs: number = this.ctx.now()): Promise<AutoUrgeResult> {
    const ref = await this.ctx.reference()
    const cal = ref.rules.calendar
    const local = cal.local(nowMs)
    const day = formatLocalDate(local)
    const skip = (reason: NonNullable<AutoUrgeResult['reason']>): AutoUrgeResult => ({
      day,
      ran: false,
      urged: 0,
      supervised: 0,
      reason,
    })
    if (!cal.isWorkingDay(local)) return skip('not_working_day')
    if (local.minute < this.atMinute) return skip('too_early')
    const jobs = this.ctx.store.jobs
    const claim = await jobs.claim(
      AUTO_URGE_JOB,
      day,
      this.owner,
      iso(nowMs),
      iso(nowMs - STALE_MS),
    )
    if (!claim) return skip('already_ran')

    const started = Date.now()
    const tally: Tally = { overdue: 0, urged: 0, supervised: 0, failed: 0 }
    const kept = await this.sweep(ref, day, nowMs, started, tally)
    const ms = Date.now() - started
    if (kept) {
      await jobs.finish(AUTO_URGE_JOB, day, this.owner, iso(nowMs + ms), tally)
      await jobs.forgetItemsBefore(AUTO_URGE_JOB, day)
    }
    this.ctx.log?.info(
      { job: AUTO_URGE_JOB, day, resumed: claim === 'resumed', takenOver: !kept, ...tally, ms },
      'automatic urging ran',
    )
    return { day, ran: true, urged: tally.urged, supervised: tally.supervised }
  }

  /** Every overdue ticket, in pages; false when another process took the run over meanwhile. */
  private async sweep(
    ref: Reference,
    day: string,
    nowMs: number,
    started: number,
    tally: Tally,
  ): Promise<boolean> {
    const superviseAfter = ref.rules.deadlines.superviseAfterOverdueWorkingDays
    let beat = started
    let after = ''
    for (;;) {
      const page = await this.ctx.store.jobs.byDeadline(URGEABLE, 'before', iso(nowMs), after, PAGE)
      for (const t of page) {
        after = t.id
        if (!overdueAt(t, nowMs, ref.rules.calendar)) continue
        tally.overdue++
        try {
          if (await this.urge(t.id, ref, day, nowMs)) tally.urged++
          if (await this.supervise(t.id, ref, superviseAfter, nowMs)) tally.supervised++
        } catch (e) {
          // Database trouble ends the run (it is resumed later); a bug on one ticket does not.
          if (isTemporary(e)) throw e
          tally.failed++
          this.ctx.log?.error({ err: e, job: AUTO_URGE_JOB, ticketId: t.id }, 'auto-urge failed')
        }
        if (Date.now() - beat >= HEARTBEAT_MS) {
          beat = Date.now()
          const at = iso(nowMs + (beat - started))
          if (!(await this.ctx.store.jobs.heartbeat(AUTO_URGE_JOB, day, this.owner, at)))
            return false
        }
      }
      if (page.length < PAGE) return true
    }
  }

  /** Urges one ticket, unless it is no longer overdue or was urged by this job today. */
  private urge(ticketId: string, ref: Reference, day: string, nowMs: number): Promise<boolean> {
    return this.ctx.store.mutate(async (tx) => {
      const before = await tx.ticket(ticketId, true)
      const overdue = before && overdueAt(before, nowMs, ref.rules.calendar)
      if (!before || !overdue) return false
      const args = actionArgSchemas['ticket.urge'].parse({ ticketId, text: urgeText(overdue) })
      const res = applyAction(before, { name: 'ticket.urge', args }, URGE_ACTOR, nowMs, ref.rules)
      if (!res.ok || !(await tx.claimJobItem(AUTO_URGE_JOB, day, ticketId))) return false
      await tx.saveTicket(before, res.ticket, res.event)
      return true
    })
  }

  /** Flags one ticket for supervision when overdue by `afterDays` working days, once ever. */
  private supervise(
    ticketId: string,
    ref: Reference,
    afterDays: number,
    nowMs: number,
  ): Promise<boolean> {
    return this.ctx.store.mutate(async (tx) => {
      const before = await tx.ticket(ticketId, true)
      const overdue = before && !before.supervised && overdueAt(before, nowMs, ref.rules.calendar)
      if (!before || !overdue || overdue.workingDays < afterDays) return false
      const text = superviseText(overdue, afterDays)
      const args = actionArgSchemas['ticket.supervise'].parse({ ticketId, text })
      const res = applyAction(
        before,
        { name: 'ticket.supervise', args },
        SUPERVISE_ACTOR,
        nowMs,
        ref.rules,
      )
      if (!res.ok) return false
      await tx.saveTicket(before, res.ticket, res.event)
      return true
    })
  }
}
