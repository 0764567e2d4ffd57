// GET /metrics: who may read it, and that pushes, pulls, mutations and live sockets move it.
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startTestServer, testEngines, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const METRICS_TOKEN = 'scraper-0123456789abcdef'

/** The value of one sample: `name` with exactly these labels (none: the unlabelled sample). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',')
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!m || m[1] !== name) continue
    const have = (m[2] ?? '')
      .split(/,(?=\w+=")/)
      .filter(Boolean)
      .sort()
      .join(',')
    if (have === want) return Number(m[3])
  }
  return 0
}

const waitFor = async (check: () => Promise<boolean>) => {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 30))
  }
  throw new Error('condition not met in 3 s')
}

describe.each(await testEngines())('GET /metrics on %s', (engine) => {
  let t: TestServer
  let admin: string
  let dispatcher: string
  const scrape = async () => {
    const r = await t.api('GET', '/metrics', admin)
    expect(r.status).toBe(200)
    return r.body as string
  }
  beforeAll(async () => {
    t = await startTestServer(engine, { metricsToken: METRICS_TOKEN })
    admin = await t.login('admin1')
    dispatcher = await t.login('dispatcher1')
  })
  afterAll(() => t?.close())

  it('is for admins and the scrape token only', async () => {
    expect((await t.api('GET', '/metrics')).status).toBe(401)
    expect((await t.api('GET', '/metrics', 'not-the-token')).status).toBe(401)
    for (const name of ['agent1', 'supervisor1', 'unit-CITY-UM'])
      expect((await t.api('GET', '/metrics', await t.login(name))).status, name).toBe(403)
    expect((await t.api('GET', '/metrics', dispatcher)).status).toBe(403)
    const byToken = await fetch(`${t.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    })
    expect(byToken.status).toBe(200)
    expect(byToken.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await byToken.text()
    expect(text).toContain('# TYPE hotline_sync_push_duration_seconds histogram')
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(1e6)
    expect(sample(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(1e6)
  })

  it('counts requests, push and pull latency, mutations by outcome and the lag', async () => {
    const before = await scrape()
    const clientId = uuid()
    const batch = {
      clientId,
      mutations: [
        mutation(1, 'ticket.create', createArgs()),
        mutation(2, 'ticket.create', createArgs()),
        // Refused by the rules: there is no such ticket to dispatch.
        mutation(3, 'ticket.dispatch', { ticketId: uuid(), unit: 'CITY-UM' }),
      ],
    }
    expect((await t.api('POST', '/api/v1/sync/push', dispatcher, batch)).status).toBe(200)
    expect((await t.api('POST', '/api/v1/sync/push', dispatcher, batch)).status).toBe(200)
    const pulled = await t.api(
      'GET',
      `/api/v1/sync/pull?cursor=0&limit=2000&clientId=${clientId}`,
      dispatcher,
    )
    expect(pulled.status).toBe(200)
    expect(pulled.body.hasMore).toBe(false)
    const after = await scrape()
    const moved = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels)

    expect(moved('hotline_sync_mutations_total', { outcome: 'applied' })).toBe(2)
    expect(moved('hotline_sync_mutations_total', { outcome: 'rejected' })).toBe(1)
    expect(moved('hotline_sync_mutations_total', { outcome: 'repeated' })).toBe(3)
    expect(moved('hotline_sync_push_duration_seconds_count', { status: '200' })).toBe(2)
    expect(moved('hotline_sync_pull_duration_seconds_count', { status: '200' })).toBe(1)
    const pushRoute = { method: 'POST', route: '/api/v1/sync/push', status: '200' }
    expect(moved('hotline_http_requests_total', pushRoute)).toBe(2)
    const scrapes = { method: 'GET', route: '/metrics', status: '200' }
    expect(moved('hotline_http_requests_total', scrapes)).toBeGreaterThanOrEqual(1)

    // The console that pulled is at the newest seq: no lag. Another console's push moves the
    // newest seq on without it, and the lag shows by how much.
    const latest = sample(after, 'hotline_changelog_latest_seq')
    expect(latest).toBe(pulled.body.cursor)
    expect(sample(after, 'hotline_changelog_lag')).toBe(0)
    expect(sample(after, 'hotline_sync_active_consoles')).toBeGreaterThanOrEqual(1)
    const other = { clientId: uuid(), mutations: [mutation(1, 'ticket.create', createArgs())] }
    expect((await t.api('POST', '/api/v1/sync/push', dispatcher, other)).status).toBe(200)
    const later = await scrape()
    expect(sample(later, 'hotline_changelog_latest_seq')).toBeGreaterThan(latest)
    expect(sample(later, 'hotline_changelog_lag')).toBe(
      sample(later, 'hotline_changelog_latest_seq') - latest,
    )
  })

  it('counts live consoles as they connect and leave', async () => {
    const connected = async () => sample(await scrape(), 'hotline_live_connections')
    expect(await connected()).toBe(0)
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/live`)
    await once(ws, 'open')
    // Not counted before it has authenticated.
    expect(await connected()).toBe(0)
    ws.send(JSON.stringify({ type: 'auth', token: dispatcher }))
    await once(ws, 'message')
    expect(await connected()).toBe(1)
    ws.close()
    await waitFor(async () => (await connected()) === 0)
  })
})
