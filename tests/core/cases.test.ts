// The console's cases.* methods: they ask the server (nothing cached or queued), pass its
// refusals on with their reasons, save exports in `<data>/exports`, and say `offline` when the
// server cannot be reached.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConsoleCore, type ConsoleCore } from '../../src/core/console'
import { startTestServer, type TestServer } from '../server/helpers'
import { createArgs, mutation, uuid } from '../server/tickets'

describe('cases on the console', () => {
  let t: TestServer
  let core: ConsoleCore
  let dataDir: string
  let ticketId: string

  beforeAll(async () => {
    t = await startTestServer('sqlite')
    const token = (who: string) => t.login(who)
    const tokens = {
      agent: await token('agent1'),
      dispatcher: await token('dispatcher1'),
      unit: await token('unit-CITY-UM'),
    }
    const a = createArgs()
    ticketId = a.ticket.id
    const steps: Array<[keyof typeof tokens, string, unknown]> = [
      ['agent', 'ticket.create', a],
      ['dispatcher', 'ticket.dispatch', { ticketId, unit: 'CITY-UM' }],
      ['unit', 'ticket.sign', { ticketId }],
      ['unit', 'ticket.reply', { ticketId, text: '已清理', resolved: true }],
      ['agent', 'ticket.callback', { ticketId, satisfaction: 'satisfied' }],
    ]
    let n = 0
    for (const [who, name, args] of steps) {
      const r = await t.api('POST', '/api/v1/sync/push', tokens[who], {
        clientId: uuid(),
        mutations: [mutation(++n, name, args)],
      })
      expect(r.body.results[0].status).toBe('ok')
    }
    dataDir = mkdtempSync(join(tmpdir(), 'hl-cases-'))
    core = await createConsoleCore({ dataDir, serverUrl: t.url })
    const login = await core.call('session.login', { username: 'supervisor1', password: 'demo' })
    expect(login.ok).toBe(true)
  })
  afterAll(async () => {
    await core?.close()
    await t?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('nominates, ranks, lists and exports through the server', async () => {
    const made = await core.call('cases.nominate', {
      ticketId,
      title: '夜市油烟整治',
      writeUp: '经过',
    })
    if (!made.ok) throw new Error(made.error.message)
    const year = made.value.year
    const again = await core.call('cases.nominate', { ticketId, title: '再来', writeUp: '经过' })
    expect(again.ok || again.error).toMatchObject({ code: 'already_nominated' })
    expect(again.ok || again.error.message).toContain('已被推荐')
    const long = await core.call('cases.nominate', {
      ticketId,
      title: 'x'.repeat(61),
      writeUp: 'y',
    })
    expect(long.ok || long.error).toMatchObject({ code: 'invalid_input', field: 'title' })

    const ranked = await core.call('cases.update', { id: made.value.id, rank: 1 })
    expect(ranked.ok && ranked.value.rank).toBe(1)
    const list = await core.call('cases.list', { year })
    expect(list.ok && list.value.map((c) => [c.title, c.rank, c.facts.unit.code])).toEqual([
      ['夜市油烟整治', 1, 'CITY-UM'],
    ])

    const file = await core.call('cases.export', { year, format: 'md' })
    if (!file.ok) throw new Error(file.error.message)
    expect(file.value.file).toBe(join(dataDir, 'exports', file.value.name))
    expect(file.value.rows).toBe(1)
    expect(readFileSync(file.value.file, 'utf8')).toContain('第 1 名 · 夜市油烟整治')
    const second = await core.call('cases.export', { year, format: 'xlsx' })
    expect(second.ok && existsSync(second.value.file)).toBe(true)

    expect((await core.call('cases.remove', { id: made.value.id })).ok).toBe(true)
    expect(await core.call('cases.list', { year })).toEqual({ ok: true, value: [] })
  })

  it('says offline, in both languages, when the server is gone', async () => {
    await t.server.close()
    const r = await core.call('cases.list', { year: 2026 })
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.error.code).toBe('offline')
    expect(r.error.localized?.zh).toContain('当前离线')
    expect(r.error.localized?.en).toContain('cannot be reached')
  })
})
