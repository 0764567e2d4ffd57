// Unit scoring (issue 17): an admin reads and replaces the weights and thresholds; each change is
// a new reference version every console pulls; bad weights are refused naming the field; the
// server applies the exemption and contact actions with the role checks of the shared rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SCORING } from '../../src/shared/kpi-score'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

describe.each(await testEngines())('scoring on %s', (engine) => {
  let t: TestServer
  let admin: string
  let supervisor: string
  let dispatcher: string
  beforeAll(async () => {
    t = await startTestServer(engine)
    admin = await t.login('admin1')
    supervisor = await t.login('supervisor1')
    dispatcher = await t.login('dispatcher1')
  })
  afterAll(() => t?.close())

  it('answers the default edition, replaces it, and consoles pull the new one', async () => {
    const first = await t.api('GET', '/api/v1/admin/scoring', admin)
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ default: true, scoring: { label: DEFAULT_SCORING.label } })
    expect((await t.api('GET', '/api/v1/admin/scoring', supervisor)).status).toBe(403)

    const g = DEFAULT_SCORING.groups[0]!
    const edition = {
      ...DEFAULT_SCORING,
      label: '2027 版',
      groups: [
        { ...g, weights: { ...g.weights, response: 0.2, resolution: 0.4, satisfaction: 0.4 } },
        ...DEFAULT_SCORING.groups.slice(1),
      ],
    }
    const put = await t.api(
      'PUT',
      `/api/v1/admin/scoring?baseVersion=${first.body.version}`,
      admin,
      edition,
    )
    expect(put.status).toBe(200)
    expect(put.body.version).toBe(first.body.version + 1)
    const pulled = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=1', dispatcher)
    expect(pulled.body.reference.scoring.label).toBe('2027 版')
    expect(pulled.body.reference.scoring.groups[0].weights.response).toBe(0.2)
    // A stale base version is a conflict, not a silent overwrite.
    const stale = await t.api(
      'PUT',
      `/api/v1/admin/scoring?baseVersion=${first.body.version}`,
      admin,
      edition,
    )
    expect(stale.status).toBe(409)
  })

  it('refuses weights that do not add up to 1, naming the field', async () => {
    const g = DEFAULT_SCORING.groups[0]!
    const bad = await t.api('PUT', '/api/v1/admin/scoring', admin, {
      ...DEFAULT_SCORING,
      groups: [{ ...g, weights: { ...g.weights, response: 0.9 } }],
    })
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.body)).toMatch(/groups\.0\.weights/)
  })

  it('only a supervisor exempts; the exemption and its withdrawal are on the timeline', async () => {
    const clientId = uuid()
    const create = createArgs()
    const id = create.ticket.id
    const unit = 'JK-ZDL'
    const push = (token: string, cid: string, n: number, name: string, args: Json) =>
      t.api('POST', '/api/v1/sync/push', token, {
        clientId: cid,
        mutations: [mutation(n, name, args)],
      })
    expect((await push(dispatcher, clientId, 1, 'ticket.create', create)).status).toBe(200)
    await push(dispatcher, clientId, 2, 'ticket.dispatch', { ticketId: id, unit, coUnits: [] })
    const exempt = { ticketId: id, reason: 'outside_remit', text: '属省级事权' }
    const byDispatcher = await push(dispatcher, clientId, 3, 'ticket.exempt', exempt)
    expect(byDispatcher.body.results[0]).toMatchObject({ status: 'rejected', code: 'forbidden' })
    const sup = uuid()
    const ok = await push(supervisor, sup, 1, 'ticket.exempt', exempt)
    expect(ok.body.results[0].status).not.toBe('rejected')
    const again = await push(supervisor, sup, 2, 'ticket.exempt', exempt)
    expect(again.body.results[0]).toMatchObject({ status: 'rejected', code: 'already_exempt' })
    await push(supervisor, sup, 3, 'ticket.withdrawExemption', { ticketId: id, reason: '误操作' })
    const pulled = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=500', supervisor)
    const mine = pulled.body.events.filter((e: Json) => e.ticketId === id).map((e: Json) => e.type)
    expect(mine).toEqual(['created', 'dispatched', 'exempted', 'exemption_withdrawn'])
    const ticket = pulled.body.tickets.find((x: Json) => x.id === id)
    expect(ticket.exemption).toBeNull()
  })
})
