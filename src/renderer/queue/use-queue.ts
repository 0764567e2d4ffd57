// The queue's data: the saved view, the typed filter and the sort, rows fetched a page at a time
// as the table scrolls to them (so 100,000 tickets cost only what is on screen), live counts, and
// the cursor — kept on the same ticket when other consoles' changes reorder the rows — and the
// selection (X, Shift+X: see selection.ts), by ticket id for the same reason.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type {
  ConsoleApi,
  ConsoleEvent,
  QueueFilter,
  SavedView,
  SortColumn,
  TicketRow,
} from '../../shared/api'
import { useConsoleEvents } from '../state/api'
import type { ParsedFilter } from './filter-parse'
import {
  EMPTY_SELECTION,
  addRows,
  missingSpans,
  rangeBounds,
  selectedRows,
  toggle,
  type Selection,
} from './selection'

export const PAGE_SIZE = 200
/** Rows a range selection asks the core for at once (the most `queue.query` gives). */
const RANGE_LIMIT = 1000
/** Requests a range selection has in flight at once. */
const RANGE_PARALLEL = 3

export interface Sort {
  column: SortColumn
  dir: 'asc' | 'desc'
}

export interface QueueState {
  view: SavedView
  setView(v: SavedView): void
  /** What the rows are queried with: the view and the typed filter (an export takes it as is). */
  filter: QueueFilter
  sort: Sort
  setSort(s: Sort): void
  /** The row at a position of the view; null while its page is not fetched yet. */
  rowAt(i: number): TicketRow | null
  /** Changes whenever fetched rows change, for memos over `rowAt`. */
  version: number
  total: number
  loading: boolean
  counts: Partial<Record<SavedView, number>>
  cursor: number
  cursorRow: TicketRow | null
  setCursor(i: number): void
  /** Asks for the rows in [start, end) to be fetched. */
  want(start: number, end: number): void
  error: string | null
  /** Selected ticket ids; a new set whenever the selection changes. */
  selected: ReadonlySet<string>
  /** X: the cursor's ticket joins or leaves the selection and becomes the anchor. */
  toggleSelect(): Promise<void>
  /**
   * Shift+X: selects every ticket from the anchor to the cursor (the cursor's alone without an
   * anchor), fetching the rows in between that are not loaded yet.
   */
  selectRange(): Promise<void>
  clearSelection(): void
  /** The rows of the selected tickets that are known (loaded now, or seen when selected). */
  selectedRows(): TicketRow[]
}

