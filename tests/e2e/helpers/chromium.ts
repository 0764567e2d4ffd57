// Debian's Chromium driven by playwright-core (no browser download). In CI (REQUIRE_CHROMIUM=1)
// a missing Chromium fails the run; elsewhere the browser tests are skipped, loudly.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core'
import { it } from 'vitest'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
const required = process.env.REQUIRE_CHROMIUM === '1'

/** Call once at the top of a browser test file: fails in CI, warns elsewhere, when missing. */
export function chromiumOrSkip(file: string): boolean {
  if (hasChromium) return true
  const why = `${CHROMIUM} not found (apt-get install -y chromium fonts-noto-cjk)`
  if (required) {
    it(`Chromium is required (REQUIRE_CHROMIUM=1): ${why}`, () => {
      throw new Error(why)
    })
  } else {
    console.warn(`\n!!! SKIPPING the browser tests in ${file}: ${why} !!!\n`)
  }
  return false
}

export interface Browser {
  context: BrowserContext
  page: Page
  close(): Promise<void>
}

/** Debian's Chromium, headless, without its background networking (this machine has none), at
 *  the console's usual size, in Chinese and the city's time zone: for the tests and bench:ui. */
export const CHROMIUM_OPTIONS = {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
  viewport: { width: 1440, height: 860 },
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
}

/** A fresh Chromium with its own profile folder, one page open. */
export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'hotline-chromium-'))
  const context = await chromium.launchPersistentContext(profile, CHROMIUM_OPTIONS)
  const page = context.pages()[0] ?? (await context.newPage())
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(String(e)))
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text())
  })
  ;(page as Page & { problems?: string[] }).problems = problems
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {})
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** Errors and CSP violations the page logged; a test expects none. */
export const pageProblems = (page: Page): string[] =>
  (page as Page & { problems?: string[] }).problems ?? []

const SHOTS = join(process.cwd(), 'test-results', 'screenshots')

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

/** An attribute of every element a locator matches, in order (no DOM types needed here). */
export async function attributes(locator: Locator, name: string): Promise<Array<string | null>> {
  return Promise.all((await locator.all()).map((l) => l.getAttribute(name)))
}
