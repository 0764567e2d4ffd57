// The dashboard's own words in Chinese and English.
import type { Localized } from '../../shared/validation'
import type { AgeBucket } from '../../shared/kpi'
import type { PeriodKind } from './period'

export const W = {
  title: { zh: '运行监测', en: 'Dashboard' },
  period: { zh: '统计周期', en: 'Period' },
  from: { zh: '起', en: 'from' },
  to: { zh: '止', en: 'to' },
  unitFilter: { zh: '承办单位', en: 'Unit' },
  districtFilter: { zh: '区县', en: 'District' },
  all: { zh: '全部', en: 'all' },
  previous: { zh: '上期', en: 'previous' },
  comparedWith: { zh: '对比', en: 'compared with ' },
  live: { zh: '实时', en: 'Now' },
  inPeriod: { zh: '本期', en: 'This period' },
  receivedToday: { zh: '今日受理', en: 'Received today' },
  receivedThisWeek: { zh: '本周受理', en: 'Received this week' },
  receivedThisMonth: { zh: '本月受理', en: 'Received this month' },
  openBacklog: { zh: '在办积压', en: 'Open backlog' },
  overdue: { zh: '已超时', en: 'Overdue' },
  atRisk: { zh: '即将超时', en: 'At risk' },
  awaitingSign: { zh: '待签收', en: 'Awaiting sign' },
  returnsWaiting: { zh: '退单待审', en: 'Returns waiting' },
  extensionsWaiting: { zh: '延期待批', en: 'Extensions waiting' },
  callbacksDue: { zh: '待回访', en: 'Callbacks due' },
  received: { zh: '受理量', en: 'Received' },
  completed: { zh: '办结量', en: 'Completed' },
  onTimeRate: { zh: '按时办结率', en: 'On-time completion' },
  satisfactionRate: { zh: '满意率', en: 'Satisfaction' },
  avgHandlingDays: { zh: '平均办理时长', en: 'Avg handling time' },
  avgCompanyHandlingDays: { zh: '涉企平均办理时长', en: 'Avg handling (companies)' },
  firstCallResolutionRate: { zh: '一次办结率', en: 'First-call resolution' },
  returnRate: { zh: '退单率', en: 'Return rate' },
  reopenRate: { zh: '重办率', en: 'Reopen rate' },
  days: { zh: '天', en: 'd' },
  perDay: { zh: '每日受理与办结', en: 'Received and completed per day' },
  backlogByUnit: { zh: '各单位积压（按状态）', en: 'Backlog by unit (by status)' },
  ageBuckets: { zh: '在办工单时长分布', en: 'Age of open tickets' },
  topCategories: { zh: '热点类别（与上期比较）', en: 'Top categories (vs previous)' },
  hotspots: { zh: '重复诉求热点地址', en: 'Hotspots: repeated complaints' },
  noHotspots: { zh: '本期没有 3 件以上的同一地点诉求', en: 'No place with 3+ tickets this period' },
  others: { zh: '其他单位 / 未派单', en: 'Other units / not dispatched' },
  loading: { zh: '计算中…', en: 'Computing…' },
  computedIn: { zh: '计算用时', en: 'computed in' },
  keys: {
    zh: '1–6 周期 · ←→↑↓ 选择 · Enter 下钻到工单 · U 单位 · D 区县 · P 打印报表 · B 月度通报 · Esc 返回',
    en: '1–6 period · arrows choose · Enter drill down · U unit · D district · P print report · B monthly bulletin · Esc back',
  },
  badDate: { zh: '日期格式应为 YYYY-MM-DD', en: 'Dates are YYYY-MM-DD' },
  badOrder: { zh: '结束日期须不早于开始日期', en: 'The end must not be before the start' },
  drill: { zh: '下钻', en: 'Drill-down' },
  ranking: { zh: '单位排名', en: 'Unit ranking' },
  report: { zh: '运行报告', en: 'Period report' },
  printFailed: { zh: '报告未能保存为 PDF', en: 'The report could not be saved as a PDF' },
} satisfies Record<string, Localized>

/** What the previous figures are, by period: the same stretch of the period before. */
export const COMPARE_WORDS: Record<PeriodKind, Localized> = {
  today: { zh: '昨日同时段', en: 'yesterday, same hours' },
  week: { zh: '上周同期', en: 'last week, same days' },
  month: { zh: '上月同期', en: 'last month, same days' },
  quarter: { zh: '上季度同期', en: 'last quarter, same days' },
  year: { zh: '去年同期', en: 'last year, same days' },
  custom: { zh: '前一等长时段', en: 'the equally long span before' },
}

export const PERIOD_WORDS: Record<PeriodKind, Localized> = {
  today: { zh: '今日', en: 'Today' },
  week: { zh: '本周', en: 'This week' },
  month: { zh: '本月', en: 'This month' },
  quarter: { zh: '本季度', en: 'This quarter' },
  year: { zh: '本年', en: 'This year' },
  custom: { zh: '自定义', en: 'Custom' },
}

export const AGE_WORDS: Record<AgeBucket, Localized> = {
  lt1: { zh: '1天内', en: '< 1 day' },
  '1to3': { zh: '1–3天', en: '1–3 days' },
  '3to5': { zh: '3–5天', en: '3–5 days' },
  '5to10': { zh: '5–10天', en: '5–10 days' },
  ge10: { zh: '10天以上', en: '10+ days' },
}

/** The period report's words. */
export const RW = {
  city: { zh: '镇江市12345政务服务便民热线', en: 'Zhenjiang 12345 hotline' },
  previousIs: { zh: '上期', en: 'previous period' },
  generated: { zh: '生成于', en: 'generated' },
  kpis: { zh: '主要指标', en: 'Key figures' },
  indicator: { zh: '指标', en: 'Indicator' },
  change: { zh: '变化', en: 'Change' },
  print: { zh: 'Ctrl+P 打印 / 保存为 PDF · Esc 返回', en: 'Ctrl+P print / save as PDF · Esc back' },
  columns: [
    { zh: '名次', en: 'Rank' },
    { zh: '承办单位', en: 'Unit' },
    { zh: '派单', en: 'Dispatched' },
    { zh: '办结', en: 'Completed' },
    { zh: '按时办结率', en: 'On time' },
    { zh: '满意率', en: 'Satisfaction' },
    { zh: '在办', en: 'Open' },
    { zh: '超时', en: 'Overdue' },
    { zh: '退单', en: 'Returns' },
    { zh: '被催办', en: 'Urged' },
    { zh: '被督办', en: 'Supervised' },
  ] satisfies Localized[],
} as const
