// `npm run test:reliability [-- --soak]`: the fault, load and abuse suite (tests/reliability),
// bounded by default, longer with --soak. Ends with every figure the tests recorded.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const args = process.argv.slice(2)
const soak = args.includes('--soak')
const rest = args.filter((a) => a !== '--soak')
const dir = join('test-results', 'reliability')
rmSync(dir, { recursive: true, force: true })
mkdirSync(dir, { recursive: true })

const env = { ...process.env, RELIABILITY_SOAK: soak ? '1' : '0' }
console.log(`=== reliability suite (${soak ? 'soak' : 'bounded'})`)
const r = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--config',
    'vitest.reliability.config.ts',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=test-results/reliability-vitest.json',
    ...rest,
  ],
  { stdio: 'inherit', env },
)

const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : []
if (files.length) console.log('\n=== reliability figures')
for (const f of files) {
  const { name, figures } = JSON.parse(readFileSync(join(dir, f), 'utf8'))
  const line = Object.entries(figures)
    .map(([k, v]) => `${k} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : v}`)
    .join(', ')
  console.log(`${name}: ${line}`)
}
process.exit(r.status ?? 1)
