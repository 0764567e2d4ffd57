// The triage model built from the centre's history (DESIGN.md §7): the dispatches of the last
// 180 days — where tickets went, and which the units returned — condensed by the shared builder
// and written as a new version of the reference data, so every console gets it with its next
// pull and triages offline with it. Built at most once a day (job_runs: once across server
// processes), or when an admin asks. Its accuracy is measured first on the most recent tickets,
// with a model built from the older ones only, so the figure is one the model did not learn from.
import type { ReferenceData } from '../../shared/reference'
import { triage } from '../../shared/triage'
import type { TriageData, TriageModel } from '../../shared/triage-data'
import { buildTriageModel } from '../../shared/triage-model'
import type { ServerContext } from '../context'
import type { HistoryRow } from '../store/triage'

export interface TriageModelOptions {
  /** How far back the history reaches; 180 days. */
  days?: number
  /** Tickets read at most, the newest; 50,000. */
  maxTickets?: number
  /** A model younger than this is kept; 24 hours. */
  maxAgeMs?: number
  /** Recent tickets the accuracy is measured on at most; 2,000. */
  measureTickets?: number
}

const DAY = 86_400_000
const EMPTY: TriageData = { keywords: [], organisations: [], gazetteer: [] }

/** The model's summary for admins (the counts themselves stay in the reference data). */
export function modelSummary(m: TriageModel | null | undefined) {
  if (!m) return null
  return {
    version: m.version,
    builtAt: m.builtAt,
    tickets: m.tickets,
    from: m.from,
    to: m.to,
    features: Object.keys(m.features).length,
    accuracy: m.accuracy,
  }
}

/** Top-1 category, top-1 and top-3 unit on `test`, triaged with a model built from `train`. */
export function measure(data: ReferenceData, train: HistoryRow[], test: HistoryRow[]) {
  const model = buildTriageModel(train, { version: 1, builtAt: '' })
  const withModel: ReferenceData = { ...data, triage: { ...(data.triage ?? EMPTY), model } }
  let cat = 0
  let top1 = 0
  let top3 = 0
  for (const t of test) {
    const r = triage(withModel, {
      description: t.description,
      address: t.address,
      district: t.address ? null : t.district,
    })
    const units = r.units.map((u) => u.code)
    if (r.categories[0]?.code === t.category) cat++
    if (units[0] === t.unit) top1++
    if (units.slice(0, 3).includes(t.unit)) top3++
  }
  const n = Math.max(1, test.length)
  const round = (k: number) => Math.round((1000 * k) / n) / 1000
  return {
    tickets: test.length,
    categoryTop1: round(cat),
    unitTop1: round(top1),
    unitTop3: round(top3),
  }
}

export class TriageModelJob {
  private readonly o: Required<TriageModelOptions>

  constructor(
    private readonly ctx: ServerContext,
    options: TriageModelOptions = {},
  ) {
    this.o = {
      days: options.days ?? 180,
      maxTickets: options.maxTickets ?? 50_000,
      maxAgeMs: options.maxAgeMs ?? DAY,
      measureTickets: options.measureTickets ?? 2000,
    }
  }

  /** The daily run: builds when the model is missing or stale and no other process has today. */
  async run(nowMs: number = this.ctx.now()): Promise<TriageModel | null> {
    const ref = await this.ctx.reference()
    const current = ref.data.triage?.model
    if (current && nowMs - Date.parse(current.builtAt) < this.o.maxAgeMs) return null
    const day = new Date(nowMs).toISOString().slice(0, 10)
    const owner = `triage-${process.pid}-${nowMs}`
    const now = new Date(nowMs).toISOString()
    const stale = new Date(nowMs - 10 * 60_000).toISOString()
    if (!(await this.ctx.store.jobs.claim('triage-model', day, owner, now, stale))) return null
    const model = await this.rebuild(nowMs)
    await this.ctx.store.jobs.finish('triage-model', day, owner, new Date().toISOString(), {
      version: model.version,
      tickets: model.tickets,
    })
    return model
  }

  /** Builds, measures and publishes a new model now. */
  async rebuild(nowMs: number = this.ctx.now(), by: string | null = null): Promise<TriageModel> {
    const since = new Date(nowMs - this.o.days * DAY).toISOString()
    const rows = await this.ctx.store.triageHistory(since, this.o.maxTickets)
    const ref = await this.ctx.reference()

    // The newest tickets (a tenth, at most measureTickets) are the test; the rest the training.
    const byTicket = new Map<string, HistoryRow[]>()
    for (const r of rows) {
      const list = byTicket.get(r.ticketId)
      if (list) list.push(r)
      else byTicket.set(r.ticketId, [r])
    }
    const order = [...byTicket.keys()]
    const newest = [...order].sort((a, b) =>
      byTicket.get(b)![0]!.createdAt.localeCompare(byTicket.get(a)![0]!.createdAt),
    )
    const testIds = new Set(
      newest.slice(0, Math.min(this.o.measureTickets, Math.floor(order.length / 10))),
    )
    // A ticket's answer is the unit it stayed with: its last dispatch not returned.
    const test: HistoryRow[] = []
    for (const id of testIds) {
      const kept = byTicket
        .get(id)!
        .filter((r) => !r.returned)
        .at(-1)
      if (kept) test.push(kept)
    }
    const accuracy =
      test.length > 0
        ? measure(
            ref.data,
            rows.filter((r) => !testIds.has(r.ticketId)),
            test,
          )
        : null

    let published: TriageModel | null = null
    await this.ctx.store.changeReference(by, (cur) => {
      const triageData = cur.data.triage ?? EMPTY
      published = {
        ...buildTriageModel(rows, {
          version: (triageData.model?.version ?? 0) + 1,
          builtAt: new Date(nowMs).toISOString(),
        }),
        accuracy,
      }
      return { ...cur.data, triage: { ...triageData, model: published } }
    })
    await this.ctx.reference(true)
    const model = published as unknown as TriageModel
    this.ctx.log?.info(
      { job: 'triage-model', ...modelSummary(model) },
      `triage model ${model.version} built from ${model.tickets} tickets`,
    )
    return model
  }
}
