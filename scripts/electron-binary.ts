// Where Electron's binary is, or why there is none (it cannot be downloaded on every machine).
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

export type ElectronBinary = { path: string } | { path: null; why: string }

export function electronBinary(): ElectronBinary {
  let path: string
  try {
    path = createRequire(import.meta.url)('electron') as string
  } catch {
    return {
      path: null,
      why: "Electron's binary is not installed (it could not be downloaded when `npm ci` ran, or ELECTRON_SKIP_BINARY_DOWNLOAD was set; `node scripts/get-electron.mjs` tries again)",
    }
  }
  if (!existsSync(path)) return { path: null, why: `Electron's binary is missing at ${path}` }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return { path: null, why: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' }
  return { path }
}
