// Pending tasks that schedule alike (same service, placement, reservations
// and host ports) form a group, as swarmkit groups tasks by service and spec.
// Within one scheduleTasks call a node that fails a group's filters keeps
// failing them (nodes only fill up), so a group drops such nodes for good
// and finds the best remaining one without re-running every filter on every
// node: O(log nodes) per task with no preferences, O(nodes) with them.
import { MinHeap } from '../../../../src/lib/scheduler/heap.js'
import type { NodeInfo } from '../../../../src/lib/scheduler/nodeinfo.js'
import type { Pipeline } from '../../../../src/lib/scheduler/pipeline.js'
import { taskHostPorts, type SchedTask } from '../../../../src/lib/scheduler/sched-task.js'
import type { SpreadGroups } from '../../../../src/lib/scheduler/spread.js'

/** What makes two pending tasks interchangeable for the scheduler. */
export function groupKey(st: SchedTask): string {
  const { ServiceID, Spec } = st.task
  return JSON.stringify([ServiceID, Spec.Placement, Spec.Resources?.Reservations, st.hostPorts ?? taskHostPorts(st.task)])
}

/** A node's rank when it entered the queue: its service and total task counts. */
interface Entry { node: number; service: number; total: number }

/** The nodes one group of tasks may still use, best first. */
export class TaskGroup {
  private readonly heap?: MinHeap<Entry>
  /** With preferences: the nodes not yet dropped (the heap is not used)… */
  private readonly alive: number[] = []
  /** …and tasks of the service per preference group, over the nodes that first passed the filters. */
  private readonly totals: Int32Array[] = []
  private readonly member: Uint8Array

  /** Runs the pipeline over every node for the group's first task. */
  constructor(
    private readonly infos: NodeInfo[],
    private readonly pipeline: Pipeline,
    readonly serviceId: string,
    first: SchedTask,
    private readonly spread?: SpreadGroups,
  ) {
    this.member = new Uint8Array(infos.length)
    pipeline.setTask(first)
    const members: number[] = []
    for (let i = 0; i < infos.length; i++) if (pipeline.process(infos[i])) members.push(i)
    if (spread) {
      this.totals = spread.newTotals()
      for (const i of members) {
        this.member[i] = 1
        this.alive.push(i)
        this.noteTasks(i, infos[i].serviceTasks(serviceId))
      }
    } else {
      this.heap = new MinHeap(before, members.map((i) => this.entry(i)))
    }
  }

  /** The best node that takes this task now (it is checked again), or -1 when none does. */
  pick(st: SchedTask): number {
    this.pipeline.setTask(st)
    for (;;) {
      const node = this.heap ? this.fromHeap(this.heap) : this.spread ? this.fromScan(this.spread) : -1
      if (node < 0) return -1
      if (this.pipeline.process(this.infos[node])) {
        // Back in the queue at its old rank; the lazy check in fromHeap sees it grew.
        this.heap?.push(this.entry(node))
        return node
      }
      if (!this.heap) {
        // Order in `alive` does not matter: ties end on the node index.
        const at = this.alive.indexOf(node)
        this.alive[at] = this.alive[this.alive.length - 1]
        this.alive.pop()
      }
    }
  }

  /** Tells the group a task of its service went to a node (by any group), for the spread counts. */
  noteTasks(node: number, tasks = 1): void {
    if (!this.spread || !this.member[node] || tasks === 0) return
    for (let l = 0; l < this.totals.length; l++) this.totals[l][this.spread.group(l, node)] += tasks
  }

  private entry(node: number): Entry {
    const info = this.infos[node]
    return { node, service: info.serviceTasks(this.serviceId), total: info.activeTasks }
  }

  // Ranks only grow, so a queued rank is a lower bound: a stale top is re-queued
  // at its real rank, and a top whose rank is current is the true best.
  private fromHeap(heap: MinHeap<Entry>): number {
    for (let top = heap.pop(); top; top = heap.pop()) {
      const now = this.entry(top.node)
      if (now.service === top.service && now.total === top.total) return top.node
      heap.push(now)
    }
    return -1
  }

  // Spread over preference groups first (fewest tasks of the service per
  // group, level by level), then rank nodes as the heap does.
  private fromScan(spread: SpreadGroups): number {
    let best = -1
    for (const node of this.alive) {
      if (best < 0 || this.compare(spread, node, best) < 0) best = node
    }
    return best
  }

  private compare(spread: SpreadGroups, a: number, b: number): number {
    for (let l = 0; l < this.totals.length; l++) {
      const d = this.totals[l][spread.group(l, a)] - this.totals[l][spread.group(l, b)]
      if (d !== 0) return d
    }
    const ia = this.infos[a]
    const ib = this.infos[b]
    return ia.serviceTasks(this.serviceId) - ib.serviceTasks(this.serviceId) || ia.activeTasks - ib.activeTasks || a - b
  }
}

/** Fewer tasks of the service first, then fewer tasks, then the lower node ID. */
function before(a: Entry, b: Entry): boolean {
  if (a.service !== b.service) return a.service < b.service
  if (a.total !== b.total) return a.total < b.total
  return a.node < b.node
}