export function useQueue(
  api: ConsoleApi,
  initialView: SavedView,
  parsed: ParsedFilter['filter'],
  initialSort: Sort = { column: 'createdAt', dir: 'desc' },
): QueueState {
  const [view, setViewState] = useState<SavedView>(initialView)
  const [sort, setSort] = useState<Sort>(initialSort)
  const [counts, setCounts] = useState<Partial<Record<SavedView, number>>>({})
  const [total, setTotal] = useState(0)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [tick, setTick] = useState(0)
  const [cursor, setCursorState] = useState(0)
  const pages = useRef(new Map<number, TicketRow[]>())
  const inflight = useRef(new Set<number>())
  const generation = useRef(0)
  const cursorId = useRef<string | null>(null)
  const cursorRef = useRef(0)
  const totalRef = useRef(0)
  const [selection, setSelectionState] = useState<Selection>(EMPTY_SELECTION)
  const selectionRef = useRef(selection)
  const setSelection = useCallback((s: Selection) => {
    selectionRef.current = s
    setSelectionState(s)
  }, [])

  const filterKey = JSON.stringify(parsed)
  const filter: QueueFilter = useMemo(
    () => ({ ...(JSON.parse(filterKey) as ParsedFilter['filter']), view }),
    [filterKey, view],
  )

  const fetchPage = useCallback(
    async (page: number, gen: number): Promise<void> => {
      inflight.current.add(page)
      const r = await api.call('queue.query', {
        filter,
        sort,
        offset: page * PAGE_SIZE,
        limit: PAGE_SIZE,
      })
      inflight.current.delete(page)
      if (gen !== generation.current) return
      if (!r.ok) {
        setError(r.error.message)
        return
      }
      setError(null)
      pages.current.set(page, r.value.rows)
      totalRef.current = r.value.total
      if (cursorId.current === null)
        cursorId.current = rowAt(pages.current, cursorRef.current)?.id ?? null
      setTotal(r.value.total)
      setTick((t) => t + 1)
    },
    [api, filter, sort],
  )

  const refreshCounts = useCallback(async () => {
    const r = await api.call('queue.counts', {})
    if (r.ok) setCounts(r.value)
  }, [api])

  /** Puts the cursor back on the ticket it was on, wherever that ticket is now. */
  const followCursor = useCallback(() => {
    const id = cursorId.current
    if (!id) return
    const at = indexOf(pages.current, id)
    if (at !== null) {
      cursorRef.current = at
      setCursorState(at)
      return
    }
    // Gone from the view (dispatched out of 待派单, say): the cursor stays where it was, on
    // the ticket that took its place.
    const i = Math.min(cursorRef.current, Math.max(0, totalRef.current - 1))
    cursorRef.current = i
    setCursorState(i)
    cursorId.current = rowAt(pages.current, i)?.id ?? null
  }, [])

  // A new view, filter or sort: start again from the top.
  // The fetch of the current generation: set with it, so a live refetch never mixes one
  // filter's rows into another's generation.
  const currentFetch = useRef(fetchPage)
  useEffect(() => {
    const gen = ++generation.current
    currentFetch.current = fetchPage
    pages.current = new Map()
    inflight.current = new Set()
    cursorRef.current = 0
    setCursorState(0)
    setLoading(true)
    void fetchPage(0, gen).then(() => {
      if (gen !== generation.current) return
      setLoading(false)
      cursorId.current = rowAt(pages.current, 0)?.id ?? null
    })
  }, [fetchPage])

  useEffect(() => {
    void refreshCounts()
  }, [refreshCounts])

  // Another view or filter: another set of tickets, so nothing selected (a new sort keeps it).
  useEffect(() => setSelection(EMPTY_SELECTION), [filterKey, view, setSelection])

  // Live: refetch what is on screen (the loaded pages) and the counts; keep the cursor's ticket.
  const refetchLoaded = useCallback(async () => {
    const gen = generation.current
    const fetch = currentFetch.current
    const loaded = [...pages.current.keys()]
    await Promise.all((loaded.length ? loaded : [0]).map((p) => fetch(p, gen)))
    if (gen === generation.current) followCursor()
  }, [followCursor])

  const pendingRefresh = useRef<ReturnType<typeof setTimeout> | null>(null)
  useConsoleEvents(api, (e: ConsoleEvent) => {
    if (e.type !== 'tickets.changed') return
    // Coalesce bursts (a pull delivers many changes) into one refetch.
    if (pendingRefresh.current) return
    pendingRefresh.current = setTimeout(() => {
      pendingRefresh.current = null
      void refetchLoaded()
      void refreshCounts()
    }, 50)
  })
  useEffect(() => () => clearTimeout(pendingRefresh.current ?? undefined), [])

  const want = useCallback(
    (start: number, end: number) => {
      const gen = generation.current
      for (let p = Math.floor(start / PAGE_SIZE); p * PAGE_SIZE < end; p++) {
        if (!pages.current.has(p) && !inflight.current.has(p)) void fetchPage(p, gen)
      }
    },
    [fetchPage],
  )

  const rowAtIndex = useCallback(
    (i: number) => (i < total ? rowAt(pages.current, i) : null),
    [total],
  )

  const setCursor = useCallback((i: number) => {
    const clamped = Math.max(0, Math.min(i, totalRef.current - 1))
    cursorRef.current = clamped
    cursorId.current = rowAt(pages.current, clamped)?.id ?? null
    setCursorState(clamped)
  }, [])

  const setView = useCallback((v: SavedView) => setViewState(v), [])

  /** Fetches these spans into the pages; false if it failed or the view changed meanwhile. */
  const loadSpans = useCallback(
    async (spans: Array<[number, number]>, gen: number): Promise<boolean> => {
      let failed = false
      const worker = async () => {
        for (let span = spans.shift(); span && !failed; span = spans.shift()) {
          const [offset, limit] = span
          const r = await api.call('queue.query', { filter, sort, offset, limit })
          if (gen !== generation.current) return
          if (!r.ok) {
            failed = true
            setError(r.error.message)
            return
          }
          for (let k = 0; k * PAGE_SIZE < r.value.rows.length; k++)
            pages.current.set(
              offset / PAGE_SIZE + k,
              r.value.rows.slice(k * PAGE_SIZE, (k + 1) * PAGE_SIZE),
            )
        }
      }
      await Promise.all(Array.from({ length: RANGE_PARALLEL }, worker))
      if (gen !== generation.current || failed) return false
      setTick((t) => t + 1)
      return true
    },
    [api, filter, sort],
  )

  // Both act at once when the rows are loaded (the usual case: they are on screen), so the
  // change shows in the key press's own frame; otherwise once the rows have come.
  // X and Shift+X may need rows fetched first: they run one after the other, in the order pressed
  // and at the cursor where each was pressed, so a quick X, End, Shift+X selects what it says.
  const selectionOps = useRef<Promise<void>>(Promise.resolve())
  const serial = useCallback((op: () => Promise<void>): Promise<void> => {
    selectionOps.current = selectionOps.current.then(op, op)
    return selectionOps.current
  }, [])

  const toggleSelect = useCallback(() => {
    const gen = generation.current
    const i = cursorRef.current
    return serial(async () => {
      if (totalRef.current === 0) return
      const spans = spansMissing(pages.current, i, i)
      if (spans.length > 0 && !(await loadSpans(spans, gen))) return
      const row = rowAt(pages.current, i)
      if (row) setSelection(toggle(selectionRef.current, row, i))
    })
  }, [loadSpans, setSelection, serial])

  const selectRange = useCallback(() => {
    const cursorAt = cursorRef.current
    // The range is worked out when its turn comes (after a pending X), with this render's fetch.
    return serial(() => rangeRef.current(cursorAt))
  }, [serial])

  const rangeAt = async (cursorAt: number) => {
    const gen = generation.current
    const s = selectionRef.current
    if (totalRef.current === 0) return
    const [first, last] = rangeBounds(
      s,
      s.anchor ? indexOf(pages.current, s.anchor.id) : null,
      cursorAt,
      totalRef.current,
    )
    const spans = spansMissing(pages.current, first, last)
    if (spans.length > 0 && !(await loadSpans(spans, gen))) return
    const rows: TicketRow[] = []
    for (let i = first; i <= last; i++) {
      const r = rowAt(pages.current, i)
      if (r) rows.push(r)
    }
    // Added to the selection as it is now.
    setSelection(addRows(selectionRef.current, rows))
  }
  const rangeRef = useRef(rangeAt)
  rangeRef.current = rangeAt

  const clearSelection = useCallback(() => setSelection(EMPTY_SELECTION), [setSelection])
  const getSelectedRows = useCallback(
    () => selectedRows(selectionRef.current, [...pages.current.values()].flat()),
    [],
  )

  return {
    view,
    setView,
    filter,
    sort,
    setSort,
    rowAt: rowAtIndex,
    version: tick,
    total,
    loading,
    counts,
    cursor,
    cursorRow: rowAtIndex(cursor),
    setCursor,
    want,
    error,
    selected: selection.ids,
    toggleSelect,
    selectRange,
    clearSelection,
    selectedRows: getSelectedRows,
  }
}

const rowAt = (pages: Map<number, TicketRow[]>, i: number): TicketRow | null =>
  pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE] ?? null

const spansMissing = (pages: Map<number, TicketRow[]>, first: number, last: number) =>
  missingSpans(first, last, PAGE_SIZE, (p) => pages.has(p), RANGE_LIMIT)

/** Where a ticket is among the loaded rows, or null. */
function indexOf(pages: Map<number, TicketRow[]>, id: string): number | null {
  for (const [page, rows] of pages) {
    const at = rows.findIndex((r) => r.id === id)
    if (at >= 0) return page * PAGE_SIZE + at
  }
  return null
}
