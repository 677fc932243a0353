// Node health: every heartbeat period the dispatcher pings each node's engine.
// Two missed beats in a row turn the node down; an answer turns it ready again
// (its Description is read afresh, the engine may have been upgraded).
// A beat reads nothing from the store: engines and node states come from the
// leader's StoreCache (memory, kept by the store's watch), and the store is
// written only when a node's state changes.
import { describeEngine, type StoredEngine } from '../engine/record.js'
import { pingEngine, probeEngine } from '../engine/index.js'
import { UnavailableError } from '../errors/index.js'
import { modify, type Store } from '../store/index.js'
import type { StoreCache } from '../store/cache.js'
import type { Node } from '../types/index.js'
import type { EnginePool } from '../engine/pool.js'
import { runPaced } from '../engine/pacing.js'
import { Heartbeat } from './heartbeat.js'
import { StallWatch } from './stall.js'

/** Heartbeats in flight at once, at most (a cut-off engine holds its turn until its deadline). */
export const MAX_BEATS = 256
/** A round's beats are spread over this share of the period: each node keeps its phase, so its beats stay a period apart. */
const SPREAD = 0.9

export interface DispatcherOptions {
  store: Store
  engines: EnginePool
  periodMs: number
  log: (msg: string) => void
  /** Where engines and nodes are read from (it must hold kinds 'engine' and 'node'); the store itself without one. */
  cache?: StoreCache
}

export class Dispatcher {
  private readonly beats = new Map<string, Heartbeat>()
  private readonly inFlight = new Set<string>()
  private readonly queued = new Set<string>()
  private readonly stalls = new StallWatch(100, 1000)
  private stallLoggedAt = 0
  private timer?: NodeJS.Timeout
  private stopped = false
  private holdsCache = false

  constructor(private readonly opts: DispatcherOptions) {}

  /** Starts beating: one round now, then one every period, each spread over the period (pacing.ts). */
  start(): void {
    if (this.stopped || this.holdsCache) return
    this.holdsCache = true
    this.opts.cache?.start()
    this.stalls.start()
    const round = () => {
      if (this.stopped) return
      this.round(Math.floor(this.opts.periodMs * SPREAD)).catch((err: Error) => this.opts.log(`dispatcher: ${err.message}`))
      this.timer = setTimeout(round, this.opts.periodMs)
    }
    round()
  }

  stop(): void {
    if (this.holdsCache) this.opts.cache?.stop()
    this.holdsCache = false
    this.stopped = true
    clearTimeout(this.timer)
    this.stalls.stop()
  }

  /**
   * One heartbeat for every node whose previous beat has finished: each at its
   * node's own phase within `spreadMs` (0: all now), at most MAX_BEATS at once.
   */
  async round(spreadMs = 0): Promise<void> {
    const engines = await this.reader().list<StoredEngine>('engine')
    const due = engines.filter((e) => !e.Left && !this.inFlight.has(e.ID) && !this.queued.has(e.ID))
    // Queued now, so that the next round does not queue them again while they wait their turn;
    // suspect() still beats a queued node at once (it is not in flight).
    for (const e of due) this.queued.add(e.ID)
    try {
      await runPaced(due, { periodMs: spreadMs, limit: MAX_BEATS, key: (e) => e.ID, stopped: () => this.stopped }, async (e) => {
        this.queued.delete(e.ID)
        if (this.inFlight.has(e.ID)) return
        this.inFlight.add(e.ID)
        await this.beat(e)
      })
    } finally {
      for (const e of due) this.queued.delete(e.ID)
    }
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
        const engine = await this.reader().get<StoredEngine>('engine', nodeId)
        if (!engine || engine.Left) return
        if (!this.inFlight.has(nodeId)) {
          this.inFlight.add(nodeId)
          if (await this.beat(engine)) return
          const node = await this.reader().get<Node>('node', nodeId)
          if (!node || node.Status.State === 'down') return
        }
        await new Promise((r) => setTimeout(r, 300))
      }
    })().catch((err: Error) => this.opts.log(`dispatcher: ${err.message}`))
  }

  // What engines and nodes are read from: the cache (shared objects: not mutated here), else the store.
  private reader(): Pick<Store, 'get' | 'list'> {
    return this.opts.cache ?? this.opts.store
  }

  // One heartbeat, of a node the caller marked in flight (cleared here): true when the engine answered.
  private async beat(engine: StoredEngine): Promise<boolean> {
    const { store, engines, periodMs, log } = this.opts
    const timeout = Math.max(200, Math.floor(periodMs * 0.8))
    const hb = this.beats.get(engine.ID) ?? new Heartbeat()
    this.beats.set(engine.ID, hb)
    try {
      const node = await this.reader().get<Node>('node', engine.ID)
      if (!node) return false
      const askedAt = Date.now()
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
        // A deadline missed while the manager itself was stalled is not the node's miss (a refused connection still is), once in a row.
        if (err instanceof UnavailableError && /no answer within/.test(err.message) && this.stalls.stalledSince(askedAt) && hb.excuse()) {
          if (Date.now() - this.stallLoggedAt > 10_000) {
            this.stallLoggedAt = Date.now()
            log(`dispatcher: heartbeats not answered in time while the manager itself was stalled are not counted as misses (node ${node.Description.Hostname}, …)`)
          }
          return false
        }
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
