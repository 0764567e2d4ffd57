// The centre's past dispatches for the triage model (src/server/triage/model-job.ts): for tickets
// created since a time, newest first, every dispatch and whether it was returned (退单 approved).
import type { Kysely } from 'kysely'
import type { HistoryDispatch } from '../../shared/triage-model'
import type { DB } from './types'

/** A dispatch of the past with what intake knew: the address, for measuring the model. */
export interface HistoryRow extends HistoryDispatch {
  address: string
}

export async function readTriageHistory(
  db: Kysely<DB>,
  sinceIso: string,
  maxTickets: number,
): Promise<HistoryRow[]> {
  const tickets = await db
    .selectFrom('tickets')
    .select(['id', 'category', 'district', 'description', 'address', 'created_at'])
    .where('created_at', '>=', sinceIso)
    .where('status', 'not in', ['merged', 'cancelled'])
    .orderBy('created_at', 'desc')
    .limit(maxTickets)
    .execute()
  if (tickets.length === 0) return []
  const byId = new Map(tickets.map((t) => [t.id, t]))
  const events: { ticket_id: string; type: string; version: number; data: string }[] = []
  // In slices: an IN list of 50,000 ids is more than either engine wants in one statement.
  const ids = [...byId.keys()]
  for (let i = 0; i < ids.length; i += 1000) {
    const part = await db
      .selectFrom('timeline_events')
      .select(['ticket_id', 'type', 'version', 'data'])
      .where('ticket_id', 'in', ids.slice(i, i + 1000))
      .where('type', 'in', ['dispatched', 'return_approved'])
      .execute()
    events.push(...part)
  }
  events.sort((a, b) => a.ticket_id.localeCompare(b.ticket_id) || a.version - b.version)

  const out: HistoryRow[] = []
  let open: HistoryRow[] = []
  let current = ''
  for (const e of events) {
    if (e.ticket_id !== current) {
      out.push(...open)
      open = []
      current = e.ticket_id
    }
    const t = byId.get(e.ticket_id)!
    const unit = unitOf(e.data)
    if (!unit) continue
    if (e.type === 'dispatched')
      open.push({
        ticketId: t.id,
        description: t.description,
        address: t.address,
        category: t.category,
        district: t.district,
        unit,
        returned: false,
        createdAt: t.created_at,
      })
    else {
      // The return names the unit it came back from: its latest dispatch there was returned.
      const d = [...open].reverse().find((x) => x.unit === unit && !x.returned)
      if (d) d.returned = true
    }
  }
  out.push(...open)
  return out
}

function unitOf(raw: string): string | null {
  try {
    const e = JSON.parse(raw) as { data?: { unit?: unknown } }
    return typeof e.data?.unit === 'string' ? e.data.unit : null
  } catch {
    return null
  }
}
