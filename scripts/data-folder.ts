// Where `npm start` keeps its data, shared with the scripts that need to find that console
// afterwards (`npm run call`): --data, $HOTLINE_DATA or ~/.hotline-console, falling back to a temp
// folder when that cannot be written. The console's own data is the `console` folder inside.
import { accessSync, constants, mkdirSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { join } from 'node:path'

const wantedHome = (given?: string): string =>
  given ?? process.env.HOTLINE_DATA ?? join(homedir(), '.hotline-console')
const fallbackHome = (): string => join(tmpdir(), 'hotline-console')

/** The data folder `npm start` uses, made if missing. */
export function dataHome(given?: string): string {
  const wanted = wantedHome(given)
  try {
    mkdirSync(wanted, { recursive: true })
    accessSync(wanted, constants.W_OK)
    return wanted
  } catch {
    const fallback = fallbackHome()
    console.log(`cannot write to ${wanted}; using ${fallback}`)
    mkdirSync(fallback, { recursive: true })
    return fallback
  }
}

/** The console's data inside a data folder. */
export const consoleDataDir = (home: string): string => join(home, 'console')

/** Where `npm start` may have put its console's data, most likely first; nothing is made. */
export const consoleDataCandidates = (): string[] => [
  consoleDataDir(wantedHome()),
  consoleDataDir(fallbackHome()),
]
