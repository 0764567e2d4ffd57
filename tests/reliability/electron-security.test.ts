// The Electron shell's security, in two parts. Without a binary (always): the real settings code
// of src/main/security.ts, which index.ts applies — the window's webPreferences, the handlers
// every web contents gets (no new window, no navigation, redirect or webview) and the session's
// (no permission, the CSP on every response) — called with stand-ins for Electron's objects that
// record what is registered, and the registered handlers then exercised. With a binary (skipped
// here, saying so): the running app — what the page can reach, window.open, navigation away,
// permission requests, the CSP the page gets — judged from inside it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { electronBinary } from '../../scripts/electron-binary'
import { OUT, ensureBuilt } from '../../scripts/ensure-built'
import { startServerProcess, type ServerProcess } from '../../scripts/server-process'
import {
  lockDown,
  secureSession,
  windowWebPreferences,
  type LockableContents,
  type SecurableSession,
} from '../../src/main/security'
import { contentSecurityPolicy } from '../../src/main/web/csp'
import { recordFigures } from './figures'

type Handler = (...args: never[]) => unknown
const figures: Record<string, number | string> = { checked: 0 }
const checked = () => (figures.checked = Number(figures.checked) + 1)

/** An event as Electron passes it to will-navigate and the like: remembers preventDefault. */
const navEvent = () => {
  const e = { prevented: false, preventDefault: () => void (e.prevented = true) }
  return e
}

/** Directives of a CSP, by name. */
const directives = (csp: string) =>
  new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/)
      return [name!, values] as const
    }),
  )

function expectStrictCsp(csp: string) {
  const d = directives(csp)
  expect(d.get('default-src')).toEqual(["'self'"])
  expect(d.get('script-src')).toEqual(["'self'"])
  expect(d.get('object-src')).toEqual(["'none'"])
  expect(d.get('base-uri')).toEqual(["'none'"])
  expect(d.get('frame-ancestors')).toEqual(["'none'"])
  expect(d.get('frame-src')).toEqual(["'none'"])
  expect(d.get('form-action')).toEqual(["'none'"])
  expect(csp).not.toMatch(/unsafe-|\*|blob:/)
  // The page talks to the console core only; the core talks to the central server.
  expect(d.get('connect-src')).toEqual(["'self'"])
  // No origin anywhere but our own (and data: images).
  const sources = [...d.values()].flat().filter((v) => !v.startsWith("'"))
  expect(new Set(sources)).toEqual(new Set(['data:']))
}

afterAll(() => recordFigures('electron-security', figures))

describe('Electron security settings, as src/main applies them (no binary needed)', () => {
  it('makes the window isolated, sandboxed, without Node, with web security', () => {
    const prefs = windowWebPreferences('/app/preload/index.cjs')
    expect(prefs).toEqual({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      spellcheck: false,
    })
    // Nothing that would loosen them is set at all.
    for (const k of [
      'nodeIntegrationInWorker',
      'nodeIntegrationInSubFrames',
      'allowRunningInsecureContent',
      'experimentalFeatures',
      'enableBlinkFeatures',
    ])
      expect(prefs, k).not.toHaveProperty(k)
    checked()
  })

  it('denies every new window and prevents navigation, redirects and webviews', () => {
    const on = new Map<string, Handler>()
    let openHandler: Handler | null = null
    const contents = {
      setWindowOpenHandler: (h: Handler) => void (openHandler = h),
      on: (event: string, h: Handler) => {
        on.set(event, h)
        return contents
      },
    } as unknown as LockableContents
    lockDown(contents)
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8412/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'about:blank',
    ]) {
      const answer = (openHandler as unknown as (d: { url: string }) => unknown)({ url })
      expect(answer, url).toEqual({ action: 'deny' })
      checked()
    }
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = navEvent()
      const h = on.get(event) as unknown as (e: unknown, url: string) => void
      expect(h, event).toBeTypeOf('function')
      h(e, 'https://evil.example/')
      expect(e.prevented, event).toBe(true)
      checked()
    }
  })

  it('grants no permission and puts the strict CSP on every response', () => {
    let request: Handler | null = null
    let check: Handler | null = null
    let headers: Handler | null = null
    const ses = {
      setPermissionRequestHandler: (h: Handler) => void (request = h),
      setPermissionCheckHandler: (h: Handler) => void (check = h),
      webRequest: { onHeadersReceived: (h: Handler) => void (headers = h) },
    } as unknown as SecurableSession
    const csp = contentSecurityPolicy()
    secureSession(ses, csp)
    const permissions = ['media', 'geolocation', 'notifications', 'clipboard-read', 'midi']
    for (const permission of permissions) {
      const granted: boolean[] = []
      ;(request as unknown as (...a: unknown[]) => void)({}, permission, (g: boolean) =>
        granted.push(g),
      )
      expect(granted, permission).toEqual([false])
      expect((check as unknown as (...a: unknown[]) => boolean)({}, permission), permission).toBe(
        false,
      )
      checked()
    }
    // A response that brought its own (looser) policy gets ours instead.
    let out: { responseHeaders?: Record<string, string[]> } = {}
    ;(headers as unknown as (d: unknown, cb: (r: typeof out) => void) => void)(
      {
        responseHeaders: {
          'Content-Security-Policy': ["script-src 'unsafe-inline' *"],
          'Content-Type': ['text/html'],
        },
      },
      (r) => (out = r),
    )
    expect(out.responseHeaders).toEqual({
      'Content-Security-Policy': [csp],
      'Content-Type': ['text/html'],
    })
    expectStrictCsp(csp)
    checked()
  })
})

