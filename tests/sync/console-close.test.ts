// A console closes at once whatever its sync is doing. Found in CI: a console closed during its
// first sync waited without end for the reference data it had asked for — Node 20's fetch did not
// end the read of the server's compressed answer when the console's signal fired after the
// headers — so closing the console hung (tests/core/cases.test.ts' afterAll, under load). Real
// server, real console core, closed at every moment of its first sync.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createConsoleCore } from '../../src/core/console'
import { startTestServer, type TestServer } from '../server/helpers'

describe('a console closed during its first sync', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite')
  })
  afterAll(() => t?.close())

  it('closes at once, at whatever moment', { timeout: 120_000 }, async () => {
    const slow: string[] = []
    for (let round = 0; round < 40; round++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'hl-close-'))
      const core = await createConsoleCore({ dataDir, serverUrl: t.url })
      const login = await core.call('session.login', { username: 'supervisor1', password: 'demo' })
      expect(login.ok).toBe(true)
      // Into the first sync: the snapshot, the reference data, the pages after.
      await new Promise((r) => setTimeout(r, (round % 20) * 4))
      const t0 = Date.now()
      const closed = await Promise.race([
        core.close().then(() => true),
        new Promise<false>((r) => setTimeout(() => r(false), 5000)),
      ])
      if (!closed) slow.push(`round ${round}: still closing after 5 s`)
      else if (Date.now() - t0 > 5000) slow.push(`round ${round}: ${Date.now() - t0} ms`)
      rmSync(dataDir, { recursive: true, force: true })
    }
    expect(slow).toEqual([])
  })
})
