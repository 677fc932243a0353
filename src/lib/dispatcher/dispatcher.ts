// Node health: every heartbeat period the dispatcher pings each node's engine.
// Two missed beats in a row turn the node down; an answer turns it ready again
// (its Description is read afresh, the engine may have been upgraded).
import { describeEngine, type StoredEngine } from '../engine/record.js'
import { pingEngine, probeEngine } from '../engine/index.js'
import { modify, type Store } from '../store/index.js'
import type { Node } from '../types/index.js'
import type { EnginePool } from '../engine/pool.js'
import { Heartbeat } from './heartbeat.js'

export interface DispatcherOptions {
  store: Store
  engines: EnginePool
  periodMs: number
  log: (msg: string) => void
}

export class Dispatcher {
  private readonly beats = new Map<string, Heartbeat>()
  private readonly inFlight = new Set<string>()
  private timer?: NodeJS.Timeout
  private stopped = false

  constructor(private readonly opts: DispatcherOptions) {}

  /** Starts beating: one round now, then one every period. */
  start(): void {
    const round = () => {
      if (this.stopped) return
      this.round().catch((err: Error) => this.opts.log(`dispatcher: ${err.message}`))
      this.timer = setTimeout(round, this.opts.periodMs)
    }
    round()
  }

  stop(): void {
    this.stopped = true
    clearTimeout(this.timer)
  }

  /** One heartbeat for every node whose previous beat has finished. */
  async round(): Promise<void> {
    const engines = await this.opts.store.list<StoredEngine>('engine')
    await Promise.allSettled(engines.filter((e) => !e.Left && !this.inFlight.has(e.ID)).map((e) => this.beat(e)))
  }

  /**
   * A sign that a node's engine may have gone or come back (its event stream
   * dropped or reopened): beat it now and, while it misses, again every 300 ms,
   * so a crashed engine is down in well under a second instead of after two
   * heartbeat periods, and a returning one is ready at once.
   */
  suspect(nodeId: string): void {
    if (this.stopped) return
    void (async () => {
      for (let i = 0; i < 10 && !this.stopped; i++) {
        const engine = await this.opts.store.get<StoredEngine>('engine', nodeId)
        if (!engine || engine.Left) return
        if (!this.inFlight.has(nodeId)) {
          if (await this.beat(engine)) return
          const node = await this.opts.store.get<Node>('node', nodeId)
          if (!node || node.Status.State === 'down') return
        }
        await new Promise((r) => setTimeout(r, 300))
      }
    })().catch((err: Error) => this.opts.log(`dispatcher: ${err.message}`))
  }

  // One heartbeat: true when the engine answered.
  private async beat(engine: StoredEngine): Promise<boolean> {
    const { store, engines, periodMs, log } = this.opts
    const timeout = Math.max(200, Math.floor(periodMs * 0.8))
    const hb = this.beats.get(engine.ID) ?? new Heartbeat()
    this.beats.set(engine.ID, hb)
    this.inFlight.add(engine.ID)
    try {
      const node = await store.get<Node>('node', engine.ID)
      if (!node) return false
      try {
        const conn = await engines.get(engine.ID, engine.Ref)
        await pingEngine(conn, timeout)
        if (!hb.ok(node.Status.State)) return true
        const info = await probeEngine(conn, timeout)
        await modify<Node>(store, 'node', node.ID, (n) => {
          n.Status = { State: 'ready', Addr: n.Status.Addr }
          n.Description = { ...describeEngine(info), TLSInfo: n.Description.TLSInfo }
        })
        log(`node ${node.ID} (${node.Description.Hostname}) is ready`)
        return true
      } catch (err) {
        engines.drop(engine.ID)
        if (!hb.miss(node.Status.State)) return false
        const message = `heartbeat failure: ${(err as Error).message}`
        await modify<Node>(store, 'node', node.ID, (n) => {
          n.Status = { State: 'down', Message: message, Addr: n.Status.Addr }
        })
        log(`node ${node.ID} (${node.Description.Hostname}) is down: ${message}`)
        return false
      }
    } finally {
      this.inFlight.delete(engine.ID)
    }
  }
}
