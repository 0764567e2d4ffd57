// `npm run bench:ui [-- --tickets 100000 --presses 500]`
// The renderer with a big queue, in Chromium through the web host: J key press → next painted
// frame (beside the same measurement on a bare page: the browser's own floor on this machine),
// Enter → the ticket pane shows that ticket, typing a filter → the total reflects it, N → the
// intake screen, and the renderer's JS heap afterwards. Target (DESIGN.md): J → frame ≤ 16 ms p95.
//
// The data: a central server (SQLite) with demo users and reference data but no tickets; a
// console core logs in as dispatcher1 and syncs that; then N fixture tickets (bench/core-
// fixtures.ts) are bulk-loaded straight into the console's cache (LocalStore.bulkLoad, the path a
// snapshot file takes). The server never hears of them: this bench measures the renderer, not
// sync (bench:core-sync does that).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { OUT, ensureBuilt } from '../scripts/ensure-built'
import { startServerProcess, type ServerProcess } from '../scripts/server-process'
import { createConsoleCore, type ConsoleCore } from '../src/core/console'
import { LocalStore } from '../src/core/db/local-store'
import { startWebHost, type WebHost } from '../src/main/web/host'
import type { Ticket } from '../src/shared/ticket'
import { CHROMIUM_OPTIONS } from '../tests/e2e/helpers/chromium'
import { fixture, loadReference } from './core-fixtures'

const { values } = parseArgs({
  options: {
    tickets: { type: 'string', default: '100000' },
    presses: { type: 'string', default: '500' },
    opens: { type: 'string', default: '20' },
    filters: { type: 'string', default: '10' },
    term: { type: 'string', default: '噪音' },
    /** Write a CPU profile of the J presses here (open it in Chrome DevTools' Performance). */
    cpuprofile: { type: 'string' },
    /** Write a Chrome trace of the J presses here (open it in Perfetto or DevTools). */
    trace: { type: 'string' },
  },
})
const N = Number(values.tickets)
const PRESSES = Number(values.presses)
const OPENS = Number(values.opens)
const FILTERS = Number(values.filters)
const TERM = values.term
const TARGET_MS = 16

const root = mkdtempSync(join(tmpdir(), 'hotline-bench-ui-'))
let server: ServerProcess | null = null
let core: ConsoleCore | null = null
let host: WebHost | null = null
let context: BrowserContext | null = null

async function cleanup(): Promise<void> {
  await context?.close().catch(() => {})
  await host?.close().catch(() => {})
  await core?.close().catch(() => {})
  await server?.stop().catch(() => {})
  rmSync(root, { recursive: true, force: true })
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** A fixed sequence in [0, 1), so two runs press at the same moments. */
const jitter = (() => {
  let a = 12345
  return () => ((a = (Math.imul(a, 1103515245) + 12345) >>> 0) >>> 8) / 2 ** 24
})()
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN
}
const stats = (xs: number[]) =>
  `p50 ${pct(xs, 0.5).toFixed(1)} ms, p95 ${pct(xs, 0.95).toFixed(1)} ms (n ${xs.length})`
