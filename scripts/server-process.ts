// The central server as a child process (node with tsx's loader, no npx in between, so its PID is
// the server's), resolved once it prints `listening on …`. For `npm start` and the e2e tests.
import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from './ensure-built'

export interface ServerProcess {
  child: ChildProcess
  url: string
  output(): string
  stop(): Promise<void>
}

export async function startServerProcess(opts: {
  dataDir: string
  demo?: boolean
  demoTickets?: number
  port?: number
  /** PostgreSQL instead of SQLite in dataDir (tests of the server process on both engines). */
  databaseUrl?: string
  /** Pass the server's output through (npm start) rather than only keeping it. */
  echo?: boolean
}): Promise<ServerProcess> {
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'src/server/main.ts'),
    '--port',
    String(opts.port ?? 0),
    '--data',
    opts.dataDir,
  ]
  if (opts.demo) args.push('--demo')
  if (opts.demoTickets !== undefined) args.push('--demo-tickets', String(opts.demoTickets))
  // The embedded server is SQLite in dataDir, whatever DATABASE_URL the shell has, unless told.
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }
  delete env.DATABASE_URL
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const keep = (d: Buffer) => {
    out += String(d)
    if (opts.echo) process.stdout.write(`[server] ${String(d)}`)
  }
  child.stderr!.on('data', keep)
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      keep(d)
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) =>
      reject(new Error(`server exited (${code}) before listening:\n${out}`)),
    )
  })
  return {
    child,
    url,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
