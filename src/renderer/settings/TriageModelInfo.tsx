// For admins and supervisors in the settings screen: the triage model the consoles use (built on
// the server from the centre's history and synced with the reference data) — its version, when it
// was built, from how many tickets, and its accuracy on recent tickets it did not learn from.
import { useEffect, useState } from 'react'
import type { TriageModel } from '../../shared/triage-data'
import { formatTime, useLang } from '../i18n'
import { useApi } from '../state/api'

const pct = (x: number) => `${(100 * x).toFixed(1)}%`

export function TriageModelInfo() {
  const api = useApi()
  const lang = useLang()
  const [model, setModel] = useState<TriageModel | null | undefined>(undefined)
  useEffect(() => {
    void api
      .call('reference.get', {})
      .then((r) => setModel(r.ok ? (r.value.triage?.model ?? null) : null))
  }, [api])
  if (model === undefined) return null
  const zh = lang === 'zh'
  if (!model)
    return (
      <p className="muted" data-testid="triage-model">
        {zh
          ? '智能分派模型：尚未建立（服务器每日按历史工单建立）'
          : 'Triage model: not built yet (the server builds it daily from past tickets)'}
      </p>
    )
  const a = model.accuracy
  const measured = a
    ? zh
      ? `近期 ${a.tickets} 张工单上：分类首选 ${pct(a.categoryTop1)}，单位首选 ${pct(a.unitTop1)}，前三 ${pct(a.unitTop3)}`
      : `on ${a.tickets} recent tickets: category top-1 ${pct(a.categoryTop1)}, unit top-1 ${pct(a.unitTop1)}, top-3 ${pct(a.unitTop3)}`
    : zh
      ? '工单尚少，未测准确率'
      : 'too few tickets to measure yet'
  return (
    <p className="muted" data-testid="triage-model">
      {zh
        ? `智能分派模型：第 ${model.version} 版，${formatTime(model.builtAt)} 建立，学习工单 ${model.tickets} 张；${measured}`
        : `Triage model: version ${model.version}, built ${formatTime(model.builtAt)} from ${model.tickets} tickets; ${measured}`}
    </p>
  )
}
