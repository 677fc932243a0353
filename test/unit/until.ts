// The unit tests' waiter (as swarmkit's testutils): polls a check against the store until it
// holds or the deadline passes, so a test waits on what it means instead of sleeping.

/** Resolves with the first truthy value of `check`; throws "timed out waiting for <what>" after `ms`. */
export async function until<T>(check: () => Promise<T | false | undefined>, what: string, ms = 3000): Promise<T> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const v = await check()
    if (v) return v
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}
