// Daily server jobs (src/server/jobs): who runs a job's day, and the tickets it looks at. Taking a
// day is one insert whose unique key decides between processes sharing the database; a run whose
// process died (no heartbeat for a while) may be taken over, and the per-item rows written with
// each item's effect (MutationTx.claimJobItem) keep the new owner from doing anything twice.
import type { Kysely } from 'kysely'
import type { Status, Ticket } from '../../shared/ticket'
import { parseTicket } from './rows'
import type { DB } from './types'

export interface JobRunRow {
  job: string
  day: string
  owner: string
  startedAt: string
  heartbeatAt: string
  finishedAt: string | null
  result: unknown
}

export class JobRuns {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Takes the run of `job` for `day` for `owner`: `started` when nobody had it, `resumed` when its
   * previous owner stopped beating before `staleBeforeIso` without finishing, else null.
   */
  async claim(
    job: string,
    day: string,
    owner: string,
    nowIso: string,
    staleBeforeIso: string,
  ): Promise<'started' | 'resumed' | null> {
    const inserted = await this.db
      .insertInto('job_runs')
      .values({
        job,
        day,
        owner,
        started_at: nowIso,
        heartbeat_at: nowIso,
        finished_at: null,
        result: null,
      })
      .onConflict((oc) => oc.columns(['job', 'day']).doNothing())
      .returning('owner')
      .executeTakeFirst()
    if (inserted) return 'started'
    // A conditional update is atomic on both engines: of two processes taking over, one wins.
    const taken = await this.db
      .updateTable('job_runs')
      .set({ owner, heartbeat_at: nowIso })
      .where('job', '=', job)
      .where('day', '=', day)
      .where('finished_at', 'is', null)
      .where('heartbeat_at', '<', staleBeforeIso)
      .returning('owner')
      .executeTakeFirst()
    return taken ? 'resumed' : null
  }

  /** Keeps the run alive; false when another process has taken it over meanwhile. */
  async heartbeat(job: string, day: string, owner: string, nowIso: string): Promise<boolean> {
    const r = await this.db
      .updateTable('job_runs')
      .set({ heartbeat_at: nowIso })
      .where('job', '=', job)
      .where('day', '=', day)
      .where('owner', '=', owner)
      .where('finished_at', 'is', null)
      .executeTakeFirst()
    return Number(r.numUpdatedRows) > 0
  }

  async finish(
    job: string,
    day: string,
    owner: string,
    nowIso: string,
    result: unknown,
  ): Promise<void> {
    await this.db
      .updateTable('job_runs')
      .set({ finished_at: nowIso, heartbeat_at: nowIso, result: JSON.stringify(result) })
      .where('job', '=', job)
      .where('day', '=', day)
      .where('owner', '=', owner)
      .execute()
  }

  /** Forgets the items of days before `day`: only a run still going needs them. */
  async forgetItemsBefore(job: string, day: string): Promise<void> {
    await this.db.deleteFrom('job_items').where('job', '=', job).where('day', '<', day).execute()
  }

  async run(job: string, day: string): Promise<JobRunRow | null> {
    const r = await this.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job', '=', job)
      .where('day', '=', day)
      .executeTakeFirst()
    if (!r) return null
    return {
      job: r.job,
      day: r.day,
      owner: r.owner,
      startedAt: r.started_at,
      heartbeatAt: r.heartbeat_at,
      finishedAt: r.finished_at,
      result: r.result == null ? null : (JSON.parse(r.result) as unknown),
    }
  }

  /**
   * Tickets in `statuses` with a sign-by or due time before (or after) `iso`, by id after
   * `afterId`: before, the candidates for being overdue (whether a passed sign-by still counts is
   * the caller's call); after, those for a recount of deadlines still ahead (jobs/recount.ts).
   */
  async byDeadline(
    statuses: readonly Status[],
    side: 'before' | 'after',
    iso: string,
    afterId: string,
    limit: number,
  ): Promise<Ticket[]> {
    const op = side === 'before' ? '<' : '>'
    const rows = await this.db
      .selectFrom('tickets')
      .select('data')
      .where('status', 'in', [...statuses])
      .where((eb) => eb.or([eb('due_at', op, iso), eb('sign_by', op, iso)]))
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute()
    return rows.map(parseTicket)
  }
}
