// The intake form and its draft (key `intake`, one per user, in the console's cache): restored on
// open, saved 300 ms after each change and at once on close, cleared after a successful save —
// so a crash, a reload or an Escape loses nothing.
//
// A ringing call continues the draft only when it is from the same number (or the draft is
// empty). A draft about somebody else is set aside under `intake.previous` and the form starts
// fresh with the new number; Alt+D swaps the two, so neither is lost and no ticket ever mixes
// one caller's number with another's complaint.
import { useCallback, useEffect, useRef, useState } from 'react'
import { normalizePhone } from '../../shared/actions'
import type { IncomingCall } from '../../shared/api'
import { useApi } from '../state/api'
import { emptyForm, formFromDraft, hasContent, type IntakeForm } from './form'

const KEY = 'intake'
const PREVIOUS = 'intake.previous'

export interface IntakeDraft {
  /** null while the draft loads (a few milliseconds). */
  form: IntakeForm | null
  update(fn: (f: IntakeForm) => IntakeForm): void
  /** When the draft was last written; null when nothing is kept. */
  savedAt: string | null
  /** The form was restored from a draft on open. */
  restored: boolean
  /** A set-aside draft exists (Alt+D swaps it in). */
  previous: IntakeForm | null
  swapPrevious(): void
  /** Saves now (Escape, unmount). */
  flush(): void
  /** The ticket is saved: the draft goes. */
  finish(): void
}

export function useIntakeDraft(call: IncomingCall | null): IntakeDraft {
  const api = useApi()
  const popped = call?.phone ? normalizePhone(call.phone) : null
  const [form, setForm] = useState<IntakeForm | null>(null)
  const [savedAt, setSavedAt] = useState<string | null>(null)
  const [restored, setRestored] = useState(false)
  const [previous, setPrevious] = useState<IntakeForm | null>(null)
  const latest = useRef<IntakeForm | null>(null)
  latest.current = form
  const dirty = useRef(false)
  const done = useRef(false)
  /** The last write, so that clearing after a save never lands before it. */
  const inflight = useRef<Promise<unknown>>(Promise.resolve())

  useEffect(() => {
    let live = true
    void (async () => {
      const [cur, prev] = await Promise.all([
        api.call('draft.get', { key: KEY }),
        api.call('draft.get', { key: PREVIOUS }),
      ])
      if (!live) return
      let f = cur.ok && cur.value ? formFromDraft(cur.value.data) : emptyForm()
      let aside = prev.ok && prev.value ? formFromDraft(prev.value.data) : null
      let wasRestored = hasContent(f)
      if (popped) {
        const own = normalizePhone(f.phone)
        if (hasContent(f) && own !== popped) {
          await api.call('draft.save', { key: PREVIOUS, data: { ...f } })
          aside = f
          f = { ...emptyForm(), phone: popped }
          wasRestored = false
        } else f = { ...f, phone: popped }
      }
      if (!live) return
      if (wasRestored && cur.ok && cur.value) setSavedAt(cur.value.savedAt)
      setRestored(wasRestored)
      setPrevious(aside && hasContent(aside) ? aside : null)
      setForm(f)
    })()
    return () => {
      live = false
    }
  }, [api, popped])

  const persist = useCallback(() => {
    const f = latest.current
    if (!f || done.current) return
    dirty.current = false
    if (hasContent(f, popped))
      inflight.current = api.call('draft.save', { key: KEY, data: { ...f } }).then((r) => {
        if (r.ok && !done.current) setSavedAt(r.value.savedAt)
      })
    else {
      inflight.current = api.call('draft.clear', { key: KEY })
      setSavedAt(null)
    }
  }, [api, popped])

  useEffect(() => {
    if (!form || !dirty.current) return
    const timer = setTimeout(persist, 300)
    return () => clearTimeout(timer)
  }, [form, persist])

  const flush = useCallback(() => {
    if (dirty.current) persist()
  }, [persist])

  // Closed any way at all (Escape, a palette command, logout): what was typed is kept. A page
  // going away (reload, window closed) gets a best-effort save of the last few keys too.
  useEffect(() => {
    window.addEventListener('pagehide', flush)
    return () => {
      window.removeEventListener('pagehide', flush)
      flush()
    }
  }, [flush])

  const update = useCallback((fn: (f: IntakeForm) => IntakeForm) => {
    dirty.current = true
    setForm((f) => (f ? fn(f) : f))
  }, [])

  const swapPrevious = useCallback(() => {
    const cur = latest.current
    if (!previous || !cur) return
    if (hasContent(cur)) void api.call('draft.save', { key: PREVIOUS, data: { ...cur } })
    else void api.call('draft.clear', { key: PREVIOUS })
    setPrevious(hasContent(cur) ? cur : null)
    dirty.current = true
    setForm(previous)
    setRestored(true)
  }, [api, previous])

  const finish = useCallback(() => {
    done.current = true
    dirty.current = false
    void inflight.current.then(() => api.call('draft.clear', { key: KEY }))
  }, [api])

  return { form, update, savedAt, restored, previous, swapPrevious, flush, finish }
}
