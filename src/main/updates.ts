// Looking for a newer console (electron-updater, generic feed; see update-feed.ts for when and
// where). Nothing is downloaded without asking: a new version is offered in a dialog, downloaded
// in the background if the person agrees, and installed when the console quits — never in the
// middle of a call. Every failure is logged and swallowed: updates must not stop a console.
import { app, dialog } from 'electron'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { updateFeed } from './update-feed'

const CHECK_EVERY_MS = 4 * 3600_000

export function startUpdateChecks(log: (msg: string) => void): void {
  void begin(log).catch((e: unknown) => log(`updates: not available: ${(e as Error).message}`))
}

async function begin(log: (msg: string) => void): Promise<void> {
  const appUpdateYml = await readFile(join(process.resourcesPath, 'app-update.yml'), 'utf8').catch(
    () => null,
  )
  const feed = updateFeed({ isPackaged: app.isPackaged, env: process.env, appUpdateYml })
  if (!feed.check) return log(`updates: not checking (${feed.why})`)

  // Loaded only here: a development run never touches it. CommonJS, hence `default`.
  const { autoUpdater } = (await import('electron-updater')).default
  autoUpdater.autoDownload = false
  autoUpdater.autoInstallOnAppQuit = true
  autoUpdater.logger = {
    info: (m?: unknown) => log(`updates: ${String(m)}`),
    warn: (m?: unknown) => log(`updates: ${String(m)}`),
    error: (m?: unknown) => log(`updates: ${String(m)}`),
  }
  if (feed.url) autoUpdater.setFeedURL({ provider: 'generic', url: feed.url, channel: 'latest' })

  const zh = app.getLocale().toLowerCase().startsWith('zh')
  let offered: string | null = null
  let downloading = false
  autoUpdater.on('error', (e: Error) => log(`updates: ${e.message}`))
  autoUpdater.on('update-available', (info: { version: string }) => {
    if (offered === info.version || downloading) return
    offered = info.version
    void dialog
      .showMessageBox({
        type: 'info',
        buttons: zh ? ['下载', '以后再说'] : ['Download', 'Later'],
        defaultId: 0,
        cancelId: 1,
        message: zh ? `有新版本 ${info.version}` : `Version ${info.version} is available`,
        detail: zh
          ? '在后台下载，退出工单台时安装，不会打断当前工作。'
          : 'It downloads in the background and installs when you quit; nothing is interrupted.',
      })
      .then(({ response }) => {
        if (response !== 0) return
        downloading = true
        return autoUpdater.downloadUpdate().then(() => {})
      })
      .catch((e: unknown) => {
        downloading = false
        log(`updates: download failed: ${(e as Error).message}`)
      })
  })
  autoUpdater.on('update-downloaded', (info: { version: string }) =>
    log(`updates: ${info.version} downloaded; it installs when the console quits`),
  )
  const check = () =>
    void autoUpdater
      .checkForUpdates()
      .catch((e: unknown) => log(`updates: check failed: ${(e as Error).message}`))
  check()
  setInterval(check, CHECK_EVERY_MS).unref()
}
