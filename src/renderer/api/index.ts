// Which transport carries ConsoleApi: Electron's preload object when there is one, else the web
// host. The screens only ever see `ConsoleApi`.
import type { ConsoleApi, ExportResult } from '../../shared/api'
import type { ShellBridge } from '../../shared/menu'
import { downloadExport, takeSecret, webHostApi } from './web'

declare global {
  interface Window {
    /** Exposed by src/preload in Electron. */
    hotline?: ConsoleApi & { shell?: ShellBridge }
  }
}

export function connectApi(): ConsoleApi | null {
  if (window.hotline) return window.hotline
  const secret = takeSecret()
  return secret ? webHostApi(secret) : null
}

/** Electron's native menu bridge, when running in Electron. */
export const shellBridge = (): ShellBridge | null => window.hotline?.shell ?? null

/** Hands a finished export to the person: Electron shows it in its folder, a browser downloads it. */
export async function deliverExport(result: ExportResult): Promise<void> {
  const shell = shellBridge()
  if (shell) {
    if (!(await shell.revealExport(result.file))) throw new Error(`cannot show ${result.file}`)
    return
  }
  const secret = takeSecret()
  if (!secret) throw new Error('no web host secret')
  await downloadExport(secret, result.name)
}
