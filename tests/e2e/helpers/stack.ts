// What a browser test talks to: a fresh central server process with demo data, and consoles —
// each its own core, data folder and web host — on it. Everything is stopped by the returned
// functions; data folders are temp folders removed at the end.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createConsoleCore, type ConsoleCore } from '../../../src/core/console'
import type { SyncOptions } from '../../../src/core/sync/options'
import { WEB_HOST_CACHE, startWebHost, type WebHost } from '../../../src/main/web/host'
import { OUT, ensureBuilt } from '../../../scripts/ensure-built'
import { loadReferenceData } from '../../../src/server/reference-files'
import { leafCategories } from '../../../src/shared/reference-data'
import { uuidv7 } from '../../../src/shared/ids'
import { startServerProcess, type ServerProcess } from '../../../scripts/server-process'

export interface TestConsole {
  core: ConsoleCore
  host: WebHost
  dataDir: string
  close(): Promise<void>
}

export interface Stack {
  server: ServerProcess
  root: string
  /**
   * A console with its own data folder and web host; `sync` shortens its timings. With
   * `latencyMs` every call the page makes answers that much later (a loaded machine, made
   * repeatable): races between keys and loads then happen every time, not now and then.
   */
  console(
    name: string,
    sync?: Partial<SyncOptions>,
    opts?: { latencyMs?: number },
  ): Promise<TestConsole>
  /**
   * Logs `n` new calls through an agent's console and waits until the server has them, so a
   * test does not depend on how many tickets the demo data happens to leave undispatched.
   */
  logNewTickets(n: number): Promise<string[]>
  stopServer(): Promise<void>
  /** The same server again: same port, same data folder. */
  restartServer(): Promise<void>
  close(): Promise<void>
}

export async function startStack(opts: { demoTickets?: number } = {}): Promise<Stack> {
  await ensureBuilt(() => {})
  const root = mkdtempSync(join(tmpdir(), 'hotline-e2e-'))
  const serverOpts = {
    dataDir: join(root, 'server'),
    demo: true,
    demoTickets: opts.demoTickets ?? 300,
  }
  const server = await startServerProcess(serverOpts)
  const consoles: TestConsole[] = []
  const stack: Stack = {
    server,
    root,
    async console(name, sync, opts) {
      const dataDir = join(root, `console-${name}`)
      const core = await createConsoleCore({
        dataDir,
        serverUrl: server.url,
        cache: WEB_HOST_CACHE,
        ...(sync ? { sync } : {}),
      })
      const latency = opts?.latencyMs ?? 0
      const slow: ConsoleCore = latency
        ? Object.assign(Object.create(core) as ConsoleCore, {
            call: (async (method, args) => {
              await new Promise((r) => setTimeout(r, latency))
              return core.call(method, args)
            }) as ConsoleCore['call'],
          })
        : core
      const host = await startWebHost({
        core: slow,
        rendererDir: join(OUT, 'renderer'),
      })
      const c: TestConsole = {
        core,
        host,
        dataDir,
        async close() {
          await host.close()
          await core.close()
        },
      }
      consoles.push(c)
      return c
    },
    async logNewTickets(n) {
      const agent = await stack.console(`agent-${consoles.length}`)
      const login = await agent.core.call('session.login', { username: 'agent1', password: 'demo' })
      if (!login.ok) throw new Error(login.error.message)
      // Creating needs the reference data, which the first pull brings.
      for (let i = 0; !(await agent.core.call('reference.get', {})).ok; i++) {
        if (i > 100) throw new Error('no reference data after 10 s')
        await new Promise((r) => setTimeout(r, 100))
      }
      const { leaf, district } = await sampleReference()
      const ids: string[] = []
      for (let i = 0; i < n; i++) {
        const id = uuidv7(Date.now())
        const r = await agent.core.call('ticket.act', {
          name: 'ticket.create',
          args: {
            ticket: {
              id,
              channel: 'phone',
              kind: 'complaint',
              category: leaf,
              caller: { name: `测试${i}`, phone: `1380000${String(1000 + i)}` },
              description: `测试来电 ${i}：小区门口夜间施工噪音扰民`,
              location: { address: `镇江市测试路${i + 1}号`, district },
            },
          },
        })
        if (!r.ok) throw new Error(r.error.message)
        ids.push(id)
      }
      for (let i = 0; i < 100; i++) {
        const st = await agent.core.call('sync.now', {})
        if (st.ok && st.value.pending === 0) return ids
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error('the new tickets did not reach the server')
    },
    stopServer: () => stack.server.stop(),
    async restartServer() {
      await stack.server.stop()
      stack.server = await startServerProcess({
        ...serverOpts,
        port: Number(new URL(server.url).port),
      })
    },
    async close() {
      for (const c of consoles) await c.close().catch(() => {})
      await stack.server.stop()
      rmSync(root, { recursive: true, force: true })
    },
  }
  return stack
}

/** A leaf category and a district from the reference files, for tickets tests make. */
async function sampleReference(): Promise<{ leaf: string; district: string }> {
  const data = await loadReferenceData()
  const leaf = leafCategories(data.categories).find((c) => c.code.startsWith('01'))
  return { leaf: leaf!.code, district: data.districts[0]!.code }
}
