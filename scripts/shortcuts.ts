// `npm run shortcuts`: the README's shortcut table, generated from the action registry.
import { ACTIONS, GROUP_LABELS } from '../src/renderer/actions/registry'
import { keyLabel } from '../src/renderer/actions/keys'

const rows = ACTIONS.map(
  (a) =>
    `| ${a.keys.map((k) => `\`${keyLabel(k)}\``).join(' ')} | ${a.label.zh} | ${a.label.en} | ${GROUP_LABELS[a.group].en} |`,
)
console.log(['| keys | 操作 | action | group |', '| --- | --- | --- | --- |', ...rows].join('\n'))
