// What a stranger reads through Open311 (issue 12, finding 1), over plain HTTP on both engines:
// only requests the citizen agreed to publish — posted through Open311, or marked publishable by
// staff — never an anonymous caller's or a report (举报), whichever channel; a list, a request by
// id and its token alike (one not published is as unknown as one that never was). What is shown:
// personal numbers of every form and the caller's name masked, the address cut to the street, no
// cancel reason and no internal text. A channel with its api_key follows what it posted itself;
// public reads are limited per address.
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOpen311Key } from '../../src/server/demo/seed'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const NAME = '欧阳紫萱'
/** The caller's number and the other numbers a description may hold, in the forms people type. */
const PHONE = '13912345678'
const FORMS = ['１３９１２３４５６７８', '139.1234.5678', '8888 1234', '32110219800101123X']
const FLAT = '3 单元 502 室'
const INTERNAL = '内部：来电人情绪激动，注意'
const CANCEL = '来电人恶意骚扰'

const engines = await testEngines()

describe.each(engines)('public Open311 reads on %s', (engine) => {
  let t: TestServer
  let dispatcher: string
  let supervisor: string
  let otherKey: string
  const numbers: Record<string, string> = {}

  const get = async (path: string) => {
    const res = await fetch(`${t.url}/open311/v2${path}`)
    const text = await res.text()
    return { status: res.status, text, body: JSON.parse(text) as Json }
  }
  const post = async (form: Record<string, string>) => {
    const res = await fetch(`${t.url}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        api_key: t.open311Key,
        lat: '32.20441',
        long: '119.45207',
        ...form,
      }),
    })
    const body = (await res.json()) as Json
    expect(res.status, JSON.stringify(body)).toBe(200)
    return body[0].service_request_id as string
  }
  const push = async (token: string, ms: unknown[]) => {
    const r = await t.api('POST', '/api/v1/sync/push', token, { clientId: uuid(), mutations: ms })
    expect(
      r.body.results.every((x: Json) => x.status === 'ok'),
      JSON.stringify(r.body),
    ).toBe(true)
  }
  /** A phone ticket logged by the dispatcher (numbered on the server) and its number. */
  /**
   * The server's number for a ticket, from a dispatcher's pull. On PostgreSQL a pull holds back
   * changes while an older transaction anywhere in the cluster is open (another test file making
   * a database): pull again, as a console does when poked.
   */
  async function numberOf(id: string): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const all = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=2000', dispatcher)
      const found = all.body.tickets.find((x: Json) => x.id === id)
      if (found) return found.number
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`ticket ${id} never reached the pull`)
  }
  type Then = (id: string) => [string, unknown]
  async function phoned(key: string, over: Record<string, unknown>, then: Then[] = []) {
    const a = createArgs({
      caller: { name: NAME, phone: PHONE, anonymous: false },
      description: `${NAME}反映楼道灯坏了，电话 ${FORMS.join('，')}`,
      location: { address: `镇江市京口区梦溪路 18 号 ${FLAT}`, district: '321102' },
      ...over,
    })
    await push(dispatcher, [
      mutation(1, 'ticket.create', a),
      ...then.map((f, i) => mutation(i + 2, ...f(a.ticket.id))),
    ])
    numbers[key] = await numberOf(a.ticket.id)
    return a.ticket.id
  }

  beforeAll(async () => {
    t = await startTestServer(engine)
    dispatcher = await t.login('dispatcher1')
    supervisor = await t.login('supervisor1')
    otherKey = await createOpen311Key(t.store, 'other-channel')
    const publish: Then = (id) => ['ticket.update', { ticketId: id, patch: { publishable: true } }]
    await phoned('phone', {})
    await phoned('marked', {}, [publish])
    await phoned('markedAtIntake', { publishable: true })
    await phoned('markedAnonymous', {
      caller: { name: NAME, phone: PHONE, anonymous: true },
      publishable: true,
    })
    await phoned('markedReport', { kind: 'report', publishable: true })
    const cancelled = await phoned('markedCancelled', { publishable: true })
    await push(supervisor, [
      mutation(1, 'ticket.note', { ticketId: cancelled, text: INTERNAL, internal: true }),
      mutation(2, 'ticket.cancel', { ticketId: cancelled, reason: CANCEL }),
    ])
    numbers.posted = await post({
      service_code: '0107',
      address_string: `镇江市京口区梦溪路 18 号 ${FLAT}`,
      first_name: '紫萱',
      last_name: '欧阳',
      phone: PHONE,
      description: `厕所门坏了。我是${NAME}，电话 ${FORMS.join('，')}`,
    })
    numbers.postedAnonymous = await post({ service_code: '0107', description: '厕所没有水' })
    numbers.postedReport = await post({
      service_code: '0101',
      description: '路灯不亮',
      phone: PHONE,
    })
  })
  afterAll(() => t?.close())

  const PUBLISHED = ['marked', 'markedAtIntake', 'markedCancelled', 'posted']
  const HIDDEN = ['phone', 'markedAnonymous', 'markedReport', 'postedAnonymous', 'postedReport']

  it('shows only what the citizen agreed to publish, never anonymous callers or reports', async () => {
    const list = await get('/requests.json')
    expect(list.status).toBe(200)
    const listed = list.body.map((r: Json) => r.service_request_id)
    for (const key of PUBLISHED) {
      expect(listed, key).toContain(numbers[key])
      expect((await get(`/requests/${numbers[key]}.json`)).status, key).toBe(200)
      expect((await get(`/tokens/${numbers[key]}.json`)).status, key).toBe(200)
    }
    const byIds = await get(`/requests.json?service_request_id=${Object.values(numbers).join(',')}`)
    expect(byIds.body.map((r: Json) => r.service_request_id).sort()).toEqual(
      PUBLISHED.map((k) => numbers[k]).sort(),
    )
    for (const key of HIDDEN) {
      expect(listed, key).not.toContain(numbers[key])
      for (const path of [`/requests/${numbers[key]}.json`, `/tokens/${numbers[key]}.xml`]) {
        const r = await get(path.replace('.xml', '.json'))
        // As unknown as a number that never was: the same 404 and words.
        expect(r.status, `${key} ${path}`).toBe(404)
        expect(r.text).toContain(numbers[key])
      }
    }
  })

  it('masks every personal number and the name, cuts the address, shows no reason or note', async () => {
    for (const key of PUBLISHED) {
      const r = await get(`/requests/${numbers[key]}.json`)
      const doc = r.body[0]
      for (const secret of [PHONE, ...FORMS, NAME, '紫萱', FLAT, '502', CANCEL, INTERNAL])
        expect(r.text, `${key}: ${secret}`).not.toContain(secret)
      expect(doc.address, key).toBe('镇江市京口区梦溪路')
      expect(doc.address_id, key).toBeNull()
      expect(doc.description, key).toContain('139****5678')
      expect(doc.description, key).toContain('欧***')
    }
    const cancelled = (await get(`/requests/${numbers.markedCancelled}.json`)).body[0]
    expect(cancelled).toMatchObject({ status: 'closed', status_notes: '已作废' })
  })

  it('lets a channel follow what it posted itself with its api_key, and nothing else', async () => {
    const own = `api_key=${encodeURIComponent(t.open311Key)}`
    for (const key of ['postedAnonymous', 'postedReport', 'posted']) {
      const r = await get(`/requests/${numbers[key]}.json?${own}`)
      expect(r.status, key).toBe(200)
      expect(r.text).not.toContain(PHONE)
    }
    const mine = (await get(`/requests.json?${own}`)).body.map((r: Json) => r.service_request_id)
    expect(mine).toEqual(expect.arrayContaining([numbers.postedAnonymous, numbers.postedReport]))
    // Another channel's key reads only what the public reads.
    const other = `api_key=${encodeURIComponent(otherKey)}`
    for (const key of HIDDEN)
      expect((await get(`/requests/${numbers[key]}.json?${other}`)).status, key).toBe(404)
    const wrong = await get(`/requests.json?api_key=not-a-key`)
    expect(wrong.status).toBe(403)
    expect(wrong.body[0]).toMatchObject({ code: 403 })
  })

  it('lets staff mark a ticket publishable, units not', async () => {
    const id = await phoned('later', {})
    expect((await get(`/requests/${numbers.later}.json`)).status).toBe(404)
    await push(dispatcher, [
      mutation(9, 'ticket.dispatch', { ticketId: id, unit: 'CITY-UM' }),
      mutation(10, 'ticket.update', { ticketId: id, patch: { publishable: true } }),
    ])
    expect((await get(`/requests/${numbers.later}.json`)).status).toBe(200)
    const unit = await t.login('unit-CITY-UM')
    const r = await t.api('POST', '/api/v1/sync/push', unit, {
      clientId: uuid(),
      mutations: [mutation(1, 'ticket.update', { ticketId: id, patch: { publishable: false } })],
    })
    expect(r.body.results[0].status).toBe('rejected')
    expect((await get(`/requests/${numbers.later}.json`)).status).toBe(200)
  })
})

describe('the public read limit (default policy, the server clock held still)', () => {
  let t: TestServer
  let clock = Date.parse('2026-03-02T09:00:00Z')
  beforeAll(async () => {
    // The default limit: no override of open311ReadLimit beyond the helper's, put back here.
    const { DEFAULT_OPEN311_READ_LIMIT } = await import('../../src/server/context')
    t = await startTestServer('sqlite', {
      now: () => clock,
      open311ReadLimit: DEFAULT_OPEN311_READ_LIMIT,
    })
  })
  afterAll(() => t?.close())

  /** A GET from a chosen source address. */
  const read = (path: string, from = '127.0.0.1') =>
    new Promise<{ status: number; retryAfter: string | undefined; text: string }>(
      (resolve, reject) => {
        const req = request(
          `${t.url}/open311/v2${path}`,
          { localAddress: from, agent: false },
          (res) => {
            let text = ''
            res.on('data', (d) => (text += String(d)))
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                retryAfter: res.headers['retry-after'] as string | undefined,
                text,
              }),
            )
          },
        )
        req.on('error', reject)
        req.end()
      },
    )

  it('allows 60 reads at once per address, then one a second; keys and other addresses unaffected', async () => {
    for (let i = 0; i < 60; i++)
      expect((await read('/requests.json')).status, `read ${i}`).toBe(200)
    const over = await read('/requests.json')
    expect(over.status).toBe(429)
    expect(over.retryAfter).toBe('1')
    expect(JSON.parse(over.text)[0]).toMatchObject({ code: 429 })
    const overXml = await read('/requests/20260302000001.xml')
    expect(overXml.status).toBe(429)
    expect(overXml.text).toContain('<code>429</code>')
    // A channel reading with its key, and another address, are not held back.
    expect((await read(`/requests.json?api_key=${encodeURIComponent(t.open311Key)}`)).status).toBe(
      200,
    )
    expect((await read('/requests.json', '127.0.0.2')).status).toBe(200)
    clock += 1000
    expect((await read('/requests.json')).status).toBe(200)
    expect((await read('/requests.json')).status).toBe(429)
  })
})
