// The manager's Prometheus metrics: dockerd's swarm names where swarm has the
// metric (swarm_manager_*, swarm_dispatcher_scheduling_delay_seconds,
// swarm_store_*_latency_seconds), tsw's own under tsw_. Counts are read from the
// store at each scrape, so every manager reports the whole swarm.
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'
import type { ClusterEvents } from '../events/index.js'
import type { Store, StoreEvent } from '../store/index.js'
import { TASK_STATES, type Node, type NodeState, type Task } from '../types/index.js'
import {
  engineCallObservers, meshRulesObservers, passObservers, secondsSince, type EngineCallObserver, type MeshRulesObserver, type PassObserver,
} from './hooks.js'

const NODE_STATES: NodeState[] = ['unknown', 'down', 'ready', 'disconnected']
/** Seconds: from a millisecond store read to a minute-long first start of a task. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
const DELAY_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120]

export interface SwarmMetricsOptions {
  store: Store
  events: ClusterEvents
  /** Whether this manager leads now. */
  isLeader: () => boolean
  now?: () => number
}

export class SwarmMetrics {
  /** The registry to serve (GET /metrics). */
  readonly registry = new Registry()
  private readonly stops: Array<() => void> = []
  private readonly taskStates = new Map<string, string>()
  private readonly started: number

  constructor(private readonly opts: SwarmMetricsOptions) {
    const r = [this.registry]
    this.started = (opts.now ?? Date.now)()
    collectDefaultMetrics({ register: this.registry })
    new Gauge({
      name: 'swarm_manager_nodes', help: 'The number of nodes', labelNames: ['state'], registers: r,
      async collect() {
        const nodes = await opts.store.list<Node>('node')
        for (const s of NODE_STATES) this.set({ state: s }, nodes.filter((n) => n.Status.State === s).length)
      },
    })
    new Gauge({
      name: 'swarm_manager_tasks_total', help: 'The number of tasks in the cluster object store', labelNames: ['state'], registers: r,
      async collect() {
        const tasks = await opts.store.list<Task>('task')
        for (const s of TASK_STATES) this.set({ state: s }, tasks.filter((t) => t.Status.State === s).length)
      },
    })
    for (const [kind, name] of [['service', 'services'], ['network', 'networks']] as const) {
      new Gauge({
        name: `swarm_manager_${name}_total`, help: `The number of ${name} in the cluster object store`, registers: r,
        async collect() { this.set((await opts.store.list(kind)).length) },
      })
    }
    new Gauge({
      name: 'swarm_manager_leader', help: 'Indicates if this manager node is a leader', registers: r,
      collect() { this.set(opts.isLeader() ? 1 : 0) },
    })
    const delay = new Histogram({
      name: 'swarm_dispatcher_scheduling_delay_seconds', help: 'Scheduling delay is the time a task takes to go from NEW to RUNNING state.',
      buckets: DELAY_BUCKETS, registers: r,
    })
    this.stops.push(opts.events.onChange((change) => this.taskChange(change, delay)))
    this.timeStore(
      new Histogram({ name: 'swarm_store_read_tx_latency_seconds', help: 'Latency of reads of the store (get, list), the raft read transaction\'s equivalent', buckets: LATENCY_BUCKETS, labelNames: ['kind'], registers: r }),
      new Histogram({ name: 'swarm_store_write_tx_latency_seconds', help: 'Latency of writes to the store (create, update, delete), the raft write transaction\'s equivalent', buckets: LATENCY_BUCKETS, labelNames: ['kind'], registers: r }),
    )
    const passes = new Histogram({ name: 'tsw_reconcile_pass_duration_seconds', help: 'Duration of one pass of a control loop (orchestrator, scheduler, executor, network, names)', labelNames: ['loop'], buckets: LATENCY_BUCKETS, registers: r })
    const calls = new Histogram({ name: 'tsw_engine_call_duration_seconds', help: 'Latency of the executor\'s calls to the nodes\' engines', labelNames: ['engine', 'call', 'outcome'], buckets: LATENCY_BUCKETS, registers: r })
    const onPass: PassObserver = (loop, seconds) => passes.observe({ loop }, seconds)
    const onCall: EngineCallObserver = (engine, call, seconds, ok) => calls.observe({ engine, call, outcome: ok ? 'ok' : 'error' }, seconds)
    const mesh = new Gauge({ name: 'tsw_mesh_rules', help: 'iptables rules (NAT and filter) of the routing mesh and virtual IPs on a node, as last applied', labelNames: ['node'], registers: r })
    const onMesh: MeshRulesObserver = (node, rules) => mesh.set({ node }, rules)
    passObservers.add(onPass)
    engineCallObservers.add(onCall)
    meshRulesObservers.add(onMesh)
    this.stops.push(() => passObservers.delete(onPass), () => engineCallObservers.delete(onCall), () => meshRulesObservers.delete(onMesh))
  }

  /** The text to serve, in Prometheus' exposition format. */
  metrics(): Promise<string> {
    return this.registry.metrics()
  }

  /** The Content-Type of metrics(). */
  get contentType(): string {
    return this.registry.contentType
  }

  stop(): void {
    for (const fn of this.stops.splice(0)) fn()
  }

  // A task seen going to running since this manager started: its time from creation.
  private taskChange(change: StoreEvent, delay: Histogram): void {
    if (change.kind !== 'task') return
    if (change.action === 'delete') return void this.taskStates.delete(change.id)
    const task = change.object as Task | undefined
    if (!task) return
    const before = this.taskStates.get(task.ID)
    this.taskStates.set(task.ID, task.Status.State)
    if (task.Status.State !== 'running' || before === 'running') return
    const created = Date.parse(task.CreatedAt)
    const at = Date.parse(task.Status.Timestamp)
    // A task already running when this manager started is not a new start.
    if (before === undefined && at < this.started) return
    if (Number.isFinite(created) && Number.isFinite(at) && at >= created) delay.observe((at - created) / 1000)
  }


  // The store's methods, timed in place (the object stays what it was: `instanceof EtcdStore` still holds).
  private timeStore(read: Histogram, write: Histogram): void {
    const store = this.opts.store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
    // Not createAll: SQLite's create() goes through it, and would count twice.
    const writes = ['create', 'update', 'updateAll', 'delete', 'modifyInPlace'].map((m) => [m, write] as const)
    for (const [method, histogram] of [['get', read], ['list', read], ...writes] as const) {
      const original = store[method]
      if (typeof original !== 'function') continue // modifyInPlace: SQLite's only
      const timed = function (this: unknown, ...args: unknown[]) {
        const start = process.hrtime.bigint()
        // updateAll takes [{ kind, obj }, ...]: labelled with the first object's kind.
        const kind = Array.isArray(args[0]) ? String((args[0][0] as { kind?: string } | undefined)?.kind) : String(args[0])
        const done = () => histogram.observe({ kind }, secondsSince(start))
        const p = original.apply(this, args)
        p.then(done, done)
        return p
      }
      store[method] = timed
      this.stops.push(() => { store[method] = original })
    }
  }
}
