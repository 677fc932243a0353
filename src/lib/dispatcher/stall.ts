// Whether the manager's own event loop stalled lately. Under load (a burst of
// store writes, a long pass over 150k tasks, a starved CPU) answers that did
// arrive sit unread past a heartbeat's deadline: such a miss says nothing about
// the node. A ticker notes each tick that came late by more than `stallMs`.

export class StallWatch {
  private timer?: NodeJS.Timeout
  private expected = 0
  private lastStall = -Infinity

  constructor(private readonly tickMs = 100, private readonly stallMs = 500, private readonly now: () => number = Date.now) {}

  start(): void {
    this.expected = this.now() + this.tickMs
    this.timer = setInterval(() => this.tick(), this.tickMs)
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }

  /** One tick of the ticker (public for tests): late by more than stallMs is a stall. */
  tick(): void {
    const now = this.now()
    if (now - this.expected > this.stallMs) this.lastStall = now
    this.expected = now + this.tickMs
  }

  /** True when the loop stalled at or after `since` (ms since the epoch). */
  stalledSince(since: number): boolean {
    return this.lastStall >= since
  }
}
