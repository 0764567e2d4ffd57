// Triage's reasons in both languages, short enough to read at a glance in the dispatch dialog:
// 来电提到“中国电信”, 地址属健康路街道, 同类工单 42 张派往此单位，无退单, 规则：燃气 × 京口区.
import type { ReferenceData } from './reference'
import { indexReference } from './reference-data'
import type { Organisation } from './triage-data'
import type { PlaceRef } from './triage-index'

export type ReasonKind =
  'words' | 'organisation' | 'place' | 'rule' | 'history' | 'returns' | 'company'

export interface TriageReason {
  kind: ReasonKind
  zh: string
  en: string
}

export function explain(data: ReferenceData) {
  const ref = indexReference(data)
  const unit = (code: string | null) => (code ? ref.units.get(code) : undefined)
  const districtOf = (code: string | null) => (code ? ref.districts.get(code) : undefined)
  const category = (code: string) => ref.categories.get(code)
  const quoted = (list: string[]) => list.map((w) => `“${w}”`).join('')

  return {
    words: (list: string[]): TriageReason => ({
      kind: 'words',
      zh: `来电提到${quoted(list.slice(0, 3))}`,
      en: `The caller said ${list.slice(0, 3).join(', ')}`,
    }),
    organisation: (org: Organisation, said: string): TriageReason => ({
      kind: 'organisation',
      zh: `来电提到“${said === org.name ? org.name : `${said}`}”`,
      en: `The caller named ${org.name}`,
    }),
    place: (p: { street: string | null; community?: string | null }): TriageReason => ({
      kind: 'place',
      zh: `地址属${unit(p.street)?.name ?? p.street ?? ''}`,
      en: `The address lies in ${unit(p.street)?.nameEn ?? p.street ?? ''}`,
    }),
    placeFound: (said: string, p: PlaceRef): TriageReason => {
      const s = unit(p.street)
      const c = unit(p.community)
      const zhWhere = [s?.name, c?.name].filter(Boolean).join('')
      const enWhere = [c?.nameEn, s?.nameEn].filter(Boolean).join(', ')
      const d = districtOf(p.district)
      return {
        kind: 'place',
        zh: zhWhere ? `“${said}”属${zhWhere}` : `“${said}”属${d?.name ?? p.district}`,
        en: `${said} lies in ${enWhere || d?.nameEn || p.district}`,
      }
    },
    district: (said: string, code: string): TriageReason => {
      const d = districtOf(code)
      return {
        kind: 'place',
        zh: said === d?.name ? `地址在${said}` : `“${said}”即${d?.name ?? code}`,
        en: `${said} is ${d?.nameEn ?? code}`,
      }
    },
    rule: (code: string, district: string | null): TriageReason => {
      const c = category(code)
      const d = districtOf(district)
      return {
        kind: 'rule',
        zh: `规则：${c?.name ?? code} × ${d?.name ?? '全市'}`,
        en: `Rule: ${c?.nameEn ?? code} × ${d?.nameEn ?? 'whole city'}`,
      }
    },
    route: (kept: number, returned: number): TriageReason => ({
      kind: 'history',
      zh: `同类工单 ${kept + returned} 张派往此单位，${returned ? `${returned} 张退单` : '无退单'}`,
      en: `${kept + returned} similar tickets went here, ${returned ? `${returned} returned` : 'none returned'}`,
    }),
    returns: (n: number): TriageReason => ({
      kind: 'returns',
      zh: `相似工单 ${n} 张被此单位退回`,
      en: `${n} similar ticket${n === 1 ? '' : 's'} returned by this unit`,
    }),
    similarCategory: (): TriageReason => ({
      kind: 'history',
      zh: '相似工单多属此类',
      en: 'Similar tickets were mostly filed here',
    }),
    company: (): TriageReason => ({
      kind: 'company',
      zh: '企业来电（一企来办）',
      en: 'A company calls (company services)',
    }),
  }
}
