// The arithmetic of a window over fixed-height rows (use-row-window.ts draws with it): which rows
// to draw at a scroll offset, and the offset that shows a row whole. No DOM, no React.

export interface RowGeometry {
  /** Height of every row. */
  row: number
  /** Height of the sticky header above the rows, inside the scrolled element. */
  header: number
  /** Rows drawn beyond each edge of the view. */
  overscan: number
}

/** The scroll offset that shows row `i` whole, moving as little as possible from `top`. */
export function fitOffset(
  i: number,
  top: number,
  viewHeight: number,
  count: number,
  g: RowGeometry,
): number {
  const rows = Math.max(g.row, viewHeight - g.header)
  const max = Math.max(0, g.header + count * g.row - viewHeight)
  const rowTop = i * g.row
  let to = top
  if (rowTop < top) to = rowTop
  else if (rowTop + g.row > top + rows) to = rowTop + g.row - rows
  return Math.max(0, Math.min(to, max))
}

/** The rows [first, last] to draw at this offset (last < first when there are none). */
export function windowAt(
  top: number,
  viewHeight: number,
  count: number,
  g: RowGeometry,
): { first: number; last: number } {
  const first = Math.max(0, Math.floor(top / g.row) - g.overscan)
  const last = Math.min(count - 1, Math.ceil((top + viewHeight - g.header) / g.row) + g.overscan)
  return { first, last }
}
