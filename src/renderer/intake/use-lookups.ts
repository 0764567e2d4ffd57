// What the intake looks up as the agent types: the caller's earlier tickets (as soon as the number
// has 7 digits) and tickets that look like the same problem (debounced). A late answer for an
// older input is dropped, so the panels always match the form.
import { useEffect, useRef, useState } from 'react'
import { normalizePhone } from '../../shared/actions'
import type { DuplicateCandidate, TicketRow } from '../../shared/api'
import { errorText, useApi } from '../state/api'
import { useLang } from '../i18n'
import { digitsOf, type IntakeForm } from './form'

export interface Lookup<T> {
  /** null until asked (not enough typed yet). */
  value: T | null
  loading: boolean
  error: string | null
}

const idle = <T>(): Lookup<T> => ({ value: null, loading: false, error: null })

/** Runs `fetch` `delay` ms after `key` last changed; `key` null means "nothing to ask". */
function useDebouncedLookup<T>(
  key: string | null,
  delay: number,
  fetch: () => Promise<{ ok: true; value: T } | { ok: false; error: string }>,
): Lookup<T> {
  const [state, setState] = useState<Lookup<T>>(idle)
  const latest = useRef(fetch)
  latest.current = fetch
  const seq = useRef(0)
  useEffect(() => {
    const mine = ++seq.current
    if (key === null) {
      setState(idle())
      return
    }
    setState((s) => ({ ...s, loading: true }))
    const timer = setTimeout(() => {
      void latest.current().then((r) => {
        if (mine !== seq.current) return
        setState(
          r.ok
            ? { value: r.value, loading: false, error: null }
            : { value: null, loading: false, error: r.error },
        )
      })
    }, delay)
    return () => clearTimeout(timer)
  }, [key, delay])
  return state
}

/** The caller's earlier tickets, newest first; immediately for a number the switch gave. */
export function useCallerHistory(phone: string, poppedPhone: string | null): Lookup<TicketRow[]> {
  const api = useApi()
  const lang = useLang()
  const normalized = normalizePhone(phone.trim())
  const key = digitsOf(normalized) >= 7 ? normalized : null
  return useDebouncedLookup(key, key !== null && key === poppedPhone ? 0 : 200, async () => {
    const r = await api.call('caller.history', { phone: key ?? '', limit: 20 })
    return r.ok ? r : { ok: false, error: errorText(r.error, lang) }
  })
}

/** Tickets that may be the same problem, once there is something to compare. */
export function useDuplicates(f: IntakeForm): Lookup<DuplicateCandidate[]> {
  const api = useApi()
  const lang = useLang()
  const description = f.description.trim()
  const address = f.address.trim()
  const enough = f.category !== '' || description.length >= 4 || address !== ''
  const phone = normalizePhone(f.phone.trim())
  const args = {
    description: description.slice(0, 4000),
    address: address.slice(0, 200),
    limit: 9,
    ...(f.category ? { category: f.category } : {}),
    ...(f.district ? { district: f.district } : {}),
    ...(digitsOf(phone) >= 7 && phone.length <= 30 ? { phone } : {}),
  }
  const key = enough ? JSON.stringify(args) : null
  return useDebouncedLookup(key, 300, async () => {
    const r = await api.call('ticket.duplicates', args)
    return r.ok ? r : { ok: false, error: errorText(r.error, lang) }
  })
}
