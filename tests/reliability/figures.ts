// Figures a reliability test reports: printed at once, and written to
// test-results/reliability/<name>.json so `npm run test:reliability` can list them all at the end
// (scripts/reliability.mjs) and the README can quote them.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export type Figures = Record<string, number | string | boolean>

/** True for the longer soak run (`npm run test:reliability -- --soak`). */
export const SOAK = process.env.RELIABILITY_SOAK === '1'

/** Bounded in CI, longer under --soak: pick the figure for this run. */
export const bounded = <T>(ci: T, soak: T): T => (SOAK ? soak : ci)

export function recordFigures(name: string, figures: Figures): void {
  const line = Object.entries(figures)
    .map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : v}`)
    .join(', ')
  console.log(`[reliability] ${name}: ${line}`)
  const dir = join('test-results', 'reliability')
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, `${name.replace(/[^\w.-]+/g, '-')}.json`),
    JSON.stringify(
      { name, mode: SOAK ? 'soak' : 'bounded', at: new Date().toISOString(), figures },
      null,
      2,
    ),
  )
}
