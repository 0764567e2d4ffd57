// The queue as a table: @tanstack/react-table v8 for the header, column widths, sorting and
// resizing; only the rows on screen are in the DOM (use-row-window.ts). Sorting is done by the
// core (the view may hold 100,000 tickets); the table only says which column and which way.
//
// Speed (DESIGN.md: a J press shows within a frame): a row is a memo of its ticket, position,
// cursor and selection flags and the column layout, so moving the cursor re-renders two rows and
// scrolling by one row mounts one, all in the key press's one render.
import { useReactTable, getCoreRowModel, type SortingState } from '@tanstack/react-table'
import { memo, useCallback, useEffect, useMemo, useRef } from 'react'
import type { TicketRow } from '../../shared/api'
import { useLang, useT } from '../i18n'
import type { Names } from '../state/reference'
import { COLUMNS, COLUMN_BY_ID, type CellContext, type QueueColumn } from './columns'
import type { QueueState } from './use-queue'
import { useRowWindow, type RowGeometry } from './use-row-window'
import { QUEUE_WORDS, useSelectedText } from './words'
import './queue-table.css'

export { countdown, deadlineOf } from './columns'

const ROW_HEIGHT = 30
const GEOMETRY: RowGeometry = { row: ROW_HEIGHT, header: 30, overscan: 6 }
/** The selection marker's column: visual only, not a cell a reader or the keyboard visits. */
const MARK_WIDTH = 26
const NO_ROWS: TicketRow[] = []

interface CellLayout {
  id: string
  width: number
  cell: QueueColumn['cell']
}

export function QueueTable(props: {
  queue: QueueState
  names: Names | null
  now: number
  onOpen(i: number): void
}) {
  const { queue, names, now } = props
  const lang = useLang()
  const t = useT()
  const selectedText = useSelectedText()
  const ctx: CellContext = useMemo(() => ({ names, lang, now, t }), [names, lang, now, t])
  const columns = useMemo(
    () =>
      COLUMNS.map((c) => ({
        id: c.id,
        header: t(c.header),
        size: c.size,
        enableSorting: !!c.sort,
      })),
    [t],
  )
  const sorting: SortingState = useMemo(
    () => [
      {
        id: COLUMNS.find((c) => c.sort === queue.sort.column)?.id ?? 'age',
        desc: queue.sort.dir === 'desc',
      },
    ],
    [queue.sort],
  )
  const { setSort } = queue
  // The table holds no rows: the rows are drawn from the queue's pages (see QueueRow).
  const table = useReactTable({
    data: NO_ROWS,
    columns,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    enableColumnResizing: true,
    columnResizeMode: 'onChange',
    state: { sorting },
    onSortingChange: (updater) => {
      const s = (typeof updater === 'function' ? updater(sorting) : updater)[0]
      const column = s && COLUMN_BY_ID.get(s.id)?.sort
      if (column) setSort({ column, dir: s.desc ? 'desc' : 'asc' })
    },
  })
  // One layout object while the columns and their widths stay: the rows' memo compares it.
  const layoutKey = table
    .getVisibleLeafColumns()
    .map((c) => `${c.id}:${c.getSize()}`)
    .join()
  const layout: CellLayout[] = useMemo(
    () =>
      layoutKey.split(',').map((part) => {
        const [id = '', width] = part.split(':')
        return { id, width: Number(width), cell: COLUMN_BY_ID.get(id)!.cell }
      }),
    [layoutKey],
  )

  const onOpen = useRef(props.onOpen)
  onOpen.current = props.onOpen
  const open = useCallback((i: number) => onOpen.current(i), [])
  const { want, rowAt, cursor, rowCount: total, selected } = queue
  const { ref: scroller, first, last, onScroll } = useRowWindow(total, cursor, GEOMETRY)
  useEffect(() => want(first, last + 1), [want, first, last])
  const rows = []
  for (let index = first; index <= last; index++) {
    const ticket = rowAt(index)
    rows.push(
      // Keyed by position: while live changes shift the rows, a ticket can briefly sit in two
      // loaded pages at once (one refetched, its neighbour not yet); keyed by ticket, the two
      // rows shared a key and React left stale rows in the table (marked selected after Esc).
      <QueueRow
        key={index}
        ticket={ticket}
        index={index}
        cursor={index === cursor}
        gone={queue.isGone(index)}
        selected={ticket !== null && selected.has(ticket.id)}
        layout={layout}
        ctx={ctx}
        onSelect={queue.setCursor}
        onOpen={open}
      />,
    )
  }

  const width = MARK_WIDTH + table.getTotalSize()
  return (
    <div className="queue-frame">
      <div
        className="queue-table"
        role="grid"
        aria-rowcount={total}
        aria-multiselectable="true"
        ref={scroller}
        onScroll={onScroll}
      >
        <div className="thead" style={{ width, height: GEOMETRY.header }} role="row">
          <div className="th mark" aria-hidden="true" style={{ width: MARK_WIDTH }}>
            {selected.size > 0 ? '✓' : ''}
          </div>
          {table.getHeaderGroups()[0]!.headers.map((h) => (
            <div
              key={h.id}
              className={`th ${h.column.getCanSort() ? 'sortable' : ''}`}
              role="columnheader"
              style={{ width: h.getSize() }}
              onClick={h.column.getToggleSortingHandler()}
            >
              {String(h.column.columnDef.header)}
              {{ asc: ' ▲', desc: ' ▼' }[h.column.getIsSorted() as string] ?? ''}
              <span
                className="resizer"
                onMouseDown={h.getResizeHandler()}
                onClick={(e) => e.stopPropagation()}
              />
            </div>
          ))}
        </div>
        <div className="tbody" style={{ height: total * ROW_HEIGHT, width }}>
          {rows}
        </div>
        {!queue.loading && total === 0 && <div className="empty">{t('empty')}</div>}
      </div>
      {selected.size > 0 && (
        <div className="queue-selection" role="status" data-testid="queue-selected">
          <strong>{selectedText(selected.size)}</strong>
          <span className="muted">{QUEUE_WORDS.selectionHint[lang]}</span>
        </div>
      )}
    </div>
  )
}

const QueueRow = memo(function QueueRow(props: {
  ticket: TicketRow | null
  index: number
  cursor: boolean
  /** The cursor's ticket after it left the view (shown until the cursor moves). */
  gone: boolean
  selected: boolean
  layout: CellLayout[]
  ctx: CellContext
  onSelect(i: number): void
  onOpen(i: number): void
}) {
  const { ticket, index, cursor, selected, ctx, gone } = props
  const cls = `tr${cursor ? ' cursor' : ''}${selected ? ' selected' : ''}${ticket ? '' : ' placeholder'}${gone ? ' gone' : ''}`
  return (
    <div
      role="row"
      aria-selected={selected}
      data-ticket-id={ticket?.id}
      data-gone={gone || undefined}
      title={gone ? ctx.t('leftView') : undefined}
      className={cls}
      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
      onClick={() => props.onSelect(index)}
      onDoubleClick={() => props.onOpen(index)}
    >
      <div className="td mark" aria-hidden="true" style={{ width: MARK_WIDTH }}>
        {selected ? '✓' : ''}
      </div>
      {ticket &&
        props.layout.map((c) => (
          <div key={c.id} className="td" role="gridcell" style={{ width: c.width }}>
            {c.cell(ticket, ctx)}
          </div>
        ))}
    </div>
  )
})
