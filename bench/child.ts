// A server a benchmark starts as a child process: started on a free port and waited for, logged
// into, stopped.
import { spawn, type ChildProcess } from 'node:child_process'

/**
 * `node <nodeArgs> --import tsx src/server/main.ts --port 0 <serverArgs>` with the environment's
 * DATABASE_URL removed (the benchmarks' servers use their `--data` directory), resolved with its
 * URL once it says it listens. The child goes into `children` for the benchmark's exit handler.
 */
export function spawnServer(
  serverArgs: string[],
  children: ChildProcess[],
  nodeArgs: string[] = [],
): Promise<{ url: string; child: ChildProcess }> {
  const args = [...nodeArgs, '--import', 'tsx', 'src/server/main.ts', '--port', '0', ...serverArgs]
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' }
  delete env.DATABASE_URL
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  let out = ''
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      out += String(d)
      const m = /listening on (http:\/\/\S+)/.exec(out)
      if (m) resolve({ url: m[1]!, child })
    })
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)))
  })
}

/** A demo user's session token (every demo user's password is `demo`). */
export async function login(url: string, username: string): Promise<string> {
  const r = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  })
  return ((await r.json()) as { token: string }).token
}

/** SIGTERM, resolved once the process has exited (at once if it already has). */
export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode != null) return resolve()
    child.removeAllListeners('exit')
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
