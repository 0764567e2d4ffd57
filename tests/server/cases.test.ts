// Exemplary cases (优秀案例, issue 6) on both engines: who may do what, only closed and satisfied
// tickets handled by a unit, the ranking rules, the facts from the timeline against values worked
// out by hand, and the three exports read back (Markdown order, HTML escaping, XLSX via exceljs),
// with the unit's reply masked as Open311 masks text (issue 12, finding 8).
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CASE_COLUMNS } from '../../src/shared/cases'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'
import { createArgs, mutation, uuid } from './tickets'

const DAY = 86_400_000
/** An instant from the city's wall-clock time (Asia/Shanghai, UTC+8). */
const at = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+08:00`)
const iso = (local: string) => new Date(at(local)).toISOString()
const HOSTILE = '<script>alert("x")</script> & <b>粗体</b>'

describe.each(await testEngines())('exemplary cases on %s', (engine) => {
  let t: TestServer
  let clock = at('2026-09-04 16:00')
  const tokens: Record<string, string> = {}
  const clients: Record<string, { id: string; n: number }> = {}

  const push = async (who: string, name: string, args: Json, when?: string) => {
    if (when) clock = at(when)
    const c = (clients[who] ??= { id: uuid(), n: 0 })
    const r = await t.api('POST', '/api/v1/sync/push', tokens[who], {
      clientId: c.id,
      mutations: [mutation(++c.n, name, args)],
    })
    expect(r.body.results?.[0], `${name}: ${JSON.stringify(r.body)}`).toMatchObject({
      status: 'ok',
    })
  }
  /** A ticket driven to closed through CITY-UM; `satisfaction` null closes it without a callback. */
  const closedTicket = async (satisfaction: string | null = 'satisfied') => {
    const a = createArgs()
    const ticketId = a.ticket.id
    await push('agent', 'ticket.create', a)
    await push('dispatcher', 'ticket.dispatch', { ticketId, unit: 'CITY-UM' })
    await push('CITY-UM', 'ticket.sign', { ticketId })
    await push('CITY-UM', 'ticket.reply', { ticketId, text: '已处理', resolved: true })
    if (satisfaction) await push('agent', 'ticket.callback', { ticketId, satisfaction })
    else await push('dispatcher', 'ticket.closeWithoutCallback', { ticketId, reason: '来电人拒访' })
    return ticketId
  }
  const nominate = (ticketId: string, title: string, who = 'supervisor') =>
    t.api('POST', '/api/v1/cases', tokens[who], { ticketId, title, writeUp: `${title}的经过。` })
  const list = async (who = 'supervisor', year = 2026) => {
    const r = await t.api('GET', `/api/v1/cases?year=${year}`, tokens[who])
    expect(r.status).toBe(200)
    return r.body.cases as Json[]
  }
  const ranks = async () =>
    Object.fromEntries((await list()).map((c: Json) => [c.title, c.rank ?? null]))

  beforeAll(async () => {
    t = await startTestServer(engine, { now: () => clock, sessionTtlMs: 400 * DAY })
    const logins = {
      agent: 'agent1',
      dispatcher: 'dispatcher1',
      supervisor: 'supervisor1',
      admin: 'admin1',
      'CITY-UM': 'unit-CITY-UM',
      'CITY-EE': 'unit-CITY-EE',
    }
    for (const [who, username] of Object.entries(logins)) tokens[who] = await t.login(username)
  })
  afterAll(() => t?.close())

  let factsCase: Json
  it('fills in the facts from the timeline (returned once, over a weekend)', async () => {
    const a = createArgs({
      channel: 'enterprise',
      caller: { name: '周经理', phone: '13805291111', anonymous: false, company: '镇江某科技公司' },
    })
    const ticketId = a.ticket.id
    await push('agent', 'ticket.create', a, '2026-09-04 16:00') // a Friday
    await push('dispatcher', 'ticket.dispatch', { ticketId, unit: 'CITY-EE' }, '2026-09-04 16:10')
    await push(
      'CITY-EE',
      'ticket.requestReturn',
      { ticketId, reason: '非本单位职责' },
      '2026-09-04 16:30',
    )
    await push('dispatcher', 'ticket.decideReturn', { ticketId, approve: true }, '2026-09-04 16:40')
    await push('dispatcher', 'ticket.dispatch', { ticketId, unit: 'CITY-UM' }, '2026-09-04 16:50')
    await push('CITY-UM', 'ticket.sign', { ticketId }, '2026-09-07 09:00')
    const reply = '已协调执法中队清理占道摊点，并在路口增设监控。'
    await push(
      'CITY-UM',
      'ticket.reply',
      { ticketId, text: reply, resolved: true },
      '2026-09-08 10:00',
    )
    await push(
      'agent',
      'ticket.callback',
      { ticketId, satisfaction: 'satisfied' },
      '2026-09-09 09:30',
    )

    clock = at('2026-09-10 10:00')
    const r = await nominate(ticketId, '多部门协同整治占道经营')
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    factsCase = r.body.case
    expect(factsCase).toMatchObject({
      year: 2026,
      rank: null,
      nominatedAt: iso('2026-09-10 10:00'),
    })
    expect(factsCase.nominatedBy.name).toContain('刘洋')
    expect(factsCase.facts).toMatchObject({
      status: 'closed',
      category: { code: '0110', name: { zh: '市政设施 / 占道经营' } },
      district: { code: '321102', name: { zh: '京口区' } },
      unit: { code: 'CITY-UM', name: { zh: '镇江市城市管理局' } },
      createdAt: iso('2026-09-04 16:00'),
      // The first dispatch, to the unit that returned it.
      dispatchedAt: iso('2026-09-04 16:10'),
      completedAt: iso('2026-09-08 10:00'),
      closedAt: iso('2026-09-09 09:30'),
      // Fri 16:00 → Tue 10:00: 3 days 18 hours.
      handlingDays: 3.75,
      // Working time (08:30–12:00, 13:30–17:30 = 450 min a day): Fri 90 + Mon 450 + Tue 90 = 630.
      handlingWorkingDays: 1.4,
      satisfaction: 'satisfied',
      company: true,
      replyText: reply,
    })
    expect(factsCase.facts.number).toMatch(/^20260904\d{6}$/)
  })

  it('lets every role read, only supervisors change, and units see their own cases', async () => {
    for (const who of ['agent', 'dispatcher', 'admin', 'CITY-UM', 'CITY-EE']) {
      const id = factsCase.id
      const body = { title: '改' }
      expect((await t.api('PUT', `/api/v1/cases/${id}`, tokens[who], body)).status).toBe(403)
      expect((await t.api('DELETE', `/api/v1/cases/${id}`, tokens[who])).status).toBe(403)
      const post = await t.api('POST', '/api/v1/cases', tokens[who], {
        ticketId: factsCase.ticketId,
        title: 'x',
        writeUp: 'y',
      })
      expect(post.status, who).toBe(403)
    }
    expect((await t.api('GET', '/api/v1/cases?year=2026')).status).toBe(401)
    for (const who of ['agent', 'dispatcher', 'admin', 'supervisor'])
      expect((await list(who)).map((c: Json) => c.id)).toEqual([factsCase.id])
    // The ticket was returned by CITY-EE: it is CITY-UM's now, and so is the case.
    expect((await list('CITY-UM')).map((c: Json) => c.id)).toEqual([factsCase.id])
    expect(await list('CITY-EE')).toEqual([])
    const ee = await t.api('GET', '/api/v1/cases/export?year=2026&format=md', tokens['CITY-EE'])
    expect(ee.body).not.toContain('多部门协同')
    expect(await list('supervisor', 2025)).toEqual([])
    expect((await t.api('GET', '/api/v1/cases?year=abc', tokens.supervisor)).status).toBe(400)
  })

  it('nominates only a closed ticket a unit handled and the caller was satisfied with', async () => {
    clock = at('2026-09-14 09:00')
    const open = createArgs()
    await push('agent', 'ticket.create', open)
    await push('dispatcher', 'ticket.dispatch', { ticketId: open.ticket.id, unit: 'CITY-UM' })
    let r = await nominate(open.ticket.id, '未办结')
    expect(r.status).toBe(409)
    expect(r.body.error).toMatchObject({ code: 'not_closed' })
    expect(r.body.error.localized.zh).toContain('已派单')

    const answered = createArgs()
    await push('agent', 'ticket.create', answered)
    await push('agent', 'ticket.answer', { ticketId: answered.ticket.id, text: '已当场解答' })
    r = await nominate(answered.ticket.id, '当场答复')
    expect(r.body.error?.code).toBe('not_handled_by_unit')

    r = await nominate(await closedTicket('unsatisfied'), '不满意')
    expect([r.status, r.body.error?.code]).toEqual([409, 'not_satisfied'])
    r = await nominate(await closedTicket(null), '未回访')
    expect([r.status, r.body.error?.code]).toEqual([409, 'not_satisfied'])
    r = await nominate(uuid(), '没有的工单')
    expect([r.status, r.body.error?.code]).toEqual([404, 'ticket_not_found'])

    r = await nominate(factsCase.ticketId, '再推荐一次')
    expect(r.status).toBe(409)
    expect(r.body.error).toMatchObject({ code: 'already_nominated', caseId: factsCase.id })

    const ok = await closedTicket('basically_satisfied')
    r = await nominate(ok, '标'.repeat(61))
    expect([r.status, r.body.error?.field]).toEqual([400, 'title'])
    r = await t.api('POST', '/api/v1/cases', tokens.supervisor, { ticketId: ok, title: 'x' })
    expect([r.status, r.body.error?.field]).toEqual([400, 'writeUp'])
    expect((await nominate(ok, '  换行\n的标题  ')).body.case.title).toBe('换行 的标题')
    expect(await list()).toHaveLength(2)
  })

  it('keeps ranks 1…n without gaps: a taken rank moves the others down', async () => {
    const all = await list()
    const named = async (title: string) => {
      clock += 60_000
      const r = await nominate(await closedTicket(), title)
      expect(r.status).toBe(201)
      return r.body.case.id as string
    }
    const A = all[0].id
    const B = all[1].id
    const C = await named('丙')
    const D = await named('丁')
    const rank = async (id: string, r: number | null) => {
      const res = await t.api('PUT', `/api/v1/cases/${id}`, tokens.supervisor, { rank: r })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return res.body.case.rank
    }
    expect(await rank(A, 1)).toBe(1)
    expect(await rank(B, 2)).toBe(2)
    expect(await rank(C, 3)).toBe(3)
    // D takes rank 2: B and C move down one.
    expect(await rank(D, 2)).toBe(2)
    expect(await ranks()).toEqual({ 多部门协同整治占道经营: 1, 丁: 2, '换行 的标题': 3, 丙: 4 })
    // A rank past the end of the list is the next free one.
    expect(await rank(D, 9)).toBe(4)
    // Moving up: those in between move down one.
    expect(await rank(C, 1)).toBe(1)
    expect(await ranks()).toEqual({ 丙: 1, 多部门协同整治占道经营: 2, '换行 的标题': 3, 丁: 4 })
    // Unranking and removing close the gap.
    expect(await rank(A, null)).toBe(null)
    expect(await ranks()).toEqual({ 丙: 1, '换行 的标题': 2, 丁: 3, 多部门协同整治占道经营: null })
    expect((await t.api('DELETE', `/api/v1/cases/${B}`, tokens.supervisor)).status).toBe(200)
    expect(await ranks()).toEqual({ 丙: 1, 丁: 2, 多部门协同整治占道经营: null })
    expect((await t.api('DELETE', `/api/v1/cases/${B}`, tokens.supervisor)).status).toBe(404)
    // The list: ranked first, then the others by nomination.
    expect((await list()).map((c: Json) => c.title)).toEqual(['丙', '丁', '多部门协同整治占道经营'])

    // Supervisors ranking at once: one after another, and the ranks stay 1…n.
    const everyone = [C, D, A]
    const racing = await Promise.all(
      [...everyone, ...everyone].map((id, i) =>
        t.api('PUT', `/api/v1/cases/${id}`, tokens.supervisor, { rank: (i % 3) + 1 }),
      ),
    )
    expect(racing.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200])
    expect(Object.values(await ranks()).sort()).toEqual([1, 2, 3])
    await rank(C, 1)
    await rank(D, 2)
    await rank(A, null)

    const bad = [{ rank: 0 }, { rank: 11 }, { rank: 1.5 }, {}]
    for (const body of bad)
      expect((await t.api('PUT', `/api/v1/cases/${C}`, tokens.supervisor, body)).status).toBe(400)
    const edit = await t.api('PUT', `/api/v1/cases/${D}`, tokens.supervisor, {
      title: HOSTILE,
      writeUp: '第一段。\n\n第二段 *强调* [链接](javascript:alert(1))',
    })
    expect(edit.body.case).toMatchObject({ title: HOSTILE, rank: 2 })
    expect(
      (await t.api('PUT', `/api/v1/cases/${uuid()}`, tokens.supervisor, { rank: 1 })).status,
    ).toBe(404)
  })

  it('exports the ranked list as Markdown, escaped HTML and XLSX', async () => {
    const get = (format: string) =>
      fetch(`${t.url}/api/v1/cases/export?year=2026&format=${format}`, {
        headers: { authorization: `Bearer ${tokens.supervisor}` },
      })
    const md = await get('md')
    expect(md.headers.get('content-type')).toContain('text/markdown')
    const text = await md.text()
    const order = ['第 1 名 · 丙', '第 2 名 · ', '候选 · 多部门协同整治占道经营'].map((h) =>
      text.indexOf(h),
    )
    expect(order.every((i) => i > 0)).toBe(true)
    expect([...order].sort((x, y) => x - y)).toEqual(order)
    expect(text).toContain('| 办理用时（工作日） | 1.4 |')
    expect(text).toContain('&lt;script&gt;')
    expect(text).not.toContain('<script>')
    expect(text).toContain('\\*强调\\*')

    const html = await (await get('html')).text()
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).not.toMatch(/<script|<b>|<link|src=/i)
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;粗体&lt;/b&gt;',
    )
    expect(html).toContain("default-src 'none'")
    expect(html).toContain('<p>第一段。</p>')

    const xlsx = await get('xlsx')
    expect(xlsx.headers.get('content-disposition')).toContain('hotline-cases-2026.xlsx')
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never)
    const sheet = book.worksheets[0]!
    const rows = sheet.getSheetValues().filter(Boolean) as unknown[][]
    expect(rows[0]!.slice(1)).toEqual(CASE_COLUMNS.map(([, h]) => h))
    expect(rows).toHaveLength(4)
    const col = (name: string) => CASE_COLUMNS.findIndex(([k]) => k === name) + 1
    expect(rows.slice(1).map((r) => r[col('title')])).toEqual([
      '丙',
      HOSTILE,
      '多部门协同整治占道经营',
    ])
    expect(rows.slice(1).map((r) => r[col('rank')] ?? null)).toEqual([1, 2, null])
    const facts = rows[3]!
    expect(facts[col('number')]).toBe(factsCase.facts.number)
    expect(facts[col('unit')]).toBe('镇江市城市管理局')
    expect(facts[col('createdAt')]).toBe('2026-09-04 16:00')
    expect(facts[col('completedAt')]).toBe('2026-09-08 10:00')
    expect(facts[col('handlingWorkingDays')]).toBe(1.4)
    expect(facts[col('satisfaction')]).toBe('满意')
    expect(facts[col('company')]).toBe('是')

    expect((await get('pdf')).status).toBe(400)
  })

  it("masks personal numbers and the caller's name in the reply, in every export", async () => {
    const phone = '13905290123'
    const forms = [
      '１３９０５２９０１２３',
      '139.0529.0123',
      '0511-8888 1234',
      '32110219800101123X',
    ]
    const a = createArgs({ caller: { name: '钱多多', phone, anonymous: false } })
    const ticketId = a.ticket.id
    await push('agent', 'ticket.create', a, '2026-09-10 09:00')
    await push('dispatcher', 'ticket.dispatch', { ticketId, unit: 'CITY-UM' })
    await push('CITY-UM', 'ticket.sign', { ticketId })
    const reply = `已上门处理，并电话告知钱多多（${forms.join('、')}），对方满意`
    await push('CITY-UM', 'ticket.reply', { ticketId, text: reply, resolved: true })
    await push('agent', 'ticket.callback', { ticketId, satisfaction: 'satisfied' })
    expect((await nominate(ticketId, '上门服务', 'supervisor')).status).toBe(201)

    const secrets = [phone, ...forms, '钱多多']
    for (const format of ['md', 'html', 'xlsx']) {
      const res = await fetch(`${t.url}/api/v1/cases/export?year=2026&format=${format}`, {
        headers: { authorization: `Bearer ${tokens.supervisor}` },
      })
      expect(res.status).toBe(200)
      let text: string
      if (format === 'xlsx') {
        const book = new ExcelJS.Workbook()
        await book.xlsx.load(Buffer.from(await res.arrayBuffer()) as never)
        text = JSON.stringify(book.worksheets[0]!.getSheetValues())
      } else text = await res.text()
      // (Markdown shows its stars escaped.)
      expect(text.replace(/\\\*/g, '*'), format).toContain(
        '已上门处理，并电话告知钱**（139****0123',
      )
      for (const secret of secrets) expect(text, `${format}: ${secret}`).not.toContain(secret)
    }
    // The list the console shows says the same.
    const listed = (await list()).find((c: Json) => c.ticketId === ticketId)
    for (const secret of secrets) expect(JSON.stringify(listed)).not.toContain(secret)
  })
})
