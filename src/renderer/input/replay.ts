// Running a held key later, as if typed then: a keydown dispatched on whatever has the focus now
// (so a form that opened in the meantime gets it, through its own handlers), and — when nobody
// took it — what the browser itself would have done: the character typed into the field, Tab
// moving on, Backspace deleting. Text an input method sent is typed into the field the same way.
import type { Held, Press } from './key-pipeline'

/** Events we dispatch ourselves: the key handler runs them now, it never holds them again. */
const replayed = new WeakSet<Event>()
export const isReplay = (e: Event): boolean => replayed.has(e)

export const isEditable = (el: Element | null): el is HTMLInputElement | HTMLTextAreaElement =>
  (el instanceof HTMLInputElement &&
    !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(el.type)) ||
  el instanceof HTMLTextAreaElement

const TABBABLE =
  'input:not([disabled]):not([type="hidden"]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]), [tabindex]:not([tabindex="-1"])'

/** What Tab visits inside `root`, in order: enabled, shown, not taken out of the order. */
export function tabbables(root: ParentNode): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(TABBABLE)).filter(
    (el) => el.tabIndex >= 0 && el.getClientRects().length > 0 && !el.closest('[inert]'),
  )
}

/** Moves the focus to the next (or previous) tabbable inside `root`, wrapping round. */
export function moveFocus(root: ParentNode, back: boolean): void {
  const list = tabbables(root)
  if (list.length === 0) return
  const at = list.indexOf(document.activeElement as HTMLElement)
  const next =
    at < 0 ? (back ? list.length - 1 : 0) : (at + (back ? -1 : 1) + list.length) % list.length
  list[next]!.focus()
}

/** Types text at the caret as a person would: the field's own input events follow. */
function typeInto(el: HTMLInputElement | HTMLTextAreaElement, text: string): void {
  // execCommand keeps the field's undo history and fires `beforeinput`/`input` like typing;
  // where it is refused, set the value the way React's change tracking notices.
  if (document.execCommand('insertText', false, text)) return
  const start = el.selectionStart ?? el.value.length
  const end = el.selectionEnd ?? el.value.length
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement : HTMLInputElement
  const setter = Object.getOwnPropertyDescriptor(proto.prototype, 'value')?.set
  setter?.call(el, el.value.slice(0, start) + text + el.value.slice(end))
  el.setSelectionRange(start + text.length, start + text.length)
  el.dispatchEvent(new Event('input', { bubbles: true }))
}

/** The browser's own default for a key nobody handled, where it matters for typing. */
function browserDefault(target: Element | null, p: Press): void {
  const plain = !p.ctrlKey && !p.metaKey && !p.altKey
  if (p.key === 'Tab' && !p.ctrlKey && !p.altKey) {
    const root = target?.closest('[role="dialog"]') ?? document
    return moveFocus(root, p.shiftKey)
  }
  if (isEditable(target)) {
    if (plain && p.key.length === 1) return typeInto(target, p.key)
    if (plain && p.key === 'Enter' && target instanceof HTMLTextAreaElement)
      return typeInto(target, '\n')
    if (p.key === 'Backspace') return void document.execCommand('delete')
    if (p.key === 'Delete') return void document.execCommand('forwardDelete')
    if ((p.ctrlKey || p.metaKey) && p.code === 'KeyA') return target.select()
    return
  }
  if (plain && p.key === ' ' && target instanceof HTMLElement && target.matches('button, input'))
    target.click()
}

/**
 * Dispatches a held key on the focused element; `judged` reports what the console's own key
 * handler made of it ('wait': it still cannot be judged, and nothing else happened).
 */
export function replayKey(k: Held, judged: () => 'done' | 'wait' | null): 'done' | 'wait' {
  const target = document.activeElement ?? document.body
  if (k.kind === 'text') {
    if (isEditable(target)) typeInto(target, k.text)
    return 'done'
  }
  const e = new KeyboardEvent('keydown', {
    ...k.press,
    bubbles: true,
    cancelable: true,
    composed: true,
  })
  replayed.add(e)
  target.dispatchEvent(e)
  if (judged() === 'wait') return 'wait'
  if (!e.defaultPrevented) browserDefault(target, k.press)
  return 'done'
}
