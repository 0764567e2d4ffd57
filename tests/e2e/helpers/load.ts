// Another console at work while a browser test types: it logs a call every 200 ms (and, when
// asked, dispatches each to a unit, so that unit's consoles get live changes too). The changes
// reach the console under test by live pokes and pulls — its queue refetches while keys arrive.
import { draft } from '../../sync/harness'
import type { Stack, TestConsole } from './stack'

export interface Load {
  console: TestConsole
  /** Calls logged so far. */
  logged(): number
  start(opts?: { dispatchTo?: string }): void
  stop(): void
}

/** A supervisor's console (it may log and dispatch), logged in and with reference data. */
export async function loadConsole(stack: Stack, name = 'load'): Promise<Load> {
  const c = await stack.console(name)
  const login = await c.core.call('session.login', { username: 'supervisor1', password: 'demo' })
  if (!login.ok) throw new Error(login.error.message)
  for (let i = 0; !(await c.core.call('reference.get', {})).ok; i++) {
    if (i > 150) throw new Error('the load console got no reference data')
    await new Promise((r) => setTimeout(r, 100))
  }
  let timer: ReturnType<typeof setInterval> | null = null
  let count = 0
  let busy = false
  return {
    console: c,
    logged: () => count,
    start(opts = {}) {
      if (timer) return
      timer = setInterval(() => {
        // One at a time: on a loaded machine a call may take longer than the interval.
        if (busy) return
        busy = true
        void (async () => {
          const d = draft({ description: `负载来电 ${count + 1}：路面积水` })
          const r = await c.core.call('ticket.act', { name: 'ticket.create', args: d })
          if (r.ok) count++
          if (r.ok && opts.dispatchTo)
            await c.core.call('ticket.act', {
              name: 'ticket.dispatch',
              args: { ticketId: d.ticket.id, unit: opts.dispatchTo },
            })
        })().finally(() => (busy = false))
      }, 200)
    },
    stop() {
      if (timer) clearInterval(timer)
      timer = null
    },
  }
}
