// A queue query as SQL over `tickets` (alias `t`): the filter and the viewer's scope as WHERE
// conditions with their parameters, the sort as ORDER BY. Ties are broken by creation (`rid`) in
// the same direction, so each index on a sort column serves the ORDER BY as it stands.
import {
  DEADLINE_STATES,
  type QueueFilter,
  type SavedView,
  type SortColumn,
} from '../../shared/api'
import { CHANNELS, KINDS, SATISFACTIONS, URGENCIES } from '../../shared/ticket'
import { DEADLINE_SQL, OWN_ROW_SELECT, ROW_SELECT, ownOr, rank, statusCode } from './columns'
import { FACT_KIND, ON_TIME } from './migrations/0003-dashboard'
import { DUE_SQL } from './due-sql'
import { planText, textConditions } from './text-search'
import type { ParsedQueueQuery, Viewer } from './types'

export interface Where {
  sql: string[]
  params: unknown[]
  /**
   * Unit staff: their own deadlines joined as `u` (own-deadlines.ts), its one parameter (the
   * unit) first in `params`; the deadline views, the sort by sign-by or due and the rows then
   * read the unit's own assignment's deadlines.
   */
  join?: string
}

const OWN_JOIN = ' LEFT JOIN own_deadlines u ON u.rid = t.rid AND u.unit = ?'

/** The conditions of a query for this viewer, to be filled: unit staff's own deadlines joined. */
export function newWhere(viewer: Viewer): Where {
  if (!isUnitViewer(viewer) || !viewer.unit) return { sql: [], params: [] }
  return { sql: [], params: [viewer.unit], join: OWN_JOIN }
}

/** What the query reads from: the tickets, with the viewer's own deadlines when joined. */
export const fromSql = (w: Where): string => `tickets t${w.join ?? ''}`

/** The queue row's columns for this query (see OWN_ROW_SELECT). */
export const rowSelect = (w: Where): string => (w.join ? OWN_ROW_SELECT : ROW_SELECT)

/** The clock thresholds as the query reads them. */
const clock = (w: Where) =>
  w.join
    ? { over: ownOr('dl_over', 'own_over'), risk: ownOr('dl_risk', 'own_risk') }
    : { over: 't.dl_over', risk: 't.dl_risk' }

const SORT_SQL: Record<SortColumn, string> = {
  number: 't.number',
  createdAt: 't.rid',
  updatedAt: 't.updated_at',
  dueAt: 't.due_at',
  signBy: 't.sign_by',
  urgency: 't.urgency',
  category: 't.category',
  district: 't.district',
  unit: 't.unit',
  status: 't.status',
  channel: 't.channel',
  kind: 't.kind',
}

/** Unit staff with their own deadlines joined sort by them. */
const OWN_SORT_SQL: Partial<Record<SortColumn, string>> = {
  dueAt: ownOr('due_at', 'own_due'),
  signBy: ownOr('sign_by', 'own_sign_by'),
}

export function orderBy(sort: ParsedQueueQuery['sort'], w?: Where): string {
  const dir = sort.dir === 'asc' ? 'ASC' : 'DESC'
  const column = (w?.join && OWN_SORT_SQL[sort.column]) || SORT_SQL[sort.column]
  return sort.column === 'createdAt' ? `t.rid ${dir}` : `${column} ${dir}, t.rid ${dir}`
}

const isUnitViewer = (v: Viewer): boolean => v.role === 'unit'

function push(w: Where, sql: string, ...params: unknown[]): void {
  w.sql.push(sql)
  w.params.push(...params)
}

function anyOf(w: Where, column: string, values: readonly unknown[] | undefined): void {
  if (!values) return
  if (values.length === 0) return push(w, '0')
  push(w, `${column} IN (${values.map(() => '?').join(', ')})`, ...values)
}

export function deadlineCondition(w: Where, states: readonly string[], nowMs: number): void {
  const parts: string[] = []
  const { over, risk } = clock(w)
  for (const s of DEADLINE_STATES) {
    if (!states.includes(s)) continue
    parts.push(DEADLINE_SQL[s].sql.replaceAll('dl_over', over).replaceAll('dl_risk', risk))
    for (let i = 0; i < DEADLINE_SQL[s].nows; i++) w.params.push(nowMs)
  }
  w.sql.push(parts.length ? `(${parts.join(' OR ')})` : '0')
}

/** What a unit still has to act on: its inbox (the "mine" view of unit staff). */
export const UNIT_INBOX_STATUSES = ['dispatched', 'in_progress', 'return_requested'] as const

/**
 * Unit staff see only tickets of their unit, as main or co-unit, or at any live level of the
 * chain (issue 16: a sub-centre sees what it passed down) — the server's scope too.
 */
export function scope(w: Where, viewer: Viewer): void {
  if (!isUnitViewer(viewer)) return
  if (!viewer.unit) return push(w, '0')
  const key = `|${viewer.unit}|`
  push(
    w,
    `(t.unit = ? OR instr(t.co_units, ?) > 0 OR instr(t.levels, ?) > 0)`,
    viewer.unit,
    key,
    key,
  )
}

