// Why a unit is suggested in the dispatch dialog, at a glance: 来电提到“中国电信” · 地址属健康路街道 ·
// 同类工单 42 张派往此单位，无退单 · 规则：燃气 × 京口区. Triage (src/shared/triage.ts) runs in the
// page on the ticket as it stands, offline like everything else here.
import { useMemo } from 'react'
import type { Ticket } from '../../shared/ticket'
import { triage, type Ranked, type TriageReason } from '../../shared/triage'
import { useLang } from '../i18n'
import type { Names } from '../state/reference'
import './unit-reasons.css'

/** The units triage ranks for the ticket's category, words and place, best first. */
export function useTriageUnits(names: Names, t: Ticket): Ranked[] {
  return useMemo(
    () =>
      triage(
        names.data,
        {
          description: t.description,
          address: t.location.address,
          district: t.location.district ?? null,
          street: t.location.street ?? null,
          category: t.category,
          company: t.caller.company ?? null,
        },
        { categories: 1, units: 8 },
      ).units,
    [names, t],
  )
}

/** Rules last: they are why anything is suggested at all; the specific reasons come first. */
const ORDER: TriageReason['kind'][] = [
  'organisation',
  'place',
  'returns',
  'history',
  'company',
  'words',
  'rule',
]

export function UnitReasons(props: { reasons: TriageReason[] }) {
  const lang = useLang()
  if (props.reasons.length === 0) return null
  const sorted = [...props.reasons].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind))
  return (
    <span className="unit-reasons">
      {sorted.slice(0, 3).map((r) => (
        <span key={r.zh} className={`reason reason-${r.kind}`}>
          {r[lang]}
        </span>
      ))}
    </span>
  )
}
