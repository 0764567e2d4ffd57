// Whether a console looks for updates, and where (no Electron here, so it is tested under Node).
// Only a packaged console checks: a development run has nothing to update. The feed is the
// generic folder baked in at packaging (electron-builder.yml `publish`, from HOTLINE_UPDATE_URL
// then), or HOTLINE_UPDATE_URL in the console's environment, which wins so a city can point its
// consoles at its own mirror. HOTLINE_UPDATES=off turns checks off where IT deploys updates
// itself. The feed must be https (issue 12): electron-updater checks no signature of what it
// installs on Linux, so over plain http anyone on the network path could install their code.

export type UpdateFeed =
  | { check: false; why: string }
  /** `url` null: the feed baked into the app (resources/app-update.yml). */
  | { check: true; url: string | null }

const OFF = new Set(['0', 'off', 'false', 'no'])

const protocolOf = (s: string): string | null => {
  try {
    return new URL(s).protocol
  } catch {
    return null
  }
}
const httpUrl = (s: string): boolean => ['https:', 'http:'].includes(protocolOf(s) ?? '')
const httpsUrl = (s: string): boolean => protocolOf(s) === 'https:'

/** The `url:` of an app-update.yml as electron-builder writes it (flat `key: value` lines). */
export function bakedUpdateUrl(appUpdateYml: string | null): string | null {
  const m = /^url:[ \t]*(.*)$/m.exec(appUpdateYml ?? '')
  const url = m?.[1]?.trim().replace(/^(['"])(.*)\1$/, '$2') ?? ''
  return url && httpUrl(url) ? url : null
}

export function updateFeed(opts: {
  isPackaged: boolean
  env: Record<string, string | undefined>
  /** The app's resources/app-update.yml, null when there is none. */
  appUpdateYml: string | null
}): UpdateFeed {
  if (!opts.isPackaged) return { check: false, why: 'not a packaged console' }
  const off = opts.env.HOTLINE_UPDATES?.trim().toLowerCase()
  if (off && OFF.has(off)) return { check: false, why: 'HOTLINE_UPDATES is off' }
  const url = opts.env.HOTLINE_UPDATE_URL?.trim()
  if (url) {
    if (httpsUrl(url)) return { check: true, url }
    return { check: false, why: `HOTLINE_UPDATE_URL must be an https URL: ${url}` }
  }
  const baked = bakedUpdateUrl(opts.appUpdateYml)
  if (!baked)
    return { check: false, why: 'no update URL (set HOTLINE_UPDATE_URL when packaging or running)' }
  return httpsUrl(baked)
    ? { check: true, url: null }
    : { check: false, why: `the update URL baked in at packaging must be https: ${baked}` }
}