const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`

async function until(pred: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const t0 = Date.now()
  while (!(await pred())) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

// --- In-page probes ---------------------------------------------------------------------------
// Installed in every page before its scripts run (plain JavaScript: functions compiled here would
// carry tsx's helpers into the page). A capture-phase keydown listener on window runs before the
// console's own (bubble-phase) key handler; from there, the frame that shows the key's effect is
// approximated by requestAnimationFrame (its callbacks run after the handler's synchronous React
// render, before style, layout and paint) and a setTimeout(0) posted from inside it, which runs
// once that frame's rendering work is done.
/** An element (by selector) that is shown, or whose text includes or starts with a string. */
interface Spec {
  sel: string
  includes?: string
  startsWith?: string
}
const PROBE = `(() => {
  const b = {
    armed: null, samples: [], parts: [], done: 0, keyAt: 0, inputAt: null, waiter: null,
    waitDone(n) {
      return b.done >= n ? Promise.resolve(b.done) : new Promise((res) => (b.waiter = { n, res }))
    },
    watch(spec, timeoutMs) {
      const cond = () => {
        const el = document.querySelector(spec.sel)
        if (!el || el.getClientRects().length === 0) return false
        const text = el.textContent || ''
        if (spec.includes !== undefined && !text.includes(spec.includes)) return false
        return spec.startsWith === undefined || text.startsWith(spec.startsWith)
      }
      return new Promise((resolve, reject) => {
        const frame = () =>
          requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))
        if (cond()) return frame()
        const mo = new MutationObserver(() => {
          if (!cond()) return
          mo.disconnect()
          clearTimeout(timer)
          frame()
        })
        const timer = setTimeout(() => {
          mo.disconnect()
          reject(new Error('watch timed out'))
        }, timeoutMs)
        mo.observe(document, { subtree: true, childList: true, characterData: true, attributes: true })
      })
    },
  }
  window.__bench = b
  addEventListener('keydown', (e) => {
    const t0 = (b.keyAt = performance.now())
    if (b.armed === null || e.key.toLowerCase() !== b.armed) return
    // The frame starts with its requestAnimationFrame callbacks: not before the key's own task
    // (the handlers, React's render and effects) is over.
    let frameAt = NaN
    requestAnimationFrame(() => {
      frameAt = performance.now()
      setTimeout(() => {
        const end = performance.now()
        b.samples.push(end - t0)
        b.parts.push([frameAt - t0, end - frameAt])
        b.done++
        if (b.waiter && b.done >= b.waiter.n) {
          b.waiter.res(b.done)
          b.waiter = null
        }
      }, 0)
    })
  }, { capture: true })
  addEventListener('input', () => {
    if (b.inputAt === null) b.inputAt = performance.now()
  }, { capture: true })
})()`

// The page's side is driven with expressions in strings: this file is compiled without the DOM's
// types, and functions compiled by tsx would carry its helpers into the page.
const js = JSON.stringify

interface KeyFrames {
  /** keydown → the frame after it is rendered. */
  total: number[]
  /** keydown → the next frame's requestAnimationFrame callbacks start (after the key's task). */
  frameStart: number[]
  /** those callbacks → the frame is rendered (scroll events, rAF work, style, layout, paint). */
  frame: number[]
}

/** Presses `key` n times, each once the previous press's frame is done. */
async function keyToFrame(page: Page, key: string, n: number): Promise<KeyFrames> {
  await page.evaluate(
    `Object.assign(window.__bench, { samples: [], parts: [], done: 0, armed: ${js(key.toLowerCase())} }), 0`,
  )
  for (let i = 0; i < n; i++) {
    // A person's key lands anywhere in the 16.7 ms between two frames, not just after one.
    await sleep(jitter() * 17)
    await page.keyboard.press(key)
    await page.evaluate(`window.__bench.waitDone(${i + 1})`)
  }
  const [total, parts] = await page.evaluate<[number[], [number, number][]]>(
    '(window.__bench.armed = null, [window.__bench.samples, window.__bench.parts])',
  )
  return {
    total,
    frameStart: parts.map((p) => p[0]),
    frame: parts.map((p) => p[1]),
  }
}

/** Once `spec` holds, one frame later: ms since the last keydown (or the first input event). */
const watch = (page: Page, spec: Spec, timeoutMs: number, from: 'keyAt' | 'inputAt' = 'keyAt') =>
  page.evaluate<number>(
    `window.__bench.watch(${js(spec)}, ${timeoutMs}).then((t) => t - window.__bench.${from})`,
  )

const BARE = `<!doctype html><meta charset="utf-8"><title>bare</title>
<div id="n" style="font: 14px sans-serif">0</div>
<script>
  let n = 0
  addEventListener('keydown', () => { document.getElementById('n').textContent = String(++n) })
