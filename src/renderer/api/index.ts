// Which transport carries ConsoleApi: Electron's preload object when there is one, else the web
// host. The screens only ever see `ConsoleApi`.
import type { ConsoleApi } from '../../shared/api'
import { takeSecret, webHostApi } from './web'

declare global {
  interface Window {
    /** Exposed by src/preload in Electron. */
    hotline?: ConsoleApi
  }
}

export function connectApi(): ConsoleApi | null {
  if (window.hotline) return window.hotline
  const secret = takeSecret()
  return secret ? webHostApi(secret) : null
}
