// Triage on the server, on both engines: POST /api/v1/triage/suggest for the centre's roles only;
// the history model built from dispatches and returns, versioned into the reference data (what
// consoles pull) and shown to admins with its accuracy; requests without a usable category —
// an Open311 service group, a pushed ticket with an unknown code — get triage's category, for
// review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const engines = await testEngines()
const servers = new Map<string, TestServer>()
beforeAll(async () => {
  for (const engine of engines) servers.set(engine, await startTestServer(engine))
})
afterAll(async () => {
  for (const s of servers.values()) await s.close()
})

const USERS = ['agent1', 'dispatcher1', 'supervisor1', 'admin1', 'unit-JK-ZDL'] as const

const TELECOM = {
  description: '家里电信宽带断网两天了，光猫一直闪红灯',
  address: '中营街12号',
}

describe.each(engines)('triage on %s', (engine) => {
  let t: TestServer
  const tokens = {} as Record<
    'agent1' | 'dispatcher1' | 'supervisor1' | 'admin1' | 'unit-JK-ZDL',
    string
  >
  beforeAll(async () => {
    t = servers.get(engine)!
    for (const u of USERS) tokens[u] = await t.login(u)
  })

  const push = async (token: string, name: string, args: unknown) => {
    const r = await t.api('POST', '/api/v1/sync/push', token, {
      clientId: `triage-${uuid()}`,
      mutations: [mutation(1, name, args)],
    })
    expect(r.status).toBe(200)
    expect(r.body.results[0]).toEqual({ id: 1, status: 'ok' })
  }
  const ticket = async (id: string): Promise<Json> => {
    for (let i = 0; ; i++) {
      let cursor = 0
      for (;;) {
        const r = await t.api(
          'GET',
          `/api/v1/sync/pull?cursor=${cursor}&limit=500`,
          tokens.dispatcher1,
        )
        const found = r.body.tickets.find((x: Json) => x.id === id)
        if (found) return found
        cursor = r.body.cursor
        if (!r.body.hasMore) break
      }
      if (i > 50) throw new Error(`ticket ${id} never pulled`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  it('answers the centre’s roles with ranked categories, place and units, and their reasons', async () => {
    for (const user of ['agent1', 'dispatcher1', 'supervisor1'] as const) {
      const r = await t.api('POST', '/api/v1/triage/suggest', tokens[user], TELECOM)
      expect(r.status, user).toBe(200)
      expect(r.body.categories[0]).toMatchObject({ code: '0502', name: '宽带故障' })
      expect(r.body.units[0]).toMatchObject({ code: 'TEL-CT', name: '中国电信镇江分公司' })
      expect(r.body.units[0].reasons.map((x: Json) => x.zh)).toContain('来电提到“电信宽带”')
      expect(r.body.place).toMatchObject({ district: '321102', street: 'JK-JKL' })
    }
  })

  it('refuses unit staff and admins (403), strangers (401) and a body without words (400)', async () => {
    for (const user of ['unit-JK-ZDL', 'admin1'] as const)
      expect((await t.api('POST', '/api/v1/triage/suggest', tokens[user], TELECOM)).status).toBe(
        403,
      )
    expect((await t.api('POST', '/api/v1/triage/suggest', null, TELECOM)).status).toBe(401)
    const bad = await t.api('POST', '/api/v1/triage/suggest', tokens.agent1, { address: 'x' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('description')
  })

  it('learns from a return: the model is rebuilt, versioned into the reference, and lowers the unit', async () => {
    expect((await t.api('GET', '/api/v1/admin/triage', tokens.admin1)).body.model).toBeNull()
    expect((await t.api('GET', '/api/v1/admin/triage', tokens.dispatcher1)).status).toBe(403)
    // Broadband faults without an operator named: the rule sends them to China Mobile, which
    // returns them; China Unicom handles them.
    for (let i = 0; i < 3; i++) {
      const args = createArgs({
        category: '0502',
        description: `小区宽带断网，光猫亮红灯（第${i + 1}次）`,
        location: { address: '京口区电力路', district: '321102' },
      })
      const id = args.ticket.id
      await push(tokens.agent1, 'ticket.create', args)
      await push(tokens.dispatcher1, 'ticket.dispatch', { ticketId: id, unit: 'TEL-CMCC' })
      const unitToken = await t.login('unit-TEL-CMCC')
      await push(unitToken, 'ticket.requestReturn', { ticketId: id, reason: '非移动用户' })
      await push(tokens.dispatcher1, 'ticket.decideReturn', { ticketId: id, approve: true })
      await push(tokens.dispatcher1, 'ticket.dispatch', { ticketId: id, unit: 'TEL-CU' })
    }
    const before = (await t.api('GET', '/api/v1/reference', tokens.agent1)).body.version
    const call = { description: '宽带断网了，光猫一直亮红灯', district: '321102', category: '0502' }
    const first = async () =>
      (await t.api('POST', '/api/v1/triage/suggest', tokens.agent1, call)).body.units[0].code
    expect(await first()).toBe('TEL-CMCC')

    const built = await t.api('POST', '/api/v1/admin/triage/rebuild', tokens.admin1)
    expect(built.status).toBe(200)
    expect(built.body.model).toMatchObject({ version: 1, tickets: 3 })
    expect(Date.parse(built.body.model.builtAt)).toBeGreaterThan(Date.now() - 60_000)
    const shown = (await t.api('GET', '/api/v1/admin/triage', tokens.admin1)).body
    expect(shown.model).toMatchObject({ version: 1, tickets: 3 })
    expect(shown.model.accuracy).toBeNull() // fewer than ten tickets: nothing held out yet
    // Consoles get it with the reference data.
    const ref = (await t.api('GET', '/api/v1/reference', tokens.agent1)).body
    expect(ref.version).toBe(before + 1)
    expect(ref.triage.model.version).toBe(1)

    const r = await t.api('POST', '/api/v1/triage/suggest', tokens.agent1, call)
    expect(r.body.units[0].code).toBe('TEL-CU')
    const cmcc = r.body.units.find((u: Json) => u.code === 'TEL-CMCC')
    expect(cmcc.reasons.map((x: Json) => x.zh)).toContain('同类工单 3 张派往此单位，3 张退单')
    expect(r.body.model).toMatchObject({ version: 1 })
  })

  it('fills in a category for a pushed ticket without a usable one, flagged for review', async () => {
    const args = createArgs({ category: '99', description: '家里天然气停了，打不着火' })
    await push(tokens.agent1, 'ticket.create', args)
    const tk = await ticket(args.ticket.id)
    expect(tk).toMatchObject({ category: '040302', needsReview: true })
  })

  it('lets Open311 name a service group and picks the service from the words', async () => {
    const form = new URLSearchParams({
      api_key: t.open311Key,
      service_code: '04',
      address_string: '镇江市润州区黄山南路 8 号',
      description: '小区从早上开始停水，一滴水都没有',
    })
    const res = await fetch(`${t.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(res.status).toBe(200)
    const number = ((await res.json()) as Json)[0].service_request_id
    // A post with neither name nor phone is anonymous: only the channel that posted it reads it
    // back (issue 12), with its key.
    const got = await fetch(`${t.url}/open311/v2/requests/${number}.json?api_key=${t.open311Key}`)
    expect(((await got.json()) as Json)[0].service_code).toBe('040101')
  })
})
