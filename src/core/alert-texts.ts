// What an alert says, in both languages: the core raises alerts while no screen may be looking,
// so their words are made here and the renderer shows them as they are.
import type { AlertKind } from '../shared/alerts'
import type { Localized } from '../shared/validation'

export interface AlertFacts {
  number: string
  summary: string
  address?: string
  /** Overdue: which clock ran out. */
  missed?: 'sign' | 'due'
  /** Waiting: minutes waited, and the unit's reason. */
  waited?: number
  reason?: string | null
  /** Very urgent: the alert goes to the unit it was dispatched to. */
  forUnit?: boolean
}

const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)
const both = (s: string): Localized => ({ zh: s, en: s })

export function alertTitle(kind: AlertKind, f: AlertFacts): Localized {
  switch (kind) {
    case 'very_urgent':
      return f.forUnit
        ? {
            zh: `特急工单派至本单位 ${f.number}`,
            en: `Very urgent ticket for your unit ${f.number}`,
          }
        : { zh: `特急工单 ${f.number}`, en: `Very urgent ticket ${f.number}` }
    case 'overdue':
      return { zh: `工单已超时 ${f.number}`, en: `Ticket overdue ${f.number}` }
    case 'return_waiting':
      return { zh: `退单待审 ${f.number}`, en: `Return waiting ${f.number}` }
    case 'extension_waiting':
      return { zh: `延期待批 ${f.number}`, en: `Extension waiting ${f.number}` }
  }
}

export function alertBody(kind: AlertKind, f: AlertFacts): Localized {
  const summary = clip(f.summary)
  switch (kind) {
    case 'very_urgent':
      return both(f.address ? `${clip(f.address, 40)} · ${summary}` : summary)
    case 'overdue':
      return f.missed === 'sign'
        ? { zh: `超过签收时限未签收 · ${summary}`, en: `Not signed for in time · ${summary}` }
        : { zh: `超过办结时限 · ${summary}`, en: `Past its due time · ${summary}` }
    case 'return_waiting':
    case 'extension_waiting': {
      const why = clip(f.reason ?? f.summary)
      return { zh: `已等待 ${f.waited} 分钟：${why}`, en: `Waiting ${f.waited} min: ${why}` }
    }
  }
}

/** One alert standing for a burst of them (a console back after a night away, say). */
export function summaryTitle(kind: AlertKind, n: number): Localized {
  switch (kind) {
    case 'very_urgent':
      return { zh: `${n} 张特急工单`, en: `${n} very urgent tickets` }
    case 'overdue':
      return { zh: `${n} 张工单已超时`, en: `${n} tickets overdue` }
    case 'return_waiting':
      return { zh: `${n} 张退单等待审核`, en: `${n} returns waiting` }
    case 'extension_waiting':
      return { zh: `${n} 张延期申请等待审批`, en: `${n} extensions waiting` }
  }
}

export function summaryBody(numbers: readonly string[]): Localized {
  const shown = numbers.slice(0, 4)
  const more = numbers.length - shown.length
  return {
    zh: shown.join('、') + (more > 0 ? ` 等` : ''),
    en: shown.join(', ') + (more > 0 ? ` and ${more} more` : ''),
  }
}
