// What the leader runs, from the moment it is elected until it steps down: the
// dispatcher and the store-driven loops, each made anew for the term. A new
// leader is a manager that starts: the loops read the store and the engines
// first, so the work a previous leader left half-done is finished, not redone
// (tasks are tied to containers by their labels).
import { addEngineNode, readEnginesFile } from '../cluster/index.js'
import type { StoredEngine } from '../engine/record.js'
import { ensureIngress } from '../cluster/networks.js'
import type { ManagerConfig } from '../config/index.js'
import { Dispatcher } from '../dispatcher/index.js'
import type { EnginePool } from '../engine/pool.js'
import { Executor } from '../executor/agent.js'
import { NetAgent } from '../network/agent.js'
import { NetworkAllocator } from '../network/allocator.js'
import { LOOP_INDEXES, LOOP_KINDS, Orchestrator, Updater } from '../orchestrator/index.js'
import { SchedulerLoop } from '../scheduler/loop.js'
import type { Store } from '../store/index.js'
import { StoreCache } from '../store/cache.js'
import type { Node } from '../types/index.js'

export interface LeaderTermOptions {
  store: Store
  engines: EnginePool
  config: ManagerConfig
  heartbeatMs: number
  enginesFile?: string
  log: (msg: string) => void
  /** Where the network agent keeps its helper image (the data dir's manager folder). */
  workDir: string
  /** The manager's watch-kept copy of the loops' kinds (default: one of the term's own). */
  cache?: StoreCache
}

/** How long a term that ends waits for the executor's work under way (ms). */
const STOP_WAIT_MS = 10_000

export class LeaderTerm {
  private dispatcher?: Dispatcher
  private executor?: Executor
  private loops: Array<{ start(): void; stop(): void }> = []
  private ended = false

  constructor(private readonly opts: LeaderTermOptions) {}

  /** Starts the loops. (Who leads is read from the election, not written on the nodes: manager-status.ts.) */
  async start(): Promise<void> {
    const { store, engines, config, log } = this.opts
    // One copy of services, tasks, nodes, networks and engines, kept by the store's watch, read by the loops and heartbeats.
    const cache = this.opts.cache ?? new StoreCache({ store, kinds: [...LOOP_KINDS, 'engine'], indexes: [...LOOP_INDEXES], log })
    const dispatcher = (this.dispatcher = new Dispatcher({ store, engines, periodMs: this.opts.heartbeatMs, log, cache }))
    const netAgent = new NetAgent({ store, cache, engines, clusterId: config.ClusterID, workDir: this.opts.workDir, log })
    const executor = (this.executor = new Executor({
      store, engines, clusterId: config.ClusterID, log,
      onEngineSignal: (nodeId) => {
        dispatcher.suspect(nodeId)
        netAgent.forget(nodeId)
      },
      networks: netAgent, dnsServers: await dnsServers(store, config), cache,
    }))
    await ensureIngress(store)
    if (this.ended) return
    const allocator = new NetworkAllocator()
    dispatcher.start()
    this.loops = [
      new Orchestrator({ store, log, allocator, cache }),
      new SchedulerLoop({ store, log, cache }),
      executor,
      new Updater({ store, log, allocator, cache }),
      netAgent,
    ]
    for (const loop of this.loops) loop.start()
    // Not awaited: a slow engine in the file must not hold up a step-down.
    if (this.opts.enginesFile) void addEngines(store, engines, this.opts.enginesFile, log)
  }

  /** Stops the loops (the work they have under way goes on until stopped() resolves). */
  stop(): void {
    this.ended = true
    this.dispatcher?.stop()
    for (const loop of this.loops) loop.stop()
    this.loops = []
  }

  /** Resolves once the executor's containers under way are started or stopped (10 s at most). */
  async stopped(): Promise<void> {
    await this.executor?.idle(STOP_WAIT_MS)
  }
}

// The resolvers of service names tasks are given: every manager's address, this one first.
async function dnsServers(store: Store, config: ManagerConfig): Promise<string[]> {
  const others = (await store.list<Node>('node'))
    .filter((n) => n.Spec.Role === 'manager' && n.ID !== config.NodeID && n.ManagerStatus?.Addr)
    .map((n) => n.ManagerStatus!.Addr.replace(/:\d+$/, '').replace(/^\[|\]$/g, ''))
  return [...new Set([config.AdvertiseAddr, ...others])]
}

// Engines listed in a file become nodes (those already in the swarm are left as they are).
async function addEngines(store: Store, engines: EnginePool, file: string, log: (msg: string) => void): Promise<void> {
  const known = await store.list<StoredEngine>('engine')
  for (const ref of readEnginesFile(file)) {
    if (known.some((e) => e.Ref.URL === ref.URL && !e.Left)) continue
    try {
      const node = await addEngineNode({ store, probe: (r) => engines.probe(r, 10_000) }, ref)
      log(`engines file: added ${ref.URL} as node ${node.ID} (${node.Description.Hostname})`)
    } catch (err) {
      log(`engines file: ${ref.URL} not added: ${(err as Error).message}`)
    }
  }
}
