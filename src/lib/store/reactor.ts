// A pass that runs after store changes: changes arriving together share one
// pass, a pass never overlaps itself, and a change during a pass makes it run
// once more. The orchestrator, the scheduler and the executor are each one.
import { passObservers, secondsSince } from '../metrics/hooks.js'
import type { Store, StoreEvent } from './store.js'

export interface ReactorOptions {
  store: Store
  /** Which changes call for a pass. */
  wants: (event: StoreEvent) => boolean
  pass: () => Promise<void>
  log: (msg: string) => void
  name: string
  /** How long changes are gathered before a pass (ms). */
  debounceMs?: number
}

export class Reactor {
  private unwatch?: () => void
  private timer?: NodeJS.Timeout
  private running = false
  private again = false
  private stopped = false

  constructor(private readonly opts: ReactorOptions) {}

  /** Starts watching, with a first pass now. */
  start(): void {
    this.unwatch = this.opts.store.watch((e) => {
      if (this.opts.wants(e)) this.poke()
    })
    this.poke()
  }

  stop(): void {
    this.stopped = true
    this.unwatch?.()
    clearTimeout(this.timer)
  }

  get isStopped(): boolean {
    return this.stopped
  }

  /** Asks for a pass soon. */
  poke(): void {
    if (this.stopped || this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.run()
    }, this.opts.debounceMs ?? 5)
  }

  /** Runs a pass now (or once more after the current one). */
  async run(): Promise<void> {
    if (this.running) {
      this.again = true
      return
    }
    this.running = true
    try {
      do {
        this.again = false
        const start = process.hrtime.bigint()
        await this.opts.pass()
        if (passObservers.size) for (const fn of passObservers) fn(this.opts.name, secondsSince(start))
      } while (this.again && !this.stopped)
    } catch (err) {
      this.opts.log(`${this.opts.name}: ${(err as Error).message}`)
      this.poke()
    } finally {
      this.running = false
    }
  }
}
