// Fuzzing what Open311 publishes (issue 12), on both engines: generated requests — phoned in on
// any channel or posted through Open311, of any kind, anonymous or not, marked publishable or
// not — whose caller's number appears in the description, the address and the unit's reply in
// the forms people type (full-width digits, dots, spaces, dashes, +86, an 8-digit local number,
// an ID card). A public read must show exactly the requests consent allows (an independent
// statement of the rule, not the server's own function), and never the name, a number, or a
// house number, in a list or by id, as JSON or XML.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KINDS } from '../../src/shared/ticket'
import { startTestServer, testEngines, type Json, type TestServer } from '../server/helpers'
import { createArgs, mutation, uuid } from '../server/tickets'
import { bounded, recordFigures } from './figures'

const RUNS = bounded(25, 400)
const engines = await testEngines()
const figures = { requests: 0, published: 0, withheld: 0, reads: 0, leaks: 0 }
afterAll(() => recordFigures('fuzz-open311', { engines: engines.join('+'), ...figures }))

const wide = (s: string) => s.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)))
/** The ways a number is typed; each keeps all its digits. */
const FORMS: Array<(n: string) => string> = [
  (n) => n,
  wide,
  (n) => `${n.slice(0, 3)}.${n.slice(3, 7)}.${n.slice(7)}`,
  (n) => `${n.slice(0, 3)} ${n.slice(3, 7)} ${n.slice(7)}`,
  (n) => `${n.slice(0, 3)}-${n.slice(3, 7)}-${n.slice(7)}`,
  (n) => `+86 ${n}`,
  (n) => wide(`${n.slice(0, 3)}-${n.slice(3)}`),
]
/** Characters no fixed text of these tests uses, so a name found in an answer is a leak. */
const NAME_CHARS = [...'鑫淼焱垚犇骉羴猋麤厵鱻龘']

const request = fc.record({
  posted: fc.boolean(),
  channel: fc.constantFrom('phone', 'web', 'wechat', 'app', 'email', 'enterprise'),
  kind: fc.constantFrom(...KINDS),
  anonymous: fc.boolean(),
  publishable: fc.boolean(),
  mobile: fc.integer({ min: 3_000_000_000, max: 9_999_999_999 }).map((n) => `1${n}`),
  local: fc.integer({ min: 20_000_000, max: 89_999_999 }).map(String),
  idCard: fc.integer({ min: 1e8, max: 9e8 - 1 }).map((n) => `32110219${n}X`),
  forms: fc.tuple(fc.nat(FORMS.length - 1), fc.nat(FORMS.length - 1)),
  name: fc
    .array(fc.constantFrom(...NAME_CHARS), { minLength: 2, maxLength: 3 })
    .map((a) => a.join('')),
  flat: fc.integer({ min: 101, max: 2999 }),
  replied: fc.boolean(),
})
type Request = typeof request extends fc.Arbitrary<infer T> ? T : never

/** The rule, said again independently: consent (Open311 itself, or marked), never anonymous or a report. */
const shouldPublish = (r: Request, kind: string) =>
  (r.posted || r.publishable) && !r.anonymous && kind !== 'report'

