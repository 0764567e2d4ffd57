// The settings screen's rows that are more than a switch: the server address, the data folder
// with signing out and wiping, and the wipe's confirmation step.
import type { RefObject } from 'react'
import type { CacheProtection } from '../../shared/settings'
import { colon, useLang } from '../i18n'
import { unsentLost, useWords } from './words'

export function ServerRow(props: {
  className: string
  inputRef: RefObject<HTMLInputElement | null>
  value: string
  /** Saved, or why not. */
  note: string | null
  onPick(): void
  onChange(value: string): void
}) {
  const w = useWords()
  return (
    <li className={`${props.className} server-row`} onClick={props.onPick}>
      <label htmlFor="server-url">{w('serverUrl')}</label>
      <input
        id="server-url"
        className="value"
        ref={props.inputRef}
        type="url"
        spellCheck={false}
        placeholder="https://"
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
      <span className="muted hint" data-testid="server-note">
        {props.note ?? w('serverHint')}
      </span>
    </li>
  )
}

export function DataRows(props: {
  kind: 'logout' | 'wipe'
  className: string
  dataDir: string
  cache: CacheProtection | null
  /** This console's label on timelines, and the seat name an admin gave it. */
  seat: { label: string; name: string | null }
  onRun(): void
}) {
  const w = useWords()
  const lang = useLang()
  if (props.kind === 'wipe')
    return (
      <li className={`${props.className} danger`} data-setting="wipe" onClick={props.onRun}>
        {w('wipe')}
      </li>
    )
  return (
    <>
      <li className="heading" aria-hidden>
        <h3>{w('sectionData')}</h3>
      </li>
      <li className="data-dir">
        {w('dataDir')}
        <code className="value" data-testid="data-dir">
          {props.dataDir}
        </code>
      </li>
      <li className="seat-row" data-testid="seat">
        {w('seat')}
        {colon(lang)}
        <code className="value">{props.seat.label}</code>
        {props.seat.name ? (
          <strong> {props.seat.name}</strong>
        ) : (
          <span className="muted hint"> {w('seatUnnamed')}</span>
        )}
      </li>
      {props.cache && (
        <li
          className={`cache-protection${props.cache.encrypted ? '' : ' warn'}`}
          data-testid="cache-protection"
        >
          {props.cache.encrypted
            ? `${w('cacheEncrypted')} (${props.cache.keyStore})`
            : props.cache.reason === 'web_host'
              ? w('cachePlainWeb')
              : w('cachePlainNoKeychain')}
        </li>
      )}
      <li className={props.className} data-setting="logout" onClick={props.onRun}>
        {w('signOut')}
      </li>
    </>
  )
}

export function WipeConfirm(props: { unsent: number }) {
  const w = useWords()
  return (
    <div className="wipe-confirm" role="alertdialog" data-testid="wipe-confirm">
      <h3>{w('wipe')}？</h3>
      <p>{w('wipeWhat')}</p>
      {props.unsent > 0 ? (
        <p className="error" data-testid="wipe-unsent">
          {w(unsentLost(props.unsent))}
        </p>
      ) : (
        <p className="muted">{w('wipeNothingUnsent')}</p>
      )}
      <p className="hint">{w('wipeConfirm')}</p>
    </div>
  )
}
