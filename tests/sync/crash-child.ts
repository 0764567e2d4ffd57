// A console core in its own process for the crash test: logs in (first run), then acts as fast as
// it can and prints one line per call that returned. The test kills it with SIGKILL mid-burst.
import { createConsoleCore } from '../../src/core/console'
import { draft } from './harness'

const [serverUrl, dataDir] = process.argv.slice(2) as [string, string]
const core = await createConsoleCore({ dataDir, serverUrl })
if (!(await core.call('session.get', {})).ok || !(await core.handlers['session.get']({}))) {
  const r = await core.call('session.login', { username: 'dispatcher1', password: 'demo' })
  if (!r.ok) throw new Error(r.error.message)
}
while (!core.store.reference()) await new Promise((r) => setTimeout(r, 20))
process.stdout.write('ready\n')
let last: string | null = null
for (let i = 0; ; i++) {
  const d = draft()
  const name = last && i % 3 === 2 ? 'ticket.note' : 'ticket.create'
  const args = name === 'ticket.note' ? { ticketId: last, text: `补充 ${i}` } : d
  const r = await core.call('ticket.act', { name, args })
  if (!r.ok) throw new Error(r.error.message)
  if (name === 'ticket.create') last = d.ticket.id
  // Written to a pipe, which Node writes synchronously on Linux: once printed, it is out.
  process.stdout.write(
    `${r.value.mutationId} ${name} ${r.value.ticket.id} ${r.value.ticket.version}\n`,
  )
  if (i % 25 === 0) await new Promise((r) => setImmediate(r))
}
