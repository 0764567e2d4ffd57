// Open311 GeoReport v2 through plain HTTP, as the spec shows its requests: form-encoded POSTs
// with api_key, `.json` and `.xml` answers (the XML read by a real parser and checked against the
// spec's element names), the ticket reaching the consoles' pull, the filters, the status mapping
// as the ticket moves through the workflow, errors as the spec's list, and callers kept private.
// (What a public read may show at all is open311-public.test.ts's subject.)
import { XMLParser } from 'fast-xml-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { mutation, uuid } from './tickets'

/** Elements that repeat in GeoReport v2 documents: arrays even with one item. */
const REPEATED = new Set([
  'service',
  'request',
  'error',
  'attribute',
  'value',
  'endpoint',
  'format',
])
const xml = new XMLParser({
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
  isArray: (name) => REPEATED.has(name),
})

/** A service request's elements, in the order of the spec's example. */
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
]
const SERVICE_FIELDS = [
  'service_code',
  'service_name',
  'description',
  'metadata',
  'type',
  'keywords',
  'group',
]
const W3C_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/

interface Answer {
  status: number
  contentType: string
  text: string
  body: Json
}

const PHONE = '13805291234'
const FIRST = '建国'
const LAST = '欧阳'
const EMAIL = 'ouyang@example.cn'

const engines = await testEngines()
const servers = new Map<string, TestServer>()
// Every engine's server (and scratch database) is made up front and dropped at the very end:
// on PostgreSQL, creating or dropping a database is a long transaction that holds back other
// test files' pulls (they wait for every older transaction in the cluster), so do it once.
beforeAll(async () => {
  for (const engine of engines) servers.set(engine, await startTestServer(engine))
})
afterAll(async () => {
  for (const s of servers.values()) await s.close()
})

