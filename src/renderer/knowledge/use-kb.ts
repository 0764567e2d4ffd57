// What the knowledge base panels ask the core: suggestions for a description as it is typed
// (debounced a little; an answer for older text is dropped), and a search's hits. Both are local
// (the console's cache), so they answer within a frame or two and work offline.
import { useEffect, useRef, useState } from 'react'
import type { KbHit } from '../../shared/knowledge-rank'
import { useLang } from '../i18n'
import { errorText, useApi, useConsoleEvents } from '../state/api'

export interface KbLookup {
  hits: KbHit[] | null
  error: string | null
}

function useKbCall(
  key: string | null,
  delay: number,
  call: () => Promise<{ ok: true; value: KbHit[] } | { ok: false; error: string }>,
): KbLookup {
  const api = useApi()
  const [state, setState] = useState<KbLookup>({ hits: null, error: null })
  const [changed, setChanged] = useState(0)
  const latest = useRef(call)
  latest.current = call
  const seq = useRef(0)
  // Another console published or retired an entry: ask again.
  useConsoleEvents(api, (e) => {
    if (e.type === 'kb.changed') setChanged((n) => n + 1)
  })
  useEffect(() => {
    const mine = ++seq.current
    if (key === null) {
      setState({ hits: null, error: null })
      return
    }
    const timer = setTimeout(() => {
      void latest.current().then((r) => {
        if (mine !== seq.current) return
        setState(r.ok ? { hits: r.value, error: null } : { hits: null, error: r.error })
      })
    }, delay)
    return () => clearTimeout(timer)
  }, [key, delay, changed])
  return state
}

/** Entries matching the caller's description (and category), best first. */
export function useKbSuggest(description: string, category: string): KbLookup {
  const api = useApi()
  const lang = useLang()
  const d = description.trim().slice(0, 4000)
  const args = { description: d, limit: 5, ...(category ? { category } : {}) }
  const key = d.length >= 2 ? JSON.stringify(args) : null
  return useKbCall(key, 80, async () => {
    const r = await api.call('kb.suggest', args)
    return r.ok ? r : { ok: false, error: errorText(r.error, lang) }
  })
}

/** The search box's hits. */
export function useKbSearch(q: string): KbLookup {
  const api = useApi()
  const lang = useLang()
  const query = q.trim().slice(0, 200)
  return useKbCall(query ? query : null, 60, async () => {
    const r = await api.call('kb.search', { q: query, limit: 30 })
    return r.ok ? r : { ok: false, error: errorText(r.error, lang) }
  })
}
