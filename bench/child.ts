// Stopping a server a benchmark started as a child process.
import type { ChildProcess } from 'node:child_process'

/** SIGTERM, resolved once the process has exited (at once if it already has). */
export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode != null) return resolve()
    child.removeAllListeners('exit')
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}
