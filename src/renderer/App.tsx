// The root: language and theme, the session, sync status and reference data, and the one key
// handler that turns key presses into registry actions.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ConsoleApi, Session, SyncStatus } from '../shared/api'
import { ACTIONS, type Controls, type Scope } from './actions/registry'
import { menuSpec } from './actions/menu'
import { alertKindsFor, type Alert } from '../shared/alerts'
import { AlertBell, AlertToasts } from './alerts/AlertToasts'
import { useAlerts } from './alerts/use-alerts'
import { shellBridge } from './api'
import { Console } from './Console'
import { TypeAheadContext } from './input/type-ahead'
import { useKeyInput, type KeyTarget } from './input/use-key-input'
import { LangContext, setCityZone, type Lang } from './i18n'
import type { Theme } from './settings/SettingsOverlay'
import { Login } from './shell/Login'
import { StatusBar } from './shell/StatusBar'
import { ApiContext, useConsoleEvents } from './state/api'
import { buildNames, type Names } from './state/reference'

const stored = (key: string) => {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}
const store = (key: string, value: string) => {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Private windows may refuse; the choice then lasts for this page only.
  }
}

export function App({ api }: { api: ConsoleApi }) {
  const [lang, setLang] = useState<Lang>(stored('hotline.lang') === 'en' ? 'en' : 'zh')
  const [theme, setTheme] = useState<Theme>(() => {
    const t = stored('hotline.theme')
    if (t === 'light' || t === 'dark') return t
    return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
  })
  const [session, setSession] = useState<Session | null | undefined>(undefined)
  /** The server ended the session: the login screen says so (the console is locked). */
  const [ended, setEnded] = useState<{ username: string } | null>(null)
  const [status, setStatus] = useState<SyncStatus | null>(null)
  const [names, setNames] = useState<Names | null>(null)
  const [rejectedOpen, setRejectedOpen] = useState(false)

  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
    document.documentElement.dataset.theme = theme
    store('hotline.lang', lang)
    store('hotline.theme', theme)
  }, [lang, theme])

  useEffect(() => {
    void api.call('session.get', {}).then((r) => setSession(r.ok ? r.value : null))
    void api.call('sync.status', {}).then((r) => r.ok && setStatus(r.value))
  }, [api])

  const loadReference = useCallback(async () => {
    const r = await api.call('reference.get', {})
    if (!r.ok) return
    setCityZone(r.value.calendar.timeZone)
    setNames(buildNames(r.value))
  }, [api])
  useEffect(() => {
    if (session) void loadReference()
  }, [session, loadReference])

  useConsoleEvents(api, (e) => {
    if (e.type === 'session.changed') {
      setSession(e.payload.session)
      setEnded(e.payload.ended ?? null)
    } else if (e.type === 'sync.status') {
      setStatus(e.payload)
      // The first pull brings the reference data; until it is here, try again as sync moves.
      if (!names && session) void loadReference()
    } else if (e.type === 'reference.changed') void loadReference()
  })

  // The console registers what it shows and what it can do; without it only the global
  // actions (language, theme) apply.
  const registered = useRef<(KeyTarget & { controls: Controls }) | null>(null)
  const appControls = {
    toggleLang: () => setLang((l) => (l === 'zh' ? 'en' : 'zh')),
    toggleTheme: () => setTheme((t) => (t === 'light' ? 'dark' : 'light')),
    syncNow: () => void api.call('sync.now', {}),
    logout: () => void api.call('session.logout', {}),
  }
  const appControlsRef = useRef(appControls)
  appControlsRef.current = appControls
  if (!session) registered.current = null

  // Alerts: on the desktop, else in the page; a click goes to what the alert is about.
  const openAlert = (a: Alert) => registered.current?.controls.openAlert?.(a)
  const alerts = useAlerts(api, { lang, loggedIn: !!session, onOpen: openAlert })
  const openSettings = () => registered.current?.controls.openSettings?.()

  // Electron's native menu mirrors the registry: described again shortly after the scope or the
  // language changes (sent only when it changed), and an item chosen there runs like its key.
  const lastMenu = useRef('')
  const menuTimer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const langRef = useRef(lang)
  langRef.current = lang
  const describeMenu = useCallback(() => {
    const shell = shellBridge()
    if (!shell || menuTimer.current) return
    menuTimer.current = setTimeout(() => {
      menuTimer.current = null
      const spec = menuSpec(registered.current?.scope() ?? LOGGED_OUT, langRef.current)
      const key = JSON.stringify(spec)
      if (key === lastMenu.current) return
      lastMenu.current = key
      shell.setMenu(spec)
    }, 100)
  }, [])
  useEffect(describeMenu, [lang, session, describeMenu])
  useEffect(
    () =>
      shellBridge()?.onMenuCommand((id) => {
        const action = ACTIONS.find((a) => a.id === id)
        const reg = registered.current
        if (!action || !action.when(reg?.scope() ?? LOGGED_OUT)) return
        if (reg) reg.run(action)
        else action.run({ ...NO_CONSOLE, ...appControlsRef.current }, LOGGED_OUT)
      }),
    [],
  )

  const typeAhead = useKeyInput({
    target: () => registered.current,
    loggedOut: LOGGED_OUT,
    runLoggedOut: (a) => a.run({ ...NO_CONSOLE, ...appControlsRef.current }, LOGGED_OUT),
    lang: () => langRef.current,
  })

  return (
    <LangContext.Provider value={lang}>
      <ApiContext.Provider value={api}>
        <div className="app">
          {session === undefined ? null : session ? (
            <TypeAheadContext.Provider value={typeAhead}>
              <Console
                session={session}
                names={names}
                appControls={appControls}
                register={(target) => {
                  registered.current = target
                  describeMenu()
                }}
                rejectedOpen={rejectedOpen}
                setRejectedOpen={setRejectedOpen}
                alerts={alerts}
                theme={theme}
              />
            </TypeAheadContext.Provider>
          ) : (
            <Login
              ended={ended}
              onLogin={(s) => {
                setSession(s)
                // Logging in is a gesture: the browser may ask for notifications now.
                if (alertKindsFor(s.user.role).length > 0) void alerts.askDesktop()
              }}
            />
          )}
          {session && <AlertToasts alerts={alerts} onOpen={openAlert} />}
          <StatusBar
            session={session ?? null}
            status={status}
            onRejected={() => setRejectedOpen(true)}
            extra={session ? <AlertBell alerts={alerts} onOpen={openSettings} /> : null}
          />
        </div>
      </ApiContext.Provider>
    </LangContext.Provider>
  )
}

const LOGGED_OUT: Scope = {
  loggedIn: false,
  layer: 'none',
  ticketId: null,
  ticketOpen: false,
  allowed: null,
  canCreate: false,
  selection: 0,
  drill: false,
}
const noop = () => {}
const NO_CONSOLE: Controls = {
  openPalette: noop,
  toggleHelp: noop,
  closeTop: noop,
  move: noop,
  moveTo: noop,
  openTicket: noop,
  focusFilter: noop,
  setView: noop,
  openIntake: noop,
  openDashboard: noop,
  openDispatch: noop,
  openNote: noop,
  openForm: noop,
  approve: noop,
  refuse: noop,
  toggleSelect: noop,
  selectRange: noop,
  act: noop,
  exportView: noop,
  toggleLang: noop,
  toggleTheme: noop,
  syncNow: noop,
  reviewRejected: noop,
  logout: noop,
}
