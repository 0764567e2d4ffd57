// Exemplary cases (优秀案例) on the console: unlike tickets they are not cached or queued — a
// supervisor's nomination or ranking needs the server's yes at once (the ticket must be closed
// there, ranks are shared) — so every method asks the server (/api/v1/cases), as search does,
// and says plainly when the console is offline. An export is saved in `<data>/exports`, where
// the web host serves it.
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ApiFailure, type ApiHandlers } from '../shared/api'
import type { CaseView } from '../shared/cases'
import { EXPORTS_FOLDER } from './export'
import { notLoggedIn } from './failures'
import type { StoredSession } from './session'
import { HttpFailure, requestBytes, requestJson, type HttpOptions } from './sync/http'
import { PRIVATE_FILE, privateDir } from './private-files'

export interface CaseDeps {
  session(): StoredSession | null
  dataDir: string
  now?: () => number
  timeoutMs?: number
}

type CaseHandlers = Pick<
  ApiHandlers,
  'cases.list' | 'cases.nominate' | 'cases.update' | 'cases.remove' | 'cases.export'
>

/** The server's refusal as the console's, and no answer at all as `offline`. */
function failureOf(e: unknown): never {
  if (!(e instanceof HttpFailure)) throw e
  if (e.kind === 'network')
    throw new ApiFailure('offline', {
      zh: `优秀案例需要连接服务器，当前离线：${e.localized.zh}`,
      en: `Exemplary cases need the server, which cannot be reached: ${e.localized.en}`,
    })
  throw new ApiFailure(e.code, e.localized, e.field)
}

const pad = (n: number) => String(n).padStart(2, '0')
/** `20261128-093005` in UTC: unique enough for a name, sortable. */
const stamp = (ms: number) => {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
}

export function caseHandlers(deps: CaseDeps): CaseHandlers {
  const now = deps.now ?? Date.now
  const http = (timeoutMs = deps.timeoutMs ?? 15_000): HttpOptions => {
    const s = deps.session()
    if (!s) throw notLoggedIn()
    return { baseUrl: s.serverUrl, token: s.token, timeoutMs }
  }
  const call = async <T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> => {
    const opts = http()
    try {
      return await requestJson<T>(opts, method, path, body)
    } catch (e) {
      failureOf(e)
    }
  }

  return {
    'cases.list': async ({ year }) =>
      (await call<{ cases: CaseView[] }>('GET', `/api/v1/cases?year=${year}`)).cases,

    'cases.nominate': async (args) =>
      (await call<{ case: CaseView }>('POST', '/api/v1/cases', args)).case,

    'cases.update': async ({ id, ...patch }) =>
      (await call<{ case: CaseView }>('PUT', `/api/v1/cases/${id}`, patch)).case,

    'cases.remove': async ({ id }) => {
      await call('DELETE', `/api/v1/cases/${id}`)
      return null
    },

    'cases.export': async ({ year, format }) => {
      const opts = http(120_000)
      let file: { bytes: Buffer; headers: Headers }
      try {
        file = await requestBytes(opts, `/api/v1/cases/export?year=${year}&format=${format}`)
      } catch (e) {
        failureOf(e)
      }
      const dir = join(deps.dataDir, EXPORTS_FOLDER)
      privateDir(dir)
      const base = `cases-${year}-${stamp(now())}`
      let name = `${base}.${format}`
      for (let n = 2; existsSync(join(dir, name)); n++) name = `${base}-${n}.${format}`
      // Written under a hidden part name and renamed: a half-written file is never offered.
      const part = join(dir, `.${name}.part`)
      try {
        await writeFile(part, file.bytes, { flag: 'wx', mode: PRIVATE_FILE })
        await rename(part, join(dir, name))
      } catch (e) {
        await rm(part, { force: true })
        throw e
      }
      return {
        exportId: randomUUID(),
        file: join(dir, name),
        name,
        rows: Number(file.headers.get('x-case-count')) || 0,
      }
    },
  }
}