export function viewCondition(w: Where, view: SavedView, viewer: Viewer, nowMs: number): void {
  switch (view) {
    case 'new':
      return push(w, 't.status = ?', statusCode('new'))
    case 'returns':
      return push(w, 't.status = ?', statusCode('return_requested'))
    case 'callbacks':
      return push(w, 't.status = ?', statusCode('replied'))
    case 'extensions':
      return push(w, 't.extension = 1')
    case 'at_risk':
    case 'overdue':
      return deadlineCondition(w, [view], nowMs)
    case 'mine':
      // Unit staff: their inbox — the unit's tickets still waiting on it (the scope already
      // limits them to the unit). Everyone else: the tickets they logged.
      // Issue 16: what waits on this unit at its level of the chain; a co-unit's open tickets.
      if (isUnitViewer(viewer))
        push(
          w,
          '(instr(t.waiting, ?) > 0 OR (instr(t.co_units, ?) > 0 AND t.status IN (?, ?, ?)))',
          `|${viewer.unit}|`,
          `|${viewer.unit}|`,
          ...UNIT_INBOX_STATUSES.map((s) => statusCode(s)),
        )
      else push(w, 't.created_by = ?', viewer.userId)
      return
    case 'down':
      // Issue 16, unit staff: what they have to pass down or handle at their level (待下派).
      if (isUnitViewer(viewer)) push(w, 'instr(t.to_pass, ?) > 0', `|${viewer.unit}|`)
      else push(w, '0')
      return
    case 'all':
      return
  }
}

/** Every condition of the query for this viewer at this moment. */
export function queueWhere(q: ParsedQueueQuery, viewer: Viewer, nowMs: number): Where {
  const w = newWhere(viewer)
  const f = q.filter
  scope(w, viewer)
  if (f.view) viewCondition(w, f.view, viewer, nowMs)
  anyOf(w, 't.status', f.status?.map(statusCode))
  anyOf(w, 't.unit', f.unit)
  if (f.category) {
    if (f.category.length === 0) push(w, '0')
    else
      push(
        w,
        `(${f.category.map(() => '(t.category >= ? AND t.category < ?)').join(' OR ')})`,
        // Codes are digits: every code under a branch sorts between it and it + ':'.
        ...f.category.flatMap((c) => [c, `${c}:`]),
      )
  }
  anyOf(
    w,
    't.urgency',
    f.urgency?.map((u) => rank(URGENCIES, u)),
  )
  anyOf(
    w,
    't.channel',
    f.channel?.map((c) => rank(CHANNELS, c)),
  )
  anyOf(
    w,
    't.kind',
    f.kind?.map((k) => rank(KINDS, k)),
  )
  anyOf(w, 't.district', f.district)
  if (f.createdBy !== undefined) push(w, 't.created_by = ?', f.createdBy)
  if (f.deadline) deadlineCondition(w, f.deadline, nowMs)
  // `rid` is created_at * 1024 + slot: the creation range is a rowid range. Half-open [from, to).
  if (f.createdFrom) push(w, 't.rid >= ?', Date.parse(f.createdFrom) * 1024)
  if (f.createdTo) push(w, 't.rid < ?', Date.parse(f.createdTo) * 1024)
  if (f.text) {
    const tc = textConditions(planText(f.text))
    w.sql.push(...tc.sql)
    w.params.push(...tc.params)
  }
  dashboardConditions(w, f)
  return w
}

/** The dashboard's drill-down fields (the KPI facts of migration 3; see src/shared/dashboard.ts). */
function dashboardConditions(w: Where, f: QueueFilter): void {
  if (f.unitNot?.length)
    push(
      w,
      `(t.unit IS NULL OR t.unit NOT IN (${f.unitNot.map(() => '?').join(', ')}))`,
      ...f.unitNot,
    )
  if (f.ids) anyOf(w, 't.id', f.ids)
  if (f.due) {
    const d = DUE_SQL(f.due.onTime)
    push(w, d.sql, ...d.params(Date.parse(f.due.from), Date.parse(f.due.to), Date.parse(f.due.now)))
  }
  if (f.company !== undefined) push(w, 't.company = ?', f.company ? 1 : 0)
  if (f.place !== undefined) push(w, 't.place = ?', f.place)
  if (f.answered !== undefined)
    push(
      w,
      `${f.answered ? '' : 'NOT '}(t.answered = 1 OR EXISTS (SELECT 1 FROM kpi_facts k
        WHERE k.ticket_id = t.id AND k.kind = ${FACT_KIND.completed} AND k.answered_evt = 1))`,
    )
  const e = f.event
  if (!e) return
  const range = [FACT_KIND[e.type], Date.parse(e.from), Date.parse(e.to)]
  if (e.type === 'returned' || e.type === 'reopened')
    // Paired as the rates pair them: at or after a dispatch (completion) in the same range.
    return push(
      w,
      `t.rid IN (SELECT f.rid FROM kpi_facts f WHERE f.kind = ? AND f.at >= ? AND f.at < ?
        AND f.anchor_at >= ?)`,
      ...range,
      range[1],
    )
  const more: string[] = []
  const params: unknown[] = []
  if (e.onTime !== undefined) more.push(`${e.onTime ? '' : 'NOT '}${ON_TIME('f')}`)
  if (e.satisfaction) {
    more.push(`f.sat IN (${e.satisfaction.map(() => '?').join(', ') || 'NULL'})`)
    params.push(...e.satisfaction.map((s) => SATISFACTIONS.indexOf(s)))
  }
  push(
    w,
    `t.rid IN (SELECT f.rid FROM kpi_facts f WHERE f.kind = ? AND f.at >= ? AND f.at < ?${more
      .map((m) => ` AND ${m}`)
      .join('')})`,
    ...range,
    ...params,
  )
}

export const whereSql = (w: Where): string => (w.sql.length ? `WHERE ${w.sql.join(' AND ')}` : '')
