// 'kpi.bulletin': the monthly bulletin (月度通报, issue 17) from the local cache — the period, last
// month and last year read from the cache and handed to src/shared/bulletin.ts, which computes
// every figure with the dashboard's own functions. Dispatchers and supervisors (the dashboard's
// users) may ask for it.
import { ApiFailure, type ApiHandlers } from '../shared/api'
import { buildBulletin, type PeriodInput } from '../shared/bulletin'
import { join } from 'node:path'
import type { BulletinNames } from '../shared/bulletin-text'
import type { ReferenceData } from '../shared/reference'
import { writeBulletinDocx } from './bulletin-docx'
import { writeBulletinXlsx } from './bulletin-xlsx'
import { EXPORTS_FOLDER } from './export'
import type { LocalStoreApi } from './db/types'
import { notLoggedIn, notReady } from './failures'
import type { ReferenceCache } from './reference-cache'
import type { StoredSession } from './session'

type Span = { from: string; to: string }

/** Unit and category names from the reference data, in the language asked for. */
export function namesOf(ref: ReferenceData, lang: 'zh' | 'en'): BulletinNames {
  const units = new Map(ref.units.map((u) => [u.code, lang === 'zh' ? u.name : u.nameEn]))
  const cats = new Map(ref.categories.map((c) => [c.code, lang === 'zh' ? c.name : c.nameEn]))
  return {
    unit: (code) => (code == null ? '—' : (units.get(code) ?? code)),
    category: (code) => cats.get(code) ?? code,
  }
}

export function bulletinHandlers(deps: {
  store: LocalStoreApi
  references: ReferenceCache
  session(): StoredSession | null
  dataDir: string
  now?: () => number
}): Pick<ApiHandlers, 'kpi.bulletin' | 'kpi.bulletinXlsx' | 'kpi.bulletinDocx'> {
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
  const build = (args: { period: Span; lastMonth: Span; lastYear: Span }) => {
    const s = deps.session()
    if (!s) throw notLoggedIn()
    if (s.user.role !== 'supervisor' && s.user.role !== 'dispatcher')
      throw new ApiFailure('forbidden', {
        zh: '只有派单员和班长可以查看月度通报',
        en: 'Only dispatchers and supervisors may see the monthly bulletin',
      })
    const ref = deps.references.get()
    if (!ref) throw notReady()
    const b = buildBulletin(
      read(args.period, 'period'),
      read(args.lastMonth, 'lastMonth'),
      read(args.lastYear, 'lastYear'),
      ref.data,
      now(),
    )
    return { b, ref: ref.data }
  }
  const stamp = () =>
    new Date(now()).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')
  return {
    'kpi.bulletin': (args) => build(args).b,
    'kpi.bulletinDocx': (args) => {
      const { b, ref } = build(args)
      const out = writeBulletinDocx(
        join(deps.dataDir, EXPORTS_FOLDER),
        `bulletin-${args.period.from.slice(0, 7)}-${stamp()}.docx`,
        b,
        namesOf(ref, args.lang),
        args.lang,
        args.title,
      )
      return { exportId: out.name, file: out.file, name: out.name, rows: b.groups.length }
    },
    'kpi.bulletinXlsx': async (args) => {
      const { b, ref } = build(args)
      const out = await writeBulletinXlsx(
        join(deps.dataDir, EXPORTS_FOLDER),
        `bulletin-${args.period.from.slice(0, 7)}-${stamp()}.xlsx`,
        b,
        namesOf(ref, args.lang),
        args.lang,
        args.title,
      )
      return { exportId: out.name, file: out.file, name: out.name, rows: b.groups.length }
    },
  }
}
