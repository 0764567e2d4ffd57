// The queue's columns: what each shows for a ticket, its width and the core's sort column. The
// table (react-table) reads them for the header, widths and sorting; the rows call `cell`
// directly, so a row's rendering depends only on its ticket and the column layout.
import type { ReactNode } from 'react'
import type { SortColumn, TicketRow } from '../../shared/api'
import { STATUS_LABELS, URGENCY_LABELS } from '../../shared/labels'
import { formatSpan, type Lang, type UiKey, type useT } from '../i18n'
import type { Names } from '../state/reference'

/** What cells need besides the ticket; one object per (names, language, clock) for memos. */
export interface CellContext {
  names: Names | null
  lang: Lang
  now: number
  t: ReturnType<typeof useT>
}

export interface QueueColumn {
  id: string
  header: UiKey
  size: number
  /** The core's sort column; none: the column does not sort. */
  sort?: SortColumn
  cell(r: TicketRow, c: CellContext): ReactNode
}

/**
 * The deadline that matters now: sign-by until signed (dispatched), then due — at the unit's own
 * level when it was passed the ticket down the chain (issue 16).
 */
export function deadlineOf(r: TicketRow): string | null {
  const unsigned = r.own ? !r.own.signed : r.status === 'dispatched'
  return unsigned && r.signBy ? r.signBy : r.dueAt
}

export function countdown(iso: string | null, now: number, lang: Lang): string {
  if (!iso) return '—'
  const ms = Date.parse(iso) - now
  return ms < 0 ? `${lang === 'zh' ? '超' : '−'}${formatSpan(ms, lang)}` : formatSpan(ms, lang)
}

export const COLUMNS: readonly QueueColumn[] = [
  { id: 'number', header: 'colNumber', size: 150, sort: 'number', cell: (r) => r.number },
  {
    id: 'age',
    header: 'colAge',
    size: 105,
    sort: 'createdAt',
    cell: (r, c) => formatSpan(c.now - Date.parse(r.createdAt), c.lang),
  },
  {
    id: 'deadline',
    header: 'colDeadline',
    size: 100,
    sort: 'dueAt',
    cell: (r, c) => (
      <span className={`deadline deadline-${r.deadlineState}`}>
        {r.deadlineState === 'none' ? '—' : countdown(deadlineOf(r), c.now, c.lang)}
      </span>
    ),
  },
  {
    id: 'urgency',
    header: 'colUrgency',
    size: 80,
    sort: 'urgency',
    cell: (r, c) => (
      <span className={`urgency-${r.urgency}`}>{c.t(URGENCY_LABELS[r.urgency])}</span>
    ),
  },
  {
    id: 'category',
    header: 'colCategory',
    size: 170,
    sort: 'category',
    cell: (r, c) => c.names?.category(r.category, c.lang) ?? '',
  },
  {
    id: 'district',
    header: 'colDistrict',
    size: 90,
    sort: 'district',
    cell: (r, c) => c.names?.district(r.district, c.lang) ?? '',
  },
  {
    id: 'unit',
    header: 'colUnit',
    size: 170,
    sort: 'unit',
    cell: (r, c) => c.names?.unit(r.unit, c.lang) ?? '',
  },
  {
    id: 'status',
    header: 'colStatus',
    size: 110,
    sort: 'status',
    cell: (r, c) => (
      <span className={`status status-${r.status}`}>
        {c.t(STATUS_LABELS[r.status])}
        {r.pending ? ' ⟳' : ''}
      </span>
    ),
  },
  { id: 'caller', header: 'colCaller', size: 140, cell: (r) => r.callerPhoneMasked ?? '' },
]

export const COLUMN_BY_ID = new Map(COLUMNS.map((c) => [c.id, c]))
