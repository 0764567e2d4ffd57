// Whether a console looks for updates, and where (no Electron here, so it is tested under Node).
// Only a packaged console checks: a development run has nothing to update. The feed is the
// generic folder baked in at packaging (electron-builder.yml `publish`, from HOTLINE_UPDATE_URL
// then), or HOTLINE_UPDATE_URL in the console's environment, which wins so a city can point its
// consoles at its own mirror. HOTLINE_UPDATES=off turns checks off where IT deploys updates
// itself.

export type UpdateFeed =
  | { check: false; why: string }
  /** `url` null: the feed baked into the app (resources/app-update.yml). */
  | { check: true; url: string | null }

const OFF = new Set(['0', 'off', 'false', 'no'])

const httpUrl = (s: string): boolean => {
  try {
    const u = new URL(s)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}

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
    return httpUrl(url)
      ? { check: true, url }
      : { check: false, why: `HOTLINE_UPDATE_URL is not an http(s) URL: ${url}` }
  }
  return bakedUpdateUrl(opts.appUpdateYml)
    ? { check: true, url: null }
    : { check: false, why: 'no update URL (set HOTLINE_UPDATE_URL when packaging or running)' }
}
