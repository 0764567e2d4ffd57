// The preload exposes one object to the sandboxed renderer: ConsoleApi, plus the native menu's two
// directions (ShellBridge). No raw ipcRenderer, no channel the page may choose (STYLE.md: not the
// template's raw electronAPI).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { ApiMethod, ConsoleApi, ConsoleEvent } from '../shared/api'
import type { DesktopNote, MenuSpec, ShellBridge } from '../shared/menu'
import {
  CALL_CHANNEL,
  EVENT_CHANNEL,
  MENU_COMMAND_CHANNEL,
  MENU_SET_CHANNEL,
  NOTIFICATION_CLICK_CHANNEL,
  NOTIFY_CHANNEL,
  PRINT_PDF_CHANNEL,
  REVEAL_EXPORT_CHANNEL,
} from './channels'

function listen<T>(channel: string, listener: (value: T) => void): () => void {
  const handler = (_e: IpcRendererEvent, value: T) => listener(value)
  ipcRenderer.on(channel, handler)
  return () => {
    ipcRenderer.removeListener(channel, handler)
  }
}

const api = {
  call: (method: ApiMethod, args: unknown) => ipcRenderer.invoke(CALL_CHANNEL, method, args),
  subscribe: (listener: (event: ConsoleEvent) => void) => listen(EVENT_CHANNEL, listener),
  shell: {
    setMenu: (spec: MenuSpec) => ipcRenderer.send(MENU_SET_CHANNEL, spec),
    onMenuCommand: (listener: (id: string) => void) => listen(MENU_COMMAND_CHANNEL, listener),
    revealExport: (path: string) =>
      ipcRenderer.invoke(REVEAL_EXPORT_CHANNEL, path) as Promise<boolean>,
    notify: (note: DesktopNote) => ipcRenderer.invoke(NOTIFY_CHANNEL, note) as Promise<boolean>,
    onNotificationClick: (listener: (id: string) => void) =>
      listen(NOTIFICATION_CLICK_CHANNEL, listener),
    printToPdf: (name: string) =>
      ipcRenderer.invoke(PRINT_PDF_CHANNEL, name) as Promise<string | null>,
  } satisfies ShellBridge,
} satisfies ConsoleApi & { shell: ShellBridge }

contextBridge.exposeInMainWorld('hotline', api)
