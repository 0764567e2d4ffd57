// Steps the browser tests take through a console's core directly (seeding what the screens then
// show): act, wait until the outbox reached the server, log in and wait for the reference data.
import type { ConsoleCore } from '../../../src/core/console'
import type { TestConsole } from './stack'

export async function act(core: ConsoleCore, name: string, args: Record<string, unknown>) {
  const r = await core.call('ticket.act', { name, args })
  if (!r.ok) throw new Error(`${name}: ${r.error.message}`)
}

export async function settle(core: ConsoleCore) {
  for (let i = 0; i < 200; i++) {
    const st = await core.call('sync.now', {})
    if (st.ok && st.value.pending === 0) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error('changes did not reach the server')
}

export async function login(c: TestConsole, username: string) {
  const r = await c.core.call('session.login', { username, password: 'demo' })
  if (!r.ok) throw new Error(r.error.message)
  for (let i = 0; !(await c.core.call('reference.get', {})).ok; i++) {
    if (i > 100) throw new Error('no reference data')
    await new Promise((r) => setTimeout(r, 100))
  }
}
