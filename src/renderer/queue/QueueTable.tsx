// The queue as a table: @tanstack/react-table v8 for columns, sorting and resizing, and
// @tanstack/react-virtual so only the rows on screen are in the DOM. Sorting is done by the core
// (the view may hold 100,000 tickets); the table only says which column and which way.
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type Row,
  type SortingState,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useCallback, useEffect, useMemo, useRef } from 'react'
import type { SortColumn, TicketRow } from '../../shared/api'
import { STATUS_LABELS, URGENCY_LABELS } from '../../shared/labels'
import { formatSpan, useLang, useT, type Lang } from '../i18n'
import type { Names } from '../state/reference'
import type { QueueState } from './use-queue'

const ROW_HEIGHT = 30

/** Column id → the core's sort column (those without one do not sort). */
const SORTS: Record<string, SortColumn> = {
  number: 'number',
  age: 'createdAt',
  deadline: 'dueAt',
  urgency: 'urgency',
  category: 'category',
  district: 'district',
  unit: 'unit',
  status: 'status',
}

/** The deadline that matters now: sign-by until signed (dispatched), then due. */
export function deadlineOf(r: TicketRow): string | null {
  return r.status === 'dispatched' && r.signBy ? r.signBy : r.dueAt
}

export function countdown(iso: string | null, now: number, lang: Lang): string {
  if (!iso) return '—'
  const ms = Date.parse(iso) - now
  return ms < 0 ? `${lang === 'zh' ? '超' : '−'}${formatSpan(ms, lang)}` : formatSpan(ms, lang)
}

