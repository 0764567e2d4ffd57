// ConsoleApi over the web host: calls as HTTP POSTs, events over one WebSocket. The secret the
// host made at start arrives in the page's URL fragment and goes with every call.
import type { ApiMethod, ApiResult, ApiResults, ConsoleApi, ConsoleEvent } from '../../shared/api'

const SECRET_KEY = 'hotline.web-host.secret'

/** The host's secret: from the fragment on first load (then removed from the address bar). */
export function takeSecret(): string | null {
  const match = /(?:^#|&)secret=([A-Za-z0-9_-]+)/.exec(window.location.hash)
  if (match) {
    sessionStorage.setItem(SECRET_KEY, match[1]!)
    history.replaceState(null, '', window.location.pathname + window.location.search)
    return match[1]!
  }
  return sessionStorage.getItem(SECRET_KEY)
}

export function webHostApi(secret: string): ConsoleApi {
  const listeners = new Set<(event: ConsoleEvent) => void>()
  let socket: WebSocket | null = null
  let retry = 500
  let everConnected = false

  const deliver = (event: ConsoleEvent) => {
    for (const l of listeners) l(event)
  }

  const connect = () => {
    const ws = new WebSocket(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events`,
    )
    socket = ws
    ws.onopen = () => {
      retry = 500
      ws.send(JSON.stringify({ secret }))
    }
    ws.onmessage = (m) => {
      let event: ConsoleEvent | { type: 'hello' }
      try {
        event = JSON.parse(String(m.data)) as ConsoleEvent | { type: 'hello' }
      } catch {
        return
      }
      if (event.type === 'hello') {
        // Events sent while the stream was down are lost: tell the screens to read afresh
        // (`ids: []` is the core's own "everything may have changed").
        if (everConnected) deliver({ type: 'tickets.changed', payload: { ids: [] } })
        everConnected = true
        return
      }
      deliver(event)
    }
    ws.onclose = () => {
      // A socket replaced or closed on purpose is not this one's business any more.
      if (socket !== ws) return
      socket = null
      if (listeners.size === 0) return
      // The host went away (restart, sleep): come back by ourselves.
      setTimeout(() => {
        if (!socket && listeners.size > 0) connect()
      }, retry)
      retry = Math.min(retry * 2, 10_000)
    }
  }

  return {
    async call<M extends ApiMethod>(method: M, args: unknown): Promise<ApiResult<ApiResults[M]>> {
      let res: Response
      try {
        res = await fetch('/api/call', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
          body: JSON.stringify({ method, args }),
        })
      } catch (e) {
        return {
          ok: false,
          error: {
            code: 'host_unreachable',
            message: `控制台后台无响应 / console back end unreachable: ${String(e)}`,
          },
        }
      }
      const body = (await res.json().catch(() => null)) as
        ApiResult<ApiResults[M]> | { error?: { code: string; message: string } } | null
      if (body && 'ok' in body) return body
      return {
        ok: false,
        error: body?.error ?? { code: `http_${res.status}`, message: `HTTP ${res.status}` },
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      if (!socket) connect()
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0 && socket) {
          const ws = socket
          socket = null
          ws.close()
        }
      }
    },
  }
}

/**
 * Saves a finished export (`export.start`) through the browser's downloads. Fetched with the
 * secret in the header, as the host wants it (in a URL it would stay in the download list), and
 * handed to the browser as a blob; the page's CSP governs neither step beyond `connect-src 'self'`.
 */
export async function downloadExport(secret: string, name: string): Promise<void> {
  const res = await fetch(`/exports/${encodeURIComponent(name)}`, {
    headers: { authorization: `Bearer ${secret}` },
  })
  if (!res.ok) throw new Error(`HTTP ${res.status}`)
  const url = URL.createObjectURL(await res.blob())
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.hidden = true
  document.body.append(a)
  a.click()
  a.remove()
  // The download holds its own reference once started; the blob's URL can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
