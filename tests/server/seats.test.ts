// Seats (issue 13): an admin names a console after its seat, and every console's timelines show
// the name: the console's label is what events carry, the name comes with the reference data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consoleLabel } from '../../src/shared/ids'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

describe.each(await testEngines())('seats on %s', (engine) => {
  let t: TestServer
  let admin: string
  let agent: string
  beforeAll(async () => {
    t = await startTestServer(engine)
    admin = await t.login('admin1')
    agent = await t.login('agent1')
  })
  afterAll(() => t?.close())

  async function referenceSeats(token: string): Promise<Json[] | undefined> {
    const r = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=1', token)
    expect(r.status).toBe(200)
    return r.body.reference.seats
  }

  it('lists the consoles that pushed, names one, and consoles get the name', async () => {
    const clientId = uuid()
    const create = createArgs()
    const p = await t.api('POST', '/api/v1/sync/push', agent, {
      clientId,
      mutations: [mutation(1, 'ticket.create', create)],
    })
    expect(p.status).toBe(200)
    const label = consoleLabel(clientId)

    const list = await t.api('GET', '/api/v1/admin/consoles', admin)
    expect(list.status).toBe(200)
    const mine = list.body.consoles.find((c: Json) => c.console === label)
    expect(mine).toMatchObject({ seat: null, user: { username: 'agent1', role: 'agent' } })
    // The label is all it shows of the console: never the id pushes are filed under.
    expect(JSON.stringify(list.body)).not.toContain(clientId)

    const named = await t.api('PUT', `/api/v1/admin/seats/${label}`, admin, {
      name: ' 受理3号座席 ',
    })
    expect(named.status).toBe(200)
    expect(named.body.seat).toEqual({ console: label, name: '受理3号座席' })
    expect(await referenceSeats(agent)).toEqual([{ console: label, name: '受理3号座席' }])
    // The event carries the label the name is given to.
    const pulled = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=100', agent)
    const created = pulled.body.events.find(
      (e: Json) => e.ticketId === create.ticket.id && e.type === 'created',
    )
    expect(created.actor.consoleId).toBe(label)

    const again = await t.api('GET', '/api/v1/admin/consoles', admin)
    expect(again.body.consoles.find((c: Json) => c.console === label).seat).toBe('受理3号座席')

    const renamed = await t.api('PUT', `/api/v1/admin/seats/${label}`, admin, { name: '班长席' })
    expect(renamed.status).toBe(200)
    expect(await referenceSeats(agent)).toEqual([{ console: label, name: '班长席' }])

    const audit = await t.api('GET', '/api/v1/admin/audit?limit=5', admin)
    expect(audit.body.entries[0]).toMatchObject({
      action: 'PUT /api/v1/admin/seats/:console',
      target: label,
    })

    const gone = await t.api('DELETE', `/api/v1/admin/seats/${label}`, admin)
    expect(gone.status).toBe(200)
    expect(await referenceSeats(agent)).toEqual([])
  })

  it('refuses a label that is not one, an empty or too long name, and everyone but admins', async () => {
    const bad = await t.api('PUT', '/api/v1/admin/seats/55v44o', admin, { name: '3号座席' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('console')
    expect(bad.body.error.localized.zh).toContain('不是控制台编号')
    const label = consoleLabel(uuid())
    const empty = await t.api('PUT', `/api/v1/admin/seats/${label}`, admin, { name: '  ' })
    expect(empty.status).toBe(400)
    expect(empty.body.error.field).toBe('name')
    const long = await t.api('PUT', `/api/v1/admin/seats/${label}`, admin, {
      name: '座'.repeat(41),
    })
    expect(long.status).toBe(400)
    for (const who of ['agent1', 'supervisor1', 'dispatcher1']) {
      const token = await t.login(who)
      const r = await t.api('PUT', `/api/v1/admin/seats/${label}`, token, { name: '3号座席' })
      expect(r.status, who).toBe(403)
      expect((await t.api('GET', '/api/v1/admin/consoles', token)).status, who).toBe(403)
    }
    expect((await referenceSeats(agent)) ?? []).toEqual([])
  })
})
