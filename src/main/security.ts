// The Electron shell's security settings in one place, so index.ts applies them and a test can
// call them without an Electron binary (tests/reliability/electron-security.test.ts): the
// window's webPreferences, no new windows, no navigation or redirect away, no webviews, no
// permission of any kind, and the renderer's CSP on every response. Types only from electron.
import type { Session, WebContents, WebPreferences } from 'electron'

/** The console window's webPreferences: isolated, sandboxed, no Node, web security on. */
export function windowWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    webviewTag: false,
    spellcheck: false,
  }
}

/** What lockDown needs of a WebContents. */
export type LockableContents = Pick<WebContents, 'setWindowOpenHandler' | 'on'>

/** Every web contents: may not open windows, navigate or redirect away, or attach a webview. */
export function lockDown(contents: LockableContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-navigate', (e) => e.preventDefault())
  contents.on('will-redirect', (e) => e.preventDefault())
  contents.on('will-attach-webview', (e) => e.preventDefault())
}

/** What the session settings need of a Session. */
export type SecurableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler'
> & { webRequest: Pick<Session['webRequest'], 'onHeadersReceived'> }

/** No permission (camera, microphone, location, notifications …) is ever granted; `csp` on every response. */
export function secureSession(ses: SecurableSession, csp: string): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  ses.setPermissionCheckHandler(() => false)
  // The page carries the policy in a <meta>; the header covers the dev server's pages too.
  ses.webRequest.onHeadersReceived((details, callback) =>
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    }),
  )
}
