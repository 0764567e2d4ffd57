// The queue's selection (issue 5), as pure functions over an immutable value: X toggles the
// cursor's ticket and makes it the anchor, Shift+X selects every ticket from the anchor to the
// cursor (the core reads that range in one snapshot: `queue.range`). It holds ticket ids, not
// positions, so live updates that reorder the rows leave it alone; it keeps the last row seen for
// each id, for actions on tickets scrolled out of memory.
import type { TicketRow } from '../../shared/api'

export interface Selection {
  /** Selected ticket ids, in the order they were selected. */
  readonly ids: ReadonlySet<string>
  /** The last row seen for each selected id. */
  readonly rows: ReadonlyMap<string, TicketRow>
  /** The ticket last toggled with X, and where it was then. */
  readonly anchor: { readonly id: string; readonly index: number } | null
}

export const EMPTY_SELECTION: Selection = { ids: new Set(), rows: new Map(), anchor: null }

/** X: the row leaves the selection if it was in it, joins it otherwise; it becomes the anchor. */
export function toggle(s: Selection, row: TicketRow, index: number): Selection {
  const ids = new Set(s.ids)
  const rows = new Map(s.rows)
  if (ids.delete(row.id)) rows.delete(row.id)
  else {
    ids.add(row.id)
    rows.set(row.id, row)
  }
  return { ids, rows, anchor: { id: row.id, index } }
}

/** Adds rows (Shift+X's range); the anchor stays where it is. */
export function addRows(s: Selection, added: readonly TicketRow[]): Selection {
  if (added.every((r) => s.ids.has(r.id) && s.rows.get(r.id) === r)) return s
  const ids = new Set(s.ids)
  const rows = new Map(s.rows)
  for (const r of added) {
    ids.add(r.id)
    rows.set(r.id, r)
  }
  return { ids, rows, anchor: s.anchor }
}

/** The rows for the selected ids that are known: the freshest loaded row, else the last seen. */
export function selectedRows(s: Selection, loaded: Iterable<TicketRow>): TicketRow[] {
  if (s.ids.size === 0) return []
  const fresh = new Map<string, TicketRow>()
  for (const r of loaded) if (s.ids.has(r.id)) fresh.set(r.id, r)
  const out: TicketRow[] = []
  for (const id of s.ids) {
    const r = fresh.get(id) ?? s.rows.get(id)
    if (r) out.push(r)
  }
  return out
}