describe.each(engines)('Open311 publication fuzzing on %s', (engine) => {
  let t: TestServer
  let dispatcher: string
  let unit: string
  beforeAll(async () => {
    t = await startTestServer(engine)
    dispatcher = await t.login('dispatcher1')
    unit = await t.login('unit-CITY-UM')
  })
  afterAll(() => t?.close())

  const push = async (token: string, ms: unknown[]) => {
    const r = await t.api('POST', '/api/v1/sync/push', token, { clientId: uuid(), mutations: ms })
    expect(
      r.body.results.every((x: Json) => x.status === 'ok'),
      JSON.stringify(r.body),
    ).toBe(true)
  }
  async function numberOf(id: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const all = await t.api('GET', '/api/v1/sync/pull?cursor=0&limit=2000', dispatcher)
      const found = all.body.tickets.find((x: Json) => x.id === id)
      if (found) return found.number
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`ticket ${id} never reached the pull`)
  }

  /** Files the request as generated; its number and the kind it got. */
  async function file(r: Request): Promise<{ number: string; kind: string }> {
    const [a, b] = r.forms
    const text = `${r.name}反映：电话 ${FORMS[a]!(r.mobile)}，家里 ${r.local}，身份证 ${r.idCard}`
    const address = `镇江市京口区梦溪路 18 号 ${r.flat} 室`
    if (r.posted) {
      // Posted with a contact unless anonymous; 0101 (路灯故障) files reports, 0107 complaints.
      const report = r.kind === 'report'
      const res = await fetch(`${t.url}/open311/v2/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          api_key: t.open311Key,
          service_code: report ? '0101' : '0107',
          address_string: address,
          description: text,
          ...(r.anonymous ? {} : { first_name: r.name, phone: r.mobile }),
        }),
      })
      const body = (await res.json()) as Json
      expect(res.status, JSON.stringify(body)).toBe(200)
      return { number: body[0].service_request_id, kind: report ? 'report' : 'complaint' }
    }
    const args = createArgs({
      channel: r.channel,
      kind: r.kind,
      caller: { name: r.name, phone: r.mobile, anonymous: r.anonymous },
      description: text,
      location: { address, district: '321102' },
      publishable: r.publishable,
    })
    const id = args.ticket.id
    const ms = [mutation(1, 'ticket.create', args)]
    if (r.replied) ms.push(mutation(2, 'ticket.dispatch', { ticketId: id, unit: 'CITY-UM' }))
    await push(dispatcher, ms)
    if (r.replied)
      await push(unit, [
        mutation(1, 'ticket.sign', { ticketId: id }),
        mutation(2, 'ticket.reply', {
          ticketId: id,
          text: `已电话告知${r.name}（${FORMS[b]!(r.mobile)}），身份证 ${r.idCard}，已处理`,
          resolved: true,
        }),
      ])
    return { number: await numberOf(id), kind: r.kind }
  }

  it('publishes exactly what consent allows, and never a name, a number or a house number', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const { number, kind } = await file(r)
        figures.requests++
        const visible = shouldPublish(r, kind)
        if (visible) figures.published++
        else figures.withheld++
        const secrets = [
          r.name,
          r.mobile,
          wide(r.mobile),
          r.local,
          r.idCard,
          r.idCard.slice(0, 17),
          `${r.flat} 室`,
        ]
        for (const path of [
          `/requests/${number}.json`,
          `/requests/${number}.xml`,
          `/requests.json?service_request_id=${number}`,
          `/tokens/${number}.json`,
        ]) {
          const res = await fetch(`${t.url}/open311/v2${path}`)
          const text = await res.text()
          figures.reads++
          const listed = path.includes('service_request_id')
          if (listed) expect(text.includes(number), path).toBe(visible)
          else expect(res.status, `${path} ${JSON.stringify(r)}`).toBe(visible ? 200 : 404)
          // Separators stripped: a number spread over spaces and dots is still the number.
          const squeezed = text.replace(/[\s.\-()]/g, '')
          for (const s of secrets) {
            const leaked = text.includes(s) || squeezed.includes(s.replace(/[\s.\-()]/g, ''))
            if (leaked) figures.leaks++
            expect(leaked, `${path} shows ${s}: ${text.slice(0, 400)}`).toBe(false)
          }
          if (visible && path.endsWith('.json') && !listed && !path.startsWith('/tokens')) {
            const doc = (JSON.parse(text) as Json[])[0]
            expect(doc.address, path).toBe('镇江市京口区梦溪路')
          }
        }
      }),
      { numRuns: RUNS },
    )
    expect(figures.published).toBeGreaterThan(0)
    expect(figures.withheld).toBeGreaterThan(0)
  })
})
