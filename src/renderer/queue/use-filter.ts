// What the queue is filtered by: the text typed in the filter bar (applied 150 ms after the last
// key, or at once on Enter), or a dashboard drill-down — exactly the tickets behind a figure —
// until the person types or presses Esc.
import { useEffect, useMemo, useState } from 'react'
import type { QueueFilter } from '../../shared/api'
import { useLive } from '../input/use-live'
import type { Names } from '../state/reference'
import { parseFilter, type ParsedFilter } from './filter-parse'

export interface Drill {
  label: string
  filter: QueueFilter
}

export function useFilter(names: Names | null) {
  const [text, setTextState] = useState('')
  const [drill, setDrill, drillRef] = useLive<Drill | null>(null)
  const [debounced, setDebounced] = useState('')
  useEffect(() => {
    const id = setTimeout(() => setDebounced(text), 150)
    return () => clearTimeout(id)
  }, [text])
  const typed = useMemo(() => parseFilter(debounced, names), [debounced, names])
  const parsed: ParsedFilter = useMemo(() => {
    if (!drill) return typed
    const { view: _view, ...filter } = drill.filter
    return { filter, unknown: [] }
  }, [typed, drill])
  return {
    text,
    parsed,
    drill,
    /** Read by the key handler: Esc leaves a drill-down. */
    drillRef,
    /** Typing replaces a drill-down. */
    setText(t: string) {
      setDrill(null)
      setTextState(t)
    },
    /** Enter in the bar: what was typed applies now, not 150 ms later. */
    applyNow: () => setDebounced(text),
    drillTo(d: Drill | null) {
      setTextState('')
      setDebounced('')
      setDrill(d)
    },
  }
}
