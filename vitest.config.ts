import { defineConfig } from 'vitest/config'

// Two projects: `unit` (test/unit) is pure and fast, needs neither root nor the lab
// (npm run test:unit); `integration` (test/integration) drives real dockerd engines
// of the lab (test/lab/lab.sh), which its globalSetup starts. `npm test` runs both.
// Unit test files share their workers (isolate: false halves the run): a test that
// fakes timers or changes globals puts them back in afterEach. The unit group runs
// first, then the integration files one at a time (they share the one lab).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
    // The JSON report is what .ci/run counts (both projects in one file); the default one is for people.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], fileParallelism: true, isolate: false, sequence: { groupOrder: 0 } } },
      // An integration test that fails is run once more (a loaded 2-core CI machine, real engines); one
      // that passes only then still counts as passed, and .ci/run prints its name as flaky (setup/attempts.ts).
      {
        extends: true,
        test: { name: 'integration', include: ['test/integration/**/*.test.ts'], globalSetup: ['test/setup/global.ts'], setupFiles: ['test/setup/attempts.ts'], retry: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
})
