// Login: user name, Tab, password, Enter. Nothing else to reach for. On the first run (no server
// address given at start nor saved in the settings) it asks for the server's address first.
import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { Session } from '../../shared/api'
import { useLang, useT } from '../i18n'
import { useWords } from '../settings/words'
import { errorText, useApi } from '../state/api'

export function Login(props: { onLogin(s: Session): void; ended?: { username: string } | null }) {
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const w = useWords()
  const [username, setUsername] = useState(props.ended?.username ?? '')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const first = useRef<HTMLInputElement>(null)
  /** undefined: not known yet (the login form shows meanwhile); null: none, ask for one. */
  const [server, setServer] = useState<string | null | undefined>(undefined)
  useEffect(() => {
    void api.call('settings.get', {}).then((r) => r.ok && setServer(r.value.serverUrl))
  }, [api])
  const firstRun = server === null
  const pass = useRef<HTMLInputElement>(null)
  // Locked by the server: the same person most likely logs in again — straight to the password.
  useEffect(
    () => (props.ended?.username ? pass.current : first.current)?.focus(),
    [firstRun, props.ended],
  )

  if (firstRun) return <FirstRun onSaved={setServer} />

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (busy) return
    setBusy(true)
    setError(null)
    const r = await api.call('session.login', { username, password })
    setBusy(false)
    if (r.ok) props.onLogin(r.value)
    else setError(errorText(r.error, lang))
  }

  return (
    <main className="login">
      <form onSubmit={(e) => void submit(e)} aria-label={t('login')}>
        <h1>{t('appName')}</h1>
        {props.ended && (
          <p className="error" role="alert" data-testid="session-ended">
            {w('sessionEnded')}
          </p>
        )}
        <label>
          {t('username')}
          <input
            ref={first}
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label>
          {t('password')}
          <input
            ref={pass}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('loggingIn') : t('login')}
        </button>
        <p className="muted hint">{t('loginHint')}</p>
        {server && (
          <p className="muted hint" data-testid="login-server">
            {w('loginServer')}：{server}
          </p>
        )}
      </form>
    </main>
  )
}

function FirstRun(props: { onSaved(url: string): void }) {
  const api = useApi()
  const lang = useLang()
  const w = useWords()
  const [url, setUrl] = useState('')
  const [error, setError] = useState<string | null>(null)
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const r = await api.call('settings.set', { serverUrl: url })
    if (!r.ok) return setError(errorText(r.error, lang))
    if (r.value.serverUrl) props.onSaved(r.value.serverUrl)
  }

  return (
    <main className="login first-run">
      <form onSubmit={(e) => void submit(e)} aria-label={w('firstRunTitle')}>
        <h1>{w('firstRunTitle')}</h1>
        <p className="muted">{w('firstRunHint')}</p>
        <label>
          {w('serverUrl')}
          <input
            ref={input}
            name="serverUrl"
            type="url"
            spellCheck={false}
            placeholder="https://"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit">{w('save')}</button>
      </form>
    </main>
  )
}
