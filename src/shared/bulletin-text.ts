// The bulletin (bulletin.ts) as the tables a supervisor sends: the printed page and the XLSX are
// both drawn from these, so the two say exactly the same thing in the same words.
import type { Bulletin, Headline } from './bulletin'
import type { Ratio } from './kpi'
import type { Level } from './kpi-units'
import { RATES, type RateName } from './kpi-score'
import { EXEMPTION_LABELS } from './labels'
import type { Lang, Localized } from './validation'

export interface BulletinTable {
  /** Stable id (tests, sheet order). */
  id: 'headline' | 'ranking' | 'below' | 'urged' | 'topics' | 'exemptions'
  title: string
  headers: string[]
  rows: string[][]
  /** Said when there are no rows. */
  empty: string
  /**
   * The tickets behind each cell (rows × columns; null: none to list): the console opens them
   * in the queue. Documents (PDF, XLSX, DOCX) leave them out.
   */
  drills?: Array<Array<string[] | null>>
}

export const LEVEL_WORDS: Record<Level, Localized> = {
  city: { zh: '市级', en: 'City' },
  subcentre: { zh: '区级（分中心）', en: 'District (sub-centre)' },
  street: { zh: '街道（镇）', en: 'Street (town)' },
  community: { zh: '社区（村）', en: 'Community (village)' },
}

export interface BulletinNames {
  unit(code: string | null): string
  category(code: string): string
}

const pct = (r: Ratio | number | null): string => {
  const v = r == null || typeof r === 'number' ? r : r.rate
  return v == null ? '—' : `${(v * 100).toFixed(2)}%`
}
const days = (d: number | null) => (d == null ? '—' : d.toFixed(2))
const pts = (a: number | null, b: number | null): string => {
  if (a == null || b == null) return '—'
  const d = (a - b) * 100
  return `${d > 0 ? '+' : ''}${d.toFixed(2)}`
}
const diff = (a: number | null, b: number | null, digits = 0): string => {
  if (a == null || b == null) return '—'
  const d = a - b
  return `${d > 0 ? '+' : ''}${d.toFixed(digits)}`
}

export const RATE_WORDS: Record<RateName, Localized> = {
  signing: { zh: '及时签收率', en: 'On-time signing' },
  completion: { zh: '按时办结率', en: 'On-time completion' },
  response: { zh: '响应率', en: 'Response rate' },
  resolution: { zh: '解决率', en: 'Resolution rate' },
  satisfaction: { zh: '满意率', en: 'Satisfaction rate' },
}

const L = (l: Localized, lang: Lang) => l[lang]

/** The headline lines: label, this month, last month, change, last year, change. */
function headlineRows(b: Bulletin, lang: Lang): string[][] {
  const line = (
    label: Localized,
    get: (h: Headline) => number | null,
    show: (v: number | null) => string,
    change: (a: number | null, c: number | null) => string,
  ) => {
    const c = get(b.current)
    const m = get(b.lastMonth)
    const y = get(b.lastYear)
    return [L(label, lang), show(c), show(m), change(c, m), show(y), change(c, y)]
  }
  const count = (v: number | null) => (v == null ? '—' : String(v))
  const rate = (k: RateName | 'directAnswer', label: Localized) =>
    line(label, (h) => h[k].rate, pct, pts)
  return [
    line(
      { zh: '受理量（件）', en: 'Received' },
      (h) => h.received,
      count,
      (a, c) => diff(a, c),
    ),
    rate('directAnswer', { zh: '直办率', en: 'Direct-answer rate' }),
    // The rates below are drillable in the console (headlineDrills, same order).
    ...RATES.map((r) => rate(r, RATE_WORDS[r])),
    line(
      { zh: '平均办理时长（天）', en: 'Avg handling (days)' },
      (h) => h.avgHandlingDays.mean,
      days,
      (a, c) => diff(a, c, 2),
    ),
    line(
      { zh: '涉企诉求平均办理时长（天）', en: 'Company requests (days)' },
      (h) => h.avgCompanyHandlingDays.mean,
      days,
      (a, c) => diff(a, c, 2),
    ),
    line(
      { zh: '超期件（件）', en: 'Overdue' },
      (h) => h.overdue,
      count,
      (a, c) => diff(a, c),
    ),
    line(
      { zh: '不纳入考核（件）', en: 'Exempt' },
      (h) => h.exempt,
      count,
      (a, c) => diff(a, c),
    ),
  ]
}

/** The tickets behind each headline row's current figure (column 1), as headlineRows orders them. */
function headlineDrills(b: Bulletin): Array<Array<string[] | null>> {
  const t = b.current.tickets
  const cell = (ids: string[] | undefined) => [
    null,
    ids?.length ? ids : null,
    null,
    null,
    null,
    null,
  ]
  const byRate: Record<RateName, string[] | undefined> = {
    signing: t?.signing,
    completion: t?.completion,
    response: t?.response,
    resolution: t?.callbacks,
    satisfaction: t?.callbacks,
  }
  return [
    cell(undefined),
    cell(undefined),
    ...RATES.map((r) => cell(byRate[r])),
    cell(undefined),
    cell(undefined),
    cell(t?.overdue),
    cell(t?.exempt),
  ]
}

