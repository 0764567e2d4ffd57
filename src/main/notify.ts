// System notifications for the page's alerts (issue 6). The page asks over one channel with a
// note main checks, and hears whether it could be shown; main shows it with Electron's
// Notification, so the session's permission handlers keep denying every web permission,
// notifications included. A click brings the window forward and tells the page which alert.
import { ipcMain, Notification, type BrowserWindow } from 'electron'
import { desktopNoteSchema } from '../shared/menu'
import { NOTIFICATION_CLICK_CHANNEL, NOTIFY_CHANNEL } from '../preload/channels'

/** Notifications on screen; kept referenced, or a collected one loses its click handler. */
const shown = new Set<Notification>()
const MAX_SHOWN = 50

export function serveNotifications(window: () => BrowserWindow | null): void {
  ipcMain.handle(NOTIFY_CHANNEL, (e, raw: unknown) => {
    const w = window()
    if (!w || e.sender !== w.webContents || e.senderFrame !== w.webContents.mainFrame) return false
    const parsed = desktopNoteSchema.safeParse(raw)
    if (!parsed.success || !Notification.isSupported()) return false
    const { id, title, body } = parsed.data
    const n = new Notification({ title, body })
    const forget = () => void shown.delete(n)
    n.on('close', forget)
    n.on('click', () => {
      forget()
      if (w.isDestroyed()) return
      if (w.isMinimized()) w.restore()
      w.show()
      w.focus()
      w.webContents.send(NOTIFICATION_CLICK_CHANNEL, id)
    })
    shown.add(n)
    if (shown.size > MAX_SHOWN) shown.delete(shown.values().next().value!)
    n.show()
    return true
  })
}
