// A bound on how many jobs run at once (e.g. container starts on one engine:
// 20 take about 5 s one at a time, about 3 s five at a time).

/** Runs at most n jobs at a time; the rest wait in FIFO order. */
export class Limiter {
  private running = 0
  private readonly queue: Array<() => void> = []

  constructor(readonly n: number) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`limiter size must be a positive integer, not ${n}`)
  }

  /** Jobs running now. */
  get active(): number { return this.running }

  /** Jobs waiting for a turn. */
  get pending(): number { return this.queue.length }

  /** Runs job when a turn is free; settles as job does. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.n) await new Promise<void>((resolve) => this.queue.push(resolve))
    else this.running++
    try {
      return await job()
    } finally {
      // Hand the turn straight to the next job (running stays the same), or free it.
      const next = this.queue.shift()
      if (next) next()
      else this.running--
    }
  }
}
