// The queue's data: the saved view, the typed filter and the sort, rows fetched a page at a time
// as the table scrolls to them (so 100,000 tickets cost only what is on screen), live counts, and
// the cursor — kept on the same ticket when other consoles' changes reorder the rows, and shown
// where it was when its ticket leaves the view (dispatched out of 待派单) until the person moves —
// and the selection (X, Shift+X: see selection.ts), by ticket id for the same reason.
//
// The key handler reads the queue as it is now (`live()`), not as of the last render: the cursor,
// its row and the selection are refs kept in step with every change. A new view and a range
// selection are transitions: keys typed meanwhile wait for them (input/key-pipeline.ts).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type {
  ConsoleApi,
  ConsoleEvent,
  QueueFilter,
  SavedView,
  SortColumn,
  TicketRow,
} from '../../shared/api'
import { isEditable } from '../input/replay'
import { useLive } from '../input/use-live'
import { useTypeAhead } from '../input/type-ahead'
import { useConsoleEvents } from '../state/api'
import type { ParsedFilter } from './filter-parse'
import { EMPTY_SELECTION, addRows, selectedRows, toggle, type Selection } from './selection'

export const PAGE_SIZE = 200

/** The cursor's ticket after it left the view: shown at the cursor until the person moves. */
interface Ghost {
  row: TicketRow
  index: number
}

