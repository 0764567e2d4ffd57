// The read side of ConsoleApi: queue views and counts, one ticket, caller history, duplicates,
// unit suggestions, search (local, then the server for what is not local) and KPIs. All local
// reads go through the store; only search asks the server, and never waits long for it.
import {
  ApiFailure,
  SAVED_VIEWS,
  provisionalNumber,
  type ApiHandlers,
  type SearchResult,
  type TicketRow,
  type UnitSuggestion,
} from '../shared/api'
import { normalizePhone } from '../shared/actions'
import { ownClockRuns, ownLink } from '../shared/assignments'
import { deadlineState } from '../shared/deadline-state'
import { computeKpis } from '../shared/kpi'
import { suggestUnitsByRules } from '../shared/reference-data'
import type { Lang } from '../shared/validation'
import { allowedActions } from '../shared/workflow'
import { actorOf } from './act'
import type { LocalStoreApi, Viewer } from './db/types'
import { notFound, notLoggedIn, notReady } from './failures'
import type { ReferenceCache } from './reference-cache'
import type { StoredSession } from './session'
import { HttpFailure, requestJson } from './sync/http'

export interface QueryDeps {
  store: LocalStoreApi
  references: ReferenceCache
  clientId: string
  session(): StoredSession | null
  lang(): Lang
  now?: () => number
  /** How long a search waits for the server before answering with the local rows alone. */
  remoteSearchTimeoutMs?: number
}

type QueryHandlers = Pick<
  ApiHandlers,
  | 'ticket.get'
  | 'queue.query'
  | 'queue.counts'
  | 'queue.range'
  | 'caller.history'
  | 'ticket.duplicates'
  | 'units.suggest'
  | 'search'
  | 'kpi.compute'
  | 'reference.get'
>

export function queryHandlers(deps: QueryDeps): QueryHandlers {
  const now = deps.now ?? Date.now
  const { store } = deps
  const session = () => {
    const s = deps.session()
    if (!s) throw notLoggedIn()
    return s
  }
  const viewer = (): Viewer => {
    const s = session()
    return { userId: s.user.id, role: s.user.role, unit: s.user.unit }
  }
  const reference = () => {
    const r = deps.references.get()
    if (!r) throw notReady()
    return r
  }

  return {
    'ticket.get': ({ id }) => {
      const s = session()
      const found = store.ticket(id)
      if (!found) throw notFound(id)
      const { rules } = reference()
      const nowMs = now()
      const t = found.ticket
      const fraction = rules.deadlines.atRiskFraction
      // Issue 16: unit staff lower in the chain work to their own link's deadlines.
      const link = s.user.role === 'unit' ? ownLink(t, s.user.unit) : undefined
      const own = link && {
        level: link.level,
        signBy: link.signBy,
        dueAt: link.dueAt,
        signedAt: link.signedAt,
        deadlineState: ownClockRuns(t, link)
          ? deadlineState(
              {
                status: link.signedAt == null ? 'dispatched' : 'in_progress',
                dispatchedAt: link.at,
                signedAt: link.signedAt,
                signBy: link.signBy,
                dueAt: link.dueAt,
              },
              nowMs,
              fraction,
            )
          : ('none' as const),
      }
      return {
        ticket: t,
        displayNumber: t.number ?? provisionalNumber(t.id),
        events: found.events,
        allowed: allowedActions(t, actorOf(s, deps.clientId), nowMs, rules),
        deadlineState: deadlineState(t, nowMs, fraction),
        ...(own ? { own } : {}),
        pending: found.pending,
      }
    },

    'queue.query': (q) => store.queue(q, viewer(), now()),

    'queue.counts': ({ views }) => store.counts(views ?? SAVED_VIEWS, viewer(), now()),

    'queue.range': (q) => store.queueRange(q, viewer(), now()),

    'caller.history': ({ phone, limit }) => {
      session()
      return store.callerHistory(normalizePhone(phone), limit)
    },

    'ticket.duplicates': (args) => {
      session()
      return store.duplicates(args, now())
    },

    'units.suggest': ({ category, district, street, limit }) => {
      session()
      const { data } = reference()
      const names = new Map(data.units.map((u) => [u.code, u]))
      const name = (code: string) => {
        const u = names.get(code)
        return u ? (deps.lang() === 'en' ? u.nameEn : u.name) : code
      }
      const out: UnitSuggestion[] = suggestUnitsByRules(data, category, district ?? null, street)
        .slice(0, limit)
        .map((code) => ({ code, name: name(code), source: 'rule' }))
      if (out.length < limit) {
        const seen = new Set(out.map((s) => s.code))
        for (const h of store.unitsByHistory(category, district ?? null, limit)) {
          if (seen.has(h.code) || names.get(h.code)?.active === false) continue
          seen.add(h.code)
          out.push({ code: h.code, name: name(h.code), source: 'history', count: h.count })
          if (out.length >= limit) break
        }
      }
      return out
    },

    search: async ({ q, limit }) => {
      const s = session()
      const local = store.search(q, limit)
      const result: SearchResult = { local, remote: [], remoteError: null }
      try {
        result.remote = (await remoteSearch(s, q, limit, deps.remoteSearchTimeoutMs ?? 3000))
          .filter((r) => !store.ticket(r.id))
          .slice(0, limit)
      } catch (e) {
        if (e instanceof HttpFailure && e.status === 404) return result // no remote search here
        result.remoteError =
          e instanceof HttpFailure ? e.localized[deps.lang()] : String((e as Error).message ?? e)
      }
      return result
    },

    'kpi.compute': ({ from, to }) => {
      session()
      const fromMs = Date.parse(from)
      const toMs = Date.parse(to)
      if (!(toMs > fromMs))
        throw new ApiFailure(
          'invalid_input',
          { zh: '结束时间必须晚于开始时间', en: 'The end must be after the start' },
          'to',
        )
      const { data } = reference()
      const { tickets, events } = store.kpiInput(fromMs, toMs)
      return computeKpis(tickets, events, {
        period: { from: fromMs, to: toMs },
        now: now(),
        atRiskFraction: data.deadlines.atRiskFraction,
        timeZone: data.calendar.timeZone,
      })
    },

    'reference.get': () => reference().data,
  }
}

/** The server's search (GET /api/v1/tickets/search), as queue rows. */
async function remoteSearch(
  s: StoredSession,
  q: string,
  limit: number,
  timeoutMs: number,
): Promise<TicketRow[]> {
  const params = new URLSearchParams({ q, limit: String(limit) })
  const res = await requestJson<{ rows?: TicketRow[] }>(
    { baseUrl: s.serverUrl, token: s.token, timeoutMs },
    'GET',
    `/api/v1/tickets/search?${params}`,
  )
  return (res.rows ?? []).map((r) => ({ ...r, pending: false }))
}
