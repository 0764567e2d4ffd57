// Where the console keeps its data and which server it talks to: from the command line
// (`--server URL --data DIR`, as scripts/start.ts passes them) or the environment.
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

export interface ConsoleOptions {
  serverUrl: string
  dataDir: string
}

export function consoleOptions(argv: string[]): ConsoleOptions {
  const { values } = parseArgs({
    args: argv,
    options: { server: { type: 'string' }, data: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  })
  const serverUrl =
    (typeof values.server === 'string' && values.server) || process.env.HOTLINE_SERVER
  if (!serverUrl) throw new Error('no server: pass --server URL or set HOTLINE_SERVER')
  const home = process.env.HOTLINE_DATA ?? join(homedir(), '.hotline-console')
  const dataDir = (typeof values.data === 'string' && values.data) || join(home, 'console')
  return { serverUrl, dataDir }
}
