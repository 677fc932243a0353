// Counts each test's attempts in its meta, which the JSON report keeps: .ci/run names
// the integration tests that passed only on their retry (vitest.config.ts), so a flaky
// test shows in every CI run instead of hiding behind the retry.
import { beforeEach } from 'vitest'

beforeEach(({ task }) => {
  const meta = task.meta as { attempts?: number }
  meta.attempts = (meta.attempts ?? 0) + 1
})
