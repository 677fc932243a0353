import { defineConfig } from 'vitest/config'

// Unit tests (test/unit) are pure and fast; integration tests (test/integration)
// drive real dockerd engines of the lab (test/lab/lab.sh), started by globalSetup.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
    // The JSON report is what .ci/run counts; the default one is for people.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
})
