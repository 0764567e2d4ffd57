// A year's cases as a document to publish: Markdown, a standalone HTML page and an XLSX sheet
// (./xlsx.ts), in list order, with the ticket facts. Every text a person typed (titles,
// write-ups, replies) is escaped: a title holding `<script>` comes out as those characters. The
// HTML page carries its CSS inline and a CSP that forbids any script, should escaping ever fail.
import type { WorkCalendar } from '../../shared/calendar'
import { CASE_COLUMNS, type CaseColumn, type CaseView } from '../../shared/cases'
import { SATISFACTION_LABELS } from '../../shared/labels'

export type Cell = string | number | null

const pad = (n: number) => String(n).padStart(2, '0')

/** `2026-09-07 10:00`, in the city's time zone; null stays null. */
export function cityTime(iso: string | null, cal: WorkCalendar): string | null {
  if (iso == null) return null
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return null
  const l = cal.local(ms)
  const minute = Math.floor(l.minute)
  return `${l.y}-${pad(l.m)}-${pad(l.d)} ${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`
}

/** One case as the export's columns (CASE_COLUMNS), in Chinese. */
export function caseCells(c: CaseView, cal: WorkCalendar): Record<CaseColumn, Cell> {
  const f = c.facts
  return {
    rank: c.rank,
    title: c.title,
    number: f.number,
    category: f.category.name.zh,
    district: f.district.name?.zh ?? f.district.code,
    unit: f.unit.name?.zh ?? f.unit.code,
    createdAt: cityTime(f.createdAt, cal),
    dispatchedAt: cityTime(f.dispatchedAt, cal),
    completedAt: cityTime(f.completedAt, cal),
    closedAt: cityTime(f.closedAt, cal),
    handlingWorkingDays: f.handlingWorkingDays,
    satisfaction: f.satisfaction ? SATISFACTION_LABELS[f.satisfaction].zh : '未回访',
    company: f.company ? '是' : '否',
    writeUp: c.writeUp,
    replyText: f.replyText,
  }
}

export interface DocumentInput {
  year: number
  cases: readonly CaseView[]
  calendar: WorkCalendar
  /** When the document is made (ms). */
  now: number
}

const docTitle = (year: number) => `12345 热线 ${year} 年度优秀案例`
/** The facts table's rows: every column but the title, rank and long texts. */
const FACT_COLUMNS = CASE_COLUMNS.filter(
  ([k]) => !['rank', 'title', 'writeUp', 'replyText'].includes(k),
)
const heading = (c: CaseView) => (c.rank != null ? `第 ${c.rank} 名` : '候选')
const text = (v: Cell) => (v == null ? '—' : String(v))
const summary = (d: DocumentInput) => {
  const ranked = d.cases.filter((c) => c.rank != null).length
  return `共 ${d.cases.length} 件，已排名 ${ranked} 件。生成于 ${cityTime(new Date(d.now).toISOString(), d.calendar)}（${d.calendar.timeZone}）。`
}

/** Markdown text: HTML and Markdown syntax characters escaped, so it renders as written. */
export const mdEscape = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]{}#|~!])/g, '\\$1')
const mdParagraphs = (s: string) =>
  s
    .split(/\n{2,}/)
    .map((p) => p.split('\n').map(mdEscape).join('  \n'))
    .join('\n\n')

export function casesMarkdown(d: DocumentInput): string {
  const out = [`# ${docTitle(d.year)}`, '', summary(d), '']
  if (d.cases.length === 0) out.push('（本年度尚无推荐案例）', '')
  for (const c of d.cases) {
    const cells = caseCells(c, d.calendar)
    out.push(`## ${heading(c)} · ${mdEscape(c.title)}`, '', '| 项目 | 内容 |', '| --- | --- |')
    for (const [k, label] of FACT_COLUMNS) out.push(`| ${label} | ${mdEscape(text(cells[k]))} |`)
    out.push('', '**案例简介**', '', mdParagraphs(c.writeUp), '')
    if (c.facts.replyText) out.push('**承办单位答复**', '', mdParagraphs(c.facts.replyText), '')
  }
  return out.join('\n')
}

export const htmlEscape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  )
const htmlParagraphs = (s: string) =>
  s
    .split(/\n{2,}/)
    .map((p) => `<p>${p.split('\n').map(htmlEscape).join('<br>')}</p>`)
    .join('\n')

const CSS = `
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:52rem;
margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.7}
h1{font-size:1.6rem;border-bottom:2px solid #c8102e;padding-bottom:.4rem}
h2{font-size:1.2rem;margin-top:2.2rem}
h2 .rank{color:#c8102e;margin-right:.5rem}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa;width:10rem;font-weight:600}
.muted{color:#656d76}
blockquote{margin:0;padding:.2rem 1rem;border-left:4px solid #d0d7de;color:#424a53}
@media print{body{margin:0}h2{break-after:avoid}section{break-inside:avoid}}`

export function casesHtml(d: DocumentInput): string {
  const title = htmlEscape(docTitle(d.year))
  const sections = d.cases.map((c) => {
    const cells = caseCells(c, d.calendar)
    const rows = FACT_COLUMNS.map(
      ([k, label]) => `<tr><th>${label}</th><td>${htmlEscape(text(cells[k]))}</td></tr>`,
    ).join('\n')
    const reply = c.facts.replyText
      ? `<h3>承办单位答复</h3>\n<blockquote>${htmlParagraphs(c.facts.replyText)}</blockquote>`
      : ''
    return [
      '<section>',
      `<h2><span class="rank">${heading(c)}</span>${htmlEscape(c.title)}</h2>`,
      `<table>\n${rows}\n</table>`,
      `<h3>案例简介</h3>\n${htmlParagraphs(c.writeUp)}`,
      reply,
      '</section>',
    ].join('\n')
  })
  return [
    '<!doctype html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<h1>${title}</h1>`,
    `<p class="muted">${htmlEscape(summary(d))}</p>`,
    d.cases.length === 0 ? '<p>（本年度尚无推荐案例）</p>' : '',
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
