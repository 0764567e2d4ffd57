// The knowledge base on the console (issue 15). Entries this console may answer from live in the
// cache and follow their own feed (GET /api/v1/kb/pull with the `kb.cursor`), pulled after every
// ticket pull that moved the cursor — a KB write takes a change-log seq like a ticket change, so
// the live poke that announces it makes this console pull both. Search and reading are local and
// work with the server down; editing, proposals and the review queue need the server's yes at
// once (versions are shared) and say plainly when it cannot be reached, as cases do.
import { ApiFailure, type ApiHandlers } from '../shared/api'
import {
  kbPastReview,
  kbAnswerable,
  kbRefusal,
  type KbEntry,
  type KbProposal,
  type KbPullResponse,
  type KbVersion,
} from '../shared/knowledge'
import type { LocalStoreApi } from './db/types'
import { notLoggedIn } from './failures'
import type { StoredSession } from './session'
import { HttpFailure, requestJson, type HttpOptions } from './sync/http'

export interface KnowledgeDeps {
  store: LocalStoreApi
  session(): StoredSession | null
  now?: () => number
  timeoutMs?: number
}

type KbHandlers = Pick<
  ApiHandlers,
  | 'kb.search'
  | 'kb.suggest'
  | 'kb.get'
  | 'kb.status'
  | 'kb.stats'
  | 'kb.list'
  | 'kb.history'
  | 'kb.save'
  | 'kb.publish'
  | 'kb.retire'
  | 'kb.propose'
  | 'kb.proposals'
  | 'kb.decide'
>

/** Pulls the KB feed to the end; answers whether anything changed. */
export async function pullKnowledge(store: LocalStoreApi, http: HttpOptions): Promise<boolean> {
  const kb = store.knowledge()
  let changed = false
  for (let page = 0; page < 1000; page++) {
    const cursor = kb.cursor()
    const r = await requestJson<KbPullResponse>(http, 'GET', `/api/v1/kb/pull?cursor=${cursor}`)
    if (r.entries.length || r.removed.length) changed = true
    if (r.cursor !== cursor || r.entries.length || r.removed.length) kb.apply(r)
    if (!r.hasMore) break
  }
  return changed
}

function failureOf(e: unknown): never {
  if (!(e instanceof HttpFailure)) throw e
  if (e.kind === 'network')
    throw new ApiFailure('offline', {
      zh: `编辑知识库需要连接服务器，当前离线：${e.localized.zh}`,
      en: `Editing the knowledge base needs the server, which cannot be reached: ${e.localized.en}`,
    })
  throw new ApiFailure(e.code, e.localized, e.field)
}

export function knowledgeHandlers(deps: KnowledgeDeps): KbHandlers {
  const now = deps.now ?? Date.now
  const kb = () => deps.store.knowledge()
  const call = async <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => {
    const s = deps.session()
    if (!s) throw notLoggedIn()
    const opts: HttpOptions = {
      baseUrl: s.serverUrl,
      token: s.token,
      timeoutMs: deps.timeoutMs ?? 15_000,
    }
    try {
      return await requestJson<T>(opts, method, path, body)
    } catch (e) {
      failureOf(e)
    }
  }
  const noEntry = () =>
    new ApiFailure('not_found', {
      zh: '本机知识库里没有这个条目',
      en: 'This console holds no such knowledge entry',
    })

  return {
    'kb.search': ({ q, limit, category }) => {
      const hits = kb().search(q, { mode: 'search', limit, nowMs: now(), category })
      if (q.trim()) kb().record('search', q.trim(), null, now())
      return hits
    },
    'kb.suggest': ({ description, category, limit }) =>
      kb().search(description, { mode: 'suggest', limit, nowMs: now(), category }),
    'kb.get': ({ id, query }) => {
      const entry = kb().get(id)
      if (!entry) throw noEntry()
      kb().record('open', query ?? null, entry, now())
      return {
        entry,
        answerable: kbAnswerable(entry, now()),
        refusal: kbRefusal(entry, now()),
        pastReview: kbPastReview(entry, now()),
      }
    },
    'kb.status': () => ({ count: kb().count(), cursor: kb().cursor() }),
    'kb.stats': ({ from, to }) => {
      const toMs = to ? Date.parse(to) : now() + 1
      const fromMs = from ? Date.parse(from) : toMs - 30 * 86_400_000
      return kb().stats(fromMs, toMs, now())
    },

    'kb.list': async ({ status, unit }) => {
      const q = new URLSearchParams({ ...(status ? { status } : {}), ...(unit ? { unit } : {}) })
      const qs = q.toString()
      return (await call<{ entries: KbEntry[] }>('GET', `/api/v1/kb/entries${qs ? `?${qs}` : ''}`))
        .entries
    },
    'kb.history': ({ id }) =>
      call<{ entry: KbEntry; versions: KbVersion[] }>('GET', `/api/v1/kb/entries/${id}`),
    'kb.save': async ({ id, baseVersion, entry, publish }) => {
      if (!id)
        return (
          await call<{ entry: KbEntry }>('POST', '/api/v1/kb/entries', {
            entry,
            publish: publish ?? false,
          })
        ).entry
      if (baseVersion == null)
        throw new ApiFailure(
          'required',
          { zh: '修改须注明基于的版本', en: 'An edit names the version it started from' },
          'baseVersion',
        )
      return (
        await call<{ entry: KbEntry }>('PUT', `/api/v1/kb/entries/${id}`, { baseVersion, entry })
      ).entry
    },
    'kb.publish': async ({ id, baseVersion }) =>
      (await call<{ entry: KbEntry }>('POST', `/api/v1/kb/entries/${id}/publish`, { baseVersion }))
        .entry,
    'kb.retire': async ({ id, baseVersion, reason }) =>
      (
        await call<{ entry: KbEntry }>('POST', `/api/v1/kb/entries/${id}/retire`, {
          baseVersion,
          reason,
        })
      ).entry,
    'kb.propose': async (args) =>
      (await call<{ proposal: KbProposal }>('POST', '/api/v1/kb/proposals', args)).proposal,
    'kb.proposals': async ({ status }) =>
      (
        await call<{ proposals: KbProposal[] }>(
          'GET',
          `/api/v1/kb/proposals${status ? `?status=${status}` : ''}`,
        )
      ).proposals,
    'kb.decide': async ({ id, approve, reason }) =>
      (
        await call<{ proposal: KbProposal }>('POST', `/api/v1/kb/proposals/${id}/decide`, {
          approve,
          reason,
        })
      ).proposal,
  }
}
