// Where the console keeps its data and which server it talks to: from the command line
// (`--server URL --data DIR`, as scripts/start.ts passes them) or the environment. Without a
// server the console still starts: it uses the address saved in its settings, and with none
// there either it asks for one on its first screen (the packaged app is started with no flags).
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

export interface ConsoleOptions {
  serverUrl: string | null
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
    (typeof values.server === 'string' && values.server) || process.env.HOTLINE_SERVER || null
  const home = process.env.HOTLINE_DATA ?? join(homedir(), '.hotline-console')
  const dataDir = (typeof values.data === 'string' && values.data) || join(home, 'console')
  return { serverUrl, dataDir }
}
