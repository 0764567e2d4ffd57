// Electron's main process: one window, the console core, and ConsoleApi over two IPC channels.
// Thin on purpose (DESIGN.md §2). The renderer is sandboxed, isolated, without Node; it may not
// open windows, navigate away, attach webviews or get any permission.
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session, shell } from 'electron'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ApiMethod, ConsoleEvent } from '../shared/api'
import { createConsoleCore, type ConsoleCore } from '../core/console'
import { screenPopLine } from '../core/telephony'
import {
  CALL_CHANNEL,
  EVENT_CHANNEL,
  PRINT_PDF_CHANNEL,
  REVEAL_EXPORT_CHANNEL,
} from '../preload/channels'
import { CacheKeyError } from '../core/db/cipher'
import { cacheKey } from './cache-key'
import { serveMenu } from './menu'
import { serveNotifications } from './notify'
import { consoleOptions } from './options'
import { lockDown, secureSession, windowWebPreferences } from './security'
import { startUpdateChecks } from './updates'
import { contentSecurityPolicy } from './web/csp'
import { exportPath } from './web/export-files'

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url))
const devUrl = process.env.ELECTRON_RENDERER_URL

let window: BrowserWindow | null = null
let core: ConsoleCore | null = null

if (!app.requestSingleInstanceLock()) {
  // Two consoles on one data folder would fight over the outbox: the first one stays.
  app.quit()
} else {
  app.enableSandbox()
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore()
    window?.focus()
  })
  app.on('web-contents-created', (_e, contents) => lockDown(contents))
  app.on('window-all-closed', () => app.quit())
  // Close the core (sync stopped, SQLite closed cleanly) before the process goes.
  app.on('before-quit', (e) => {
    if (!core) return
    e.preventDefault()
    const c = core
    core = null
    void c.close().finally(() => app.quit())
  })
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      // Said on screen, not only in a log nobody reads: e.g. a cache the keychain's key no
      // longer opens (it is left untouched: it may hold unsent work).
      console.error(e)
      const zh =
        e instanceof CacheKeyError
          ? '本地缓存无法解密（系统钥匙串中的密钥已变）。缓存文件未被改动；请联系信息中心。'
          : '工单台无法启动。'
      dialog.showErrorBox(
        '12345 热线工单台',
        `${zh}\n\n${e instanceof Error ? e.message : String(e)}`,
      )
      app.exit(1)
    })
}

async function start() {
  const opts = consoleOptions(process.argv.slice(1))
  const csp = contentSecurityPolicy()
  secureSession(session.defaultSession, csp)

  const cache = cacheKey(opts.dataDir, safeStorage)
  if (!cache.key) console.log(`the local cache in ${opts.dataDir} is not encrypted: no keychain`)
  core = await createConsoleCore({
    ...opts,
    cache,
    telephony: {},
    log: (msg, extra) => console.log(msg, extra ?? ''),
  })
  const c = core
  // With --data always: this process cannot tell whether the folder is the default one.
  if (c.telephony) console.log(screenPopLine(c.telephony, opts.dataDir))
  ipcMain.handle(CALL_CHANNEL, (e, method: unknown, args: unknown) => {
    // Only our own page may call: not a frame or page that got in somehow.
    if (
      !window ||
      e.sender !== window.webContents ||
      e.senderFrame !== window.webContents.mainFrame
    )
      return { ok: false, error: { code: 'forbidden', message: 'not the console window' } }
    return c.call(method as ApiMethod, args)
  })

  // A finished export, shown in its folder: only a file directly in the exports folder.
  ipcMain.handle(REVEAL_EXPORT_CHANNEL, async (e, path: unknown) => {
    const w = window
    if (!w || e.sender !== w.webContents || e.senderFrame !== w.webContents.mainFrame) return false
    const file = await exportPath(c.exportsDir, path)
    if (file) shell.showItemInFolder(file)
    return file !== null
  })

  // The period report as a PDF (Electron's printToPDF), written into the exports folder under a
  // name main makes (the page only suggests its stem), then shown in its folder.
  ipcMain.handle(PRINT_PDF_CHANNEL, async (e, stem: unknown) => {
    const w = window
    if (!w || e.sender !== w.webContents || e.senderFrame !== w.webContents.mainFrame) return null
    const safe = typeof stem === 'string' && /^[A-Za-z0-9_-]{1,60}$/.test(stem) ? stem : 'report'
    const stamp = new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)
    const file = join(c.exportsDir, `${safe}-${stamp}.pdf`)
    try {
      const pdf = await w.webContents.printToPDF({ pageSize: 'A4', printBackground: true })
      await mkdir(c.exportsDir, { recursive: true })
      await writeFile(file, pdf)
      shell.showItemInFolder(file)
      return file
    } catch (err) {
      console.error('printing the report failed', err)
      return null
    }
  })

  // No menu until the page describes one from the action registry (src/main/menu.ts).
  Menu.setApplicationMenu(null)
  serveMenu(() => window)
  serveNotifications(() => window)
  window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: '12345 热线工单台',
    show: false,
    webPreferences: windowWebPreferences(here('../preload/index.cjs')),
  })
  const w = window
  const unsubscribe = c.subscribe((event: ConsoleEvent) => {
    if (!w.isDestroyed()) w.webContents.send(EVENT_CHANNEL, event)
  })
  w.on('closed', () => {
    unsubscribe()
    window = null
  })
  w.once('ready-to-show', () => w.show())
  if (devUrl) await w.loadURL(devUrl)
  else await w.loadFile(here('../renderer/index.html'))
  // Packaged consoles with a feed only; offers a new version, never installs mid-shift.
  startUpdateChecks((msg) => console.log(msg))
}