function columns(names: Names | null, lang: Lang, now: number, t: ReturnType<typeof useT>) {
  const cols: ColumnDef<TicketRow | null>[] = [
    { id: 'number', header: t('colNumber'), size: 150, cell: (c) => c.row.original?.number },
    {
      id: 'age',
      header: t('colAge'),
      size: 105,
      cell: (c) =>
        c.row.original ? formatSpan(now - Date.parse(c.row.original.createdAt), lang) : '',
    },
    {
      id: 'deadline',
      header: t('colDeadline'),
      size: 100,
      cell: (c) => {
        const r = c.row.original
        if (!r) return ''
        return (
          <span className={`deadline deadline-${r.deadlineState}`}>
            {r.deadlineState === 'none' ? '—' : countdown(deadlineOf(r), now, lang)}
          </span>
        )
      },
    },
    {
      id: 'urgency',
      header: t('colUrgency'),
      size: 80,
      cell: (c) => {
        const r = c.row.original
        return r ? (
          <span className={`urgency-${r.urgency}`}>{t(URGENCY_LABELS[r.urgency])}</span>
        ) : (
          ''
        )
      },
    },
    {
      id: 'category',
      header: t('colCategory'),
      size: 170,
      cell: (c) => (c.row.original && names ? names.category(c.row.original.category, lang) : ''),
    },
    {
      id: 'district',
      header: t('colDistrict'),
      size: 90,
      cell: (c) => (c.row.original && names ? names.district(c.row.original.district, lang) : ''),
    },
    {
      id: 'unit',
      header: t('colUnit'),
      size: 170,
      cell: (c) => (c.row.original && names ? names.unit(c.row.original.unit, lang) : ''),
    },
    {
      id: 'status',
      header: t('colStatus'),
      size: 110,
      cell: (c) => {
        const r = c.row.original
        if (!r) return ''
        return (
          <span className={`status status-${r.status}`}>
            {t(STATUS_LABELS[r.status])}
            {r.pending ? ' ⟳' : ''}
          </span>
        )
      },
    },
    {
      id: 'caller',
      header: t('colCaller'),
      size: 140,
      enableSorting: false,
      cell: (c) => c.row.original?.callerPhoneMasked ?? '',
    },
  ]
  return cols.map((col) => ({ ...col, enableSorting: col.id ? col.id in SORTS : false }))
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
  const cols = useMemo(() => columns(names, lang, now, t), [names, lang, now, t])
  const sorting: SortingState = [
    {
      id: Object.entries(SORTS).find(([, v]) => v === queue.sort.column)?.[0] ?? 'age',
      desc: queue.sort.dir === 'desc',
    },
  ]
  const scroller = useRef<HTMLDivElement>(null)
  // The virtualizer counts every row of the view; the table only ever holds the rows on screen,
  // so a view of 100,000 tickets costs what 40 cost.
  const virtualizer = useVirtualizer({
    count: queue.total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const items = virtualizer.getVirtualItems()
  const first = items[0]?.index ?? 0
  const last = items[items.length - 1]?.index ?? -1
  const { want, rowAt, version } = queue
  const data = useMemo(() => {
    void version
    const out: (TicketRow | null)[] = []
    for (let i = first; i <= last; i++) out.push(rowAt(i))
    return out
  }, [first, last, rowAt, version])
  const table = useReactTable({
    data,
    columns: cols,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row, i) => row?.id ?? `placeholder-${first + i}`,
    manualSorting: true,
    enableColumnResizing: true,
    columnResizeMode: 'onChange',
    state: { sorting },
    onSortingChange: (updater) => {
      const next = typeof updater === 'function' ? updater(sorting) : updater
      const s = next[0]
      if (s && SORTS[s.id]) queue.setSort({ column: SORTS[s.id]!, dir: s.desc ? 'desc' : 'asc' })
    },
  })
  const rows = table.getRowModel().rows
  useEffect(() => want(first, last + 1), [want, first, last])
  useEffect(() => {
    if (queue.total > 0) virtualizer.scrollToIndex(queue.cursor, { align: 'auto' })
  }, [queue.cursor, queue.total, virtualizer])

  const width = table.getTotalSize()
  // Rows re-render only when their ticket, place, selection or the column widths change: a J
  // press repaints two rows, not forty.
  const sizes = table
    .getVisibleLeafColumns()
    .map((c) => c.getSize())
    .join()
  const onOpen = useRef(props.onOpen)
  onOpen.current = props.onOpen
  const open = useCallback((i: number) => onOpen.current(i), [])
  return (
    <div className="queue-table" role="grid" aria-rowcount={queue.total} ref={scroller}>
      <div className="thead" style={{ width }} role="row">
        {table.getHeaderGroups()[0]!.headers.map((h) => (
          <div
            key={h.id}
            className={`th ${h.column.getCanSort() ? 'sortable' : ''}`}
            role="columnheader"
            style={{ width: h.getSize() }}
            onClick={h.column.getToggleSortingHandler()}
          >
            {flexRender(h.column.columnDef.header, h.getContext())}
            {{ asc: ' ▲', desc: ' ▼' }[h.column.getIsSorted() as string] ?? ''}
            <span
              className="resizer"
              onMouseDown={h.getResizeHandler()}
              onClick={(e) => e.stopPropagation()}
            />
          </div>
        ))}
      </div>
      <div className="tbody" style={{ height: virtualizer.getTotalSize(), width }}>
        {items.map((v) => {
          const row = rows[v.index - first]
          if (!row) return null
          return (
            <QueueRow
              key={row.id}
              row={row}
              index={v.index}
              start={v.start}
              selected={v.index === queue.cursor}
              sizes={sizes}
              onSelect={queue.setCursor}
              onOpen={open}
            />
          )
        })}
      </div>
      {!queue.loading && queue.total === 0 && <div className="empty">{t('empty')}</div>}
    </div>
  )
}

const QueueRow = memo(function QueueRow(props: {
  row: Row<TicketRow | null>
  index: number
  start: number
  selected: boolean
  /** The column widths, joined: a change re-renders the row. */
  sizes: string
  onSelect(i: number): void
  onOpen(i: number): void
}) {
  const { row, index, selected } = props
  return (
    <div
      role="row"
      aria-selected={selected}
      data-ticket-id={row.original?.id}
      className={`tr ${selected ? 'cursor' : ''} ${row.original ? '' : 'placeholder'}`}
      style={{ transform: `translateY(${props.start}px)`, height: ROW_HEIGHT }}
      onClick={() => props.onSelect(index)}
      onDoubleClick={() => props.onOpen(index)}
    >
      {row.getVisibleCells().map((cell) => (
        <div key={cell.id} className="td" role="gridcell" style={{ width: cell.column.getSize() }}>
          {flexRender(cell.column.columnDef.cell, cell.getContext())}
        </div>
      ))}
    </div>
  )
})
