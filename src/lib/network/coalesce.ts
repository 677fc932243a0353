// One pass for a burst of changes. A service of a thousand tasks starting is a
// thousand store changes in a few seconds; a pass per change (or every 50 ms)
// would run the host script on every node again and again. The pass waits until
// changes pause for `quietMs`, but never more than `maxWaitMs` after the first
// one, so a long burst still gets a pass now and then; passes never overlap, and
// changes during a pass make one more pass after it.

export interface CoalesceOptions {
  /** The pass. Its failure is logged by the caller's pass itself; a rejection here is swallowed. */
  pass: () => Promise<void>
  /** Run once changes have paused this long (ms). */
  quietMs: number
  /** Run at the latest this long after the first change of a burst (ms). */
  maxWaitMs: number
  now?: () => number
}

export class Coalescer {
  private timer?: NodeJS.Timeout
  private firstAt?: number
  private running = false
  private again = false
  private stopped = false
  /** Passes run so far (for tests and logs). */
  passes = 0

  constructor(private readonly opts: CoalesceOptions) {}

  /** A change: a pass will run once changes pause (or the burst is long enough). */
  request(): void {
    if (this.stopped) return
    if (this.running) {
      this.again = true
      return
    }
    const now = (this.opts.now ?? Date.now)()
    this.firstAt ??= now
    const left = this.firstAt + this.opts.maxWaitMs - now
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.fire(), Math.max(0, Math.min(this.opts.quietMs, left)))
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  private async fire(): Promise<void> {
    this.timer = undefined
    this.firstAt = undefined
    if (this.stopped) return
    this.running = true
    try {
      this.passes++
      await this.opts.pass()
    } catch {
      // The pass logs its own failures; the next change or period tries again.
    } finally {
      this.running = false
    }
    if (this.again) {
      this.again = false
      this.request()
    }
  }
}
