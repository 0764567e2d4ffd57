// Which rows of a long list of fixed-height rows to draw, and keeping the cursor's row in view.
// Every row has the same height, so the rows on screen follow from the scroll offset by
// arithmetic; nothing is measured. The offset that brings the cursor into view is worked out
// while rendering the cursor move, so that one render draws the rows for the new offset and the
// scroll event that follows finds nothing to change (a general virtualizer re-renders from that
// event, and reads layout while reconciling a programmatic scroll: a second render and forced
// layouts on every J press that scrolls).
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react'
import { flushSync } from 'react-dom'
import { fitOffset, windowAt, type RowGeometry } from './row-window'

export type { RowGeometry } from './row-window'

export interface RowWindow {
  ref: RefObject<HTMLDivElement | null>
  first: number
  last: number
  onScroll(): void
}

export function useRowWindow(count: number, cursor: number, g: RowGeometry): RowWindow {
  const ref = useRef<HTMLDivElement>(null)
  const [height, setHeight] = useState(0)
  const [top, setTop] = useState(0)
  const [fitted, setFitted] = useState({ cursor, count })
  // The offset the element is known to have (written here, or reported by a scroll event), so
  // that writing it never needs a read.
  const applied = useRef(0)

  // Adjusting state while rendering (react.dev: "storing information from previous renders"):
  // React re-runs this component before its children, so the rows drawn are the new offset's.
  if (fitted.cursor !== cursor) {
    setFitted({ cursor, count })
    if (count > 0) setTop(fitOffset(cursor, top, height, count, g))
  } else if (fitted.count !== count) {
    // More or fewer rows (live changes): the view stays where it is, within the new end.
    setFitted({ cursor, count })
    const max = Math.max(0, g.header + count * g.row - height)
    if (top > max) setTop(max)
  }

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    setHeight(el.clientHeight)
    const ro = new ResizeObserver((entries) => {
      const h = entries[0]?.contentRect.height
      if (h !== undefined) setHeight(Math.round(h))
    })
    ro.observe(el)
    return () => ro.disconnect()
  }, [])

  useLayoutEffect(() => {
    const el = ref.current
    if (!el || applied.current === top) return
    applied.current = top
    el.scrollTop = top
  }, [top])

  const onScroll = useCallback(() => {
    const el = ref.current
    if (!el) return
    const now = el.scrollTop
    if (now === applied.current) return
    applied.current = now
    // Drawn before this frame is painted: a fast wheel must not show empty rows.
    flushSync(() => setTop(now))
  }, [])

  return { ref, ...windowAt(top, height, count, g), onScroll }
}
