// Every dialog, form and overlay owns the focus while it is open (STYLE.md 12): Tab and Shift+Tab
// cycle inside it, never out to the queue or the status bar; when it closes the focus goes back
// to where the person was. And it says when it is ready for keys (its first field focused), so
// that keys typed while it opened land there.
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react'
import { catcherOr } from './catcher'
import { moveFocus } from './replay'
import { useLayers } from './type-ahead'

export interface DialogFocus {
  /** Spread on the dialog's root: keeps Tab inside it. */
  onKeyDownCapture(e: KeyboardEvent): void
}

/**
 * `ready`: the dialog has put the focus where typing goes (false while it still loads, as
 * intake does with its draft); the layer reports ready once it turns true.
 */
export function useDialog(root: RefObject<HTMLElement | null>, ready = true): DialogFocus {
  const layers = useLayers()
  // Where the focus was before the dialog took it (not our type-ahead catcher: behind it).
  const cameFrom = useRef<Element | null>(null)
  useLayoutEffect(() => {
    cameFrom.current = catcherOr(document.activeElement)
    return () => {
      const back = cameFrom.current
      // After the dialog's own elements are gone; a layer opened in its place keeps the focus.
      queueMicrotask(() => {
        // Still open (React's development double mount): nothing to give back.
        if (root.current?.isConnected) return
        if (document.activeElement?.closest('[role="dialog"]')?.isConnected) return
        // Nowhere in particular (the page itself) or gone: the queue, the console's home.
        const usable =
          back instanceof HTMLElement &&
          back !== document.body &&
          back.isConnected &&
          !back.closest('[role="dialog"]')
        if (usable) back.focus()
        else layers.home()
      })
    }
    // Once per dialog: where it came from does not change while it is open.
  }, [])

  const said = useRef(false)
  useEffect(() => {
    if (!ready || said.current) return
    said.current = true
    // The focus belongs inside; a dialog that focused nothing of its own takes it on its root.
    const el = root.current
    if (el && !el.contains(document.activeElement)) el.focus()
    layers.ready()
  }, [ready, layers, root])

  return {
    onKeyDownCapture(e) {
      if (e.key !== 'Tab' || e.ctrlKey || e.altKey || e.metaKey) return
      const el = root.current
      if (!el) return
      e.preventDefault()
      e.stopPropagation()
      moveFocus(el, e.shiftKey)
    },
  }
}