</script>`

// --- Set-up -----------------------------------------------------------------------------------
async function main(): Promise<void> {
  let t0 = performance.now()
  await ensureBuilt()
  console.log(`renderer built (out/renderer) in ${secs(t0)}`)

  t0 = performance.now()
  server = await startServerProcess({ dataDir: join(root, 'server'), demo: true, demoTickets: 0 })
  core = await createConsoleCore({ dataDir: join(root, 'console'), serverUrl: server.url })
  const login = await core.call('session.login', { username: 'dispatcher1', password: 'demo' })
  if (!login.ok) throw new Error(login.error.message)
  const c = core
  await until(
    async () => {
      const s = await c.call('sync.status', {})
      const ref = await c.call('reference.get', {})
      return s.ok && s.value.lastSyncAt !== null && s.value.snapshot === null && ref.ok
    },
    60_000,
    'the first sync',
  )
  const fx = fixture(loadReference(), N)
  function* batches(): Generator<Ticket[]> {
    for (let i = 0; i < N; i += 10_000) {
      const out: Ticket[] = []
      for (let j = i; j < Math.min(N, i + 10_000); j++) out.push(fx.ticket(j))
      yield out
    }
  }
  // The runtime store is the LocalStore, which has bulkLoad; the ConsoleApi-facing type does not.
  if (!(core.store instanceof LocalStore)) throw new Error('the console store is not a LocalStore')
  const loaded = core.store.bulkLoad(batches())
  const all = await core.call('queue.query', { filter: { view: 'all' }, limit: 1 })
  const filtered = await core.call('queue.query', { filter: { view: 'all', text: TERM }, limit: 1 })
  if (!all.ok || !filtered.ok) throw new Error('queue.query failed')
  const total = all.value.total
  const filteredTotal = filtered.value.total
  console.log(
    `data: ${loaded.rows} fixture tickets bulk-loaded into the console cache (LocalStore.bulkLoad, ` +
      `not synced) in ${secs(t0)}; view "all" holds ${total}, "${TERM}" matches ${filteredTotal}`,
  )

  host = await startWebHost({ core, rendererDir: join(OUT, 'renderer') })
  context = await chromium.launchPersistentContext(join(root, 'chromium'), CHROMIUM_OPTIONS)
  await context.addInitScript({ content: PROBE })
  const page = context.pages()[0] ?? (await context.newPage())
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(String(e)))
  const version =
    context.browser()?.version() ?? (await page.evaluate<string>('navigator.userAgent'))

  // --- The browser's floor: the same measurement on a bare page ------------------------------
  await page.setContent(BARE)
  // setContent writes into the current document: no new document, so no init script.
  if (!(await page.evaluate<boolean>('!!window.__bench'))) await page.evaluate(PROBE)
  await page.evaluate('document.body.focus()')
  await keyToFrame(page, 'j', 20) // warm-up
  const bare = await keyToFrame(page, 'j', PRESSES)

  // --- The console ---------------------------------------------------------------------------
  // The core is logged in already: the page opens on the queue (no login screen).
  await page.goto(host.url)
  await page.locator('.console').waitFor({ timeout: 30_000 })
  await page.locator('.tbody [role="row"]:not(.placeholder)').first().waitFor()
  await page.keyboard.press('8') // 全部
  const totalText = page.getByTestId('queue-total')
  await until(
    async () => (await totalText.innerText()).startsWith(`${total} `),
    30_000,
    `the view "all" to show ${total} rows`,
  )
  await page.locator('.queue-box').focus()
  await sleep(500)

  await keyToFrame(page, 'j', 20) // warm-up (JIT, first pages)
  await page.keyboard.press('Home')
  await sleep(300)
  const cdp = await context.newCDPSession(page)
  if (values.cpuprofile) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
    await cdp.send('Profiler.start')
  }
  if (values.trace) {
    await cdp.send('Tracing.start', {
      transferMode: 'ReturnAsStream',
      traceConfig: {
        includedCategories: [
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
          'disabled-by-default-devtools.timeline.frame',
          'blink',
          'cc',
          'gpu',
          'toplevel',
          'v8.execute',
        ],
      },
    })
  }
  const jFrames = await keyToFrame(page, 'j', PRESSES)
  if (values.cpuprofile) {
    const { profile } = await cdp.send('Profiler.stop')
    writeFileSync(values.cpuprofile, JSON.stringify(profile))
  }
  if (values.trace) {
    const done = new Promise<string>((resolve) =>
      cdp.once('Tracing.tracingComplete', (e) => resolve(e.stream!)),
    )
    await cdp.send('Tracing.end')
    const handle = await done
    const chunks: string[] = []
    for (;;) {
      const r = await cdp.send('IO.read', { handle, size: 1 << 20 })
      chunks.push(r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data)
      if (r.eof) break
    }
    await cdp.send('IO.close', { handle })
    writeFileSync(values.trace, chunks.join(''))
  }
  const kFrames = await keyToFrame(page, 'k', Math.min(100, PRESSES))
  // The same with the ticket pane open: it follows the cursor.
  await page.keyboard.press('Enter')
  await page.locator('.ticket-pane').waitFor()
  const paneFrames = await keyToFrame(page, 'j', Math.min(200, PRESSES))
  await page.keyboard.press('Escape')
  await page.locator('.ticket-pane').waitFor({ state: 'detached' })

  // Enter → the pane shows the cursor's ticket number, after the cursor rested on it (its
  // detail prefetched), and straight after a J press (not prefetched yet). Each wait starts in
  // the page before the key is pressed and ends one frame after the DOM shows the change; the
  // figure is from the keydown (the capture listener's time) to then.
  const openOnce = async (rest: number): Promise<number> => {
    await page.keyboard.press('j')
    await sleep(rest)
    const number = (
      await page.locator('.tbody .tr.cursor [role="gridcell"]').first().innerText()
    ).trim()
    const shown = watch(page, { sel: '.ticket-pane', includes: number }, 5000)
    await page.keyboard.press('Enter')
    const ms = await shown
    await page.keyboard.press('Escape')
    await page.locator('.ticket-pane').waitFor({ state: 'detached' })
    return ms
  }
  const opensRested: number[] = []
  const opensAtOnce: number[] = []
  for (let i = 0; i < OPENS; i++) opensRested.push(await openOnce(300))
  for (let i = 0; i < OPENS; i++) opensAtOnce.push(await openOnce(0))

  // Filtering by typing: `/`, the term, until the total shows the filtered count (from the first
  // input event); then Backspace until empty, until the total is back (from the last keydown).
  const totalIs = (n: number): Spec => ({ sel: '[data-testid="queue-total"]', startsWith: `${n} ` })
  const filters: number[] = []
  const clears: number[] = []
  for (let i = 0; i < FILTERS; i++) {
    await page.keyboard.press('/')
    await page.locator('input[aria-label="filter"]:focus').waitFor()
    await page.evaluate('window.__bench.inputAt = null')
    const shown = watch(page, totalIs(filteredTotal), 30_000, 'inputAt')
    await page.keyboard.type(TERM)
    filters.push(await shown)
    const back = watch(page, totalIs(total), 30_000)
    for (let k = 0; k < [...TERM].length; k++) await page.keyboard.press('Backspace')
    clears.push(await back)
    await page.keyboard.press('Escape')
    await sleep(200)
  }

  // Intake: N → `.intake` shown, where this build has it.
  await page.locator('.queue-box').focus()
  let intake: number[] | null = []
  for (let i = 0; i < 10 && intake; i++) {
    const shown = watch(page, { sel: '.intake' }, 2000)
    await page.keyboard.press('n')
    try {
      intake.push(await shown)
    } catch {
      intake = null
      break
    }
    await page.keyboard.press('Escape')
    await page
      .locator('.intake')
      .waitFor({ state: 'detached', timeout: 5000 })
      .catch(() => {})
    await page.locator('.queue-box').focus()
  }

  // Memory after the runs.
  await cdp.send('Performance.enable')
  const metric = async (name: string) =>
    (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name)?.value ?? NaN
  const heapUsed = await metric('JSHeapUsedSize')
  await cdp.send('HeapProfiler.collectGarbage')
  const heapAfterGc = await metric('JSHeapUsedSize')
  const nodes = await metric('Nodes')
  const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`

  const met = pct(jFrames.total, 0.95) <= TARGET_MS
  const w = 26
  const out = [
    '',
    `ui benchmark: ${total} rows in the view "all", dispatcher, Chromium ${version} headless ` +
      `(--disable-gpu), production renderer build`,
    `key → frame, measured in the page: from a capture-phase keydown listener (performance.now()) ` +
      `to a setTimeout(0) posted from the next requestAnimationFrame, i.e. once the frame that ` +
      `shows the change has been rendered. Each press waits for the previous one's frame, then ` +
      `0–17 ms more (fixed pseudo-random), so keys land anywhere between two frames.`,
    '',
    `${'J → next frame'.padEnd(w)}${stats(jFrames.total)}   target p95 ≤ ${TARGET_MS} ms: ${met ? 'met' : 'NOT met'}`,
    `${'  baseline, bare page'.padEnd(w)}${stats(bare.total)}   (a keydown listener that changes one element's text)`,
    `  of which, console | bare page:`,
    `${'  keydown → frame starts'.padEnd(w)}${stats(jFrames.frameStart)} | ${stats(bare.frameStart)}`,
    `${'  frame (rAF → rendered)'.padEnd(w)}${stats(jFrames.frame)} | ${stats(bare.frame)}`,
    `${'K → next frame'.padEnd(w)}${stats(kFrames.total)}`,
    `${'J, ticket pane open'.padEnd(w)}${stats(paneFrames.total)}`,
    `Enter → pane shows the ticket's number (+1 frame)`,
    `${'  cursor rested 300 ms'.padEnd(w)}${stats(opensRested)}`,
    `${'  right after J'.padEnd(w)}${stats(opensAtOnce)}   (Console.tsx loads the detail 60 ms after the cursor stops)`,
    `filter "${TERM}" → total shows ${filteredTotal} (+1 frame), from the first keystroke:`,
    `${''.padEnd(w)}${stats(filters)}   (includes Console.tsx's 150 ms typing debounce)`,
    `${`  clearing it → ${total}`.padEnd(w)}${stats(clears)}`,
    intake
      ? `${'N → .intake shown'.padEnd(w)}${stats(intake)}`
      : 'intake: not available in this build (N showed no .intake within 2 s)',
    `renderer memory: JS heap used ${mib(heapUsed)} after the runs, ${mib(heapAfterGc)} after a ` +
      `forced GC; ${nodes} DOM nodes after it`,
  ]
  if (problems.length) out.push(`page errors: ${problems.join(' | ')}`)
  console.log(out.join('\n'))
}

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void cleanup().finally(() => process.exit(130)))

main()
  .then(async () => {
    await cleanup()
    process.exit(0)
  })
  .catch(async (e: unknown) => {
    console.error(e)
    await cleanup()
    process.exit(1)
  })
