// A console's id is not a key to it (issue 12, finding 4), over HTTP on both engines: another
// user pushing under a console's id — even far ahead — files under their own name, so the
// console's real changes are still applied and its results stay its own; absurd id jumps are
// refused; the id travels in a header, and request logs never record it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CLIENT_ID_HEADER } from '../../src/shared/sync'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

describe.each(await testEngines())('console ids on %s', (engine) => {
  let t: TestServer
  const logged: string[] = []
  let dispatcher: string
  let unit: string
  beforeAll(async () => {
    t = await startTestServer(engine, {
      logger: { level: 'info', stream: { write: (line: string) => void logged.push(line) } },
    })
    dispatcher = await t.login('dispatcher1')
    unit = await t.login('unit-CITY-UM')
  })
  afterAll(() => t?.close())

  const push = (token: string, clientId: string, ms: unknown[]) =>
    t.api('POST', '/api/v1/sync/push', token, { clientId, mutations: ms })
  /** A pull naming its console as consoles do: in the header. */
  async function pull(token: string, clientId: string) {
    const res = await fetch(`${t.url}/api/v1/sync/pull?cursor=0&limit=2000`, {
      headers: { authorization: `Bearer ${token}`, [CLIENT_ID_HEADER]: clientId },
    })
    return { status: res.status, body: (await res.json()) as Json }
  }

  it("keeps a console's changes its own when someone else pushes under its id", async () => {
    const console = `desk-${uuid()}`
    const a = createArgs()
    const ticketId = a.ticket.id
    const first = await push(dispatcher, console, [
      mutation(1, 'ticket.create', a),
      mutation(2, 'ticket.sign', { ticketId }), // refused: a dispatcher cannot sign
    ])
    expect(first.body.results.map((r: Json) => r.status)).toEqual(['ok', 'rejected'])

    // The attack: another user pushes under the console's id, far ahead (an absurd jump is
    // refused outright; a large one is filed under the attacker, not the console).
    const absurd = await push(unit, console, [
      mutation(Number.MAX_SAFE_INTEGER, 'ticket.note', { ticketId, text: 'x' }),
    ])
    expect(absurd.status).toBe(400)
    expect(absurd.body.error).toMatchObject({ code: 'id_jump', field: 'mutations.0.id' })
    const ahead = await push(unit, console, [
      mutation(50_000_000, 'ticket.note', { ticketId, text: '占位' }),
    ])
    expect(ahead.status).toBe(200)

    // The console's next change is applied, not skipped as a repeat.
    const next = await push(dispatcher, console, [
      mutation(3, 'ticket.note', { ticketId, text: '派单员的备注' }),
    ])
    expect(next.body).toMatchObject({ results: [{ id: 3, status: 'ok' }], lastMutationId: 3 })
    const mine = await pull(dispatcher, console)
    expect(JSON.stringify(mine.body.events)).toContain('派单员的备注')
    expect(mine.body.lastMutationId).toBe(3)
    expect(mine.body.results.map((r: Json) => r.id)).toEqual([2])

    // The other user reading under the console's id gets none of its results.
    const theirs = await pull(unit, console)
    expect(theirs.body.results.map((r: Json) => r.id)).not.toContain(2)
    expect(theirs.body.lastMutationId).toBe(50_000_000)
  })

  it("refuses an absurd jump from a console's own user too, and goes on after it", async () => {
    const console = `desk-${uuid()}`
    const a = createArgs()
    expect((await push(dispatcher, console, [mutation(1, 'ticket.create', a)])).status).toBe(200)
    const jump = await push(dispatcher, console, [
      mutation(2, 'ticket.note', { ticketId: a.ticket.id, text: '一' }),
      mutation(100_000_003, 'ticket.note', { ticketId: a.ticket.id, text: '二' }),
    ])
    expect(jump.status).toBe(400)
    expect(jump.body.error.field).toBe('mutations.1.id')
    // What came before the jump stands; nothing from it on was applied.
    const after = await push(dispatcher, console, [
      mutation(3, 'ticket.note', { ticketId: a.ticket.id, text: '三' }),
    ])
    expect(after.body).toMatchObject({ lastMutationId: 3 })
    const events = JSON.stringify((await pull(dispatcher, console)).body.events)
    expect(events).toContain('"一"')
    expect(events).not.toContain('"二"')
    expect(events).toContain('"三"')
  })

  it('names the console in a header, and request logs never record it', async () => {
    const console = `secret-${uuid()}`
    await push(dispatcher, console, [
      mutation(1, 'ticket.sign', { ticketId: createArgs().ticket.id }),
    ])
    const byHeader = await pull(dispatcher, console)
    expect(byHeader.body.results.map((r: Json) => r.id)).toEqual([1])
    // An older console names itself in the query: still served, still not logged.
    const legacy = await t.api(
      'GET',
      `/api/v1/sync/pull?cursor=0&limit=2000&clientId=${console}`,
      dispatcher,
    )
    expect(legacy.body.results.map((r: Json) => r.id)).toEqual([1])
    const bad = await pull(dispatcher, 'not a console id!')
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe(CLIENT_ID_HEADER)
    const log = logged.join('')
    expect(log).toContain('/api/v1/sync/pull')
    expect(log).not.toContain(console)
  })
})
