// 按时办结率 (应办结, kpi-units.ts) as SQL over `tickets` (alias `t`): dispatched tickets due in
// [from, to), not exempt, judged as of `now` — replied (completed_at), or past due by then. On
// time: replied by the due. The ticket's own dispatch fields are the city centre's level-1
// assignment (assignments.ts), which is what the centre's line of the unit figures counts, so
// the dashboard's tile, its drill-down and centreFigures() agree (tests/core/dashboard-due.test.ts).
export const ON_TIME_DONE = 't.completed_at IS NOT NULL AND t.completed_at <= t.due_at'

export function DUE_SQL(onTime?: boolean): {
  sql: string
  params(from: number, to: number, now: number): number[]
} {
  const judged = `t.dispatched_at IS NOT NULL AND t.due_at >= ? AND t.due_at < ? AND t.exempt = 0
    AND (t.completed_at IS NOT NULL OR t.due_at <= ?)`
  const pick = onTime === undefined ? '' : ` AND ${onTime ? '' : 'NOT '}(${ON_TIME_DONE})`
  return { sql: `(${judged}${pick})`, params: (from, to, now) => [from, to, now] }
}
