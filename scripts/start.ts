// `npm start [-- --server URL] [--data DIR] [--port P] [--web] [--no-open]`
// With no options: an embedded central server (SQLite, demo data) in a data folder it names, and
// the console on it — in Electron where its binary is installed, else in the browser through the
// web host. Ctrl+C stops everything.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createConsoleCore, type ConsoleCore } from '../src/core/console'
import { screenPopLine } from '../src/core/telephony'
import { WEB_HOST_CACHE, startWebHost, type WebHost } from '../src/main/web/host'
import { consoleDataDir, dataHome } from './data-folder'
import { electronBinary, type ElectronBinary } from './electron-binary'
import { OUT, ROOT, ensureBuilt } from './ensure-built'
import { startServerProcess } from './server-process'

const { values } = parseArgs({
  options: {
    server: { type: 'string' },
    data: { type: 'string' },
    port: { type: 'string', default: '0' },
    web: { type: 'boolean', default: false },
    'no-open': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
})
if (values.help) {
  console.log('usage: npm start [-- --server URL] [--data DIR] [--port P] [--web] [--no-open]')
  process.exit(0)
}

const children: ChildProcess[] = []
let core: ConsoleCore | null = null
let host: WebHost | null = null
let stopping = false

async function stop(code = 0): Promise<never> {
  if (!stopping) {
    stopping = true
    console.log('\nstopping …')
    await host?.close().catch(() => {})
    await core?.close().catch(() => {})
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve()
            c.once('exit', () => resolve())
            c.kill('SIGTERM')
            setTimeout(() => (c.kill('SIGKILL'), resolve()), 5000).unref()
          }),
      ),
    )
  }
  process.exit(code)
}
process.once('SIGINT', () => void stop())
process.once('SIGTERM', () => void stop())

async function main() {
  await ensureBuilt()
  const home = dataHome(values.data)
  const consoleData = consoleDataDir(home)
  let serverUrl = values.server
  if (!serverUrl) {
    const serverData = join(home, 'server')
    console.log(`embedded server: SQLite and demo data in ${serverData}`)
    const server = await startServerProcess({ dataDir: serverData, demo: true, echo: true })
    children.push(server.child)
    server.child.once('exit', (code) => {
      if (!stopping) {
        console.error(`the embedded server stopped (exit ${code})`)
        void stop(1)
      }
    })
    serverUrl = server.url
  }
  console.log(`server: ${serverUrl}`)
  console.log(`console data: ${consoleData}`)

  const electron: ElectronBinary = values.web
    ? { path: null, why: '--web was given' }
    : electronBinary()
  if (electron.path !== null && (await runElectron(electron.path, serverUrl, consoleData))) return
  const why = electron.path === null ? electron.why : 'Electron did not start (see above)'
  console.log(`not using Electron: ${why}; serving the console through the web host instead`)

  core = await createConsoleCore({
    dataDir: consoleData,
    serverUrl,
    telephony: {},
    cache: WEB_HOST_CACHE,
    log: (msg, extra) => console.log(msg, extra ?? ''),
  })
  console.log(`the local cache in ${consoleData} is NOT encrypted (a browser has no keychain)`)
  host = await startWebHost({
    core,
    rendererDir: join(OUT, 'renderer'),
    port: Number(values.port),
  })
  console.log(`\nopen the console at:\n\n  ${host.url}\n`)
  console.log(
    'demo users: agent1, agent2, dispatcher1, supervisor1, unit-<unit code>; password demo',
  )
  // `npm run call` finds the default data folder by itself; another one it must be told.
  if (core.telephony)
    console.log(screenPopLine(core.telephony, values.data === undefined ? undefined : consoleData))
  console.log('Ctrl+C stops the console and the embedded server.')
  if (!values['no-open']) openBrowser(host.url)
}

/** Runs Electron; false if it died at once (say, a native module built for another ABI). */
async function runElectron(binary: string, serverUrl: string, dataDir: string): Promise<boolean> {
  console.log(`starting Electron (${binary})`)
  const child = spawn(
    binary,
    [join(OUT, 'main', 'index.js'), '--server', serverUrl, '--data', dataDir],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  )
  children.push(child)
  const early = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), 5000)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code ?? 1)
    })
  })
  if (early !== null) {
    if (early === 0) await stop(0)
    console.error(`Electron exited with code ${early} at start`)
    return false
  }
  child.once('exit', (code) => void stop(code ?? 0))
  return true
}

function openBrowser(url: string) {
  const headless =
    process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
  if (headless || process.env.CI) return
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]]
  spawn(cmd, args, { stdio: 'ignore', detached: true })
    .on('error', () => {})
    .unref()
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e)
  void stop(1)
})
