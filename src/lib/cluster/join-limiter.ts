// Failed joins per source address: a guessed or stale token may be tried a few
// times a minute, then the address is told to wait (429), so that tokens cannot be
// guessed at network speed.
import { TswError } from '../errors/index.js'

/** 429: the caller tried too often. */
export class TooManyRequestsError extends TswError {
  constructor(message: string) { super(message, 429) }
}

export interface JoinLimiterOptions {
  /** Failures allowed per address in `windowMs`. */
  max?: number
  windowMs?: number
  now?: () => number
}

/** Counts failed joins per address in a sliding window. */
export class JoinLimiter {
  private readonly failures = new Map<string, number[]>()
  private readonly max: number
  private readonly windowMs: number
  private readonly now: () => number

  constructor(opts: JoinLimiterOptions = {}) {
    this.max = opts.max ?? 5
    this.windowMs = opts.windowMs ?? 60_000
    this.now = opts.now ?? Date.now
  }

  /** Throws TooManyRequestsError when `addr` failed `max` times within the window. */
  check(addr: string): void {
    const recent = this.recent(addr)
    if (recent.length < this.max) return
    const wait = Math.max(1, Math.ceil((recent[0] + this.windowMs - this.now()) / 1000))
    throw new TooManyRequestsError(`too many failed join attempts from ${addr} (${recent.length} in the last ${this.windowMs / 1000} s): try again in ${wait} s with a valid token (tsw swarm join-token worker|manager on a manager prints it)`)
  }

  /** Records a failed join from `addr`. */
  fail(addr: string): void {
    const recent = this.recent(addr)
    recent.push(this.now())
    this.failures.set(addr, recent)
    // Forget addresses that went quiet, so the map cannot grow without bound.
    if (this.failures.size > 10_000) for (const a of this.failures.keys()) if (this.recent(a).length === 0) this.failures.delete(a)
  }

  private recent(addr: string): number[] {
    const since = this.now() - this.windowMs
    return (this.failures.get(addr) ?? []).filter((t) => t > since)
  }
}
