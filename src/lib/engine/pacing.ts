// Pacing of per-engine work (heartbeats, the executor's safety-net pass, the
// network agent's passes): with thousands of engines, asking every one at the
// same instant floods the manager (sockets, event loop, store) and the network
// for a moment, then leaves it idle. Each engine gets its own stable phase in the
// period instead, and a bound on how many calls are in flight at once.

/** A stable offset in [0, periodMs) for `key` (FNV-1a of it): the same node keeps its phase from period to period. */
export function phaseOf(key: string, periodMs: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return periodMs > 0 ? Math.floor((h / 0x1_0000_0000) * periodMs) : 0
}

/** How runPaced spreads its work. */
export interface PaceOptions<T> {
  /** The work is spread over this long (ms); 0 starts everything at once (still bounded by `limit`). */
  periodMs: number
  /** At most this many calls in flight. */
  limit: number
  /** The item's stable key (a node ID): its phase in the period. */
  key: (item: T) => string
  /** Checked before each start: true ends the run early (the loop was stopped). */
  stopped?: () => boolean
  /** Timers and clock, for tests. */
  now?: () => number
  sleep?: (ms: number) => Promise<void>
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Calls `fn` for every item, each at its phase in the period and never more
 * than `limit` at a time; resolves once every call has settled (a call's
 * failure is its own: fn handles or logs it). Returns how many were started.
 */
export async function runPaced<T>(items: T[], opts: PaceOptions<T>, fn: (item: T) => Promise<unknown>): Promise<number> {
  if (!Number.isInteger(opts.limit) || opts.limit < 1) throw new RangeError(`pacing limit must be a positive integer, not ${opts.limit}`)
  const now = opts.now ?? Date.now
  const sleep = opts.sleep ?? realSleep
  const order = items.map((item) => ({ item, at: phaseOf(opts.key(item), opts.periodMs) })).sort((a, b) => a.at - b.at)
  const start = now()
  let active = 0
  let started = 0
  const turns: Array<() => void> = []
  const running: Array<Promise<void>> = []
  for (const { item, at } of order) {
    // Items whose phase is within a millisecond go together: no timer each.
    const wait = start + at - now()
    if (wait >= 1) await sleep(wait)
    while (active >= opts.limit) await new Promise<void>((resolve) => turns.push(resolve))
    if (opts.stopped?.()) break
    active++
    started++
    running.push((async () => fn(item))().then(() => {}, () => {}).finally(() => {
      active--
      turns.shift()?.()
    }))
  }
  await Promise.all(running)
  return started
}

/** The period of a safety-net pass over `count` engines: `baseMs`, or longer so that at most `perSecond` engines are asked a second. */
export function sweepPeriodMs(count: number, baseMs: number, perSecond: number): number {
  return Math.max(baseMs, Math.ceil((count / perSecond) * 1000))
}
