// While keys are held and the focus is on something that takes no text (the queue), text an
// input method or a paste sends has nowhere to go and would be lost: a hidden field takes the
// focus for that moment so the pipeline can hold the text too. When the keys have run, the focus
// goes back to where it was.
let el: HTMLTextAreaElement | null = null
let behind: Element | null = null

function catcher(): HTMLTextAreaElement {
  if (el?.isConnected) return el
  el = document.createElement('textarea')
  el.className = 'type-ahead-catcher'
  el.tabIndex = -1
  el.setAttribute('aria-hidden', 'true')
  el.style.cssText = 'position:fixed;left:-10000px;top:0;width:1px;height:1px;opacity:0'
  document.body.appendChild(el)
  return el
}

/** Puts the focus on the catcher if it is on something that takes no text. */
export function catchText(takesText: (e: Element | null) => boolean): void {
  const active = document.activeElement
  if (active === el || takesText(active)) return
  behind = active
  catcher().focus({ preventScroll: true })
}

/** The element behind the catcher when the catcher has the focus; else `active` itself. */
export const catcherOr = (active: Element | null): Element | null =>
  active !== null && active === el ? behind : active

/** The catcher lets go: the focus returns to where it was (if the catcher still has it). */
export function releaseText(): void {
  if (el && document.activeElement === el) {
    if (behind instanceof HTMLElement && behind.isConnected) behind.focus({ preventScroll: true })
    // Nothing focusable behind it (the page itself had the focus): back to the page.
    if (document.activeElement === el) el.blur()
  }
  behind = null
}