describe.each(engines)('Open311 GeoReport v2 on %s', (engine) => {
  let t: TestServer
  let base: string
  let dispatcher: string
  let unitUser: string
  let reference: Json

  beforeAll(async () => {
    t = servers.get(engine)!
    base = `${t.url}/open311/v2`
    dispatcher = await t.login('dispatcher1')
    unitUser = await t.login('unit-CITY-UM')
    reference = (await t.api('GET', '/api/v1/reference', dispatcher)).body
  })

  async function answer(res: Response): Promise<Answer> {
    const text = await res.text()
    const contentType = res.headers.get('content-type') ?? ''
    let body: Json = text
    if (contentType.startsWith('application/json')) body = JSON.parse(text)
    else if (contentType.startsWith('text/xml')) {
      expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true)
      body = xml.parse(text)
    }
    return { status: res.status, contentType, text, body }
  }
  const get = async (path: string) => answer(await fetch(base + path))
  const post = async (path: string, form: string | Record<string, string>) =>
    answer(
      await fetch(base + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: typeof form === 'string' ? form : new URLSearchParams(form).toString(),
      }),
    )

  /** The service requests of an answer in either format, XML ones checked for element names. */
  function requestsOf(a: Answer): Json[] {
    expect(a.status).toBe(200)
    if (a.contentType.startsWith('application/json')) return a.body
    expect(a.contentType).toBe('text/xml; charset=utf-8')
    expect(Object.keys(a.body)).toEqual(['service_requests'])
    return a.body.service_requests === '' ? [] : a.body.service_requests.request
  }

  /** The errors of an answer in either format, as `{code, description}` with a number code. */
  function errorsOf(a: Answer): Array<{ code: number; description: string }> {
    const raw: Json[] = a.contentType.startsWith('application/json')
      ? a.body
      : (() => {
          expect(Object.keys(a.body)).toEqual(['errors'])
          return a.body.errors.error
        })()
    expect(raw.length).toBeGreaterThan(0)
    return raw.map((e) => {
      expect(Object.keys(e)).toEqual(['code', 'description'])
      expect(e.description).toBeTruthy()
      return { code: Number(e.code), description: String(e.description) }
    })
  }

  const form = (over: Record<string, string> = {}): Record<string, string> => ({
    api_key: t.open311Key,
    // 公共厕所, a complaint: public once posted (a report, 举报, never is).
    service_code: '0107',
    lat: '32.2044',
    long: '119.4520',
    address_string: '镇江市京口区梦溪路 18 号',
    email: EMAIL,
    device_id: 'tt222111',
    account_id: '123456',
    first_name: FIRST,
    last_name: LAST,
    phone: PHONE,
    description: `梦溪路 18 号门口路灯连续三晚不亮。联系人${LAST}${FIRST}，电话 ${PHONE}`,
    ...over,
  })

  async function file(over: Record<string, string> = {}): Promise<string> {
    const r = await post('/requests.json', form(over))
    expect(r.status).toBe(200)
    return r.body[0].service_request_id
  }

  async function pullAll(token: string): Promise<{ tickets: Map<string, Json>; events: Json[] }> {
    const tickets = new Map<string, Json>()
    const events: Json[] = []
    for (let cursor = 0; ;) {
      const r = await t.api('GET', `/api/v1/sync/pull?cursor=${cursor}&limit=500`, token)
      expect(r.status).toBe(200)
      for (const tk of r.body.tickets) tickets.set(tk.id, tk)
      events.push(...r.body.events)
      cursor = r.body.cursor
      if (!r.body.hasMore) return { tickets, events }
    }
  }

  /**
   * The ticket behind a request number, as a dispatcher's pull brings it. On PostgreSQL a pull
   * holds back changes while any older transaction in the cluster is still open, so a busy
   * neighbour can delay it a little: pull again, as a console does when poked.
   */
  async function pulledTicket(number: string): Promise<{ ticket: Json; events: Json[] }> {
    for (let attempt = 0; ; attempt++) {
      const { tickets, events } = await pullAll(dispatcher)
      const ticket = [...tickets.values()].find((x) => x.number === number)
      if (ticket || attempt >= 50) {
        expect(ticket).toBeTruthy()
        return { ticket, events: events.filter((e) => e.ticketId === ticket.id) }
      }
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  const ticketByNumber = async (number: string) => (await pulledTicket(number)).ticket

  let pushes = 0
  async function act(token: string, name: string, args: Record<string, unknown>) {
    const r = await t.api('POST', '/api/v1/sync/push', token, {
      clientId: `open311-test-${++pushes}`,
      mutations: [mutation(1, name, args)],
    })
    expect(r.status).toBe(200)
    expect(r.body.results[0]).toEqual({ id: 1, status: 'ok' })
  }

  it('answers discovery in both formats with the spec fields', async () => {
    const j = await get('/discovery.json')
    expect(j.status).toBe(200)
    expect(j.contentType).toBe('application/json; charset=utf-8')
    expect(Object.keys(j.body)).toEqual(['changeset', 'contact', 'key_service', 'endpoints'])
    expect(j.body.changeset).toMatch(W3C_WITH_OFFSET)
    expect(j.body.endpoints).toEqual([
      {
        specification: 'http://wiki.open311.org/GeoReport_v2',
        url: base,
        changeset: j.body.changeset,
        type: 'production',
        formats: ['text/xml', 'application/json'],
      },
    ])
    const x = await get('/discovery.xml')
    expect(x.contentType).toBe('text/xml; charset=utf-8')
    const d = x.body.discovery
    expect(Object.keys(d)).toEqual(['changeset', 'contact', 'key_service', 'endpoints'])
    expect(d.endpoints.endpoint[0].url).toBe(base)
    expect(d.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json'])
  })

  it('lists the leaf categories as services, grouped by their top-level branch', async () => {
    const cats: Json[] = reference.categories
    const parents = new Set(cats.map((c) => c.parent))
    const leaves = cats.filter((c) => !parents.has(c.code) && c.active !== false)
    const byCode = new Map(cats.map((c) => [c.code, c]))
    const top = (c: Json): Json => (c.parent ? top(byCode.get(c.parent)) : c)

    const j = await get('/services.json')
    expect(j.status).toBe(200)
    expect(j.body.map((s: Json) => s.service_code).sort()).toEqual(leaves.map((c) => c.code).sort())
    for (const s of j.body) {
      expect(Object.keys(s)).toEqual(SERVICE_FIELDS)
      const c = byCode.get(s.service_code)
      expect(s).toMatchObject({ service_name: c.name, metadata: true, type: 'realtime' })
      expect(s.group).toBe(top(c).name)
      expect(s.keywords).toContain(c.name)
      expect(s.keywords).toContain(top(c).name)
      expect(s.description).toContain('description')
    }

    const x = await get('/services.xml')
    const services: Json[] = x.body.services.service
    expect(services).toHaveLength(j.body.length)
    for (const s of services) expect(Object.keys(s)).toEqual(SERVICE_FIELDS)
    const light = services.find((s) => s.service_code === '0101')
    expect(light).toMatchObject({ service_name: '路灯故障', metadata: 'true', group: '市政设施' })
  })

  it('defines each service: the description requirement and the district attribute', async () => {
    const j = await get('/services/0101.json')
    expect(j.status).toBe(200)
    expect(Object.keys(j.body)).toEqual(['service_code', 'attributes'])
    expect(j.body.service_code).toBe('0101')
    const [note, district] = j.body.attributes
    expect(note).toMatchObject({ variable: false, order: 1 })
    expect(note.description).toContain('description')
    expect(district).toMatchObject({
      variable: true,
      code: 'DISTRICT',
      datatype: 'singlevaluelist',
      required: false,
      order: 2,
    })
    expect(district.values).toHaveLength(reference.districts.length)
    expect(district.values[0]).toEqual({
      key: reference.districts[0].code,
      name: reference.districts[0].name,
    })

    const x = await get('/services/0101.xml')
    const def = x.body.service_definition
    expect(Object.keys(def)).toEqual(['service_code', 'attributes'])
    const attrs: Json[] = def.attributes.attribute
    expect(attrs.map((a) => a.code)).toEqual(['DESCRIPTION_REQUIRED', 'DISTRICT'])
    expect(Object.keys(attrs[0])).toEqual([
      'variable',
      'code',
      'datatype',
      'required',
      'datatype_description',
      'order',
      'description',
    ])
    expect(Object.keys(attrs[1])).toEqual([...Object.keys(attrs[0]), 'values'])
    expect(attrs[1].values.value[0]).toEqual({
      key: reference.districts[0].code,
      name: reference.districts[0].name,
    })
  })

  it('files a request posted exactly like the spec example, answering in XML', async () => {
    // The spec's example body, with its raw brackets and `+` for spaces.
    const body =
      `api_key=${t.open311Key}&jurisdiction_id=city.gov&service_code=0101&lat=32.2044&long=119.452` +
      `&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111` +
      `&account_id=123456&first_name=john&last_name=smith&phone=13805290001` +
      `&description=A+large+sinkhole+is+destroying+the+street` +
      `&media_url=http%3A%2F%2Ffarm3.static.flickr.com%2F2002%2F2212426634_5ed477a060.jpg` +
      `&attribute[DISTRICT]=321102`
    const r = await post('/requests.xml', body)
    expect(r.status).toBe(200)
    expect(r.contentType).toBe('text/xml; charset=utf-8')
    const [req] = requestsOf(r)
    expect(Object.keys(req)).toEqual(['service_request_id', 'service_notice', 'account_id'])
    expect(req.service_request_id).toMatch(/^\d{14}$/)
    expect(req.account_id).toBe('123456')
    expect(req.service_notice).toContain(req.service_request_id)
    expect(r.text).not.toContain('<token>')

    const tk = await ticketByNumber(req.service_request_id)
    expect(tk).toMatchObject({
      channel: 'open311',
      category: '0101',
      status: 'new',
      caller: { name: 'john smith', phone: '13805290001' },
      location: { address: '1234 5th street', district: '321102', lat: 32.2044, lng: 119.452 },
    })
    expect(tk.description).toContain('A large sinkhole is destroying the street')

    // 0101 (路灯故障) files reports (举报): never public, but the channel follows its own.
    expect((await get(`/requests/${req.service_request_id}.xml`)).status).toBe(404)
    const [back] = requestsOf(
      await get(`/requests/${req.service_request_id}.xml?api_key=${t.open311Key}`),
    )
    expect(back.media_url).toBe('http://farm3.static.flickr.com/2002/2212426634_5ed477a060.jpg')
    expect(back.description).toBe('A large sinkhole is destroying the street')
    expect(back.address).toBe('5th street')
  })

  it('files a JSON-answered request that shows up in a dispatcher pull like any ticket', async () => {
    const r = await post('/requests.json', form())
    expect(r.status).toBe(200)
    expect(r.contentType).toBe('application/json; charset=utf-8')
    expect(r.body).toHaveLength(1)
    expect(Object.keys(r.body[0])).toEqual(['service_request_id', 'service_notice', 'account_id'])
    const number = r.body[0].service_request_id

    const { ticket: tk, events: created } = await pulledTicket(number)
    expect(tk).toMatchObject({
      channel: 'open311',
      kind: 'complaint',
      category: '0107',
      urgency: 'normal',
      status: 'new',
      version: 1,
      caller: { name: `${LAST}${FIRST}`, phone: PHONE, callbackConsent: true },
    })
    expect(tk.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(created).toHaveLength(1)
    expect(created[0]).toMatchObject({
      type: 'created',
      to: 'new',
      actor: { role: 'open311', userId: 'open311:test' },
      data: { channel: 'open311', number },
    })
  })

  it('answers one request and its token with the spec fields, never the caller', async () => {
    const number = await file({ 'attribute[DISTRICT]': '321102' })
    for (const format of ['json', 'xml']) {
      const a = await get(`/requests/${number}.${format}`)
      const [req] = requestsOf(a)
      expect(Object.keys(req)).toEqual(REQUEST_FIELDS)
      expect(String(req.service_request_id)).toBe(number)
      expect(req).toMatchObject({
        status: 'open',
        service_code: '0107',
        service_name: '公共厕所',
        // Cut to the street: the house number is the caller's.
        address: '镇江市京口区梦溪路',
      })
      expect(req.requested_datetime).toMatch(W3C_WITH_OFFSET)
      expect(req.updated_datetime).toMatch(W3C_WITH_OFFSET)
      // Rounded to about a hundred metres.
      expect(Number(req.lat)).toBe(32.204)
      expect(Number(req.long)).toBe(119.452)
      expect(req.description).toContain('路灯连续三晚不亮')
      expect(req.description).toContain('138****1234')
      for (const secret of [PHONE, `${LAST}${FIRST}`, EMAIL, 'tt222111'])
        expect(a.text).not.toContain(secret)
    }
    const tj = await get(`/tokens/${number}.json`)
    expect(tj.body).toEqual([{ service_request_id: number, token: number }])
    const [tx] = requestsOf(await get(`/tokens/${number}.xml`))
    expect(tx).toEqual({ service_request_id: number, token: number })
  })

  it('maps the workflow to open and closed, with status notes and the unit', async () => {
    const number = await file()
    const tk = await ticketByNumber(number)
    const um = reference.units.find((u: Json) => u.code === 'CITY-UM')

    const one = async () => requestsOf(await get(`/requests/${number}.json`))[0]
    expect(await one()).toMatchObject({ status: 'open', agency_responsible: null })

    await act(dispatcher, 'ticket.dispatch', { ticketId: tk.id, unit: 'CITY-UM' })
    const dispatched = await one()
    expect(dispatched).toMatchObject({ status: 'open', agency_responsible: um.name })
    expect(dispatched.status_notes).toContain(um.name)
    expect(dispatched.expected_datetime).toMatch(W3C_WITH_OFFSET)

    await act(unitUser, 'ticket.sign', { ticketId: tk.id })
    const reply = `已安排维修人员更换灯泡，路灯已恢复照明。已电话告知${LAST}${FIRST}（${PHONE}）。`
    await act(unitUser, 'ticket.reply', { ticketId: tk.id, text: reply, resolved: true })
    const replied = await one()
    expect(replied.status).toBe('open')
    expect(replied.status_notes).toContain('已安排维修人员更换灯泡，路灯已恢复照明')
    expect(replied.status_notes).not.toContain(PHONE)
    expect(replied.status_notes).not.toContain(`${LAST}${FIRST}`)

    await act(dispatcher, 'ticket.callback', { ticketId: tk.id, satisfaction: 'satisfied' })
    for (const format of ['json', 'xml']) {
      const [closed] = requestsOf(await get(`/requests/${number}.${format}`))
      expect(closed).toMatchObject({ status: 'closed', agency_responsible: um.name })
      expect(closed.status_notes).toContain('路灯已恢复照明')
    }
    const closedList = requestsOf(await get('/requests.json?status=closed'))
    expect(closedList.map((r) => r.service_request_id)).toContain(number)
    const openList = requestsOf(await get('/requests.xml?status=open'))
    expect(openList.map((r) => r.service_request_id)).not.toContain(number)
    const both = requestsOf(await get('/requests.json?status=open,closed'))
    expect(both.map((r) => r.service_request_id)).toContain(number)
  })

  it('explains a cancelled request as closed, without the reason (internal)', async () => {
    const number = await file()
    const tk = await ticketByNumber(number)
    const supervisor = await t.login('supervisor1')
    await act(supervisor, 'ticket.cancel', {
      ticketId: tk.id,
      reason: '重复提交，来电人系恶意骚扰',
    })
    const x = await get(`/requests/${number}.xml`)
    const [r] = requestsOf(x)
    expect(r).toMatchObject({ status: 'closed', status_notes: '已作废' })
    expect(x.text).not.toContain('骚扰')
  })

  it('filters by service_request_id, service_code, dates and status as the spec says', async () => {
    const a = await file({ service_code: '010602' })
    const b = await file({ service_code: '0110' })
    const ids = (answer: Answer) => requestsOf(answer).map((r) => String(r.service_request_id))

    // service_request_id overrides every other argument.
    const byId = await get(
      `/requests.xml?service_request_id=${a},${b},19990101000001&status=closed`,
    )
    expect(ids(byId).sort()).toEqual([a, b].sort())
    for (const r of requestsOf(byId)) expect(Object.keys(r)).toEqual(REQUEST_FIELDS)

    expect(ids(await get('/requests.json?service_code=010602'))).toContain(a)
    expect(ids(await get('/requests.json?service_code=010602'))).not.toContain(b)
    const two = ids(await get('/requests.json?service_code=010602,0110'))
    expect(two).toContain(a)
    expect(two).toContain(b)
    const repeated = ids(await get('/requests.json?service_code=010602&service_code=0110'))
    expect(repeated).toEqual(expect.arrayContaining([a, b]))

    const hour = 3_600_000
    const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const now = Date.now()
    const window = await get(
      `/requests.json?start_date=${iso(now - hour)}&end_date=${iso(now + hour)}`,
    )
    expect(ids(window)).toEqual(expect.arrayContaining([a, b]))
    const later = await get(`/requests.json?start_date=${iso(now + hour)}`)
    expect(ids(later)).toEqual([])
    const earlier = await get(
      `/requests.xml?end_date=${encodeURIComponent('2020-01-01T00:00:00+08:00')}`,
    )
    expect(ids(earlier)).toEqual([])
    const openOnly = ids(await get('/requests.json?status=open&service_code=010602'))
    expect(openOnly).toContain(a)

    // Newest first, every datetime with the +08:00 offset.
    const all = requestsOf(await get('/requests.json'))
    const times = all.map((r) => r.requested_datetime)
    expect([...times].sort().reverse()).toEqual(times)
    for (const r of all) expect(r.requested_datetime).toMatch(W3C_WITH_OFFSET)
  })

  it('escapes XML properly and round-trips awkward text', async () => {
    const text = `井盖 <b>"丢了"</b> & 'nobody' cares ]]> \u0001 end`
    const number = await file({ description: text, address_string: '<b> & "quoted" \'x\'' })
    const [x] = requestsOf(await get(`/requests/${number}.xml`))
    expect(x.description).toBe(text.replace('\u0001', ''))
    expect(x.address).toBe('<b> & "quoted" \'x\'')
    const [j] = requestsOf(await get(`/requests/${number}.json`))
    expect(j.description).toBe(text)
  })

  it('never shows callers in lists, in either format', async () => {
    await file()
    for (const format of ['json', 'xml']) {
      const a = await get(`/requests.${format}`)
      expect(requestsOf(a).length).toBeGreaterThan(0)
      for (const secret of [PHONE, `${LAST}${FIRST}`, EMAIL, '13805290001'])
        expect(a.text).not.toContain(secret)
      expect(a.text).not.toMatch(/caller|first_name|last_name|phone|email/)
    }
  })

  describe('errors, as the spec list in both formats', () => {
    const cases: Array<{
      name: string
      status: number
      run: (format: string) => Promise<Answer>
      says: RegExp
    }> = [
      {
        name: 'a wrong api_key',
        status: 403,
        run: (f) => post(`/requests.${f}`, form({ api_key: 'not-a-key' })),
        says: /api_key/,
      },
      {
        name: 'no api_key at all',
        status: 403,
        run: (f) => post(`/requests.${f}`, { service_code: '0101', description: 'x' }),
        says: /api_key/,
      },
      {
        name: 'an unknown service_code',
        status: 404,
        run: (f) => post(`/requests.${f}`, form({ service_code: '9999' })),
        says: /service_code/,
      },
      // A group's code (01) is accepted: triage picks the service (tests/server/triage.test.ts).
      {
        name: 'no service_code',
        status: 400,
        run: (f) => post(`/requests.${f}`, form({ service_code: '' })),
        says: /service_code/,
      },
      {
        name: 'no location',
        status: 400,
        run: (f) => post(`/requests.${f}`, form({ lat: '', long: '', address_string: '' })),
        says: /lat & long, or address_string, or address_id/,
      },
      {
        name: 'lat without long',
        status: 400,
        run: (f) => post(`/requests.${f}`, form({ long: '', address_string: '' })),
        says: /lat & long/,
      },
      {
        name: 'no description',
        status: 400,
        run: (f) => post(`/requests.${f}`, form({ description: '  ' })),
        says: /description/,
      },
      {
        name: 'a bad phone number',
        status: 400,
        run: (f) => post(`/requests.${f}`, form({ phone: 'call me' })),
        says: /phone/,
      },
      {
        name: 'an attribute the service does not define',
        status: 400,
        run: (f) => post(`/requests.${f}`, form({ 'attribute[COLOR]': 'red' })),
        says: /COLOR/,
      },
      {
        name: 'a district not in the list',
        status: 400,
        run: (f) => post(`/requests.${f}`, form({ 'attribute[DISTRICT]': '110101' })),
        says: /DISTRICT/,
      },
      {
        name: 'an unknown service definition',
        status: 404,
        run: (f) => get(`/services/9999.${f}`),
        says: /9999/,
      },
      {
        name: 'an unknown request',
        status: 404,
        run: (f) => get(`/requests/19990101000001.${f}`),
        says: /19990101000001/,
      },
      {
        name: 'an unknown token',
        status: 404,
        run: (f) => get(`/tokens/nothing.${f}`),
        says: /nothing/,
      },
      {
        name: 'a status that is neither open nor closed',
        status: 400,
        run: (f) => get(`/requests.${f}?status=pending`),
        says: /status/,
      },
      {
        name: 'dates spanning more than 90 days',
        status: 400,
        run: (f) =>
          get(`/requests.${f}?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z`),
        says: /90 days/,
      },
      {
        name: 'a date not in W3C format',
        status: 400,
        run: (f) => get(`/requests.${f}?start_date=yesterday`),
        says: /start_date/,
      },
      {
        name: 'an unknown resource',
        status: 404,
        run: (f) => get(`/complaints.${f}`),
        says: /complaints/,
      },
    ]
    for (const c of cases)
      it(`answers ${c.status} for ${c.name}`, async () => {
        const before = requestsOf(await get('/requests.json')).length
        for (const format of ['json', 'xml']) {
          const a = await c.run(format)
          expect(a.status).toBe(c.status)
          expect(a.contentType).toBe(
            format === 'json' ? 'application/json; charset=utf-8' : 'text/xml; charset=utf-8',
          )
          const errors = errorsOf(a)
          expect(errors.every((e) => e.code === c.status)).toBe(true)
          expect(errors.map((e) => e.description).join(' ')).toMatch(c.says)
        }
        // Nothing half-written.
        expect(requestsOf(await get('/requests.json')).length).toBe(before)
      })

    it('names every problem of a bad form at once', async () => {
      const a = await post(
        '/requests.json',
        form({ lat: '91', description: '', phone: 'x', media_url: 'ftp://x' }),
      )
      expect(a.status).toBe(400)
      const text = errorsOf(a)
        .map((e) => e.description)
        .join('\n')
      for (const f of ['lat', 'description', 'phone', 'media_url']) expect(text).toContain(f)
    })

    it('answers a path without a format as a 404 in XML', async () => {
      const a = await get(`/requests/${uuid()}`)
      expect(a.status).toBe(404)
      expect(errorsOf(a)[0]!.code).toBe(404)
    })
  })
})
