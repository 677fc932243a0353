// The orchestrator loop: after every change to services, tasks or nodes (and
// when a delayed restart falls due) it plans each service (reconcile.ts) and
// writes the plan to the store. Tasks of removed services are stopped and,
// once stopped, deleted; each slot keeps a bounded history.
import { MAX_BATCH, modify, modifyAll, Reactor, type Store } from '../store/index.js'
import { StoreCache } from '../store/cache.js'
import { NetworkAllocator } from '../network/allocator.js'
import { isTerminal, type Network, type Node, type Service, type Task } from '../types/index.js'
import { isJob, planJob } from './jobs.js'
import { planService } from './reconcile.js'
import { bySlot } from './slots.js'
import { newTask } from './task.js'

export interface OrchestratorOptions {
  store: Store
  log: (msg: string) => void
  /** Terminal tasks kept per slot (swarm's task history retention limit). */
  historyLimit?: number
  now?: () => number
  /** Hands out network addresses (shared with the updater). */
  allocator?: NetworkAllocator
  /** Services, tasks, nodes and networks as the store's watch keeps them (shared by the loops); default: its own. */
  cache?: StoreCache
}

/** The kinds the loops read from a StoreCache. */
export const LOOP_KINDS = ['service', 'task', 'node', 'network'] as const
/** The indexes the loops and the API read of that cache: tasks by service and by node. */
export const LOOP_INDEXES = [{ kind: 'task', field: 'ServiceID' }, { kind: 'task', field: 'NodeID' }] as const

export class Orchestrator {
  private readonly reactor: Reactor
  private wake?: NodeJS.Timeout
  private readonly now: () => number
  private readonly allocator: NetworkAllocator
  private readonly cache: StoreCache

  constructor(private readonly opts: OrchestratorOptions) {
    this.now = opts.now ?? Date.now
    this.cache = opts.cache ?? new StoreCache({ store: opts.store, kinds: [...LOOP_KINDS], log: opts.log })
    this.allocator = opts.allocator ?? new NetworkAllocator(this.now)
    this.reactor = new Reactor({
      store: opts.store, log: opts.log, name: 'orchestrator', pass: () => this.reconcileAll(),
      wants: (e) => e.kind === 'service' || e.kind === 'task' || e.kind === 'node' || e.kind === 'network',
    })
  }

  /** Starts: a full pass now, then one after every relevant change. */
  start(): void {
    this.cache.start()
    this.reactor.start()
  }

  stop(): void {
    this.reactor.stop()
    this.cache.stop()
    clearTimeout(this.wake)
  }

  private async reconcileAll(): Promise<void> {
    const { store } = this.opts
    const { cache } = this
    const [listed, tasks, nodes, networks] = await Promise.all([
      cache.list<Service>('service'), cache.list<Task>('task'), cache.list<Node>('node'), cache.list<Network>('network'),
    ])
    const services = await this.allocate(listed, tasks, nodes, networks)
    const byService = new Map<string, Task[]>()
    for (const t of tasks) {
      const list = byService.get(t.ServiceID)
      if (list) list.push(t)
      else byService.set(t.ServiceID, [t])
    }
    let wakeAt = Infinity
    const now = this.now()
    for (const service of services) {
      const own = byService.get(service.ID) ?? []
      byService.delete(service.ID)
      const plan = isJob(service) ? planJob(service, own, nodes, now) : planService(service, own, nodes, now)
      await this.shutdown(plan.shutdown)
      // New tasks MAX_BATCH per transaction: a 10,000-replica service is 100 writes, not 10,000.
      const fresh = plan.create.map((w) => ({ kind: 'task' as const, obj: newTask(service, w, new Date(now), this.allocator) }))
      for (let at = 0; at < fresh.length; at += MAX_BATCH) await store.createAll(fresh.slice(at, at + MAX_BATCH))
      if (plan.wakeAt) wakeAt = Math.min(wakeAt, plan.wakeAt)
      await this.trimHistory(own)
    }
    // Tasks whose service is gone: stop them, and forget them once stopped.
    const orphans = [...byService.values()].flat()
    await this.shutdown(orphans.filter((t) => t.DesiredState !== 'remove').map((t) => ({ taskId: t.ID, reason: 'service removed' })), 'remove')
    for (const t of orphans) {
      if (t.DesiredState === 'remove' && (isTerminal(t.Status.State) || !t.NodeID)) await store.delete('task', t.ID)
    }
    clearTimeout(this.wake)
    if (wakeAt !== Infinity && !this.reactor.isStopped) this.wake = setTimeout(() => this.reactor.poke(), Math.max(0, wakeAt - this.now()) + 10)
  }

  // Addresses: each node one in every network (its bridge's), each vip-mode service one per network.
  // Returns the services with their addresses (copies where they changed: the cache's objects are shared).
  private async allocate(services: Service[], tasks: Task[], nodes: Node[], networks: Network[]): Promise<Service[]> {
    const { store } = this.opts
    this.allocator.refresh(networks, services, tasks)
    for (const [networkId, add] of this.allocator.nodeAddresses(nodes)) {
      await modify<Network>(store, 'network', networkId, (n) => {
        for (const [nodeId, ip] of Object.entries(add)) n.Tsw.NodeAddresses[nodeId] ??= ip
      })
    }
    const out: Service[] = []
    for (const service of services) {
      const vips = this.allocator.virtualIps(service)
      if (JSON.stringify(vips) === JSON.stringify(service.Endpoint?.VirtualIPs ?? [])) {
        out.push(service)
        continue
      }
      await modify<Service>(store, 'service', service.ID, (s) => {
        s.Endpoint = { ...(s.Endpoint ?? { Spec: s.Spec.EndpointSpec ?? { Mode: 'vip' } }), VirtualIPs: vips }
        if (!vips.length) delete s.Endpoint.VirtualIPs
      })
      out.push({ ...service, Endpoint: { ...(service.Endpoint ?? { Spec: service.Spec.EndpointSpec ?? {} }), VirtualIPs: vips } })
    }
    return out
  }

  // Desired state shutdown (or remove); a task never placed on a node is shut down at once. MAX_BATCH per transaction.
  private async shutdown(tasks: Array<{ taskId: string; reason: string }>, desired: 'shutdown' | 'remove' = 'shutdown'): Promise<void> {
    await modifyAll<Task>(this.opts.store, 'task', tasks.map(({ taskId, reason }) => ({
      id: taskId,
      change: (t) => {
        t.DesiredState = desired
        if (!t.NodeID || t.Status.State === 'pending' || t.Status.State === 'new') {
          t.Status = { ...t.Status, State: 'shutdown', Message: `shutdown: ${reason}`, Timestamp: new Date(this.now()).toISOString() }
        }
        return true
      },
    })), (id) => this.cache.get<Task>('task', id))
  }

  // Each slot keeps its newest `historyLimit` stopped tasks (the live one does not count).
  private async trimHistory(tasks: Task[]): Promise<void> {
    const limit = this.opts.historyLimit ?? 5
    for (const slotTasks of bySlot(tasks).values()) {
      const done = slotTasks.filter((t) => isTerminal(t.Status.State) && t.DesiredState !== 'running')
      for (const t of done.slice(limit)) await this.opts.store.delete('task', t.ID)
    }
  }
}
