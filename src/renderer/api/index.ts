// Which transport carries ConsoleApi: Electron's preload object when there is one, else the web
// host. The screens only ever see `ConsoleApi`.
import type { ConsoleApi } from '../../shared/api'
import type { ShellBridge } from '../../shared/menu'
import { takeSecret, webHostApi } from './web'

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
