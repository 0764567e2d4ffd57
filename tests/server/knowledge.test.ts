// The knowledge base (知识库, issue 15) on both engines: the lifecycle of an entry (draft,
// publish, edit, retire) with a version each time and the history that shows them; who may do
// what (a unit cannot publish, sees its own unit's drafts only, proposes for its own unit only);
// a unit's proposal approved or refused; bad input refused with the field named and nothing
// kept; and the feed consoles follow, scoped per reader.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, testEngines, type Json, type TestServer } from './helpers'

const entry = (over: Json = {}): Json => ({
  title: '住房公积金提取',
  questions: ['公积金怎么取出来', '提取公积金要什么材料'],
  answer: '可通过**镇江公积金**网上大厅或 App 办理，需身份证、银行卡。',
  categories: ['0608'],
  keywords: ['公积金', '提取'],
  unit: 'CITY-HF',
  source: { name: '镇江市住房公积金提取管理办法', number: '镇公积金委〔2023〕2号', url: null },
  validFrom: '2024-01-01',
  validUntil: null,
  reviewBy: '2027-06-30',
  ...over,
})

describe.each(await testEngines())('knowledge base on %s', (engine) => {
  let t: TestServer
  const tok: Record<string, string> = {}
  beforeAll(async () => {
    t = await startTestServer(engine)
    tok.agent = await t.login('agent1')
    tok.supervisor = await t.login('supervisor1')
    tok.admin = await t.login('admin1')
    tok.hf = await t.login('unit-CITY-HF')
    tok.um = await t.login('unit-CITY-UM')
  }, 60_000)
  afterAll(() => t?.close())

  /**
   * The feed from `cursor` as a console follows it: on PostgreSQL a pull right after a write may
   * stop short of it (a transaction just finished elsewhere holds the cut back, changes.ts), and
   * the console pulls again; so do we, until `until` holds (5 s at most).
   */
  const pull = async (who: string, cursor = 0, until: (f: Json) => boolean = () => true) => {
    const feed: Json = { cursor, entries: [], removed: [] }
    const t0 = Date.now()
    for (;;) {
      const r = await t.api('GET', `/api/v1/kb/pull?cursor=${feed.cursor}`, tok[who])
      expect(r.status).toBe(200)
      feed.entries.push(...r.body.entries)
      feed.removed.push(...r.body.removed)
      feed.cursor = r.body.cursor
      if (r.body.hasMore) continue
      if (until(feed) || Date.now() - t0 > 5000) return feed
      await new Promise((res) => setTimeout(res, 50))
    }
  }
  const has = (id: string) => (f: Json) =>
    f.entries.some((x: Json) => x.id === id) || f.removed.includes(id)

  it('takes an entry from draft to published to edited to retired, a version each step', async () => {
    const created = await t.api('POST', '/api/v1/kb/entries', tok.supervisor, { entry: entry() })
    expect(created.status).toBe(201)
    const e = created.body.entry
    expect(e).toMatchObject({ status: 'draft', version: 1, title: '住房公积金提取' })

    // A draft is nobody's on the call: the agent's feed and list do not carry it.
    const before = await pull('agent')
    expect(before.entries.map((x: Json) => x.id)).not.toContain(e.id)
    expect((await t.api('GET', `/api/v1/kb/entries/${e.id}`, tok.agent)).status).toBe(404)

    const pub = await t.api('POST', `/api/v1/kb/entries/${e.id}/publish`, tok.supervisor, {
      baseVersion: 1,
    })
    expect(pub.status).toBe(200)
    expect(pub.body.entry).toMatchObject({ status: 'published', version: 2 })
    const after = await pull('agent', before.cursor, has(e.id))
    expect(after.entries.map((x: Json) => x.id)).toEqual([e.id])
    expect(after.cursor).toBeGreaterThan(before.cursor)

    // An edit from an old version is refused and changes nothing.
    const stale = await t.api('PUT', `/api/v1/kb/entries/${e.id}`, tok.admin, {
      baseVersion: 1,
      entry: entry({ title: '旧版本上的修改' }),
    })
    expect(stale.status).toBe(409)
    expect(stale.body.error).toMatchObject({ code: 'stale', currentVersion: 2 })
    const edit = await t.api('PUT', `/api/v1/kb/entries/${e.id}`, tok.admin, {
      baseVersion: 2,
      entry: entry({ answer: '新的答复：带身份证到市民中心 3 楼办理。' }),
    })
    expect(edit.status).toBe(200)
    expect(edit.body.entry).toMatchObject({
      version: 3,
      status: 'published',
      title: '住房公积金提取',
    })

    const retire = await t.api('POST', `/api/v1/kb/entries/${e.id}/retire`, tok.supervisor, {
      baseVersion: 3,
      reason: '政策调整',
    })
    expect(retire.body.entry).toMatchObject({ version: 4, status: 'retired' })
    // Retired: consoles drop it.
    const gone = await pull('agent', after.cursor, has(e.id))
    expect(gone.removed).toEqual([e.id])
    expect(gone.entries).toEqual([])

    const hist = await t.api('GET', `/api/v1/kb/entries/${e.id}`, tok.supervisor)
    expect(hist.body.versions.map((v: Json) => [v.version, v.action])).toEqual([
      [4, 'retired'],
      [3, 'edited'],
      [2, 'published'],
      [1, 'created'],
    ])
    expect(hist.body.versions[0]).toMatchObject({ note: '政策调整', byName: '刘洋（班长）' })
    expect(hist.body.versions[1].changed).toEqual(['answer'])
    expect(hist.body.versions[1].byName).toBe('陈静（管理员）')
  })

  it('lets no one but supervisors and admins write, and a unit not even publish', async () => {
    const e = (await t.api('POST', '/api/v1/kb/entries', tok.supervisor, { entry: entry() })).body
      .entry
    for (const who of ['agent', 'hf']) {
      expect((await t.api('POST', '/api/v1/kb/entries', tok[who], { entry: entry() })).status).toBe(
        403,
      )
      const p = await t.api('POST', `/api/v1/kb/entries/${e.id}/publish`, tok[who], {
        baseVersion: 1,
      })
      expect(p.status).toBe(403)
      expect(p.body.error.code).toBe('forbidden')
    }
    const still = await t.api('GET', `/api/v1/kb/entries/${e.id}`, tok.supervisor)
    expect(still.body.entry).toMatchObject({ status: 'draft', version: 1 })
  })

  it("shows a unit its own unit's drafts only", async () => {
    const hfDraft = (
      await t.api('POST', '/api/v1/kb/entries', tok.supervisor, {
        entry: entry({ title: '公积金贷款额度' }),
      })
    ).body.entry
    const umDraft = (
      await t.api('POST', '/api/v1/kb/entries', tok.supervisor, {
        entry: entry({ title: '门头店招设置审批', unit: 'CITY-UM', categories: ['0108'] }),
      })
    ).body.entry
    const hfFeed = await pull('hf', 0, (f) => has(hfDraft.id)(f) && has(umDraft.id)(f))
    const ids = hfFeed.entries.map((x: Json) => x.id)
    expect(ids).toContain(hfDraft.id)
    expect(ids).not.toContain(umDraft.id)
    expect(hfFeed.removed).toContain(umDraft.id)
    expect((await t.api('GET', `/api/v1/kb/entries/${umDraft.id}`, tok.hf)).status).toBe(404)
    expect((await t.api('GET', `/api/v1/kb/entries/${hfDraft.id}`, tok.hf)).status).toBe(200)
    const list = await t.api('GET', '/api/v1/kb/entries', tok.hf)
    const listed = list.body.entries.map((x: Json) => x.id)
    expect(listed).toContain(hfDraft.id)
    expect(listed).not.toContain(umDraft.id)
    const agentAsks = await t.api('GET', '/api/v1/kb/entries?status=draft', tok.agent)
    expect(agentAsks.status).toBe(403)
  })

  it('refuses bad input naming the field, and keeps nothing', async () => {
    const count = async () =>
      (await t.api('GET', '/api/v1/kb/entries', tok.supervisor)).body.entries.length
    const n = await count()
    const cases: Array<[Json, string]> = [
      [entry({ title: '' }), 'entry.title'],
      [entry({ unit: 'NOPE-UNIT' }), 'entry.unit'],
      [entry({ categories: ['9999'] }), 'entry.categories.0'],
      [entry({ source: { name: '文件', url: 'javascript:alert(1)' } }), 'entry.source.url'],
      [entry({ validFrom: '2026-05-01', validUntil: '2026-04-01' }), 'entry.validUntil'],
      [entry({ reviewBy: '2026-02-30' }), 'entry.reviewBy'],
      [{ ...entry(), html: '<b>x</b>' }, 'entry'],
    ]
    for (const [body, field] of cases) {
      const r = await t.api('POST', '/api/v1/kb/entries', tok.supervisor, { entry: body })
      expect(r.status, JSON.stringify(body)).toBe(400)
      expect(r.body.error.field, JSON.stringify(r.body)).toBe(field)
    }
    expect(await count()).toBe(n)
  })

  it('takes a unit proposal through the review queue: approve publishes, refuse needs a reason', async () => {
    const base = (
      await t.api('POST', '/api/v1/kb/entries', tok.supervisor, {
        entry: entry({ title: '公积金异地转移' }),
        publish: true,
      })
    ).body.entry
    // Not its unit's entry: refused.
    const wrong = await t.api('POST', '/api/v1/kb/proposals', tok.um, {
      entryId: base.id,
      baseVersion: 1,
      entry: entry({ title: '公积金异地转移' }),
    })
    expect(wrong.status).toBe(403)
    expect(wrong.body.error.field).toBe('entry.unit')
    const edit = await t.api('POST', '/api/v1/kb/proposals', tok.hf, {
      entryId: base.id,
      baseVersion: 1,
      entry: entry({ title: '公积金异地转移接续', answer: '通过全国住房公积金小程序申请转入。' }),
      note: '2026 年起可全程网办',
    })
    expect(edit.status).toBe(201)
    const fresh = await t.api('POST', '/api/v1/kb/proposals', tok.hf, {
      entry: entry({ title: '灵活就业人员缴存公积金' }),
    })
    expect(fresh.status).toBe(201)

    // The queue: the supervisor sees both; the other unit sees neither.
    const queue = await t.api('GET', '/api/v1/kb/proposals?status=pending', tok.supervisor)
    const pendingIds = queue.body.proposals.map((p: Json) => p.id)
    expect(pendingIds).toEqual(
      expect.arrayContaining([edit.body.proposal.id, fresh.body.proposal.id]),
    )
    const umQueue = await t.api('GET', '/api/v1/kb/proposals', tok.um)
    expect(umQueue.body.proposals).toEqual([])
    // A unit cannot decide.
    expect(
      (
        await t.api('POST', `/api/v1/kb/proposals/${edit.body.proposal.id}/decide`, tok.hf, {
          approve: true,
        })
      ).status,
    ).toBe(403)

    const cursor = (await pull('agent')).cursor
    const ok = await t.api(
      'POST',
      `/api/v1/kb/proposals/${edit.body.proposal.id}/decide`,
      tok.supervisor,
      { approve: true },
    )
    expect(ok.status).toBe(200)
    expect(ok.body.proposal.status).toBe('approved')
    expect(ok.body.entry).toMatchObject({ id: base.id, version: 2, title: '公积金异地转移接续' })
    const seen = await pull('agent', cursor, has(base.id))
    expect(seen.entries.map((x: Json) => x.title)).toEqual(['公积金异地转移接续'])
    const again = await t.api(
      'POST',
      `/api/v1/kb/proposals/${edit.body.proposal.id}/decide`,
      tok.supervisor,
      { approve: true },
    )
    expect(again.status).toBe(409)

    const noReason = await t.api(
      'POST',
      `/api/v1/kb/proposals/${fresh.body.proposal.id}/decide`,
      tok.supervisor,
      { approve: false },
    )
    expect(noReason.status).toBe(400)
    expect(noReason.body.error.field).toBe('reason')
    const refused = await t.api(
      'POST',
      `/api/v1/kb/proposals/${fresh.body.proposal.id}/decide`,
      tok.supervisor,
      { approve: false, reason: '已有同类条目' },
    )
    expect(refused.body.proposal).toMatchObject({ status: 'refused', reason: '已有同类条目' })
    const mine = await t.api('GET', '/api/v1/kb/proposals', tok.hf)
    expect(mine.body.proposals.map((p: Json) => p.status).sort()).toEqual(['approved', 'refused'])
  })
})
