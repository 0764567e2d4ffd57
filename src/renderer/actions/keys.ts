// Keys as the registry writes them (`J`, `Shift+X`, `Ctrl+K`, `?`, `ArrowDown`, `Alt+L`) and as a
// keyboard event produces them, so one string both matches a press and labels the shortcut.

export interface KeyPress {
  key: string
  code: string
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
  shiftKey: boolean
}

/** The registry's spelling of a key press, or null for a bare modifier. */
export function comboOf(e: KeyPress): string | null {
  if (['Control', 'Shift', 'Alt', 'Meta', 'AltGraph'].includes(e.key)) return null
  const mods: string[] = []
  if (e.ctrlKey || e.metaKey) mods.push('Ctrl')
  if (e.altKey) mods.push('Alt')
  let key: string
  // Letters by their physical key, so Alt+L (which types `¬` on a Mac) and a Chinese input
  // method's layouts still mean L.
  const letter = /^Key([A-Z])$/.exec(e.code)
  const digit = /^Digit([0-9])$/.exec(e.code)
  if (letter) {
    key = letter[1]!
    if (e.shiftKey) mods.push('Shift')
  } else if (digit && !e.shiftKey) {
    key = digit[1]!
  } else if (e.key.length === 1) {
    // `?` is Shift+/ on one keyboard and a key of its own on another: the character decides.
    key = e.key === ' ' ? 'Space' : e.key
  } else {
    key = e.key
    if (e.shiftKey) mods.push('Shift')
  }
  return [...mods, key].join('+')
}

const SYMBOLS: Record<string, string> = {
  ArrowDown: '↓',
  ArrowUp: '↑',
  ArrowLeft: '←',
  ArrowRight: '→',
  Escape: 'Esc',
  Delete: 'Del',
}

/** How a shortcut is shown: `Ctrl+K`, `↓`, `Esc`, `G S` (a chord: G, then S). */
export const keyLabel = (combo: string): string =>
  combo
    .split(' ')
    .map((press) =>
      press
        .split('+')
        .map((part) => SYMBOLS[part] ?? part)
        .join('+'),
    )
    .join(' ')

/** True for keys that also type text, which the registry must not take from an input field. */
export const typesText = (combo: string): boolean =>
  !combo.startsWith('Ctrl+') && !combo.startsWith('Alt+') && combo !== 'Escape'
