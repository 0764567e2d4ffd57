// The README's shortcut table, from the registry: `npm run shortcuts` prints it and a test checks
// the README against it, so the documented keys are the keys.
import { keyLabel } from './keys'
import { ACTIONS, GROUP_LABELS } from './registry'

export const SHORTCUT_HEADER = ['keys', '操作', 'action', 'group'] as const

/** One row per action: keys, Chinese label, English label, group. */
export const shortcutRows = (): string[][] =>
  ACTIONS.map((a) => [
    a.keys.map((k) => `\`${keyLabel(k)}\``).join(' '),
    a.label.zh,
    a.label.en,
    GROUP_LABELS[a.group].en,
  ])

export function shortcutTable(): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  return [
    line(SHORTCUT_HEADER),
    line(SHORTCUT_HEADER.map(() => '---')),
    ...shortcutRows().map(line),
  ].join('\n')
}
