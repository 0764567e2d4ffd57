// `npm test`: lint, typecheck, then every test. Prints one closing summary line.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'

mkdirSync('test-results', { recursive: true })
const reportFile = 'test-results/vitest.json'
const reliabilityFile = 'test-results/reliability-vitest.json'
rmSync(reportFile, { force: true })
rmSync(reliabilityFile, { force: true })

const steps = [
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  [
    'tests',
    'npx',
    ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`],
  ],
  // The fault, load and abuse suite in its bounded mode (`npm run test:reliability`).
  ['reliability', 'node', ['scripts/reliability.mjs']],
]

const started = Date.now()
const results = []
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`)
  const t0 = Date.now()
  const r = spawnSync(cmd, args, { stdio: 'inherit' })
  const ok = r.status === 0
  results.push({ name, ok, seconds: (Date.now() - t0) / 1000 })
  if (!ok) break
}
const failed = results.filter((r) => !r.ok)
const summary = results.map((r) => `${r.name} ${r.ok ? 'ok' : 'FAILED'} (${r.seconds.toFixed(1)}s)`)
console.log(`\n${summary.join(', ')}; total ${((Date.now() - started) / 1000).toFixed(1)}s`)
console.log(
  failed.length === 0 ? 'npm test: all steps passed' : `npm test: FAILED at ${failed[0].name}`,
)
// The plain closing line CI reads: counts from Vitest's JSON report (0 failed only if it ran).
if (existsSync(reportFile) && results.some((r) => r.name === 'tests')) {
  const reports = [reportFile, reliabilityFile]
    .filter((f) => existsSync(f))
    .map((f) => JSON.parse(readFileSync(f, 'utf8')))
  const sum = (key) => reports.reduce((n, r) => n + r[key], 0)
  const skipped = sum('numPendingTests') + sum('numTodoTests')
  console.log(
    `tests: ${sum('numPassedTests')} passed, ${sum('numFailedTests') || (failed.length ? 1 : 0)} failed, ${skipped} skipped`,
  )
} else {
  console.log(`tests: 0 passed, 1 failed`)
}
process.exit(failed.length === 0 ? 0 : 1)