/** Every table of the bulletin, in the order it is read. */
export function bulletinTables(b: Bulletin, names: BulletinNames, lang: Lang): BulletinTable[] {
  const zh = lang === 'zh'
  const groupName = new Map(b.groups.map((g) => [g.code, zh ? g.name : g.nameEn]))
  const rateCols = RATES.map((r) => L(RATE_WORDS[r], lang))
  return [
    {
      id: 'headline',
      title: zh ? '一、主要指标' : '1. Headline figures',
      headers: zh
        ? ['指标', '本月', '上月', '环比', '去年同期', '同比']
        : ['Figure', 'This month', 'Last month', 'Change', 'Last year', 'Change'],
      rows: headlineRows(b, lang),
      empty: '',
      drills: headlineDrills(b),
    },
    {
      id: 'ranking',
      title: zh ? '二、承办单位考核得分排名（分类排名）' : '2. Unit scores, ranked within type',
      headers: [
        ...(zh
          ? ['类别', '名次', '单位', '层级', '得分', '扣分']
          : ['Type', 'Rank', 'Unit', 'Level', 'Score', 'Deducted']),
        ...rateCols,
        zh ? '超期件' : 'Overdue',
      ],
      rows: b.groups.flatMap((g) =>
        g.units.map((u) => [
          groupName.get(g.code) ?? g.code,
          u.rank == null ? '—' : String(u.rank),
          names.unit(u.unit),
          L(LEVEL_WORDS[u.level], lang),
          u.score == null ? '—' : u.score.toFixed(2),
          u.deduction.toFixed(2),
          ...RATES.map((r) => pct(u.figures[r])),
          String(u.figures.overdue),
        ]),
      ),
      drills: b.groups.flatMap((g) =>
        g.units.map((u) => {
          const t = u.figures.tickets
          const of = (ids: string[] | undefined) => (ids?.length ? ids : null)
          const byRate: Record<RateName, string[]> = {
            signing: t.signing,
            completion: t.completion,
            response: t.response,
            resolution: t.callbacks,
            satisfaction: t.callbacks,
          }
          return [
            null,
            null,
            null,
            null,
            null,
            // Deductions: overdue tickets, refused returns, supervisions (and urges, listed).
            of([...new Set([...u.figures.overdueTickets, ...t.marks])]),
            ...RATES.map((r) => of(byRate[r])),
            of(u.figures.overdueTickets),
          ]
        }),
      ),
      empty: zh ? '本期没有可考核的单位' : 'No unit to score this period',
    },
    {
      id: 'below',
      title: zh ? '三、未达标单位' : '3. Units below the thresholds',
      headers: zh ? ['单位', '得分', '未达标项'] : ['Unit', 'Score', 'Below on'],
      rows: b.below.map((u) => [
        names.unit(u.unit),
        u.score == null ? '—' : u.score.toFixed(2),
        u.below
          .map((x) =>
            x === 'score'
              ? zh
                ? '考核得分'
                : 'score'
              : `${L(RATE_WORDS[x], lang)} ${pct(u.figures[x])}`,
          )
          .join(zh ? '、' : ', '),
      ]),
      empty: zh ? '本期各单位均达标' : 'Every unit met the thresholds',
    },
    {
      id: 'urged',
      title: zh ? '四、催办、督办较多的工单' : '4. Most urged and supervised tickets',
      headers: zh
        ? ['工单号', '承办单位', '诉求类别', '催办次数', '督办']
        : ['Ticket', 'Unit', 'Category', 'Urged', 'Supervised'],
      drills: b.mostUrged.map((t) => [[t.ticketId]]),
      rows: b.mostUrged.map((t) => [
        t.number ?? t.ticketId.slice(-8),
        names.unit(t.unit),
        names.category(t.category),
        String(t.urged),
        t.supervised ? (zh ? '是' : 'yes') : '',
      ]),
      empty: zh ? '本期没有催办、督办' : 'Nothing urged or supervised',
    },
    {
      id: 'topics',
      title: zh ? '五、热点诉求' : '5. Hot topics',
      headers: zh
        ? ['诉求类别', '本月（件）', '上月（件）', '环比']
        : ['Topic', 'This month', 'Last month', 'Change'],
      rows: b.hotTopics.map((t) => [
        names.category(t.category),
        String(t.current),
        String(t.lastMonth),
        diff(t.current, t.lastMonth),
      ]),
      empty: zh ? '本期没有受理' : 'Nothing received',
    },
    {
      id: 'exemptions',
      title: zh ? '六、不纳入考核的工单' : '6. Tickets exempt from scoring',
      headers: zh
        ? ['工单号', '承办单位', '原因', '说明']
        : ['Ticket', 'Unit', 'Reason', 'Details'],
      drills: b.exemptions.map((e) => [[e.ticketId]]),
      rows: b.exemptions.map((e) => [
        e.number ?? e.ticketId.slice(-8),
        names.unit(e.unit),
        L(EXEMPTION_LABELS[e.exemption.reason], lang),
        e.exemption.text ?? '',
      ]),
      empty: zh ? '本期没有不纳入考核的工单' : 'No exemptions this period',
    },
  ]
}
