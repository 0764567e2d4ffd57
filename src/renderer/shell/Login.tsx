// Login: user name, Tab, password, Enter. Nothing else to reach for.
import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { Session } from '../../shared/api'
import { useLang, useT } from '../i18n'
import { errorText, useApi } from '../state/api'

export function Login(props: { onLogin(s: Session): void }) {
  const api = useApi()
  const t = useT()
  const lang = useLang()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const first = useRef<HTMLInputElement>(null)
  useEffect(() => first.current?.focus(), [])

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
      </form>
    </main>
  )
}