/** The queue as a key handler must judge it: now, not as of the last render. */
export interface LiveQueue {
  /** The cursor's row; null while its page is being fetched (or the view is empty). */
  row: TicketRow | null
  /** The cursor's row is not fetched yet: a key that acts on it waits. */
  waiting: boolean
  selected: number
}

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
  /** Tickets in the view. */
  total: number
  /** Rows the table draws: the total, and the ticket that left the view under the cursor. */
  rowCount: number
  /** Whether the row at a position is the cursor's ticket that has left the view. */
  isGone(i: number): boolean
  loading: boolean
  counts: Partial<Record<SavedView, number>>
  cursor: number
  cursorRow: TicketRow | null
  setCursor(i: number): void
  /** J/K/PageDown…: from where the cursor is now. */
  moveBy(delta: number): void
  live(): LiveQueue
  /** Asks for the rows in [start, end) to be fetched. */
  want(start: number, end: number): void
  error: string | null
  /** Selected ticket ids; a new set whenever the selection changes. */
  selected: ReadonlySet<string>
  /** X: the cursor's ticket joins or leaves the selection and becomes the anchor. */
  toggleSelect(): void
  /**
   * Shift+X: selects every ticket from the anchor to the cursor as the view stands now (the
   * cursor's alone without an anchor); false when the range was cut at RANGE_MAX rows.
   */
  selectRange(): Promise<boolean>
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
  const typeAhead = useTypeAhead()
  const [view, setViewState] = useState<SavedView>(initialView)
  const viewRef = useRef(view)
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
  /** The cursor's position as drawn (the ghost counts as a row). */
  const cursorRef = useRef(0)
  /** The cursor's row when last seen: what the ghost shows when its ticket leaves the view. */
  const cursorSeen = useRef<TicketRow | null>(null)
  const totalRef = useRef(0)
  const [ghost, setGhost, ghostRef] = useLive<Ghost | null>(null)
  const [selection, setSelection, selectionRef] = useLive<Selection>(EMPTY_SELECTION)
  /** The pending view transition: keys wait until the new view's first rows are here. */
  const viewLoading = useRef<(() => void) | null>(null)
  /** The generation whose first page is still awaited. */
  const firstPage = useRef<number | null>(null)

  const filterKey = JSON.stringify(parsed)
  const filter: QueueFilter = useMemo(
    () => ({ ...(JSON.parse(filterKey) as ParsedFilter['filter']), view }),
    [filterKey, view],
  )

  /** A drawn position's row: the ghost at its place, the view's rows around it. */
  const drawnRow = (i: number): TicketRow | null => {
    const g = ghostRef.current
    if (g && i === g.index) return g.row
    const real = g && i > g.index ? i - 1 : i
    return real < totalRef.current ? rowAt(pages.current, real) : null
  }

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
      if (cursorId.current === null && !ghostRef.current) {
        cursorSeen.current = rowAt(pages.current, cursorRef.current)
        cursorId.current = cursorSeen.current?.id ?? null
      }
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
      if (ghostRef.current) setGhost(null)
      cursorSeen.current = rowAt(pages.current, at)
      cursorRef.current = at
      setCursorState(at)
      return
    }
    // Gone from the view (dispatched out of 待派单, say): the cursor stays on it, drawn where it
    // was, so the next key still means this ticket; moving lets go of it.
    if (ghostRef.current?.row.id === id) return
    const row = cursorSeen.current?.id === id ? cursorSeen.current : null
    if (!row) return
    const index = Math.min(cursorRef.current, totalRef.current)
    setGhost({ row, index })
    cursorRef.current = index
    setCursorState(index)
  }, [setGhost])

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
    cursorId.current = null
    cursorSeen.current = null
    setGhost(null)
    setCursorState(0)
    setLoading(true)
    // Keys wait for the new rows — unless they go to a text field (a filter being typed).
    if (!isEditable(document.activeElement)) viewLoading.current ??= typeAhead.begin('view')
    firstPage.current = gen
    void fetchPage(0, gen).then(() => {
      if (gen !== generation.current) return
      firstPage.current = null
      setLoading(false)
      cursorSeen.current = rowAt(pages.current, 0)
      cursorId.current = cursorSeen.current?.id ?? null
      viewLoading.current?.()
      viewLoading.current = null
    })
  }, [fetchPage, setGhost, typeAhead])
  // A view key that brought no new view (the same filter): nothing to wait for.
  useEffect(() => {
    if (viewLoading.current && firstPage.current === null) {
      viewLoading.current()
      viewLoading.current = null
    }
  })
  useEffect(
    () => () => {
      viewLoading.current?.()
      viewLoading.current = null
    },
    [],
  )

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
      // Drawn positions past the ghost are one further down in the view: ask a row early.
      const from = ghostRef.current ? Math.max(0, start - 1) : start
      for (let p = Math.floor(from / PAGE_SIZE); p * PAGE_SIZE < end; p++) {
        if (!pages.current.has(p) && !inflight.current.has(p)) void fetchPage(p, gen)
      }
    },
    [fetchPage],
  )

  // A new function whenever what it reads changed (fetched rows, total, ghost): the table's
  // memos compare it. The rows themselves come from the refs.
  const rowAtIndex = useMemo(() => {
    void [total, ghost, tick]
    return (i: number) => drawnRow(i)
  }, [total, ghost, tick])

  /** Moves the cursor to a drawn position; moving lets go of a ghost (it is not in the view). */
  const setCursor = useCallback(
    (i: number) => {
      const g = ghostRef.current
      let at = i
      if (g) {
        at = i > g.index ? i - 1 : i
        setGhost(null)
      }
      const clamped = Math.max(0, Math.min(at, totalRef.current - 1))
      cursorRef.current = clamped
      cursorSeen.current = rowAt(pages.current, clamped)
      cursorId.current = cursorSeen.current?.id ?? null
      setCursorState(clamped)
    },
    [setGhost],
  )
  const moveBy = useCallback((d: number) => setCursor(cursorRef.current + d), [setCursor])

  const setView = useCallback(
    (v: SavedView) => {
      if (v === viewRef.current) return
      viewRef.current = v
      // Keys typed after the view key are for the new view's rows: they wait for them.
      viewLoading.current ??= typeAhead.begin('view')
      setViewState(v)
    },
    [typeAhead],
  )

  const live = useCallback((): LiveQueue => {
    const row = drawnRow(cursorRef.current)
    return {
      row,
      waiting: row === null && (totalRef.current > 0 || viewLoading.current !== null),
      selected: selectionRef.current.ids.size,
    }
    // drawnRow reads refs only: one function for the component's life.
  }, [])

  // X: the row under the cursor now (the key waited for it to be fetched).
  const toggleSelect = useCallback(() => {
    const row = drawnRow(cursorRef.current)
    if (row) setSelection(toggle(selectionRef.current, row, cursorRef.current))
  }, [setSelection])

  // Shift+X: the core reads both ends' places and the rows between in one snapshot, so rows
  // shifting under live changes neither double nor drop any; keys typed meanwhile wait for it.
  const selectRange = useCallback(async (): Promise<boolean> => {
    const s = selectionRef.current
    const here = drawnRow(cursorRef.current)
    const g = ghostRef.current
    const cursorAt = g && cursorRef.current > g.index ? cursorRef.current - 1 : cursorRef.current
    const to = { id: here?.id ?? null, index: cursorAt }
    const from = s.anchor ? { id: s.anchor.id, index: s.anchor.index } : to
    const gen = generation.current
    const done = typeAhead.begin('selection')
    try {
      const r = await api.call('queue.range', { filter, sort, from, to })
      if (gen !== generation.current) return true
      if (!r.ok) {
        setError(r.error.message)
        return true
      }
      setSelection(addRows(selectionRef.current, r.value.rows))
      return !r.value.truncated
    } finally {
      done()
    }
  }, [api, filter, sort, setSelection, typeAhead])

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
    rowCount: total + (ghost ? 1 : 0),
    isGone: (i) => ghost !== null && i === ghost.index,
    loading,
    counts,
    cursor,
    cursorRow: rowAtIndex(cursor),
    setCursor,
    moveBy,
    live,
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

/** Where a ticket is among the loaded rows, or null. */
function indexOf(pages: Map<number, TicketRow[]>, id: string): number | null {
  for (const [page, rows] of pages) {
    const at = rows.findIndex((r) => r.id === id)
    if (at >= 0) return page * PAGE_SIZE + at
  }
  return null
}
