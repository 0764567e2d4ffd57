// The queue's selection (issue 5), as pure functions over an immutable value: X toggles the
// cursor's ticket and makes it the anchor, Shift+X selects every ticket from the anchor to the
// cursor. It holds ticket ids, not positions, so live updates that reorder the rows leave it
// alone; it keeps the last row seen for each id, for actions on tickets scrolled out of memory.
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

/**
 * The inclusive positions Shift+X selects: from the anchor to the cursor, either way round; the
 * cursor alone without an anchor. `anchorAt` is where the anchor's ticket is now (null when not
 * among the loaded rows: then where it was when toggled, clamped to the view).
 */
export function rangeBounds(
  s: Selection,
  anchorAt: number | null,
  cursor: number,
  total: number,
): [number, number] {
  if (!s.anchor) return [cursor, cursor]
  const a = Math.max(0, Math.min(anchorAt ?? s.anchor.index, total - 1))
  return a <= cursor ? [a, cursor] : [cursor, a]
}

/**
 * The requests that fetch the pages of [first, last] not loaded yet: `[offset, limit]`, page
 * aligned, neighbouring pages joined up to `maxLimit` rows a request.
 */
export function missingSpans(
  first: number,
  last: number,
  pageSize: number,
  has: (page: number) => boolean,
  maxLimit: number,
): Array<[number, number]> {
  const out: Array<[number, number]> = []
  const perRequest = Math.max(1, Math.floor(maxLimit / pageSize))
  for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) {
    if (has(p)) continue
    const prev = out[out.length - 1]
    if (prev && prev[0] + prev[1] === p * pageSize && prev[1] < perRequest * pageSize)
      prev[1] += pageSize
    else out.push([p * pageSize, pageSize])
  }
  return out
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
