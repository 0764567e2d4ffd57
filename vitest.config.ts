import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The fault, load and abuse suite has its own run (vitest.reliability.config.ts).
    exclude: ['tests/reliability/**', '**/node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    reporters: ['default'],
    // Servers the tests start as processes do not urge by themselves: a test's timeline stays
    // what the test made, whatever the day (tests/server/auto-urge.test.ts runs the job itself).
    env: { AUTO_URGE: 'off' },
  },
})
