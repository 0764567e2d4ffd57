// What timelines tell whom (issue 12), as consoles receive them over HTTP, on both engines:
// internal notes reach only the centre's roles (finding 5) — a unit's pull and snapshot carry the
// notes meant for it and none of the centre's internal ones — and a create that arrives malformed
// keeps its caller private (finding 7): an anonymous caller's raw input stays anonymous, and a
// phone given as a JSON number is masked like any other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const INTERNAL = '内部：该单位上次答复敷衍，盯紧'
const TO_UNIT = '请尽快联系物业处理'
const UNIT_OWN = '已约物业周三现场查看'
const CO_UNIT_OWN = '协办单位内部备注：需借调人手'

describe.each(await testEngines())('timelines by role on %s', (engine) => {
  let t: TestServer
  const tokens: Record<string, string> = {}
  const push = async (token: string, ms: unknown[]) => {
    const r = await t.api('POST', '/api/v1/sync/push', token, { clientId: uuid(), mutations: ms })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    return r.body.results as Json[]
  }
  const pulled = async (token: string) =>
    JSON.stringify((await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=2000', token)).body)
  const snapshot = async (token: string) =>
    JSON.stringify((await t.api('GET', '/api/v1/sync/snapshot?limit=2000', token)).body)

  beforeAll(async () => {
    t = await startTestServer(engine)
    for (const [k, name] of Object.entries({
      agent: 'agent1',
      dispatcher: 'dispatcher1',
      supervisor: 'supervisor1',
      admin: 'admin1',
      unit: 'unit-CITY-UM',
      coUnit: 'unit-CITY-EE',
    }))
      tokens[k] = await t.login(name)
  })
  afterAll(() => t?.close())

  it("sends internal notes to the centre's roles only", async () => {
    const a = createArgs()
    const id = a.ticket.id
    expect(
      await push(tokens.dispatcher!, [
        mutation(1, 'ticket.create', a),
        mutation(2, 'ticket.dispatch', { ticketId: id, unit: 'CITY-UM', coUnits: ['CITY-EE'] }),
        mutation(3, 'ticket.note', { ticketId: id, text: INTERNAL, internal: true }),
        mutation(4, 'ticket.note', { ticketId: id, text: TO_UNIT, internal: false }),
      ]),
    ).toEqual([1, 2, 3, 4].map((id) => ({ id, status: 'ok' })))
    // Unit staff's own notes (internal by default) are theirs and the centre's, not a co-unit's.
    await push(tokens.unit!, [mutation(1, 'ticket.note', { ticketId: id, text: UNIT_OWN })])
    await push(tokens.coUnit!, [mutation(1, 'ticket.note', { ticketId: id, text: CO_UNIT_OWN })])

    for (const who of ['agent', 'dispatcher', 'supervisor', 'admin'])
      for (const [how, body] of [
        ['pull', await pulled(tokens[who]!)],
        ['snapshot', await snapshot(tokens[who]!)],
      ])
        for (const text of [INTERNAL, TO_UNIT, UNIT_OWN, CO_UNIT_OWN])
          expect(body, `${who} ${how} ${text}`).toContain(text)

    for (const [who, own, other] of [
      ['unit', UNIT_OWN, CO_UNIT_OWN],
      ['coUnit', CO_UNIT_OWN, UNIT_OWN],
    ] as const)
      for (const [how, body] of [
        ['pull', await pulled(tokens[who]!)],
        ['snapshot', await snapshot(tokens[who]!)],
      ]) {
        // The control: the ticket and the notes meant for the unit are there.
        expect(body, `${who} ${how}`).toContain(id)
        expect(body, `${who} ${how}`).toContain(TO_UNIT)
        expect(body, `${who} ${how}`).toContain(own)
        expect(body, `${who} ${how}`).not.toContain(INTERNAL)
        expect(body, `${who} ${how}`).not.toContain(other)
      }
  })

  it('keeps a malformed create’s caller private: anonymity from the raw input, every phone masked', async () => {
    const phone = 13912345678
    const digits = String(phone)
    // A phone as a JSON number fails validation: the create is kept, flagged, with its raw input.
    const anonymous = createArgs({ caller: { name: '周女士', phone, anonymous: true } })
    const named = createArgs({ caller: { name: '吴先生', phone: phone + 1, anonymous: false } })
    const garbled = createArgs({ caller: `郑先生 ${phone + 2}` })
    const tickets = [anonymous, named, garbled]
    const results = await push(tokens.dispatcher!, [
      ...tickets.map((a, i) => mutation(i + 1, 'ticket.create', a)),
      ...tickets.map((a, i) =>
        mutation(i + 4, 'ticket.dispatch', { ticketId: a.ticket.id, unit: 'CITY-UM' }),
      ),
    ])
    expect(results.every((r) => r.status === 'ok')).toBe(true)

    const all = (await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=2000', tokens.supervisor))
      .body
    const ticket = (a: Json) => all.tickets.find((x: Json) => x.id === a.ticket.id)
    expect(ticket(anonymous)).toMatchObject({ needsReview: true, caller: { anonymous: true } })
    // What did parse is kept: a number given as a JSON number is still the caller's number.
    expect(ticket(named)).toMatchObject({
      needsReview: true,
      caller: { anonymous: false, name: '吴先生', phone: String(phone + 1) },
    })
    // A caller that is not even an object: nobody can tell, so it is treated as anonymous.
    expect(ticket(garbled)).toMatchObject({ needsReview: true, caller: { anonymous: true } })

    const unitSees = await pulled(tokens.unit!)
    const unitSnapshot = await snapshot(tokens.unit!)
    const adminSees = await pulled(tokens.admin!)
    for (const [who, body] of [
      ['unit pull', unitSees],
      ['unit snapshot', unitSnapshot],
      ['admin pull', adminSees],
    ]) {
      expect(body, who).toContain(anonymous.ticket.id)
      // The anonymous caller: neither name nor number, in the ticket or in the raw input kept.
      expect(body, who).not.toContain('周女士')
      expect(body, who).not.toContain(digits)
      expect(body, who).not.toContain('郑先生')
      expect(body, who).not.toContain(String(phone + 2))
    }
    // The named caller's unit may see the number (its own, non-anonymous ticket); an admin never.
    expect(unitSees).toContain(String(phone + 1))
    expect(adminSees).not.toContain(String(phone + 1))
    expect(adminSees).toContain('吴先生')
  })
})
