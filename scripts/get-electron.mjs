// postinstall: Electron's binary, where it can be downloaded. Electron's own install script is
// switched off in package.json ("allowScripts": {"electron": false}) because, where the download
// fails, it fails the whole `npm ci`; this runs the same download and, when it cannot be done,
// says so in one line and lets the install succeed: `npm start` then serves the console to a
// browser through the web host and the Electron tests say they are skipped (DESIGN.md §2).
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
let install
try {
  install = require.resolve('electron/install.js')
} catch {
  // Installed without devDependencies (a server): no Electron wanted.
  process.exit(0)
}
// Electron's own switch, honoured as its script would.
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0)

const r = spawnSync(process.execPath, [install], {
  stdio: ['ignore', 'inherit', 'pipe'],
  encoding: 'utf8',
  // A large download on a slow line may take minutes; a blocked network fails at once.
  timeout: 15 * 60_000,
})
if (r.status === 0) process.exit(0)
const reason =
  (r.error?.message ?? r.stderr ?? '')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('at ')) ?? `exit ${r.status}`
console.warn(
  `Electron's binary could not be downloaded (${reason.slice(0, 160)}).\n` +
    'The install goes on without it: `npm start` serves the console to a browser through the web host.',
)