const binary = electronBinary()
if (binary.path === null)
  console.warn(`\n!!! SKIPPING the Electron security tests in a running app: ${binary.why} !!!\n`)
figures.runningApp = binary.path ? 'checked' : 'skipped (no Electron binary)'

describe.skipIf(!binary.path)('Electron security in the running app', { timeout: 60_000 }, () => {
  let root: string
  let server: ServerProcess
  let app: ElectronApplication
  let page: Page

  beforeAll(async () => {
    await ensureBuilt(() => {})
    root = mkdtempSync(join(tmpdir(), 'hotline-electron-sec-'))
    server = await startServerProcess({ dataDir: join(root, 'server'), demo: true, demoTickets: 5 })
    app = await _electron.launch({
      executablePath: binary.path!,
      args: [join(OUT, 'main', 'index.js'), '--server', server.url, '--data', join(root, 'c')],
    })
    page = await app.firstWindow()
    await page.waitForLoadState('domcontentloaded')
  }, 120_000)
  afterAll(async () => {
    await app?.close()
    await server?.stop()
    if (root) rmSync(root, { recursive: true, force: true })
  })

  it('runs the window with the settings src/main gives it', async () => {
    // Electron's own record of the window's settings (undocumented, so read loosely).
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0]!.webContents as unknown as {
        getLastWebPreferences?: () => Record<string, unknown>
      }
      const p = wc.getLastWebPreferences?.()
      if (!p) return null
      const { contextIsolation, sandbox, nodeIntegration, webSecurity, webviewTag } = p
      return { contextIsolation, sandbox, nodeIntegration, webSecurity, webviewTag }
    })
    if (prefs)
      expect(prefs).toEqual({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        webviewTag: false,
      })
    // And by what the page can reach: no Node, only the preload's bridge.
    expect(await page.evaluate('typeof require')).toBe('undefined')
    expect(await page.evaluate('typeof process')).toBe('undefined')
    expect(await page.evaluate('typeof module')).toBe('undefined')
    expect(await page.evaluate('Object.keys(window.hotline).sort().join()')).toBe(
      'call,shell,subscribe',
    )
  })

  it('opens no window, does not navigate away, and grants no permission', async () => {
    expect(await page.evaluate("window.open('https://example.com') === null")).toBe(true)
    expect(app.windows()).toHaveLength(1)
    const before = page.url()
    await page.evaluate("window.location.href = 'https://example.com'").catch(() => {})
    await page.waitForTimeout(300)
    expect(page.url()).toBe(before)
    const asked = (await page.evaluate(`(async () => ({
      notification: await Notification.requestPermission(),
      camera: await navigator.mediaDevices
        .getUserMedia({ video: true })
        .then(() => 'granted', (e) => e.name),
      geolocation: await new Promise((resolve) =>
        navigator.geolocation.getCurrentPosition(
          () => resolve('granted'),
          (e) => resolve('denied ' + e.code),
        ),
      ),
    }))()`)) as { notification: string; camera: string; geolocation: string }
    expect(asked.notification).toBe('denied')
    expect(asked.camera).not.toBe('granted')
    expect(asked.geolocation).not.toBe('granted')
  })

  it('has the strict CSP and refuses an inline script', async () => {
    const meta = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content')
    expect(meta).toContain("script-src 'self'")
    const ran = await page.evaluate(`(() => {
      const s = document.createElement('script')
      s.textContent = 'window.__inlineRan = true'
      document.head.appendChild(s)
      return window.__inlineRan === true
    })()`)
    expect(ran).toBe(false)
  })
})
