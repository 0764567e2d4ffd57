// The Electron shell, where an Electron binary exists (it cannot be downloaded on the project's
// build machines): the window's security settings, no new windows, no navigation away, and a
// keyboard login through IPC. Skipped, saying why, elsewhere.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { electronBinary } from '../../scripts/electron-binary'
import { OUT, ensureBuilt } from '../../scripts/ensure-built'
import { startServerProcess, type ServerProcess } from '../../scripts/server-process'
import { LoginPage } from './pages/login-page'

const binary = electronBinary()
if (binary.path === null) console.warn(`\n!!! SKIPPING the Electron tests: ${binary.why} !!!\n`)

describe.skipIf(!binary.path)('the Electron shell', { timeout: 60_000 }, () => {
  let root: string
  let server: ServerProcess
  let app: ElectronApplication
  let page: Page

  beforeAll(async () => {
    await ensureBuilt(() => {})
    root = mkdtempSync(join(tmpdir(), 'hotline-electron-'))
    server = await startServerProcess({
      dataDir: join(root, 'server'),
      demo: true,
      demoTickets: 50,
    })
    app = await _electron.launch({
      executablePath: binary.path!,
      args: [
        join(OUT, 'main', 'index.js'),
        '--server',
        server.url,
        '--data',
        join(root, 'console'),
      ],
    })
    page = await app.firstWindow()
  }, 120_000)
  afterAll(async () => {
    await app?.close()
    await server?.stop()
    if (root) rmSync(root, { recursive: true, force: true })
  })

  it('runs the renderer isolated, sandboxed, without Node', async () => {
    // Judged by what the page can reach, not by reading the settings back.
    expect(await page.evaluate('typeof require')).toBe('undefined')
    expect(await page.evaluate('typeof process')).toBe('undefined')
    // ConsoleApi (call, subscribe) and the shell bridge (menu, notifications, exports) only.
    expect(await page.evaluate('Object.keys(window.hotline).sort().join()')).toBe(
      'call,shell,subscribe',
    )
    // Isolated: the preload's own globals are not the page's.
    expect(await page.evaluate('typeof window.hotline.call.toString')).toBe('function')
  })

  it('has a CSP and refuses new windows and navigation away', async () => {
    const csp = await page
      .locator('meta[http-equiv="Content-Security-Policy"]')
      .getAttribute('content')
    expect(csp).toContain("script-src 'self'")
    expect(await page.evaluate("window.open('https://example.com') === null")).toBe(true)
    const before = page.url()
    await page.evaluate("window.location.href = 'https://example.com'").catch(() => {})
    await page.waitForTimeout(300)
    expect(page.url()).toBe(before)
    expect(app.windows()).toHaveLength(1)
  })

  it('logs in by keyboard through IPC', async () => {
    await new LoginPage(page).loginByKeyboard('dispatcher1')
    await page.locator('.tbody [role="row"]').first().waitFor()
  })
})
