// Issue 18: large answers go out compressed as the client asks (brotli or gzip), decode to exactly
// what an uncompressed answer says, small ones stay plain, and /metrics counts the bytes saved.
import http from 'node:http'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { negotiate } from '../../src/server/http/compress'
import { startTestServer, testEngines, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

/** A raw GET: the bytes as they came over the wire, and the headers. */
function rawGet(url: string, token: string, encoding?: string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }>(
    (resolve, reject) => {
      const req = http.get(
        url,
        {
          headers: {
            authorization: `Bearer ${token}`,
            ...(encoding ? { 'accept-encoding': encoding } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              headers: res.headers,
              bytes: Buffer.concat(chunks),
            }),
          )
        },
      )
      req.on('error', reject)
    },
  )
}

describe('negotiating the encoding', () => {
  it('prefers brotli at equal weight and follows q-values', () => {
    expect(negotiate('gzip, deflate, br')).toBe('br')
    expect(negotiate('gzip, deflate')).toBe('gzip')
    expect(negotiate('br;q=0.5, gzip')).toBe('gzip')
    expect(negotiate('br;q=0, gzip;q=0')).toBeNull()
    expect(negotiate('identity')).toBeNull()
    expect(negotiate(undefined)).toBeNull()
  })
})

describe.each(await testEngines())('compressed answers on %s', (engine) => {
  let t: TestServer
  let token = ''
  beforeAll(async () => {
    t = await startTestServer(engine)
    token = await t.login('dispatcher1')
    const clientId = uuid()
    const mutations = Array.from({ length: 40 }, (_, i) =>
      mutation(i + 1, 'ticket.create', createArgs()),
    )
    const r = await t.api('POST', '/api/v1/sync/push', token, { clientId, mutations })
    expect(r.status).toBe(200)
  })
  afterAll(() => t?.close())

  it('sends a large pull as brotli or gzip, decoding to the plain answer', async () => {
    const url = `${t.url}/api/v1/sync/pull?cursor=0`
    const plain = await rawGet(url, token)
    expect(plain.headers['content-encoding']).toBeUndefined()
    const body = JSON.parse(plain.bytes.toString('utf8'))
    expect(body.tickets).toHaveLength(40)
    // The reference data rides along at cursor 0, so the answer is large.
    expect(plain.bytes.length).toBeGreaterThan(50_000)

    const br = await rawGet(url, token, 'gzip, deflate, br')
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers.vary).toContain('accept-encoding')
    const fromBr = JSON.parse(zlib.brotliDecompressSync(br.bytes).toString('utf8'))
    const gz = await rawGet(url, token, 'gzip')
    expect(gz.headers['content-encoding']).toBe('gzip')
    const fromGz = JSON.parse(zlib.gunzipSync(gz.bytes).toString('utf8'))
    // Pulls are repeatable from the same cursor: all three say the same.
    expect(fromBr).toEqual(body)
    expect(fromGz).toEqual(body)
    expect(br.bytes.length * 5).toBeLessThan(plain.bytes.length)
  })

  it('leaves a small answer plain', async () => {
    const r = await rawGet(`${t.url}/api/v1/auth/me`, token, 'br, gzip')
    expect(r.status).toBe(200)
    expect(r.headers['content-encoding']).toBeUndefined()
  })

  it('counts the bytes before and after in /metrics', async () => {
    const admin = await t.login('admin1')
    const text = (await t.api('GET', '/metrics', admin)).body as string
    const bytes = (stage: string) =>
      Number(
        new RegExp(
          `^hotline_http_response_bytes_total\\{route="/api/v1/sync/pull",stage="${stage}"\\} (\\d+)`,
          'm',
        ).exec(text)?.[1],
      )
    expect(bytes('raw')).toBeGreaterThan(bytes('sent'))
  })
})
