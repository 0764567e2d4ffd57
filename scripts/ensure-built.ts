// Builds out/ (electron-vite: main, preload, renderer) when it is missing or older than its
// sources. Used by `npm start` and the browser tests; a lock folder keeps parallel callers from
// building at once (the second waits for the first).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

export const ROOT = resolve(import.meta.dirname, '..')
export const OUT = join(ROOT, 'out')
/** Every build rewrites these; the oldest of them is when out/ was last built. */
const PRODUCTS = ['renderer/index.html', 'main/index.js', 'preload/index.cjs'].map((p) =>
  join(OUT, p),
)
// Under node_modules/.cache: ignored by git, gone with a fresh install.
const LOCK = join(ROOT, 'node_modules', '.cache', 'hotline-build-lock')
const INPUTS = [
  'src/renderer',
  'src/main',
  'src/preload',
  'src/shared',
  'src/core',
  'electron.vite.config.ts',
  'package-lock.json',
]

function newest(path: string): number {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let max = st.mtimeMs
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)))
  return max
}

/** Why out/ needs building, or null when it is up to date. */
export function staleReason(): string | null {
  if (!PRODUCTS.every((p) => existsSync(p))) return 'out/ is missing'
  const built = Math.min(...PRODUCTS.map((p) => statSync(p).mtimeMs))
  const changed = INPUTS.find((p) => newest(join(ROOT, p)) > built)
  return changed ? `${changed} changed since the last build` : null
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export async function ensureBuilt(log: (msg: string) => void = console.log): Promise<void> {
  if (!staleReason()) return
  for (let waited = 0; ; waited += 250) {
    try {
      mkdirSync(join(LOCK, '..'), { recursive: true })
      mkdirSync(LOCK)
      break
    } catch {
      // Someone else is building; a lock older than 5 minutes is from a build that died.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 300_000)
        rmSync(LOCK, { recursive: true, force: true })
      if (waited > 300_000) throw new Error(`${LOCK} held for 5 minutes`)
      await sleep(250)
    }
  }
  try {
    const reason = staleReason()
    if (!reason) return
    log(`building the console (${reason}) …`)
    const cli = join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
    const r = spawnSync(process.execPath, [cli, 'build'], { cwd: ROOT, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`)
  } finally {
    rmSync(LOCK, { recursive: true, force: true })
  }
}
