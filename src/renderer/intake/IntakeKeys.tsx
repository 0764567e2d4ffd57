// The intake's key line: what each key does here, always in view.
import { useWords, type WordKey } from './words'

const KEYS: [string[], WordKey][] = [
  [['Ctrl+Enter'], 'keySave'],
  [['Alt+Enter'], 'keyAnswer'],
  [['Alt+1…9'], 'keyLink'],
  [['Alt+K'], 'keyKb'],
  [['Esc'], 'keyClose'],
  [['Enter', 'Tab'], 'keyNext'],
  [['↑↓', 'Enter'], 'keyPick'],
]

export function IntakeKeys() {
  const w = useWords()
  return (
    <footer className="intake-keys" aria-label="keys">
      {KEYS.map(([keys, word]) => (
        <span key={word}>
          {keys.map((k) => (
            <kbd key={k}>{k}</kbd>
          ))}
          {w(word)}
        </span>
      ))}
    </footer>
  )
}
