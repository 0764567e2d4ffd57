// Where `npm start` keeps its data, shared with the scripts that need to find that console
// afterwards (`npm run call`): --data, $HOTLINE_DATA or ~/.hotline-console, falling back to a temp
// folder of this user's own when that cannot be written. The console's own data is the `console`
// folder inside. Every folder is this user's only (0700, src/core/private-files.ts): it holds
// citizens' data and the session token (issue 12).
import { accessSync, constants } from 'node:fs'
import { homedir, tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { privateDir } from '../src/core/private-files'

const wantedHome = (given?: string): string =>
  given ?? process.env.HOTLINE_DATA ?? join(homedir(), '.hotline-console')
/**
 * Per user: one shared /tmp/hotline-console would let every local user read the others' data
 * (and one could make it first). privateDir refuses it if another user made it anyway.
 */
const fallbackHome = (): string =>
  join(tmpdir(), `hotline-console-${process.getuid?.() ?? userInfo().username}`)

/** The data folder `npm start` uses, made if missing. */
export function dataHome(given?: string): string {
  const wanted = wantedHome(given)
  try {
    privateDir(wanted)
    accessSync(wanted, constants.W_OK)
    return wanted
  } catch (e) {
    const fallback = fallbackHome()
    console.log(`cannot use ${wanted} (${(e as Error).message}); using ${fallback}`)
    return privateDir(fallback)
  }
}

/** The console's data inside a data folder. */
export const consoleDataDir = (home: string): string => join(home, 'console')

/** Where `npm start` may have put its console's data, most likely first; nothing is made. */
export const consoleDataCandidates = (): string[] => [
  consoleDataDir(wantedHome()),
  consoleDataDir(fallbackHome()),
]
