// `?`: every action in the registry with its keys, grouped. Generated, so it cannot drift.
import { ACTIONS, GROUP_LABELS, type UiAction } from '../actions/registry'
import { keyLabel } from '../actions/keys'
import { useRef } from 'react'
import { useT } from '../i18n'
import { useDialog } from '../input/use-dialog'

const GROUPS: UiAction['group'][] = ['general', 'queue', 'view', 'ticket']

export function HelpOverlay() {
  const t = useT()
  const root = useRef<HTMLDivElement>(null)
  // Nothing to type in: it takes the focus so Tab stays on it; `?` and Esc close it.
  const trap = useDialog(root)
  return (
    <div
      className="overlay help"
      role="dialog"
      aria-label={t('helpTitle')}
      tabIndex={-1}
      ref={root}
      onKeyDownCapture={trap.onKeyDownCapture}
    >
      <h2>{t('helpTitle')}</h2>
      <div className="help-groups">
        {GROUPS.map((g) => (
          <section key={g}>
            <h3>{t(GROUP_LABELS[g])}</h3>
            <table>
              <tbody>
                {ACTIONS.filter((a) => a.group === g).map((a) => (
                  <tr key={a.id} data-action-id={a.id}>
                    <td className="keys">
                      {a.keys.map((k) => (
                        <kbd key={k}>{keyLabel(k)}</kbd>
                      ))}
                    </td>
                    <td>{t(a.label)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </div>
  )
}
