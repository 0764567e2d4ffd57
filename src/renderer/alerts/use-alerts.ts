// The page's side of alerts: each `alert` event goes to the desktop (desktop.ts) or, when that
// cannot be, into an in-page toast; the recent ones are kept for the bell and the settings
// overlay, with how many came since the person last looked.
import { useCallback, useEffect, useRef, useState } from 'react'
import type { Alert } from '../../shared/alerts'
import type { ConsoleApi } from '../../shared/api'
import { shellBridge } from '../api'
import type { Lang } from '../i18n'
import { useConsoleEvents } from '../state/api'
import { askDesktop, desktopState, showOnDesktop, type DesktopState } from './desktop'

const KEEP = 50
const TOAST_MS = 10_000

export interface AlertsState {
  /** Newest first. */
  recent: readonly Alert[]
  unread: number
  markRead(): void
  /** Alerts shown in the page because the desktop could not show them. */
  toasts: readonly Alert[]
  dismiss(id: string): void
  /** As it is now (read afresh: the person may change it in the browser's settings). */
  desktop: DesktopState
  /** Ask for the desktop (on a key press or click); answers the state after. */
  askDesktop(): Promise<DesktopState>
  /** Read the desktop's state again (when showing it). */
  refresh(): void
}

export function useAlerts(
  api: ConsoleApi,
  opts: { lang: Lang; loggedIn: boolean; onOpen(alert: Alert): void },
): AlertsState {
  const [recent, setRecent] = useState<Alert[]>([])
  const [unread, setUnread] = useState(0)
  const [toasts, setToasts] = useState<Alert[]>([])
  // The permission lives in the browser: read it at each render, render again when it changes.
  const [, setSeen] = useState<DesktopState>(desktopState)
  const refresh = useCallback(() => setSeen(desktopState()), [])
  useEffect(() => {
    let status: PermissionStatus | null = null
    let gone = false
    navigator.permissions
      ?.query({ name: 'notifications' })
      .then((s) => {
        if (gone) return
        status = s
        s.onchange = refresh
      })
      .catch(() => {})
    return () => {
      gone = true
      if (status) status.onchange = null
    }
  }, [refresh])
  const live = useRef({ ...opts, recent })
  live.current = { ...opts, recent }

  const dismiss = useCallback((id: string) => setToasts((l) => l.filter((a) => a.id !== id)), [])

  useConsoleEvents(api, (e) => {
    if (e.type !== 'alert') return
    const alert = e.payload
    if (live.current.recent.some((a) => a.id === alert.id)) return
    setRecent((l) => [alert, ...l].slice(0, KEEP))
    setUnread((n) => n + 1)
    const open = () => live.current.onOpen(alert)
    void showOnDesktop(alert, live.current.lang, open).then((shown) => {
      if (shown) return
      setToasts((l) => [alert, ...l].slice(0, 3))
      setTimeout(() => dismiss(alert.id), TOAST_MS)
    })
  })

  // Electron: main brought the window forward; open what the notification was about.
  useEffect(
    () =>
      shellBridge()?.onNotificationClick?.((id) => {
        const alert = live.current.recent.find((a) => a.id === id)
        if (alert) live.current.onOpen(alert)
      }),
    [],
  )

  // Another person may log in here: they do not inherit the last one's alerts.
  useEffect(() => {
    if (opts.loggedIn) return
    setRecent([])
    setUnread(0)
    setToasts([])
  }, [opts.loggedIn])

  return {
    recent,
    unread,
    markRead: useCallback(() => setUnread(0), []),
    toasts,
    dismiss,
    desktop: desktopState(),
    askDesktop: useCallback(async () => {
      const state = await askDesktop()
      setSeen(state)
      return state
    }, []),
    refresh,
  }
}
