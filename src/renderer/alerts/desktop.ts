// Where an alert is shown: Electron's system notifications (through the preload's bridge; main
// shows them), else the browser's Notification API when the person allowed it, else nowhere on
// the desktop — the caller then shows it inside the console.
import type { Alert } from '../../shared/alerts'
import { shellBridge } from '../api'
import type { Lang } from '../i18n'

export type DesktopState = 'system' | 'granted' | 'default' | 'denied' | 'unsupported'

export function desktopState(): DesktopState {
  if (shellBridge()?.notify) return 'system'
  if (typeof Notification === 'undefined') return 'unsupported'
  return Notification.permission
}

/** Asks the browser (call it from a key press or click: browsers want a gesture). */
export async function askDesktop(): Promise<DesktopState> {
  if (desktopState() !== 'default') return desktopState()
  try {
    await Notification.requestPermission()
  } catch {
    // An old engine without the promise form, or a refusal to ask: the state says what is so.
  }
  return desktopState()
}

/** Shows the alert on the desktop; false when it cannot be (the caller shows it in the page). */
export async function showOnDesktop(
  alert: Alert,
  lang: Lang,
  onClick: () => void,
): Promise<boolean> {
  const title = alert.title[lang]
  const body = alert.body[lang]
  const shell = shellBridge()
  if (shell?.notify) {
    // The click comes back through onNotificationClick (see use-alerts.ts).
    return shell.notify({ id: alert.id, title, body }).catch(() => false)
  }
  if (desktopState() !== 'granted') return false
  try {
    const n = new Notification(title, { body, tag: alert.id, lang: lang === 'zh' ? 'zh-CN' : 'en' })
    n.onclick = () => {
      window.focus()
      n.close()
      onClick()
    }
    return true
  } catch {
    // Some browsers allow notifications only from a service worker: fall back to the page.
    return false
  }
}
