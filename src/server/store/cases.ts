// Exemplary cases (migration 0009): nominations, edits and the ranking of a year's ten best. Rank
// changes run in one transaction that holds the year (a PostgreSQL transaction lock; SQLite's
// transactions are serial anyway), and move the other ranks in two steps, so the unique index on
// (year, rank) never sees two cases holding one rank halfway through.
import { sql, type Kysely, type Transaction } from 'kysely'
import { rerank } from '../../shared/cases'
import type { Ticket, TimelineEvent } from '../../shared/ticket'
import { isUniqueViolation } from './db'
import { withUnit, type Engine } from './dsl'
import { parseEvent, parseTicket } from './rows'
import type { CasesTable, DB } from './types'

/** Advisory-lock key (with the year) serializing rank changes on PostgreSQL. */
const CASES_LOCK = 7_212_348

export interface CaseRecord {
  row: CasesTable
  ticket: Ticket
  nominatorName: string | null
}

export type CasePatch = Partial<{ title: string; writeUp: string; rank: number | null }>

export class CaseStore {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly engine: Engine,
  ) {}

  private base(db: Kysely<DB>) {
    return db
      .selectFrom('cases')
      .innerJoin('tickets', 'tickets.id', 'cases.ticket_id')
      .leftJoin('users', 'users.id', 'cases.nominated_by')
      .selectAll('cases')
      .select(['tickets.data as ticket_data', 'users.display_name as nominator_name'])
  }

  /** A year's cases (unordered); for unit staff only those of tickets with their unit. */
  async list(year: number, unit: string | null): Promise<CaseRecord[]> {
    let q = this.base(this.db).where('cases.year', '=', year)
    if (unit != null) q = q.where(withUnit(this.engine, 'tickets.units', unit))
    const rows = await q.execute()
    return rows.map(({ ticket_data, nominator_name, ...row }) => ({
      row,
      ticket: parseTicket({ data: ticket_data }),
      nominatorName: nominator_name,
    }))
  }

  async get(id: string): Promise<CaseRecord | null> {
    const r = await this.base(this.db).where('cases.id', '=', id).executeTakeFirst()
    if (!r) return null
    const { ticket_data, nominator_name, ...row } = r
    return { row, ticket: parseTicket({ data: ticket_data }), nominatorName: nominator_name }
  }

  async byTicket(ticketId: string): Promise<CasesTable | null> {
    const r = await this.db
      .selectFrom('cases')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst()
    return r ?? null
  }

  async ticket(id: string): Promise<Ticket | null> {
    const r = await this.db
      .selectFrom('tickets')
      .select('data')
      .where('id', '=', id)
      .executeTakeFirst()
    return r ? parseTicket(r) : null
  }

  /** The timelines of these tickets, each in version order. */
  async timelines(ticketIds: readonly string[]): Promise<Map<string, TimelineEvent[]>> {
    const out = new Map<string, TimelineEvent[]>(ticketIds.map((id) => [id, []]))
    for (let i = 0; i < ticketIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('timeline_events')
        .select(['ticket_id', 'data'])
        .where('ticket_id', 'in', ticketIds.slice(i, i + 500))
        .orderBy('ticket_id')
        .orderBy('version')
        .execute()
      for (const r of rows) out.get(r.ticket_id)?.push(parseEvent(r))
    }
    return out
  }

  /** Inserts a nomination; false when the ticket is nominated already (its unique key says so). */
  async insert(row: CasesTable): Promise<boolean> {
    try {
      await this.db.insertInto('cases').values(row).execute()
      return true
    } catch (e) {
      if (isUniqueViolation(e)) return false
      throw e
    }
  }

  /** Edits a case; a rank moves the others as `rerank` says. False when there is no such case. */
  async update(id: string, patch: CasePatch, nowIso: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const current = await tx
        .selectFrom('cases')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      if (!current) return false
      await this.lockYear(tx, current.year)
      const set: Partial<CasesTable> = { updated_at: nowIso }
      if (patch.title !== undefined) set.title = patch.title
      if (patch.writeUp !== undefined) set.write_up = patch.writeUp
      if (patch.rank !== undefined) await this.moveRanks(tx, current.year, id, patch.rank, nowIso)
      await tx.updateTable('cases').set(set).where('id', '=', id).execute()
      return true
    })
  }

  /** Deletes a case and closes the gap its rank leaves. False when there is no such case. */
  async remove(id: string, nowIso: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const current = await tx
        .selectFrom('cases')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst()
      if (!current) return false
      await this.lockYear(tx, current.year)
      await this.moveRanks(tx, current.year, id, null, nowIso)
      await tx.deleteFrom('cases').where('id', '=', id).execute()
      return true
    })
  }

  private async lockYear(tx: Transaction<DB>, year: number): Promise<void> {
    if (this.engine === 'postgres')
      await sql`select pg_advisory_xact_lock(${CASES_LOCK}, ${year})`.execute(tx)
  }

  private async moveRanks(
    tx: Transaction<DB>,
    year: number,
    id: string,
    rank: number | null,
    nowIso: string,
  ): Promise<void> {
    const ranked = await tx
      .selectFrom('cases')
      .select(['id', 'rank'])
      .where('year', '=', year)
      .where('rank', 'is not', null)
      .execute()
    const changed = rerank(
      ranked.map((r) => ({ id: r.id, rank: Number(r.rank) })),
      id,
      rank,
    )
    if (changed.size === 0) return
    // Two steps: clear every rank that changes, then set the new ones.
    await tx
      .updateTable('cases')
      .set({ rank: null })
      .where('id', 'in', [...changed.keys()])
      .execute()
    for (const [caseId, r] of changed) {
      if (r == null && caseId === id) continue
      await tx
        .updateTable('cases')
        .set({ rank: r, updated_at: nowIso })
        .where('id', '=', caseId)
        .execute()
    }
  }
}
