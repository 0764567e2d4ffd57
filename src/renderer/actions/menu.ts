// The native menu's description from the registry: one menu per group, each action with its first
// key as Electron spells accelerators, enabled when it applies in the current scope.
import type { Lang } from '../../shared/validation'
import type { MenuSpec } from '../../shared/menu'
import { ACTIONS, GROUP_LABELS, type Scope, type UiAction } from './registry'

const ELECTRON_KEYS: Record<string, string> = {
  ArrowDown: 'Down',
  ArrowUp: 'Up',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Escape: 'Esc',
  Enter: 'Return',
  Delete: 'Delete',
  PageDown: 'PageDown',
  PageUp: 'PageUp',
  '?': 'Shift+/',
}

/** `Ctrl+K` → `CmdOrCtrl+K`, `ArrowDown` → `Down`, `?` → `Shift+/`. */
export function electronAccelerator(combo: string): string {
  return combo
    .split('+')
    .map((part, i, all) =>
      i < all.length - 1 ? (part === 'Ctrl' ? 'CmdOrCtrl' : part) : (ELECTRON_KEYS[part] ?? part),
    )
    .join('+')
}

export function menuSpec(
  scope: Scope,
  lang: Lang,
  actions: readonly UiAction[] = ACTIONS,
): MenuSpec {
  const groups = [...new Set(actions.map((a) => a.group))]
  return groups.map((g) => ({
    label: GROUP_LABELS[g][lang],
    items: actions
      .filter((a) => a.group === g)
      .map((a) => ({
        id: a.id,
        label: a.label[lang],
        // A chord (`G S`) has no accelerator: the label says it.
        accelerator: a.keys[0] && !a.keys[0].includes(' ') ? electronAccelerator(a.keys[0]) : null,
        enabled: a.when(scope),
      })),
  }))
}
