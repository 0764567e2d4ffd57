// 'kpi.bulletin': the monthly bulletin (月度通报, issue 17) from the local cache — the period, last
// month and last year read from the cache and handed to src/shared/bulletin.ts, which computes
// every figure with the dashboard's own functions. Dispatchers and supervisors (the dashboard's
// users) may ask for it.
import { ApiFailure, type ApiHandlers } from '../shared/api'
import { buildBulletin, type PeriodInput } from '../shared/bulletin'
import type { LocalStoreApi } from './db/types'
import { notLoggedIn, notReady } from './failures'
import type { ReferenceCache } from './reference-cache'
import type { StoredSession } from './session'

export function bulletinHandlers(deps: {
  store: LocalStoreApi
  references: ReferenceCache
  session(): StoredSession | null
  now?: () => number
}): Pick<ApiHandlers, 'kpi.bulletin'> {
  const now = deps.now ?? Date.now
  const read = (s: { from: string; to: string }, field: string): PeriodInput => {
    const period = { from: Date.parse(s.from), to: Date.parse(s.to) }
    if (!(period.to > period.from))
      throw new ApiFailure(
        'invalid_input',
        { zh: '结束时间必须晚于开始时间', en: 'The end must be after the start' },
        `${field}.to`,
      )
    return { period, ...deps.store.unitKpiInput(period.from, period.to) }
  }
  return {
    'kpi.bulletin': ({ period, lastMonth, lastYear }) => {
      const s = deps.session()
      if (!s) throw notLoggedIn()
      if (s.user.role !== 'supervisor' && s.user.role !== 'dispatcher')
        throw new ApiFailure('forbidden', {
          zh: '只有派单员和班长可以查看月度通报',
          en: 'Only dispatchers and supervisors may see the monthly bulletin',
        })
      const ref = deps.references.get()
      if (!ref) throw notReady()
      return buildBulletin(
        read(period, 'period'),
        read(lastMonth, 'lastMonth'),
        read(lastYear, 'lastYear'),
        ref.data,
        now(),
      )
    },
  }
}
