// The preload exposes one object to the sandboxed renderer: ConsoleApi, nothing else. No raw
// ipcRenderer, no channel the page may choose (STYLE.md: not the template's raw electronAPI).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type { ApiMethod, ConsoleApi, ConsoleEvent } from '../shared/api'
import { CALL_CHANNEL, EVENT_CHANNEL } from './channels'

const api = {
  call: (method: ApiMethod, args: unknown) => ipcRenderer.invoke(CALL_CHANNEL, method, args),
  subscribe(listener: (event: ConsoleEvent) => void) {
    const handler = (_e: IpcRendererEvent, event: ConsoleEvent) => listener(event)
    ipcRenderer.on(EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler)
    }
  },
} satisfies ConsoleApi

contextBridge.exposeInMainWorld('hotline', api)
