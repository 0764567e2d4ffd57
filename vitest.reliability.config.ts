// `npm run test:reliability`: the fault, load and abuse suite (tests/reliability). Bounded by
// default (CI runs it so); RELIABILITY_SOAK=1 (or `npm run test:reliability -- --soak`) runs longer.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/reliability/**/*.test.ts'],
    environment: 'node',
    // A soak test runs for minutes by design (five of load per engine, thousands of fuzz runs).
    testTimeout: process.env.RELIABILITY_SOAK === '1' ? 1_800_000 : 300_000,
    hookTimeout: 120_000,
    // One file at a time: each file loads the machine on purpose (servers, hundreds of sockets).
    fileParallelism: false,
    reporters: ['default'],
    env: { AUTO_URGE: 'off' },
  },
})
