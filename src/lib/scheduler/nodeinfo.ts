// The scheduler's view of a node: the Node plus what its tasks already take.
import type { GenericResource, Node, Task } from '../types/index.js'
import { stateIndex, wantsRun } from '../types/index.js'
import { GenericUsage, nodeGenericResources, type NodeResource } from './generic-resources.js'
import { hostPortKey, type HostPort } from './sched-task.js'
import type { ServiceCounts } from './service-counts.js'

const RUNNING = stateIndex('running')

/** A node with its tasks' counts, reserved resources and used host ports. */
export class NodeInfo {
  /** Tasks meant to run (desired state running or earlier), per service ID. */
  readonly activeByService = new Map<string, number>()
  /** Tasks meant to run on the node, all services. */
  activeTasks = 0
  /** NanoCPUs reserved by every non-terminal task on the node. */
  reservedNanoCPUs = 0
  /** Memory bytes reserved by every non-terminal task on the node. */
  reservedMemoryBytes = 0
  /** Host-mode ports held, as hostPortKey gives them. */
  readonly usedHostPorts = new Set<string>()
  /** The node's generic resources by kind, and what its tasks hold of them. */
  readonly genericResources: Map<string, NodeResource>
  private readonly genericUsage = new GenericUsage()
  private readonly taskIds = new Set<string>()

  /** `counts`, with the node's `index`: a shared per-service tally this node's active tasks are added to. */
  constructor(readonly node: Node, private readonly index = -1, private readonly counts?: ServiceCounts) {
    this.genericResources = nodeGenericResources(node)
  }

  /** The generic resources the node would give for `want` (kind → count), or undefined when it has not enough left. */
  claimGeneric(want: Map<string, number>): GenericResource[] | undefined {
    return this.genericUsage.claim(this.genericResources, want)
  }

  /**
   * Accounts for a task on this node (with `claimed`: the generic resources
   * just given to it); returns false (and changes nothing) if it was already counted.
   */
  addTask(task: Task, ports: HostPort[] = [], claimed?: GenericResource[]): boolean {
    if (this.taskIds.has(task.ID)) return false
    this.taskIds.add(task.ID)
    // Like swarmkit, a task on its way out still holds resources and ports
    // but no longer counts towards spreading.
    if (stateIndex(task.DesiredState) <= RUNNING || wantsRun(task)) {
      this.activeTasks++
      this.activeByService.set(task.ServiceID, this.serviceTasks(task.ServiceID) + 1)
      this.counts?.add(task.ServiceID, this.index)
    }
    const r = task.Spec.Resources?.Reservations
    this.reservedNanoCPUs += r?.NanoCPUs ?? 0
    this.reservedMemoryBytes += r?.MemoryBytes ?? 0
    for (const p of ports) this.usedHostPorts.add(hostPortKey(p))
    if (claimed) this.genericUsage.addAssigned(claimed)
    else this.genericUsage.add(task)
    return true
  }

  /** Active tasks of one service on the node. */
  serviceTasks(serviceId: string): number {
    return this.activeByService.get(serviceId) ?? 0
  }

  /** NanoCPUs not yet reserved (may be negative if the node is overcommitted). */
  get availableNanoCPUs(): number {
    return (this.node.Description?.Resources?.NanoCPUs ?? 0) - this.reservedNanoCPUs
  }

  /** Memory bytes not yet reserved (may be negative if the node is overcommitted). */
  get availableMemoryBytes(): number {
    return (this.node.Description?.Resources?.MemoryBytes ?? 0) - this.reservedMemoryBytes
  }
}
