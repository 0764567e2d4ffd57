// The native menu, built from what the renderer describes (src/shared/menu.ts: the action
// registry in the console's language). Accelerators are shown but not registered: the page's one
// key handler runs every shortcut, so a letter key still types into a text field. Choosing an item
// sends its action id back to the page.
import { ipcMain, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'
import { menuSpecSchema, type MenuSpec } from '../shared/menu'
import { MENU_COMMAND_CHANNEL, MENU_SET_CHANNEL } from '../preload/channels'

export function menuTemplate(
  spec: MenuSpec,
  send: (id: string) => void,
): MenuItemConstructorOptions[] {
  return spec.map((group) => ({
    label: group.label,
    submenu: group.items.map((item) => ({
      label: item.label,
      enabled: item.enabled,
      ...(item.accelerator ? { accelerator: item.accelerator, registerAccelerator: false } : {}),
      click: () => send(item.id),
    })),
  }))
}

/** Rebuilds the application menu whenever the window's page describes it. */
export function serveMenu(window: () => BrowserWindow | null): void {
  let last = ''
  ipcMain.on(MENU_SET_CHANNEL, (e, raw: unknown) => {
    const w = window()
    if (!w || e.sender !== w.webContents || e.senderFrame !== w.webContents.mainFrame) return
    const parsed = menuSpecSchema.safeParse(raw)
    if (!parsed.success) return
    const key = JSON.stringify(parsed.data)
    if (key === last) return
    last = key
    const send = (id: string) => {
      if (!w.isDestroyed()) w.webContents.send(MENU_COMMAND_CHANNEL, id)
    }
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(parsed.data, send)))
  })
}
